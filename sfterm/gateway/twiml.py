"""Reading the TwiML a webhook may answer with: the ``<Message>`` replies to send back."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass


@dataclass(frozen=True)
class TwimlReply:
    """One ``<Message>`` of a ``<Response>``."""

    body: str
    media_urls: tuple[str, ...] = ()


def reply_messages(content_type: str, text: str) -> list[TwimlReply]:
    """The replies a webhook's answer asks for; none when it is not TwiML (or is malformed).

    Both ``<Message>text</Message>`` and ``<Message><Body>text</Body><Media>url</Media>
    </Message>`` are understood.
    """
    stripped = text.strip()
    if not stripped or ("xml" not in content_type.lower() and not stripped.startswith("<")):
        return []
    if "<!DOCTYPE" in stripped or "<!ENTITY" in stripped:
        return []  # TwiML has no use for them; refuse entity tricks
    try:
        root = ET.fromstring(stripped)
    except ET.ParseError:
        return []
    if root.tag != "Response":
        return []
    replies: list[TwimlReply] = []
    for element in root.findall("Message"):
        body_element = element.find("Body")
        if body_element is not None:
            body = "".join(body_element.itertext())
        else:
            body = "".join(element.itertext()) if not list(element) else (element.text or "")
        media = tuple((m.text or "").strip() for m in element.findall("Media") if m.text)
        if body.strip() or media:
            replies.append(TwimlReply(body=body.strip(), media_urls=media))
    return replies
