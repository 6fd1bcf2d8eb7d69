"""Committed events reach followers from memory: the same frames as the log, nothing rolled back,
and a follower older than that memory reads the log first, then follows live."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sfterm.demo.seed import seed_demo
from sfterm.server import events as event_log
from sfterm.server.auth import Viewer, load_viewer
from sfterm.server.db import Database
from sfterm.server.events import append_event, events_after, follow, sse_frame
from tests.support.backend import Backend
from tests.support.fake_twilio import FakeTwilio, attach, inbound, post_webhook
from tests.support.forms import storefront_form, widget_form

CUSTOMER = "+15145550142"
CAMILLE = "+15145550111"
STORE = "+15145550100"
SMS = "/webhooks/twilio/sms"
AT = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def frame_ids(chunk: bytes) -> list[int]:
    """The `id:` of each event in a chunk of the stream."""
    return [
        int(line[4:])
        for frame in chunk.split(b"\r\n\r\n")
        for line in frame.split(b"\r\n")
        if line.startswith(b"id: ")
    ]


async def log_frames(db: Database, viewer: Viewer, after: int = 0) -> list[bytes]:
    async with db.read() as conn:
        return [sse_frame(e) for e in await events_after(conn, viewer, after, 1_000_000)]


async def note(db: Database, viewer: Viewer, n: int, *, for_store: bool = False) -> int:
    """Commit one event of the viewer's (or of their whole store)."""
    async with db.write() as conn:
        return await append_event(
            conn,
            type="note",
            store_id=viewer.store_id,
            associate_id=None if for_store else viewer.id,
            data={"n": n},
            at=AT,
        )


async def ids_until(stream: AsyncIterator[bytes], last: int) -> list[int]:
    """Ids from the stream up to and including `last` (each chunk is ready: no waiting)."""
    seen: list[int] = []
    while not seen or seen[-1] < last:
        seen += frame_ids(await anext(stream))
    return seen


# ---- memory and log agree -----------------------------------------------------------------------


async def test_memory_gives_each_viewer_the_frames_the_log_gives(backend: Backend) -> None:
    attach(backend, FakeTwilio())
    db: Database = backend.app.state.db
    async with backend.http() as http:
        await http.post("/api/v1/public/requests", json=widget_form(name="Zoé « Ünïcode » 😀"))
        await http.post("/api/v1/public/requests", json=storefront_form("camille"))
    for n, body in enumerate(["Bonjour\u00a0!", 'quote " and \\ and \u2028', "STOP", "START"]):
        await post_webhook(backend, SMS, inbound(f"SM{n:032d}", CUSTOMER, CAMILLE, body))
    await post_webhook(backend, SMS, inbound("SM" + "9" * 32, CUSTOMER, STORE, "store?"))
    viewers = [await load_viewer(db, token) for token in backend.tokens.values()]
    data = {"nested": {"float": 0.1, "big": 2**53 + 1, "none": None}, "list": ["é", 1, True]}
    async with db.write() as conn:  # a time not in UTC, and data its caller changes afterwards
        await append_event(
            conn,
            type="note",
            store_id=viewers[0].store_id,
            associate_id=None,
            data=data,
            at=datetime(2026, 11, 2, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=-5))),
        )
    data["nested"]["float"] = "changed"
    assert db.recent_events.floor == 0
    for viewer in viewers:
        assert viewer is not None
        held = db.recent_events.after(0, viewer.store_id, viewer.id)
        assert held is not None
        assert [e.frame for e in held[0]] == await log_frames(db, viewer)
    camille = viewers[0]
    assert camille is not None and camille.associate.handle == "camille"
    assert len(await log_frames(db, camille)) > 10


# ---- rolled back --------------------------------------------------------------------------------


async def test_a_rolled_back_write_publishes_nothing(backend: Backend) -> None:
    db: Database = backend.app.state.db
    camille = await load_viewer(db, backend.tokens["camille"])
    assert camille is not None
    newest = db.recent_events.newest
    stream = follow(db, camille, newest)
    waiting = asyncio.create_task(anext(stream))
    with pytest.raises(Boom):
        async with db.write() as conn:
            await append_event(
                conn, type="note", store_id=camille.store_id, associate_id=None, data={}, at=AT
            )
            raise Boom
    assert db.recent_events.newest == newest
    assert db.recent_events.after(newest, camille.store_id, camille.id) == ([], newest)
    assert await log_frames(db, camille, newest) == []
    committed = await note(db, camille, 1)
    assert frame_ids(await waiting) == [committed]
    await stream.aclose()


# ---- a follower older than memory ---------------------------------------------------------------


async def test_a_follower_older_than_memory_reads_the_log_in_order_then_follows_live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_log, "BATCH", 4)  # several reads of the log
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'sfterm.db'}", recent_events=3)
    await db.start()
    try:
        tokens = await seed_demo(db)
        camille = await load_viewer(db, tokens["camille"])
        mathieu = await load_viewer(db, tokens["mathieu"])
        assert camille is not None and mathieu is not None
        for n in range(6):
            await note(db, camille, n)
            await note(db, mathieu, n)  # not hers
            await note(db, camille, n, for_store=True)
        assert db.recent_events.floor > 0  # memory no longer reaches back to the start
        stream = follow(db, camille, 0)
        expected = [i for f in await log_frames(db, camille) for i in frame_ids(f)]
        assert await ids_until(stream, expected[-1]) == expected

        # Live again: one more write comes from memory ...
        live = await note(db, camille, 100)
        assert frame_ids(await anext(stream)) == [live]

        # ... and when the follower falls behind what memory holds, from the log again.
        behind = [await note(db, camille, 200 + n) for n in range(7)]
        assert db.recent_events.floor > live
        assert await ids_until(stream, behind[-1]) == behind
        await stream.aclose()
    finally:
        await db.stop()


async def test_a_new_server_follows_from_memory_after_the_logs_newest_event(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sfterm.db'}"
    first = Database(url)
    await first.start()
    tokens = await seed_demo(first)
    camille = await load_viewer(first, tokens["camille"])
    assert camille is not None
    old = [await note(first, camille, n) for n in range(3)]
    await first.stop()

    db = Database(url)
    await db.start()
    try:
        assert (db.recent_events.floor, db.recent_events.newest) == (old[-1], old[-1])
        stream = follow(db, camille, old[0])  # before memory: the log
        assert await ids_until(stream, old[-1]) == old[1:]
        new = await note(db, camille, 3)
        assert frame_ids(await anext(stream)) == [new]
        await stream.aclose()
    finally:
        await db.stop()


async def test_appending_outside_a_write_is_refused(backend: Backend) -> None:
    db: Database = backend.app.state.db
    async with db.engine.begin() as conn:
        with pytest.raises(RuntimeError, match=r"Database\.write"):
            await append_event(conn, type="note", store_id=1, associate_id=None, data={}, at=AT)
