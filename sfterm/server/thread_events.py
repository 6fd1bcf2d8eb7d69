"""What a thread's events say, and who sees them: built from what a change wrote, no reads."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import EventType, MessageOut, ThreadOut
from sfterm.server.events import NewEvent, append_events


class Audience(NamedTuple):
    """Who sees a thread's events: its store, and its owner (None: the store team)."""

    store_id: int
    owner: int | None


def audience_of(store_id: int, owner: int | None, team_mode: bool) -> Audience | None:
    """None for a store-owned thread in rep mode (a New Lead's confirmation): no associate sees
    it until one replies to the lead and takes it over, so nobody is told about it before."""
    if owner is None and not team_mode:
        return None
    return Audience(store_id, owner)


def thread_event(audience: Audience, thread: ThreadOut) -> NewEvent:
    """`thread.updated` with the thread as it now is."""
    return NewEvent(
        type=EventType.THREAD_UPDATED.value,
        store_id=audience.store_id,
        associate_id=audience.owner,
        data={"thread": thread.model_dump(mode="json")},
    )


def message_event(audience: Audience, message: MessageOut, *, created: bool) -> NewEvent:
    """`message.created` or `message.updated` with the message as it now is."""
    kind = EventType.MESSAGE_CREATED if created else EventType.MESSAGE_UPDATED
    return NewEvent(
        type=kind.value,
        store_id=audience.store_id,
        associate_id=audience.owner,
        data={"message": message.model_dump(mode="json")},
    )


async def announce_new_message(
    conn: AsyncConnection,
    audience: Audience | None,
    message: MessageOut,
    thread: ThreadOut,
    now: datetime,
) -> None:
    """Log `message.created` and then `thread.updated` for a message just added (one insert)."""
    if audience is not None:
        events = [message_event(audience, message, created=True), thread_event(audience, thread)]
        await append_events(conn, events, now)
