"""Asking the server for the sign-in and the first pages while the app's modules still load.

Importing the terminal app (Textual, httpx, pydantic) is most of its start, and the server can
answer meanwhile. `Prefetch` asks on a thread, with the standard library only, in this order on
one kept-alive connection: who is signed in (with the event log's head), then each first page.
The pages are read after the sign-in, so the event stream followed from its `last_event_id`
misses nothing between them. The app takes what came; anything that did not come (an error, a
refusal, no server) it asks for itself, with the client that names what went wrong.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Mapping
from urllib.parse import urlsplit

ME_PATH = "/api/v1/me"
FIRST_PAGES = {
    "new_leads": "/api/v1/leads?limit=100",
    "customer_requests": "/api/v1/requests?limit=100",
    "threads": "/api/v1/threads?limit=100",
}
"""Each folder's first page (keyset pages: the app reads on from a page of any size)."""


class Prefetch:
    """`Prefetch(url, token)` starts asking at once; `take(key)` gives a body that came (200)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        pages: Mapping[str, str] = FIRST_PAGES,
        timeout: float = 5.0,
    ) -> None:
        self.bodies: dict[str, bytes] = {}
        """What came, by key ("me" or a folder); written by the thread, read once it is done."""
        self._done = threading.Event()
        asks = [("me", ME_PATH), *pages.items()]
        self._thread = threading.Thread(
            target=self._ask, args=(base_url, token, asks, timeout), name="sfterm-prefetch"
        )
        self._thread.daemon = True  # a server that never answers must not keep the app open
        self._thread.start()

    def _ask(self, base_url: str, token: str, asks: list[tuple[str, str]], timeout: float) -> None:
        try:
            parts = urlsplit(base_url)
            kind = parts.scheme.lower()
            if kind not in ("http", "https") or not parts.hostname:
                return
            connection_class = (
                http.client.HTTPSConnection if kind == "https" else http.client.HTTPConnection
            )
            connection = connection_class(parts.hostname, parts.port, timeout=timeout)
            prefix = parts.path.rstrip("/")
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            try:
                for key, path in asks:
                    connection.request("GET", prefix + path, headers=headers)
                    response = connection.getresponse()
                    body = response.read()
                    if response.status != 200:
                        return  # the app asks again and says what is wrong
                    self.bodies[key] = body
            finally:
                connection.close()
        except (OSError, http.client.HTTPException, ValueError):
            return  # the same: the app's own client will name it
        finally:
            self._done.set()

    def take(self, key: str, wait: float = 5.0) -> bytes | None:
        """The body for `key` once the asking is over (waiting at most `wait` seconds)."""
        self._done.wait(wait)
        if not self._done.is_set():
            return None
        return self.bodies.get(key)
