"""Twilio's Messages resource: send, list, fetch and cancel messages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from sfterm.gateway import errors
from sfterm.gateway.auth import authenticated
from sfterm.gateway.compose import check_new_message
from sfterm.gateway.paging import paginate
from sfterm.gateway.phones import parse_e164
from sfterm.gateway.records import MessageRecord
from sfterm.gateway.services import GatewayServices, services
from sfterm.gateway.store import GatewayState
from sfterm.gateway.wire import account_path, message_json, page_json

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}")

Authenticated = Annotated[GatewayState, Depends(authenticated)]
Services = Annotated[GatewayServices, Depends(services)]


def _find(state: GatewayState, sid: str, path: str) -> MessageRecord:
    record = state.messages.get(sid)
    if record is None:
        raise errors.not_found(path)
    return record


def _number_filter(value: str | None) -> str | None:
    if not value:
        return None
    return parse_e164(value) or value.strip()


@router.post("/Messages.json", status_code=201)
async def create_message(request: Request, state: Authenticated, gateway: Services) -> Any:
    new = check_new_message(state, await request.form())
    record = gateway.outbound.new_message(
        to=new.to,
        from_=new.from_,
        body=new.body,
        media_urls=new.media_urls,
        status_callback=new.status_callback,
    )
    gateway.outbound.send(record)
    return JSONResponse(message_json(record), status_code=201)


@router.get("/Messages.json")
async def list_messages(request: Request, state: Authenticated) -> Any:
    params = request.query_params
    to = _number_filter(params.get("To"))
    from_ = _number_filter(params.get("From"))
    newest_first = sorted(
        reversed(list(state.messages.values())), key=lambda m: m.date_created, reverse=True
    )
    chosen = [
        m
        for m in newest_first
        if (to is None or m.to == to) and (from_ is None or m.from_ == from_)
    ]
    page = paginate(chosen, params, lambda m: m.sid)
    filters = {k: v for k, v in (("To", to), ("From", from_)) if v is not None}
    return page_json(
        key="messages",
        path=f"{account_path(state.config.account_sid)}/Messages.json",
        items=[message_json(m) for m in page.items],
        filters=filters,
        page=page,
    )


@router.get("/Messages/{MessageSid}.json")
async def fetch_message(request: Request, MessageSid: str, state: Authenticated) -> Any:
    return message_json(_find(state, MessageSid, request.url.path))


@router.post("/Messages/{MessageSid}.json")
async def update_message(
    request: Request,
    MessageSid: str,
    state: Authenticated,
    gateway: Services,
) -> Any:
    record = _find(state, MessageSid, request.url.path)
    form = await request.form()
    status = form.get("Status")
    if status != "canceled":
        raise errors.invalid_parameter("Status", "the only update supported is 'canceled'")
    if record.status != "queued":
        raise errors.cannot_cancel(record.sid, record.status)
    gateway.outbound.cancel(record)
    return message_json(record)
