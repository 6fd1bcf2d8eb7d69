"""The Twilio-wire adapter: send texts and register relay numbers over httpx, as with Twilio.

The base URL, account SID and auth token come from the server settings (the bundled gateway by
default); tests may put an httpx transport in `app.state.gateway_transport`. Nothing here touches
the database except `register_relay_numbers`, which reads the numbers to register.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from sfterm.config import ServerSettings
from sfterm.server.db import associates, stores

log = logging.getLogger(__name__)

API_VERSION = "2010-04-01"
SMS_WEBHOOK_PATH = "/webhooks/twilio/sms"
STATUS_WEBHOOK_PATH = "/webhooks/twilio/status"

ERROR_TEXTS: dict[int, str] = {
    20003: "the SMS gateway refused the account's credentials",
    20404: "the SMS gateway does not know that resource",
    21211: "the number is not a valid phone number",
    21602: "the text has no body and no media",
    21610: "the customer unsubscribed (texted STOP): they must text START first",
    21614: "the number is not a mobile number and cannot receive texts",
    21617: "the text is longer than 1,600 characters",
    30003: "the handset is unreachable (switched off or out of coverage)",
    30005: "the number is unknown to the carrier or no longer in service",
    30006: "the number is a landline or its carrier cannot be reached",
    30007: "the carrier filtered the text as unwanted",
    30008: "the carrier could not deliver the text (unknown error)",
}
"""Human texts for the codes the gateway (or Twilio) may answer, shown to the associate."""


def error_text(code: int | None, fallback: str | None = None) -> str:
    """What a Twilio error code means, for the associate."""
    if code is not None and code in ERROR_TEXTS:
        return ERROR_TEXTS[code]
    if fallback:
        return fallback
    return f"the text could not be delivered (error {code})" if code else "the text failed"


STATUS_RANK: dict[str, int] = {
    "queued": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
    "canceled": 3,
    "received": 3,
}
"""How far along a message is; a status only ever moves to a higher rank (never back)."""


def moves_forward(current: str | None, new: str) -> bool:
    """Whether `new` is later in a message's life than `current` (unknown statuses never are)."""
    if new not in STATUS_RANK:
        return False
    return STATUS_RANK[new] > STATUS_RANK.get(current or "queued", 0) or current is None


class GatewayRefused(Exception):
    """The gateway answered with a Twilio error body (bad number, unsubscribed, ...)."""

    def __init__(self, code: int | None, message: str, status: int) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class GatewayUnreachable(Exception):
    """No answer from the gateway (refused, timed out, dropped) or no gateway configured."""


@dataclass(frozen=True)
class SentMessage:
    sid: str
    status: str


def public_base(settings: ServerSettings) -> str:
    """The backend's own base URL as the gateway and customers reach it."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}"


class TwilioMessaging:
    """One account on a Twilio-shaped API: Messages and IncomingPhoneNumbers."""

    def __init__(
        self,
        base_url: str,
        account_sid: str,
        auth_token: str,
        *,
        http: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_sid = account_sid
        self._auth = (account_sid, auth_token)
        self._http = http
        self._transport = transport
        self._timeout = timeout

    def _url(self, resource: str) -> str:
        return f"{self.base_url}/{API_VERSION}/Accounts/{self.account_sid}/{resource}"

    async def _call(
        self,
        method: str,
        resource: str,
        *,
        data: Any = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        url = self._url(resource)
        try:
            if self._http is not None:
                response = await self._http.request(
                    method, url, data=data, params=params, auth=self._auth
                )
            else:
                async with httpx.AsyncClient(
                    transport=self._transport, timeout=self._timeout, auth=self._auth
                ) as http:
                    response = await http.request(method, url, data=data, params=params)
        except httpx.HTTPError as exc:
            raise GatewayUnreachable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500:
            raise GatewayUnreachable(f"the gateway answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if response.status_code >= 400:
            code = body.get("code")
            raise GatewayRefused(
                int(code) if isinstance(code, int | str) and str(code).isdigit() else None,
                str(body.get("message") or f"HTTP {response.status_code}"),
                response.status_code,
            )
        return body

    async def send(
        self,
        *,
        to: str,
        from_: str,
        body: str,
        media_urls: Sequence[str] = (),
        status_callback: str | None = None,
    ) -> SentMessage:
        """Create a message; the gateway answers with its SID and first status (`queued`)."""
        data: dict[str, str | list[str]] = {"To": to, "From": from_}
        if body:
            data["Body"] = body
        if media_urls:
            data["MediaUrl"] = list(media_urls)
        if status_callback:
            data["StatusCallback"] = status_callback
        answer = await self._call("POST", "Messages.json", data=data)
        return SentMessage(sid=str(answer["sid"]), status=str(answer.get("status", "queued")))

    async def numbers(self, phone: str) -> list[dict[str, Any]]:
        """The account's IncomingPhoneNumbers with that number."""
        answer = await self._call("GET", "IncomingPhoneNumbers.json", params={"PhoneNumber": phone})
        found = answer.get("incoming_phone_numbers", [])
        return [n for n in found if isinstance(n, dict) and n.get("phone_number") == phone]

    async def register_number(self, phone: str, sms_url: str) -> str:
        """Point `phone`'s inbound texts at `sms_url`: update it if present, else create it."""
        for number in await self.numbers(phone):
            sid = str(number["sid"])
            if number.get("sms_url") != sms_url:
                await self._call(
                    "POST",
                    f"IncomingPhoneNumbers/{sid}.json",
                    data={"SmsUrl": sms_url, "SmsMethod": "POST"},
                )
            return sid
        created = await self._call(
            "POST",
            "IncomingPhoneNumbers.json",
            data={"PhoneNumber": phone, "SmsUrl": sms_url, "SmsMethod": "POST"},
        )
        return str(created["sid"])


def messaging_for(app: FastAPI) -> TwilioMessaging:
    """The adapter for this app's settings; raises GatewayUnreachable if none is configured."""
    settings: ServerSettings = app.state.settings
    if not settings.gateway_url:
        raise GatewayUnreachable("no SMS gateway is configured")
    return TwilioMessaging(
        settings.gateway_url,
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        http=_shared_client(app),
    )


def _shared_client(app: FastAPI) -> httpx.AsyncClient:
    """One connection pool per app (a new httpx client costs ~0.2 s of TLS set-up), made anew
    when a test swaps `app.state.gateway_transport`; all are closed at shutdown."""
    transport = getattr(app.state, "gateway_transport", None)
    cached: tuple[object, httpx.AsyncClient] | None = getattr(app.state, "gateway_http", None)
    if cached is not None and cached[0] is transport and not cached[1].is_closed:
        return cached[1]
    client = httpx.AsyncClient(transport=transport, timeout=10.0)
    app.state.gateway_http = (transport, client)
    opened: list[httpx.AsyncClient] = getattr(app.state, "gateway_clients", [])
    app.state.gateway_clients = [*opened, client]
    return client


async def close_clients(app: FastAPI) -> None:
    """Close the connection pools `messaging_for` opened."""
    for client in getattr(app.state, "gateway_clients", []):
        await client.aclose()
    app.state.gateway_clients = []


# ---- relay numbers at start ---------------------------------------------------------------------


async def relay_numbers(app: FastAPI) -> list[str]:
    """Every number the backend texts from: associates' relay numbers and stores' numbers."""
    async with app.state.db.read() as conn:
        relays = await conn.execute(
            select(associates.c.relay_number).where(associates.c.relay_number.is_not(None))
        )
        store_phones = await conn.execute(select(stores.c.phone).where(stores.c.phone.is_not(None)))
        found = {str(n) for (n,) in relays} | {str(n) for (n,) in store_phones}
    return sorted(found)


async def register_relay_numbers(app: FastAPI) -> list[str]:
    """Register each relay number with the gateway, its SmsUrl the backend's SMS webhook."""
    settings: ServerSettings = app.state.settings
    messaging = messaging_for(app)
    sms_url = public_base(settings) + SMS_WEBHOOK_PATH
    numbers = await relay_numbers(app)
    for phone in numbers:
        await messaging.register_number(phone, sms_url)
    return numbers


async def register_until_done(
    app: FastAPI, *, first_delay: float = 0.05, max_delay: float = 2.0
) -> list[str]:
    """Retry `register_relay_numbers` with a growing pause until the gateway takes them all.

    The server may not accept connections yet when this starts (it runs from start-up), and a
    gateway of its own may not be up yet: both are retried. It waits for `app.state.ready`
    (set once every start-up hook has run, the demo seed included) before reading the numbers.
    """
    ready: asyncio.Event | None = getattr(app.state, "ready", None)
    if ready is not None:
        await ready.wait()
    if not app.state.settings.gateway_url:
        return []
    delay = first_delay
    while True:
        try:
            return await register_relay_numbers(app)
        except (GatewayUnreachable, GatewayRefused) as exc:
            log.info("relay numbers not registered yet (%s); retrying in %.2fs", exc, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, max_delay)


async def start_registration(app: FastAPI) -> None:
    """The start-up hook: register in the background; `app.state.registration` awaits it."""
    app.state.registration = asyncio.create_task(register_until_done(app))


async def stop_registration(app: FastAPI) -> None:
    task: asyncio.Task[list[str]] | None = getattr(app.state, "registration", None)
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await close_clients(app)
