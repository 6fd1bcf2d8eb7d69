"""The simulation's own API (no auth): handsets that text numbers, and what they see.

- ``POST /sim/handsets/{phone}/messages`` ``{"to", "body", "media_urls"}``: the handset texts a
  registered number; 201 with the message in Twilio's JSON.
- ``GET /sim/handsets/{phone}/messages?after=N``: the handset's log (texts it sent and received,
  in order), the entries whose ``index`` is greater than ``N``.
- ``GET /sim/handsets/{phone}/stream?after=N``: the same entries as Server-Sent Events
  (``event: message``, ``id`` = index, JSON data), then each new one as it happens; resumable
  with ``Last-Event-ID``.
- ``GET /sim/numbers``: the registered numbers; ``GET /sim/handsets``: handsets with a log.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse

from sfterm.gateway.compose import MAX_BODY, MAX_MEDIA, is_http_url
from sfterm.gateway.phones import parse_e164
from sfterm.gateway.services import GatewayServices, services
from sfterm.gateway.wire import message_json

router = APIRouter(prefix="/sim")

Services = Annotated[GatewayServices, Depends(services)]

STREAM_WAKE_SECONDS = 15.0
"""How often an idle stream looks whether its client has gone."""


class SimError(Exception):
    """A refused simulation request: ``{"detail": ...}`` with an HTTP status."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class HandsetText(BaseModel):
    """What a handset sends: a text to a number."""

    to: str = Field(max_length=64)
    body: str = ""
    media_urls: list[str] = Field(default_factory=list)


def handset_number(phone: str) -> str:
    """The handset's number from the path, in E.164 (a missing ``+`` is tolerated)."""
    text = phone.strip()
    parsed = parse_e164(text if text.startswith("+") else f"+{text}")
    if parsed is None:
        raise SimError(400, f"handset phone {phone!r} is not a valid E.164 number")
    return parsed


@router.post("/handsets/{phone}/messages", status_code=201)
async def handset_sends(phone: str, text: HandsetText, gateway: Services) -> Any:
    handset = handset_number(phone)
    to = parse_e164(text.to)
    if to is None:
        raise SimError(400, f"to: {text.to!r} is not a valid E.164 number")
    if not text.body and not text.media_urls:
        raise SimError(400, "body: a text needs a body or media_urls")
    if len(text.body) > MAX_BODY:
        raise SimError(400, f"body: longer than {MAX_BODY} characters")
    if len(text.media_urls) > MAX_MEDIA:
        raise SimError(400, f"media_urls: more than {MAX_MEDIA}")
    for url in text.media_urls:
        if not is_http_url(url):
            raise SimError(400, f"media_urls: {url!r} is not an absolute http(s) URL")
    number = gateway.state.number_for(to)
    if number is None:
        raise SimError(404, f"to: {to} is not a registered number")
    record = gateway.inbound.receive(handset, number, text.body, list(text.media_urls))
    return JSONResponse(message_json(record), status_code=201)


@router.get("/handsets/{phone}/messages")
async def handset_log(
    phone: str, gateway: Services, after: Annotated[int, Query(ge=-1)] = -1
) -> Any:
    handset = handset_number(phone)
    entries = gateway.state.handset_log(handset)[after + 1 :]
    return {"handset": handset, "messages": [e.to_json() for e in entries]}


@router.get("/handsets/{phone}/stream")
async def handset_stream(
    phone: str,
    request: Request,
    gateway: Services,
    after: Annotated[int | None, Query(ge=-1)] = None,
) -> EventSourceResponse:
    handset = handset_number(phone)
    last = after if after is not None else _last_event_id(request)
    state = gateway.state

    async def events() -> AsyncIterator[dict[str, str]]:
        seen = last
        while True:
            for entry in state.handset_log(handset)[seen + 1 :]:
                seen = entry.index
                yield {
                    "event": "message",
                    "id": str(entry.index),
                    "data": json.dumps(entry.to_json()),
                }
            if await request.is_disconnected():
                return
            await state.wait_for_handset(handset, seen + 1, STREAM_WAKE_SECONDS)

    return EventSourceResponse(events(), ping=15)


def _last_event_id(request: Request) -> int:
    raw = request.headers.get("last-event-id", "")
    try:
        return max(int(raw), -1)
    except ValueError:
        return -1


@router.get("/numbers")
async def registered_numbers(gateway: Services) -> Any:
    return {
        "numbers": [
            {
                "sid": n.sid,
                "phone_number": n.phone_number,
                "friendly_name": n.friendly_name,
                "sms_url": n.sms_url,
            }
            for n in gateway.state.numbers.values()
        ]
    }


@router.get("/handsets")
async def known_handsets(gateway: Services) -> Any:
    return {
        "handsets": [
            {"phone": phone, "messages": len(entries)}
            for phone, entries in gateway.state.handset_logs.items()
        ]
    }
