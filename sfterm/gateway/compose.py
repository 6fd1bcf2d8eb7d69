"""Checking a request to send a message, in the order and with the codes Twilio uses."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import FormData

from sfterm.gateway import errors
from sfterm.gateway.carrier import (
    TEST_FROM_OK,
    TEST_TO_INVALID,
    TEST_TO_NOT_MOBILE,
    TEST_TO_UNSUBSCRIBED,
)
from sfterm.gateway.phones import parse_e164, region_of
from sfterm.gateway.store import GatewayState

MAX_BODY = 1600
MAX_MEDIA = 10


@dataclass(frozen=True)
class NewMessage:
    """A checked request to send a message."""

    to: str
    from_: str
    body: str
    media_urls: list[str]
    status_callback: str | None


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def check_new_message(state: GatewayState, form: FormData) -> NewMessage:
    """The message ``form`` asks to send, or the :class:`TwilioError` Twilio would answer."""
    raw_to = _text(form, "To")
    raw_from = _text(form, "From")
    body_value = form.get("Body")
    body = body_value if isinstance(body_value, str) else ""
    media_urls = [v.strip() for v in form.getlist("MediaUrl") if isinstance(v, str) and v.strip()]
    callback = _text(form, "StatusCallback") or None

    if not raw_to:
        raise errors.missing_to()
    if not raw_from:
        raise errors.missing_from()
    if not body and not media_urls:
        raise errors.missing_body()
    if len(body) > MAX_BODY:
        raise errors.body_too_long()
    if len(media_urls) > MAX_MEDIA:
        raise errors.too_many_media()
    for url in media_urls:
        if not is_http_url(url):
            raise errors.invalid_media_url(url)
    if callback is not None and not is_http_url(callback):
        raise errors.invalid_url("StatusCallback", callback)

    from_ = parse_e164(raw_from)
    to = parse_e164(raw_to, region_of(from_) if from_ else None)
    if to is None or to == TEST_TO_INVALID:
        raise errors.invalid_to(raw_to)
    if from_ is None or (from_ != TEST_FROM_OK and state.number_for(from_) is None):
        raise errors.invalid_from(raw_from)
    if to == TEST_TO_NOT_MOBILE:
        raise errors.not_mobile(to)
    if to == TEST_TO_UNSUBSCRIBED or state.is_opted_out(to, from_):
        raise errors.unsubscribed(to)
    return NewMessage(
        to=to, from_=from_, body=body, media_urls=media_urls, status_callback=callback
    )
