"""HTTP basic auth with AccountSid:AuthToken, as Twilio's REST API asks for it."""

from __future__ import annotations

import base64
import binascii
import hmac

from fastapi import Request

from sfterm.gateway.errors import authentication_failed
from sfterm.gateway.store import GatewayState


def check_credentials(state: GatewayState, authorization: str | None, path_account: str) -> None:
    """Raise 20003 unless ``authorization`` holds this account's credentials for its own path."""
    config = state.config
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise authentication_failed()
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise authentication_failed() from None
    user, _, password = decoded.partition(":")
    user_ok = hmac.compare_digest(user.encode(), config.account_sid.encode())
    password_ok = hmac.compare_digest(password.encode(), config.auth_token.encode())
    if not (user_ok and password_ok) or path_account != config.account_sid:
        raise authentication_failed()


def authenticated(request: Request, AccountSid: str) -> GatewayState:
    """FastAPI dependency: the gateway's state, once the caller has proved who they are."""
    state: GatewayState = request.app.state.gateway
    check_credentials(state, request.headers.get("authorization"), AccountSid)
    return state
