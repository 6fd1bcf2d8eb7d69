"""Following the backend's event stream: reconnects with back-off and resumes from the last id."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime

import httpx
from httpx_sse import SSEError, aconnect_sse

from sfterm.client.api import SftermClient
from sfterm.client.link import Link, LinkState
from sfterm.core.models import Event

__all__ = ["EventStream", "Link", "LinkState"]

DEFAULT_BACKOFF = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0)


class EventStream:
    """`async for item in EventStream(client)`: events in id order, and LinkState changes.

    A connection that sends nothing (not even the server's heartbeat ping) for
    `dead_after` seconds is taken as dead and replaced. After a drop, it waits the next
    `backoff` delay and reconnects with `Last-Event-ID`, so nothing is missed or repeated.
    After `offline_after` failed attempts in a row the state says offline (it keeps trying).
    """

    def __init__(
        self,
        client: SftermClient,
        *,
        last_event_id: int = 0,
        dead_after: float = 45.0,
        backoff: Sequence[float] = DEFAULT_BACKOFF,
        offline_after: int = 3,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], object] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.last_event_id = last_event_id
        self.dead_after = dead_after
        self.backoff = tuple(backoff)
        self.offline_after = offline_after
        self.clock = clock
        self._sleep = sleep
        self.failures = 0

    async def __aiter__(self) -> AsyncIterator[Event | LinkState]:
        state: Link | None = None
        while True:
            error: str | None = None
            try:
                async for item in self._connect_once():
                    if isinstance(item, LinkState):
                        if state is not Link.LIVE:
                            state = Link.LIVE
                            self.failures = 0
                            yield item
                        continue
                    yield item
            except (httpx.TransportError, SSEError, httpx.HTTPStatusError) as exc:
                error = f"{exc.__class__.__name__}: {exc}".rstrip(": ")
            self.failures += 1
            new_state = Link.OFFLINE if self.failures >= self.offline_after else (Link.RECONNECTING)
            if new_state is not state:
                state = new_state
                yield LinkState(new_state, self.clock(), error)
            delay = self.backoff[min(self.failures - 1, len(self.backoff) - 1)]
            await self._sleep(delay)  # type: ignore[misc]

    async def _connect_once(self) -> AsyncIterator[Event | LinkState]:
        headers = {"Last-Event-ID": str(self.last_event_id)}
        timeout = httpx.Timeout(10.0, read=self.dead_after)
        async with aconnect_sse(
            self.client.http, "GET", "/api/v1/events", headers=headers, timeout=timeout
        ) as source:
            source.response.raise_for_status()
            yield LinkState(Link.LIVE, self.clock())
            async for sse in source.aiter_sse():
                if not sse.data:
                    continue
                event = (
                    Event.model_validate(json.loads(sse.data))
                    if sse.event != "stale"
                    else (
                        Event(id=int(sse.id or 0), type="stale", created_at=self.clock(), data={})
                    )
                )
                if event.id <= self.last_event_id and event.type != "stale":
                    continue
                self.last_event_id = event.id
                yield event
