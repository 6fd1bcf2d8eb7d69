"""Constants, a fake backend that records webhooks, and request helpers for gateway tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "secret-token"
GATEWAY = "http://gateway.test"
BACKEND = "http://backend.test"
SMS_URL = f"{BACKEND}/sms"
STATUS_URL = f"{BACKEND}/status"
UNREACHABLE = "http://down.test/hook"
RELAY = "+15145550100"
CUSTOMER = "+15145550142"
MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
NUMBERS = f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json"
NOW = datetime(2023, 8, 24, 5, 1, 45, tzinfo=UTC)


@dataclass
class Hit:
    """One webhook request the fake backend received."""

    url: str
    method: str
    form: list[tuple[str, str]]
    signature: str | None

    @property
    def params(self) -> dict[str, str]:
        return dict(self.form)


@dataclass
class FakeBackend:
    """Records every webhook; answers with the queued responses, then 200 (empty)."""

    hits: list[Hit] = field(default_factory=list)
    answers: list[Response] = field(default_factory=list)

    def at(self, path: str) -> list[Hit]:
        return [h for h in self.hits if httpx.URL(h.url).path == path]

    async def handle(self, request: Request) -> Response:
        form = await request.form()
        self.hits.append(
            Hit(
                url=str(request.url),
                method=request.method,
                form=[(k, v) for k, v in form.multi_items() if isinstance(v, str)],
                signature=request.headers.get("x-twilio-signature"),
            )
        )
        return self.answers.pop(0) if self.answers else Response(status_code=200)

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/{path:path}", self.handle, methods=["GET", "POST"])],
        )


class RoutingTransport(httpx.AsyncBaseTransport):
    """Webhooks to ``down.test`` cannot connect; everything else goes to the fake backend."""

    def __init__(self, backend: FakeBackend) -> None:
        self._inner = httpx.ASGITransport(app=backend.app())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "down.test":
            raise httpx.ConnectError("connection refused", request=request)
        return await self._inner.handle_async_request(request)


async def send(api: httpx.AsyncClient, **form: Any) -> httpx.Response:
    """POST a message; ``From`` defaults to the relay, ``To`` to the customer."""
    data: dict[str, Any] = {"From": RELAY, "To": CUSTOMER, "Body": "Hello from the store"}
    data.update(form)
    return await api.post(MESSAGES, data={k: v for k, v in data.items() if v is not None})


async def text_from_handset(
    api: httpx.AsyncClient, body: str, *, handset: str = CUSTOMER, to: str = RELAY, **extra: Any
) -> httpx.Response:
    """The customer's handset texts the relay number."""
    return await api.post(
        f"/sim/handsets/{handset}/messages", json={"to": to, "body": body, **extra}
    )
