"""The simulated gateway's handset API over httpx: text a number, read a handset's log, follow it.

Used by the demo's simulated customers and by `sfterm phone`. The gateway's base URL is the
`gateway_url` of server.json (the bundled gateway is mounted at `{url}/gateway`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from httpx_sse import SSEError, aconnect_sse

from sfterm.client.http_client import HttpClient


class HandsetError(Exception):
    """The gateway refused (4xx, with its `detail`) or could not be reached."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class HandsetText:
    """One line of a handset's log: a text it sent (`outgoing`) or received (`incoming`)."""

    index: int
    sid: str
    direction: str
    number: str
    """The other party: the number texted, or the number the text came from."""
    body: str
    media_urls: tuple[str, ...]
    status: str
    date: datetime

    @property
    def incoming(self) -> bool:
        return self.direction == "incoming"

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> HandsetText:
        return cls(
            index=int(raw["index"]),
            sid=str(raw.get("sid", "")),
            direction=str(raw.get("direction", "")),
            number=str(raw.get("number", "")),
            body=str(raw.get("body") or ""),
            media_urls=tuple(str(u) for u in raw.get("media_urls") or ()),
            status=str(raw.get("status", "")),
            date=datetime.fromisoformat(str(raw["date"])),
        )


@dataclass(frozen=True)
class GatewayNumber:
    """A number registered on the gateway: the store's or an associate's relay number."""

    phone_number: str
    friendly_name: str


class HandsetClient(HttpClient):
    """Talks to one gateway's `/sim` API. `transport` lets tests reach an ASGI app."""

    def __init__(
        self,
        gateway_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(gateway_url, transport=transport, timeout=timeout)

    def unreachable(self, message: str) -> Exception:
        return HandsetError(message)

    async def _call(self, method: str, path: str, **kw: Any) -> Any:
        response = await self._send(method, path, **kw)
        if response.status_code >= 400:
            try:
                body = response.json()
                detail = body.get("detail") or body.get("message") or response.text
            except (ValueError, AttributeError):
                detail = response.text or f"HTTP {response.status_code}"
            raise HandsetError(str(detail), response.status_code)
        return response.json()

    async def send(
        self, phone: str, to: str, body: str, media_urls: Sequence[str] = ()
    ) -> dict[str, Any]:
        """The handset `phone` texts `to`; the gateway's answer (Twilio's message JSON)."""
        payload = {"to": to, "body": body, "media_urls": list(media_urls)}
        answer: dict[str, Any] = await self._call(
            "POST", f"/sim/handsets/{phone}/messages", json=payload
        )
        return answer

    async def messages(self, phone: str, *, after: int = -1) -> list[HandsetText]:
        """The handset's log, the entries with an index above `after`, in order."""
        answer = await self._call("GET", f"/sim/handsets/{phone}/messages", params={"after": after})
        return [HandsetText.from_json(m) for m in answer.get("messages", [])]

    async def handsets(self) -> dict[str, int]:
        """Every handset with a log → how many entries it holds."""
        answer = await self._call("GET", "/sim/handsets")
        return {str(h["phone"]): int(h["messages"]) for h in answer.get("handsets", [])}

    async def numbers(self) -> list[GatewayNumber]:
        """The numbers a handset can text, in the gateway's order."""
        answer = await self._call("GET", "/sim/numbers")
        return [
            GatewayNumber(str(n["phone_number"]), str(n.get("friendly_name") or n["phone_number"]))
            for n in answer.get("numbers", [])
        ]

    async def follow(
        self, phone: str, *, after: int = -1, retry_delay: float = 1.0
    ) -> AsyncIterator[HandsetText]:
        """Every entry after `after`, then each new one as it happens (Server-Sent Events).

        A dropped connection is resumed after `retry_delay` seconds from the last entry seen,
        so nothing is missed or repeated. Runs until the caller stops iterating.
        """
        last = after
        while True:
            try:
                async with aconnect_sse(
                    self.http,
                    "GET",
                    f"/sim/handsets/{phone}/stream",
                    params={"after": last},
                    timeout=httpx.Timeout(10.0, read=None),
                ) as source:
                    if source.response.status_code >= 400:
                        await source.response.aread()
                        raise HandsetError(source.response.text, source.response.status_code)
                    async for sse in source.aiter_sse():
                        if sse.event != "message" or not sse.data:
                            continue
                        entry = HandsetText.from_json(json.loads(sse.data))
                        if entry.index <= last:
                            continue
                        last = entry.index
                        yield entry
            except (httpx.TransportError, SSEError):
                pass
            await asyncio.sleep(retry_delay)
