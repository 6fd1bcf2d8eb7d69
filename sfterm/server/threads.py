"""Text threads and their messages: who owns a thread, reading pages, adding messages, events.

A thread belongs to one associate (rep mode) or to the store team (team mode, and the store
number's threads in rep mode: `associate_id` None). Its `relay_number` is the number its texts
leave from. The owner is also the audience of the thread's events.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    Consent,
    DeliveryStatus,
    Direction,
    MessageKind,
    MessageOut,
    ThreadOut,
)
from sfterm.core.phones import display_phone
from sfterm.core.routing import Mode
from sfterm.server.auth import Viewer
from sfterm.server.contact_match import contact_matches
from sfterm.server.db import UTCDateTime, consents, messages, retailers, stores, threads
from sfterm.server.errors import ApiError, not_found
from sfterm.server.events import append_events
from sfterm.server.message_views import load_message, load_messages, message_outs, message_select
from sfterm.server.thread_events import Audience, audience_of, message_event, thread_event

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


_THREAD_BY_ID = _thread_select().where(threads.c.id == bindparam("thread_id"))


async def thread_outs(
    conn: AsyncConnection, rows: list[Any], viewer: Viewer | None = None
) -> list[ThreadOut]:
    """ThreadOuts for rows of `_thread_select`; the contact match only for a viewer's book."""
    last = await load_messages(conn, (r.last_message_id for r in rows if r.last_message_id))
    matches = (
        await contact_matches(conn, viewer, (r.phone for r in rows)) if viewer is not None else {}
    )
    return [
        _thread_out(r._mapping, last.get(r.last_message_id) if r.last_message_id else None, matches)
        for r in rows
    ]


def _thread_out(
    row: Mapping[str, Any], last: MessageOut | None, matches: dict[str, Any]
) -> ThreadOut:
    """A row of `_thread_select` (its columns by name) as the API shows it."""
    return ThreadOut(
        id=row["id"],
        phone=row["phone"],
        phone_display=display_phone(row["phone"], row["store_region"]),
        relay_number=row["relay_number"],
        associate_id=row["associate_id"],
        created_at=row["created_at"],
        last_message=last,
        last_message_at=row["last_message_at"],
        unread_count=row["unread_count"],
        message_count=row["message_count"],
        consent=Consent(row["consent_state"]) if row["consent_state"] else Consent.ONE_TO_ONE,
        consent_reason=row["consent_reason"],
        contact_match=matches.get(row["phone"]),
    )


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


def thread_out_after(thread: Any, added: AddedMessage, message: MessageOut) -> ThreadOut:
    """The thread of a message just added, as it now is, with no read: as it was found before
    (a row of `_thread_select`: `thread_to_text`), with what the message changed."""
    return _thread_out({**thread._mapping, **added.changes._mapping}, message, {})


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


@functools.cache
def _newest_thread_query(team: bool) -> Any:
    """The most recent thread of an owner (`store_id`, and `owner` unless the team's) with a
    number (`phone`), as `_thread_select` shows it. Built once per kind of owner: texts arrive
    often."""
    owner = (
        threads.c.associate_id.is_(None) if team else threads.c.associate_id == bindparam("owner")
    )
    return (
        _thread_select()
        .where(
            threads.c.store_id == bindparam("store_id"),
            owner,
            threads.c.phone == bindparam("phone"),
        )
        .order_by(threads.c.activity_at.desc(), threads.c.id.desc())
        .limit(1)
    )


async def newest_thread(
    conn: AsyncConnection, store_id: int, owner: int | None, phone: str
) -> Any | None:
    """The owner's most recent thread with that number (a row of `_thread_select`)."""
    params = {"store_id": store_id, "owner": owner, "phone": phone}
    return (await conn.execute(_newest_thread_query(owner is None), params)).first()


async def newest_thread_id(
    conn: AsyncConnection, store_id: int, owner: int | None, phone: str
) -> int | None:
    """The owner's most recent thread with that number."""
    found = await newest_thread(conn, store_id, owner, phone)
    return None if found is None else int(found.id)


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


async def thread_to_text(
    conn: AsyncConnection,
    *,
    store_id: int,
    owner: int | None,
    phone: str,
    relay_number: str,
    now: datetime,
) -> Any:
    """`thread_for`, as a row of `_thread_select` (with the number's consent)."""
    found = await newest_thread(conn, store_id, owner, phone)
    if found is not None:
        return found
    created = await create_thread(
        conn, store_id=store_id, owner=owner, phone=phone, relay_number=relay_number, now=now
    )
    return (await conn.execute(_THREAD_BY_ID, {"thread_id": created})).one()


_INSERT_MESSAGE = messages.insert().returning(messages)

_BRING_THREAD_UP_TO_DATE = (
    threads.update()
    .where(threads.c.id == bindparam("thread_id"))
    .values(
        last_message_id=bindparam("message_id"),
        last_message_at=bindparam("now", type_=UTCDateTime),
        activity_at=bindparam("now", type_=UTCDateTime),
        message_count=threads.c.message_count + 1,
        unread_count=threads.c.unread_count + bindparam("unread"),
    )
    .returning(
        threads.c.last_message_id,
        threads.c.last_message_at,
        threads.c.activity_at,
        threads.c.message_count,
        threads.c.unread_count,
    )
)
"""A message was added: the thread's last message, counts and activity follow."""


class AddedMessage(NamedTuple):
    message: Any
    """The message's row as stored."""
    changes: Any
    """The thread's columns that the message changed, as they now are."""


async def insert_message(
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
) -> AddedMessage:
    """Insert a message and bring its thread's last message, counts and activity up to date."""
    values = {
        "thread_id": thread_id,
        "kind": kind.value,
        "direction": direction.value,
        "body": body,
        "status": status.value if status else None,
        "sid": sid,
        "request_id": request_id,
        "associate_id": associate_id,
        "idempotency_key": idempotency_key,
        "attachments": attachments or None,
        "automatic": automatic,
        "created_at": now,
        "updated_at": now,
    }
    row = (await conn.execute(_INSERT_MESSAGE, values)).one()
    changes = (
        await conn.execute(
            _BRING_THREAD_UP_TO_DATE,
            {
                "thread_id": thread_id,
                "message_id": row.id,
                "now": now,
                "unread": 1 if direction is Direction.INBOUND else 0,
            },
        )
    ).one()
    return AddedMessage(row, changes)


async def add_message(conn: AsyncConnection, thread_id: int, **fields: Any) -> int:
    """`insert_message`, for the new message's id."""
    return int((await insert_message(conn, thread_id, **fields)).message.id)


# ---- events -----------------------------------------------------------------------------------


async def _audience(conn: AsyncConnection, thread_id: int) -> Audience | None:
    row = (
        await conn.execute(
            select(threads.c.store_id, threads.c.associate_id, retailers.c.mode)
            .join(stores, stores.c.id == threads.c.store_id)
            .join(retailers, retailers.c.id == stores.c.retailer_id)
            .where(threads.c.id == thread_id)
        )
    ).one()
    return audience_of(int(row.store_id), row.associate_id, row.mode == Mode.TEAM.value)


async def announce_thread(conn: AsyncConnection, thread_id: int, now: datetime) -> None:
    """Log `thread.updated` with the thread as it now is, for its owner."""
    audience = await _audience(conn, thread_id)
    if audience is None:
        return
    out = await thread_out(conn, thread_id)
    await append_events(conn, [thread_event(audience, out)], now)


async def announce_message(
    conn: AsyncConnection, message_id: int, now: datetime, *, created: bool
) -> MessageOut:
    """Log `message.created` or `message.updated` with the message as it now is."""
    out = await load_message(conn, message_id)
    audience = await _audience(conn, out.thread_id)
    if audience is not None:
        await append_events(conn, [message_event(audience, out, created=created)], now)
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
