"""The persisted event log: appended inside each change's transaction, read back per viewer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import Event
from sfterm.server.auth import Viewer
from sfterm.server.db import events


async def append_event(
    conn: AsyncConnection,
    *,
    type: str,
    store_id: int,
    associate_id: int | None,
    data: dict[str, Any],
    at: datetime,
) -> int:
    """Log one change for the store (associate None) or for one associate; returns its id.

    Call it with the connection of the change itself, so that the change and its event commit
    together or not at all.
    """
    result = await conn.execute(
        events.insert().values(
            type=type, store_id=store_id, associate_id=associate_id, data=data, created_at=at
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _visible_to(viewer: Viewer) -> Any:
    return (events.c.store_id == viewer.store_id) & or_(
        events.c.associate_id.is_(None), events.c.associate_id == viewer.id
    )


async def events_after(
    conn: AsyncConnection, viewer: Viewer, after: int, limit: int = 500
) -> list[Event]:
    """The viewer's events with ids above `after`, oldest first."""
    rows = await conn.execute(
        select(events)
        .where(_visible_to(viewer), events.c.id > after)
        .order_by(events.c.id)
        .limit(limit)
    )
    return [Event(id=r.id, type=r.type, created_at=r.created_at, data=r.data) for r in rows]


async def last_event_id(conn: AsyncConnection) -> int:
    value = (await conn.execute(select(func.max(events.c.id)))).scalar()
    return int(value or 0)
