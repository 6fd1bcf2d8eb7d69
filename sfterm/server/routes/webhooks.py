"""Twilio webhooks (signed, form-encoded): inbound texts and delivery status callbacks.

The signature covers the URL as the gateway called it. Behind a mount or a proxy the request's
own URL may differ from it, so the URL is rebuilt from `settings.public_url` (the base the
backend gave the gateway) plus the path within the app and the query string.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sfterm.core.models import ErrorBody
from sfterm.core.twilio_signature import validate_signature
from sfterm.server.auth import DatabaseDep
from sfterm.server.deps import ClockDep
from sfterm.server.errors import ApiError
from sfterm.server.messaging import SMS_WEBHOOK_PATH, STATUS_WEBHOOK_PATH, public_base
from sfterm.server.webhooks import apply_status, receive_text

router = APIRouter(tags=["webhooks"])

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
SIGNATURE = "X-Twilio-Signature"


def called_url(request: Request) -> str:
    """The URL the gateway signed: the public base, the path within this app, the query."""
    path = request.scope.get("path", request.url.path)
    root = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    query = request.url.query
    return public_base(request.app.state.settings) + path + (f"?{query}" if query else "")


async def signed_form(request: Request) -> dict[str, str]:
    """The webhook's parameters, once its signature is checked; 403 otherwise."""
    form = await request.form()
    params: dict[str, str] = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    token: str = request.app.state.settings.twilio_auth_token
    if not validate_signature(token, called_url(request), params, request.headers.get(SIGNATURE)):
        raise ApiError(
            403,
            "bad_signature",
            f"{SIGNATURE}: missing, or not a signature of this request by the gateway",
            field=SIGNATURE,
        )
    return params


@router.post(SMS_WEBHOOK_PATH, response_class=Response, responses={403: {"model": ErrorBody}})
async def inbound_text(request: Request, db: DatabaseDep, clock: ClockDep) -> Response:
    """A customer's text; answered with empty TwiML (the backend replies through the API)."""
    form = await signed_form(request)
    async with db.write() as conn:
        await receive_text(conn, form, clock())
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post(
    STATUS_WEBHOOK_PATH,
    status_code=204,
    response_class=Response,
    responses={403: {"model": ErrorBody}},
)
async def status_callback(request: Request, db: DatabaseDep, clock: ClockDep) -> Response:
    """A sent text moved on (`sending`, `sent`, `delivered`, `failed`, ...)."""
    form = await signed_form(request)
    async with db.write() as conn:
        await apply_status(conn, form, request.query_params.get("m"), clock())
    return Response(status_code=204)
