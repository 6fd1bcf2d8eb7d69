"""TUI fixtures: a seeded backend with a signed-in Session, a stream the test feeds, stable looks.

`tui` gives a `TuiHarness`: `tui.app()` builds the app for camille against the in-process
backend (fixed clock); `await tui.pump()` hands the app every event the backend logged for
camille since the last pump, exactly as the real stream would, but deterministically.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sfterm.client.link import Link, LinkState
from sfterm.core.models import Event
from sfterm.server.auth import load_viewer
from sfterm.server.events import events_after
from sfterm.tui.app import SftermApp
from sfterm.tui.session import Session
from tests.support.backend import Backend

SIZE = (120, 36)
"""Every snapshot's terminal size."""


class QueueStream:
    """An event stream the test controls: it starts live, then yields what is `push`ed."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        self.queue: asyncio.Queue[Event | LinkState] = asyncio.Queue()
        self.resumed_after: list[int] = []
        """The `last_event_id` of each (re)connection the app made."""

    def factory(self, session: Session, last_event_id: int) -> AsyncIterator[Event | LinkState]:
        self.resumed_after.append(last_event_id)
        return self._follow()

    async def _follow(self) -> AsyncIterator[Event | LinkState]:
        yield LinkState(Link.LIVE, self.clock())
        while True:
            yield await self.queue.get()

    def push(self, item: Event | LinkState) -> None:
        self.queue.put_nowait(item)

    def link(self, link: Link) -> None:
        self.push(LinkState(link, self.clock(), None if link is Link.LIVE else "ConnectError"))


@dataclass
class TuiHarness:
    backend: Backend
    session: Session
    stream: QueueStream
    handle: str = "camille"
    last_event_id: int = 0
    config: dict[str, Any] = field(default_factory=dict)

    def app(self, **kw: Any) -> SftermApp:
        config = kw.pop("config", self.config)
        return SftermApp(self.session, config=config, stream=self.stream.factory, **kw)

    async def pump(self) -> list[Event]:
        """Send the app every event logged for this associate since the last pump."""
        db = self.backend.app.state.db
        viewer = await load_viewer(db, self.backend.tokens[self.handle])
        assert viewer is not None
        async with db.read() as conn:
            batch = await events_after(conn, viewer, self.last_event_id)
        for event in batch:
            self.stream.push(event)
            self.last_event_id = event.id
        return batch

    async def skip_events(self) -> None:
        """Forget what is already logged (the app reads it through its first pages)."""
        db = self.backend.app.state.db
        viewer = await load_viewer(db, self.backend.tokens[self.handle])
        assert viewer is not None
        async with db.read() as conn:
            batch = await events_after(conn, viewer, self.last_event_id, 100_000)
        if batch:
            self.last_event_id = batch[-1].id


@pytest.fixture(autouse=True)
def stable_tui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No user config, no cursor blink: the same keys and the same pixels on every machine."""
    from textual.widgets import Input, TextArea

    monkeypatch.setenv("SFTERM_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SFTERM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SFTERM_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    yield


@pytest.fixture
async def tui(backend: Backend) -> AsyncIterator[TuiHarness]:
    client = backend.client("camille")
    me = await client.me()
    session = Session(client=client, me=me, clock=backend.clock)
    session.link = LinkState(Link.LIVE, backend.clock())
    harness = TuiHarness(backend=backend, session=session, stream=QueueStream(backend.clock))
    try:
        yield harness
    finally:
        await client.aclose()


async def settle(pilot: Any) -> None:
    """Wait until every worker is done and the screen has caught up (no sleeps)."""
    app = pilot.app
    for _ in range(3):
        busy = [w for w in app.workers if w.group != "events" and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()


def screen_text(app: Any) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
