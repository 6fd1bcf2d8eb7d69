"""A stand-in for Twilio's REST API (httpx.MockTransport), and signed webhooks to the backend."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

from sfterm.core.twilio_signature import compute_signature
from tests.support.backend import BASE, Backend

GATEWAY = "http://gateway.test"


@dataclass
class FakeTwilio:
    """Answers Messages.json and IncomingPhoneNumbers.json; `refuse` or `down` make it fail."""

    sent: list[dict[str, list[str]]] = field(default_factory=list)
    numbers: dict[str, dict[str, Any]] = field(default_factory=dict)
    refuse: tuple[int, int, str] | None = None
    """(HTTP status, Twilio code, message) to answer every send with."""
    down: bool = False
    _sids: Any = field(default_factory=lambda: itertools.count(1))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        form: dict[str, list[str]] = {}
        for key, value in parse_qsl(request.content.decode(), keep_blank_values=True):
            form.setdefault(key, []).append(value)
        path = request.url.path
        if path.endswith("/Messages.json") and request.method == "POST":
            if self.refuse is not None:
                status, code, message = self.refuse
                return httpx.Response(
                    status,
                    json={"code": code, "message": message, "more_info": "", "status": status},
                )
            self.sent.append(form)
            sid = f"SM{next(self._sids):032x}"
            return httpx.Response(201, json={"sid": sid, "status": "queued"})
        if path.endswith("/IncomingPhoneNumbers.json") and request.method == "GET":
            phone = request.url.params.get("PhoneNumber")
            found = [n for n in self.numbers.values() if n["phone_number"] == phone]
            return httpx.Response(200, json={"incoming_phone_numbers": found})
        if path.endswith("/IncomingPhoneNumbers.json"):
            sid = f"PN{next(self._sids):032x}"
            self.numbers[sid] = {
                "sid": sid,
                "phone_number": form["PhoneNumber"][0],
                "sms_url": form["SmsUrl"][0],
            }
            return httpx.Response(201, json=self.numbers[sid])
        if "/IncomingPhoneNumbers/" in path:
            sid = path.rsplit("/", 1)[-1].removesuffix(".json")
            self.numbers[sid]["sms_url"] = form["SmsUrl"][0]
            return httpx.Response(200, json=self.numbers[sid])
        return httpx.Response(404, json={"code": 20404, "message": "not found", "status": 404})

    def last(self, name: str) -> str:
        return self.sent[-1][name][0]


def attach(backend: Backend, fake: FakeTwilio) -> None:
    """Point the backend at the fake: its public URL, the gateway URL and the transport."""
    backend.settings.public_url = BASE
    backend.settings.gateway_url = GATEWAY
    backend.app.state.gateway_transport = fake.transport()


async def post_webhook(
    backend: Backend, path: str, params: dict[str, str], *, signature: str | None = "sign"
) -> httpx.Response:
    """POST a form to the backend as the gateway would, signed unless told otherwise."""
    headers = {}
    if signature == "sign":
        signature = compute_signature(backend.settings.twilio_auth_token, BASE + path, params)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    async with backend.http() as http:
        return await http.post(path, data=params, headers=headers)


def inbound(sid: str, from_: str, to: str, body: str) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": from_,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }


def status(sid: str, value: str, error_code: str | None = None) -> dict[str, str]:
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": value,
        "SmsStatus": value,
        "AccountSid": "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
    }
    if error_code:
        params["ErrorCode"] = error_code
    return params
