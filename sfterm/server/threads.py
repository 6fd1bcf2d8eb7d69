"""Text threads and their messages: who owns a thread, reading pages, adding messages, events.

A thread belongs to one associate (rep mode) or to the store team (team mode, and the store
number's threads in rep mode: `associate_id` None). Its `relay_number` is the number its texts
leave from. The owner is also the audience of the thread's events.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    Consent,
    DeliveryStatus,
    Direction,
    EventType,
    MessageKind,
    MessageOut,
    ThreadOut,
)
from sfterm.core.phones import display_phone
from sfterm.core.routing import Mode
from sfterm.server.auth import Viewer
from sfterm.server.contact_match import contact_matches
from sfterm.server.db import consents, messages, retailers, stores, threads
from sfterm.server.errors import ApiError, not_found
from sfterm.server.events import append_event
from sfterm.server.message_views import load_message, load_messages, message_outs, message_select

# ---- scope ------------------------------------------------------------------------------------


def thread_scope(viewer: Viewer) -> ColumnElement[bool]:
    """The viewer's threads: their own (rep mode) or the store team's (team mode)."""
    return viewer.owns(threads.c.store_id, threads.c.associate_id)


def owner_for(viewer: Viewer) -> int | None:
    """Who owns the threads the viewer starts: the viewer, or the team (None) in team mode."""
    return None if viewer.team_mode else viewer.id


def relay_for(viewer: Viewer) -> str:
    """The number the viewer's new threads text from: their relay (rep) or the store's (team)."""
    number = viewer.store.phone if viewer.team_mode else viewer.associate.relay_number
    number = number or viewer.store.phone or viewer.associate.relay_number
    if not number:
        raise ApiError(409, "no_relay_number", "you have no relay number to text from")
    return number


async def list_messages(
    conn: AsyncConnection, viewer: Viewer, thread_id: int, before: int | None, limit: int
) -> tuple[list[MessageOut], int | None]:
    """A keyset page of a thread's messages, newest first; the cursor is a message id."""
    await thread_row(conn, viewer, thread_id)
    query = message_select().where(messages.c.thread_id == thread_id)
    if before is not None:
        query = query.where(messages.c.id < before)
    rows = list(await conn.execute(query.order_by(messages.c.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = await message_outs(conn, rows[:limit])
    return items, (items[-1].id if more and items else None)


# ---- reading threads --------------------------------------------------------------------------


def _thread_select() -> Any:
    return select(
        threads,
        stores.c.region.label("store_region"),
        stores.c.retailer_id.label("retailer_id"),
        consents.c.state.label("consent_state"),
        consents.c.reason.label("consent_reason"),
    ).select_from(
        threads.join(stores, stores.c.id == threads.c.store_id).outerjoin(
            consents,
            and_(
                consents.c.retailer_id == stores.c.retailer_id, consents.c.phone == threads.c.phone
            ),
        )
    )


async def thread_outs(
    conn: AsyncConnection, rows: list[Any], viewer: Viewer | None = None
) -> list[ThreadOut]:
    """ThreadOuts for rows of `_thread_select`; the contact match only for a viewer's book."""
    last = await load_messages(conn, (r.last_message_id for r in rows if r.last_message_id))
    matches = (
        await contact_matches(conn, viewer, (r.phone for r in rows)) if viewer is not None else {}
    )
    return [
        ThreadOut(
            id=r.id,
            phone=r.phone,
            phone_display=display_phone(r.phone, r.store_region),
            relay_number=r.relay_number,
            associate_id=r.associate_id,
            created_at=r.created_at,
            last_message=last.get(r.last_message_id) if r.last_message_id else None,
            last_message_at=r.last_message_at,
            unread_count=r.unread_count,
            message_count=r.message_count,
            consent=Consent(r.consent_state) if r.consent_state else Consent.ONE_TO_ONE,
            consent_reason=r.consent_reason,
            contact_match=matches.get(r.phone),
        )
        for r in rows
    ]


async def thread_row(conn: AsyncConnection, viewer: Viewer, thread_id: int) -> Any:
    """The viewer's thread, or 404."""
    row = (
        await conn.execute(_thread_select().where(threads.c.id == thread_id, thread_scope(viewer)))
    ).first()
    if row is None:
        raise not_found("thread", thread_id)
    return row


async def thread_out(
    conn: AsyncConnection, thread_id: int, viewer: Viewer | None = None
) -> ThreadOut:
    row = (await conn.execute(_thread_select().where(threads.c.id == thread_id))).one()
    return (await thread_outs(conn, [row], viewer))[0]


def encode_cursor(at: datetime, thread_id: int) -> str:
    raw = f"{at.isoformat()}|{thread_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, ident = raw.partition("|")
        return datetime.fromisoformat(at), int(ident)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(
            422, "invalid", "before: not a cursor from a previous page", field="before"
        ) from None


async def list_threads(
    conn: AsyncConnection,
    viewer: Viewer,
    before: str | None,
    limit: int,
    phone: str | None = None,
) -> tuple[list[ThreadOut], str | None]:
    """A keyset page of the viewer's threads, most recent activity first; only those with
    `phone` (E.164) when given."""
    query = _thread_select().where(thread_scope(viewer))
    if phone is not None:
        query = query.where(threads.c.phone == phone)
    if before:
        at, ident = decode_cursor(before)
        query = query.where(
            or_(
                threads.c.activity_at < at,
                and_(threads.c.activity_at == at, threads.c.id < ident),
            )
        )
    rows = list(
        await conn.execute(
            query.order_by(threads.c.activity_at.desc(), threads.c.id.desc()).limit(limit + 1)
        )
    )
    more = len(rows) > limit
    page = rows[:limit]
    items = await thread_outs(conn, page, viewer)
    cursor = encode_cursor(page[-1].activity_at, page[-1].id) if more and page else None
    return items, cursor


# ---- writing ----------------------------------------------------------------------------------


def _owned_by(store_id: int, owner: int | None) -> ColumnElement[bool]:
    owner_clause = (
        threads.c.associate_id.is_(None) if owner is None else (threads.c.associate_id == owner)
    )
    return and_(threads.c.store_id == store_id, owner_clause)


async def newest_thread_id(
    conn: AsyncConnection, store_id: int, owner: int | None, phone: str
) -> int | None:
    """The owner's most recent thread with that number."""
    value = (
        await conn.execute(
            select(threads.c.id)
            .where(_owned_by(store_id, owner), threads.c.phone == phone)
            .order_by(threads.c.activity_at.desc(), threads.c.id.desc())
            .limit(1)
        )
    ).scalar()
    return int(value) if value is not None else None


async def create_thread(
    conn: AsyncConnection,
    *,
    store_id: int,
    owner: int | None,
    phone: str,
    relay_number: str,
    now: datetime,
) -> int:
    result = await conn.execute(
        threads.insert().values(
            store_id=store_id,
            associate_id=owner,
            phone=phone,
            relay_number=relay_number,
            created_at=now,
            activity_at=now,
            unread_count=0,
            message_count=0,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


async def thread_for(
    conn: AsyncConnection,
    *,
    store_id: int,
    owner: int | None,
    phone: str,
    relay_number: str,
    now: datetime,
) -> tuple[int, bool]:
    """The owner's newest thread with that number, or a new one; (id, created)."""
    found = await newest_thread_id(conn, store_id, owner, phone)
    if found is not None:
        return found, False
    created = await create_thread(
        conn, store_id=store_id, owner=owner, phone=phone, relay_number=relay_number, now=now
    )
    return created, True


async def add_message(
    conn: AsyncConnection,
    thread_id: int,
    *,
    kind: MessageKind,
    direction: Direction,
    body: str,
    now: datetime,
    status: DeliveryStatus | None = None,
    sid: str | None = None,
    request_id: int | None = None,
    associate_id: int | None = None,
    idempotency_key: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
    automatic: bool = False,
) -> int:
    """Insert a message and bring its thread's last message, counts and activity up to date."""
    result = await conn.execute(
        messages.insert().values(
            thread_id=thread_id,
            kind=kind.value,
            direction=direction.value,
            body=body,
            status=status.value if status else None,
            sid=sid,
            request_id=request_id,
            associate_id=associate_id,
            idempotency_key=idempotency_key,
            attachments=attachments or None,
            automatic=automatic,
            created_at=now,
            updated_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    message_id = int(key[0])
    unread = threads.c.unread_count + (1 if direction is Direction.INBOUND else 0)
    await conn.execute(
        threads.update()
        .where(threads.c.id == thread_id)
        .values(
            last_message_id=message_id,
            last_message_at=now,
            activity_at=now,
            message_count=threads.c.message_count + 1,
            unread_count=unread,
        )
    )
    return message_id


async def _audience(conn: AsyncConnection, thread_id: int) -> tuple[int, int | None] | None:
    """Who sees the thread's events: (store, owner), owner None for the store team.

    None for a store-owned thread in rep mode (a New Lead's confirmation): no associate sees it
    until one replies to the lead and takes it over, so nobody is told about it before."""
    row = (
        await conn.execute(
            select(threads.c.store_id, threads.c.associate_id, retailers.c.mode)
            .join(stores, stores.c.id == threads.c.store_id)
            .join(retailers, retailers.c.id == stores.c.retailer_id)
            .where(threads.c.id == thread_id)
        )
    ).one()
    if row.associate_id is None and row.mode != Mode.TEAM.value:
        return None
    return int(row.store_id), row.associate_id


async def announce_thread(conn: AsyncConnection, thread_id: int, now: datetime) -> None:
    """Log `thread.updated` with the thread as it now is, for its owner."""
    audience = await _audience(conn, thread_id)
    if audience is None:
        return
    store_id, owner = audience
    out = await thread_out(conn, thread_id)
    await append_event(
        conn,
        type=EventType.THREAD_UPDATED.value,
        store_id=store_id,
        associate_id=owner,
        data={"thread": out.model_dump(mode="json")},
        at=now,
    )


async def announce_message(
    conn: AsyncConnection, message_id: int, now: datetime, *, created: bool
) -> MessageOut:
    """Log `message.created` or `message.updated` with the message as it now is."""
    out = await load_message(conn, message_id)
    audience = await _audience(conn, out.thread_id)
    if audience is None:
        return out
    store_id, owner = audience
    kind = EventType.MESSAGE_CREATED if created else EventType.MESSAGE_UPDATED
    await append_event(
        conn,
        type=kind.value,
        store_id=store_id,
        associate_id=owner,
        data={"message": out.model_dump(mode="json")},
        at=now,
    )
    return out


async def announce_phone_threads(
    conn: AsyncConnection, retailer_id: int, phone: str, now: datetime, *, besides: int
) -> None:
    """The number's consent changed: its other threads (of every owner at the retailer) show it."""
    others = await conn.execute(
        select(threads.c.id)
        .join(stores, stores.c.id == threads.c.store_id)
        .where(
            stores.c.retailer_id == retailer_id, threads.c.phone == phone, threads.c.id != besides
        )
    )
    for (thread_id,) in list(others):
        await announce_thread(conn, int(thread_id), now)


async def announce_cards(conn: AsyncConnection, request_id: int, now: datetime) -> None:
    """The request's status changed: its preview cards show the new one (`message.updated`)."""
    ids = await conn.execute(
        select(messages.c.id).where(
            messages.c.request_id == request_id, messages.c.kind == MessageKind.CARD.value
        )
    )
    for (message_id,) in list(ids):
        await announce_message(conn, int(message_id), now, created=False)


async def mark_read(conn: AsyncConnection, viewer: Viewer, thread_id: int, now: datetime) -> None:
    row = await thread_row(conn, viewer, thread_id)
    if row.unread_count:
        await conn.execute(threads.update().where(threads.c.id == thread_id).values(unread_count=0))
        await announce_thread(conn, thread_id, now)
