"""Twilio's IncomingPhoneNumbers resource: register numbers and point their texts at an SmsUrl.

``POST IncomingPhoneNumbers.json`` creates a number, or updates the one already registered with
that ``PhoneNumber`` (so a backend may simply re-register at each start); the Twilio way, list
with a ``PhoneNumber`` filter then ``POST IncomingPhoneNumbers/{Sid}.json``, works as well.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import FormData

from sfterm.gateway import errors
from sfterm.gateway.auth import authenticated
from sfterm.gateway.compose import is_http_url
from sfterm.gateway.paging import paginate
from sfterm.gateway.phones import friendly_name, parse_e164
from sfterm.gateway.records import NumberRecord
from sfterm.gateway.store import GatewayState
from sfterm.gateway.wire import account_path, number_json, page_json

router = APIRouter(prefix="/2010-04-01/Accounts/{AccountSid}")

Authenticated = Annotated[GatewayState, Depends(authenticated)]

METHODS = ("GET", "POST")


def _apply(record: NumberRecord, form: FormData, now: datetime) -> None:
    """Copy the SMS settings present in ``form`` onto ``record`` (all checked first)."""
    sms_url = form.get("SmsUrl")
    method = form.get("SmsMethod")
    name = form.get("FriendlyName")
    if isinstance(sms_url, str):
        sms_url = sms_url.strip()
        if sms_url and not is_http_url(sms_url):
            raise errors.TwilioError(21502, f"SmsUrl is not a valid URL: {sms_url!r}")
    if isinstance(method, str):
        method = method.strip().upper()
        if method and method not in METHODS:
            raise errors.invalid_parameter("SmsMethod", "must be GET or POST")
    if isinstance(sms_url, str):
        record.sms_url = sms_url
    if isinstance(method, str) and method:
        record.sms_method = method
    if isinstance(name, str) and name.strip():
        record.friendly_name = name.strip()[:64]
    record.date_updated = now


def _find(state: GatewayState, sid: str, path: str) -> NumberRecord:
    record = state.numbers.get(sid)
    if record is None:
        raise errors.not_found(path)
    return record


@router.post("/IncomingPhoneNumbers.json", status_code=201)
async def register_number(request: Request, state: Authenticated) -> Any:
    form = await request.form()
    raw = form.get("PhoneNumber")
    raw = raw.strip() if isinstance(raw, str) else ""
    if not raw:
        raise errors.TwilioError(21452, "A 'PhoneNumber' is required.")
    phone = parse_e164(raw)
    if phone is None:
        raise errors.invalid_phone_number(raw)
    now = state.now()
    existing = state.number_for(phone)
    if existing is not None:
        _apply(existing, form, now)
        return JSONResponse(number_json(existing), status_code=200)
    record = NumberRecord(
        sid=state.new_sid("PN"),
        account_sid=state.config.account_sid,
        phone_number=phone,
        friendly_name=friendly_name(phone),
        sms_url="",
        sms_method="POST",
        date_created=now,
        date_updated=now,
    )
    _apply(record, form, now)
    state.numbers[record.sid] = record
    return JSONResponse(number_json(record), status_code=201)


@router.get("/IncomingPhoneNumbers.json")
async def list_numbers(request: Request, state: Authenticated) -> Any:
    params = request.query_params
    raw = params.get("PhoneNumber")
    phone = (parse_e164(raw) or raw.strip()) if raw else None
    name = params.get("FriendlyName")
    chosen = [
        n
        for n in state.numbers.values()
        if (phone is None or n.phone_number == phone) and (not name or n.friendly_name == name)
    ]
    page = paginate(chosen, params, lambda n: n.sid)
    filters = {k: v for k, v in (("PhoneNumber", phone), ("FriendlyName", name)) if v}
    return page_json(
        key="incoming_phone_numbers",
        path=f"{account_path(state.config.account_sid)}/IncomingPhoneNumbers.json",
        items=[number_json(n) for n in page.items],
        filters=filters,
        page=page,
    )


@router.get("/IncomingPhoneNumbers/{Sid}.json")
async def fetch_number(request: Request, Sid: str, state: Authenticated) -> Any:
    return number_json(_find(state, Sid, request.url.path))


@router.post("/IncomingPhoneNumbers/{Sid}.json")
async def update_number(request: Request, Sid: str, state: Authenticated) -> Any:
    record = _find(state, Sid, request.url.path)
    _apply(record, await request.form(), state.now())
    return number_json(record)


@router.delete("/IncomingPhoneNumbers/{Sid}.json", status_code=204)
async def release_number(request: Request, Sid: str, state: Authenticated) -> Response:
    record = _find(state, Sid, request.url.path)
    del state.numbers[record.sid]
    return Response(status_code=204)
