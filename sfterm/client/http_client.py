"""What the backend's and the gateway's clients share: one httpx client, closed with them, and
a transport failure turned into the client's own "cannot reach" error."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx


def tls_verify(base_url: str) -> bool:
    """Check certificates on an https server; a plain-http one never does TLS, so the CA bundle
    (50–100 ms of start-up to load) is not loaded for it."""
    return not base_url.lower().startswith("http://")


class HttpClient:
    """A base URL and its httpx client; `async with` closes it. Subclasses say, in
    `unreachable`, which error a connection that failed becomes."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers or {},
            transport=transport,
            timeout=timeout,
            verify=tls_verify(self.base_url),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    def unreachable(self, message: str) -> Exception:
        raise NotImplementedError

    async def _send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """The server's answer, whatever its status; `unreachable(...)` when none came."""
        try:
            return await self.http.request(method, path, **kw)
        except httpx.TransportError as exc:
            raise self.unreachable(f"{self.base_url}: {exc.__class__.__name__}: {exc}") from exc
