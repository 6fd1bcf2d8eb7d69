"""The persisted event log: appended inside each change's transaction, read back per viewer, and
followed live (from the memory of recent events, else from the log)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sse_starlette import ServerSentEvent

from sfterm.core.models import Event, EventType
from sfterm.server.auth import Viewer
from sfterm.server.db import Database, events
from sfterm.server.recent_events import LoggedEvent, pending_events

BATCH = 500
"""At most this many events per read of the log."""


@dataclass(frozen=True)
class NewEvent:
    """An event to log: for the store (associate None) or for one associate."""

    type: str
    store_id: int
    associate_id: int | None
    data: dict[str, Any]


_INSERT = events.insert().returning(
    events.c.id,
    events.c.type,
    events.c.created_at,
    events.c.store_id,
    events.c.associate_id,
    events.c.data,
)
"""The rows come back as the log keeps them, so the stream sends what a read would."""


async def append_events(conn: AsyncConnection, new: Sequence[NewEvent], at: datetime) -> list[int]:
    """Log several changes in one statement; returns their ids, ascending.

    Call it with the connection of `Database.write()` that makes the change, so that the change
    and its events commit together or not at all (and reach the stream once committed).
    """
    if not new:
        return []
    appended = pending_events(conn.info)
    rows = await conn.execute(
        _INSERT,
        [
            {
                "type": e.type,
                "store_id": e.store_id,
                "associate_id": e.associate_id,
                "data": e.data,
                "created_at": at,
            }
            for e in new
        ],
    )
    logged = [
        LoggedEvent(
            id=r.id,
            store_id=r.store_id,
            associate_id=r.associate_id,
            frame=sse_frame(_event(r)),
        )
        for r in sorted(rows, key=lambda r: int(r.id))
    ]
    appended.extend(logged)
    return [e.id for e in logged]


async def append_event(
    conn: AsyncConnection,
    *,
    type: str,
    store_id: int,
    associate_id: int | None,
    data: dict[str, Any],
    at: datetime,
) -> int:
    """Log one change for the store (associate None) or for one associate; returns its id."""
    (event_id,) = await append_events(conn, [NewEvent(type, store_id, associate_id, data)], at)
    return event_id


def _event(row: Any) -> Event:
    return Event(id=row.id, type=row.type, created_at=row.created_at, data=row.data)


def sse_frame(event: Event) -> bytes:
    """The event as the stream sends it (the SSE `id` is the event's id)."""
    return ServerSentEvent(
        data=event.model_dump_json(), event=event.type, id=str(event.id)
    ).encode()


def _visible_to(viewer: Viewer) -> Any:
    return (events.c.store_id == viewer.store_id) & or_(
        events.c.associate_id.is_(None), events.c.associate_id == viewer.id
    )


async def events_after(
    conn: AsyncConnection, viewer: Viewer, after: int, limit: int = BATCH
) -> list[Event]:
    """The viewer's events with ids above `after`, oldest first."""
    rows = await conn.execute(
        select(events)
        .where(_visible_to(viewer), events.c.id > after)
        .order_by(events.c.id)
        .limit(limit)
    )
    return [_event(r) for r in rows]


# ---- following the log --------------------------------------------------------------------------


def _stale(newest: int) -> bytes:
    return ServerSentEvent(
        data=f'{{"id": {newest}, "type": "stale", "data": {{}}, "created_at": null}}',
        event=EventType.STALE.value,
        id=str(newest),
    ).encode()


async def _frames_after(db: Database, viewer: Viewer, after: int) -> tuple[list[bytes], int, bool]:
    """The viewer's frames after `after`: (frames, the id they reach, whether that is all).

    From memory when it reaches back to `after`, else one batch from the log."""
    recent = db.recent_events.after(after, viewer.store_id, viewer.id)
    if recent is not None:
        found, reached = recent
        return [e.frame for e in found], reached, True
    async with db.read() as conn:
        batch = await events_after(conn, viewer, after, BATCH)
    reached = batch[-1].id if batch else after
    return [sse_frame(e) for e in batch], reached, len(batch) < BATCH


async def follow(db: Database, viewer: Viewer, after: int) -> AsyncIterator[bytes]:
    """The viewer's events after `after` as SSE frames, oldest first, then each as it commits.

    An `after` beyond the log's newest event (another database?) gets a `stale` event first, to
    tell the client to reload."""
    newest = db.recent_events.newest
    if after > newest:
        yield _stale(newest)
        after = newest
    while True:
        changed = db.next_change()
        frames, after, complete = await _frames_after(db, viewer, after)
        if frames:
            yield b"".join(frames)
        if complete:
            await changed.wait()
