"""Twilio's Media subresource of a message: the list of its media, and each one's metadata."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from sfterm.gateway import errors
from sfterm.gateway.auth import authenticated
from sfterm.gateway.inbound import media_content_type
from sfterm.gateway.paging import paginate
from sfterm.gateway.records import MessageRecord
from sfterm.gateway.store import GatewayState
from sfterm.gateway.wire import message_uri, page_json, rfc2822

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}")

Authenticated = Annotated[GatewayState, Depends(authenticated)]


def media_sid(message_sid: str, index: int) -> str:
    """A stable ``ME`` SID for the ``index``-th media of a message."""
    return "ME" + hashlib.sha256(f"{message_sid}/{index}".encode()).hexdigest()[:32]


def media_items(record: MessageRecord) -> list[dict[str, Any]]:
    base = message_uri(record).removesuffix(".json")
    return [
        {
            "account_sid": record.account_sid,
            "content_type": media_content_type(url),
            "date_created": rfc2822(record.date_created),
            "date_updated": rfc2822(record.date_created),
            "parent_sid": record.sid,
            "sid": sid,
            "uri": f"{base}/Media/{sid}.json",
            "url": url,  # not Twilio's: where the simulated content really lives
        }
        for index, url in enumerate(record.media_urls)
        for sid in [media_sid(record.sid, index)]
    ]


def _message(state: GatewayState, sid: str, path: str) -> MessageRecord:
    record = state.messages.get(sid)
    if record is None:
        raise errors.not_found(path)
    return record


@router.get("/Media.json")
async def list_media(request: Request, MessageSid: str, state: Authenticated) -> Any:
    record = _message(state, MessageSid, request.url.path)
    page = paginate(media_items(record), request.query_params, lambda m: str(m["sid"]))
    return page_json(
        key="media_list",
        path=f"{message_uri(record).removesuffix('.json')}/Media.json",
        items=list(page.items),
        filters={},
        page=page,
    )


@router.get("/Media/{MediaSid}.json")
async def fetch_media(
    request: Request,
    MessageSid: str,
    MediaSid: str,
    state: Authenticated,
) -> Any:
    record = _message(state, MessageSid, request.url.path)
    for item in media_items(record):
        if item["sid"] == MediaSid:
            return item
    raise errors.not_found(request.url.path)
