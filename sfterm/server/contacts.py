"""The contact book: create, read, edit and search contacts, and add numbers to them or remove them.

A contact belongs to one book: its associate's in rep mode, the store team's in team mode
(`associate_id` NULL). Every change logs `contact.changed` with the numbers whose contact match
it changed, so that screens showing those numbers fetch their match again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    ContactCreate,
    ContactOut,
    ContactPatch,
    ContactPhoneIn,
    ContactPhoneOut,
    EventType,
)
from sfterm.core.phones import InvalidPhone, display_phone, parse_phone, phone_digits
from sfterm.core.text_fold import fold
from sfterm.server import contact_search
from sfterm.server.auth import Viewer
from sfterm.server.contact_search import Cursor
from sfterm.server.db import contact_phones, contacts, requests, threads
from sfterm.server.errors import ApiError, not_found
from sfterm.server.events import append_event

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LINKED_IDS = 50
"""At most this many thread and request ids in a contact's detail."""
_CONTACT_LIST = TypeAdapter(list[ContactOut])


def _owner(viewer: Viewer) -> int | None:
    """The `associate_id` of the viewer's book, and the audience of its events."""
    return None if viewer.team_mode else viewer.id


# ---- validation -------------------------------------------------------------------------------


def _checked_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _EMAIL.fullmatch(value):
        raise ApiError(422, "invalid", f"email: {value!r} is not an email address", field="email")
    return value


def _checked_phone(viewer: Viewer, raw: str, field: str) -> str:
    try:
        return parse_phone(raw, viewer.store.region)
    except InvalidPhone as exc:
        raise ApiError(422, "invalid_phone", f"{field}: {exc}", field=field) from None


def _checked_label(label: str, field: str) -> str:
    label = label.strip()
    if not label:
        raise ApiError(422, "invalid", f"{field}: a label is required", field=field)
    return label


# ---- reading ----------------------------------------------------------------------------------


async def _phones_of(
    conn: AsyncConnection, viewer: Viewer, ids: list[int]
) -> dict[int, list[ContactPhoneOut]]:
    found: dict[int, list[ContactPhoneOut]] = defaultdict(list)
    if not ids:
        return found
    rows = await conn.execute(
        select(contact_phones)
        .where(contact_phones.c.contact_id.in_(ids))
        .order_by(contact_phones.c.contact_id, contact_phones.c.id)
    )
    for r in rows:
        found[r.contact_id].append(
            ContactPhoneOut(
                id=r.id,
                phone=r.phone,
                phone_display=display_phone(r.phone, viewer.store.region),
                label=r.label,
            )
        )
    return found


async def _load(conn: AsyncConnection, viewer: Viewer, ids: list[int]) -> list[ContactOut]:
    """The viewer's contacts with these ids, in the order given (others are left out)."""
    if not ids:
        return []
    rows = await conn.execute(
        select(contacts).where(
            contacts.c.id.in_(ids), viewer.owns(contacts.c.store_id, contacts.c.associate_id)
        )
    )
    by_id = {r.id: r for r in rows}
    phones = await _phones_of(conn, viewer, list(by_id))
    return [_to_out(by_id[i], phones[i]) for i in ids if i in by_id]


def _to_out(row: Any, phones: list[ContactPhoneOut]) -> ContactOut:
    return ContactOut(
        id=row.id,
        name=row.name,
        email=row.email,
        notes=row.notes,
        phones=phones,
        created_at=row.created_at,
    )


async def _one(conn: AsyncConnection, viewer: Viewer, contact_id: int) -> ContactOut:
    found = await _load(conn, viewer, [contact_id])
    if not found:
        raise not_found("contact", contact_id)
    return found[0]


async def get_contact(conn: AsyncConnection, viewer: Viewer, contact_id: int) -> ContactOut:
    """One contact with its numbers, and the viewer's threads and requests with those numbers."""
    contact = await _one(conn, viewer, contact_id)
    numbers = [p.phone for p in contact.phones]
    if not numbers:
        return contact
    thread_rows = await conn.execute(
        select(threads.c.id)
        .where(
            threads.c.phone.in_(numbers),
            viewer.owns(threads.c.store_id, threads.c.associate_id),
        )
        .order_by(threads.c.id.desc())
        .limit(LINKED_IDS)
    )
    mine = requests.c.store_id == viewer.store_id
    if not viewer.team_mode:
        mine = mine & (requests.c.associate_id == viewer.id)
    request_rows = await conn.execute(
        select(requests.c.id)
        .where(requests.c.phone.in_(numbers), mine)
        .order_by(requests.c.id.desc())
        .limit(LINKED_IDS)
    )
    contact.thread_ids = [int(r[0]) for r in thread_rows]
    contact.request_ids = [int(r[0]) for r in request_rows]
    return contact


async def list_contacts(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    q: str | None,
    phone: str | None,
    before: str | None,
    limit: int,
) -> tuple[list[ContactOut], str | None]:
    """A page of the book: all of it, or the contacts whose name (`q`) or number (`phone`)
    contains what was typed; in name order, names starting with `q` first."""
    after = Cursor.decode(before) if before else None
    if phone is not None and phone.strip():
        digits = phone_digits(phone)
        if len(digits) < contact_search.MIN_SUBSTRING:
            raise ApiError(
                422,
                "invalid",
                f"phone: {phone!r} has fewer than {contact_search.MIN_SUBSTRING} digits",
                field="phone",
            )
        found = await contact_search.find(conn, viewer, digits=digits, after=after, limit=limit)
    else:
        key = fold(q) if q is not None else ""
        found = await contact_search.find(conn, viewer, key=key, after=after, limit=limit)
    return _page_out(viewer, found), (found.cursor.encode() if found.cursor else None)


def _page_out(viewer: Viewer, found: contact_search.Found) -> list[ContactOut]:
    """The page's contacts as the API shows them, validated in one pass (pydantic-core builds
    the 50 contacts and their numbers ~4 times sooner than one model at a time)."""
    phones: dict[int, list[dict[str, Any]]] = defaultdict(list)
    region = viewer.store.region
    for p in found.phones:
        phones[p.contact_id].append(
            {
                "id": p.id,
                "phone": p.phone,
                "phone_display": display_phone(p.phone, region),
                "label": p.label,
            }
        )
    return _CONTACT_LIST.validate_python(
        [
            {
                "id": c.id,
                "name": c.name,
                "email": c.email,
                "notes": c.notes,
                "phones": phones[c.id],
                "created_at": c.created_at + "+00:00",  # stored as naive UTC
            }
            for c in found.contacts
        ]
    )


# ---- changing ---------------------------------------------------------------------------------


async def _changed(
    conn: AsyncConnection, viewer: Viewer, contact: ContactOut, phones: list[str], now: datetime
) -> None:
    await append_event(
        conn,
        type=EventType.CONTACT_CHANGED.value,
        store_id=viewer.store_id,
        associate_id=_owner(viewer),
        data={"contact": contact.model_dump(mode="json"), "phones": phones},
        at=now,
    )


async def _insert_phone(conn: AsyncConnection, contact_id: int, e164: str, label: str) -> None:
    """Store one number of a contact; the triggers of `db.CONTACT_SEARCH_SQL` add its grams."""
    await conn.execute(
        contact_phones.insert().values(
            contact_id=contact_id, phone=e164, digits=phone_digits(e164), label=label
        )
    )


async def create_contact(
    conn: AsyncConnection, viewer: Viewer, body: ContactCreate, now: datetime
) -> ContactOut:
    """A new contact in the viewer's book (counted as added by hand: origin `manual`)."""
    email = _checked_email(body.email)
    numbers: list[tuple[str, str]] = []
    for i, given in enumerate(body.phones):
        e164 = _checked_phone(viewer, given.phone, f"phones.{i}.phone")
        if any(e164 == seen for seen, _ in numbers):
            raise ApiError(
                422,
                "invalid",
                f"phones.{i}.phone: {given.phone!r} is given twice",
                field=f"phones.{i}.phone",
            )
        numbers.append((e164, _checked_label(given.label, f"phones.{i}.label")))
    result = await conn.execute(
        contacts.insert().values(
            store_id=viewer.store_id,
            associate_id=_owner(viewer),
            name=body.name,
            name_key=fold(body.name),
            email=email,
            notes=body.notes,
            origin="manual",
            created_at=now,
            updated_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    contact_id = int(key[0])
    for e164, label in numbers:
        await _insert_phone(conn, contact_id, e164, label)
    created = await _one(conn, viewer, contact_id)
    await _changed(conn, viewer, created, [e164 for e164, _ in numbers], now)
    return created


async def update_contact(
    conn: AsyncConnection, viewer: Viewer, contact_id: int, patch: ContactPatch, now: datetime
) -> ContactOut:
    """Change a contact's name, email or notes; every number of it shows the new name."""
    current = await _one(conn, viewer, contact_id)
    given = patch.model_dump(exclude_unset=True)
    values: dict[str, Any] = {}
    if "name" in given:
        if not given["name"]:
            raise ApiError(422, "invalid", "name: a contact needs a name", field="name")
        values["name"] = given["name"]
        values["name_key"] = fold(given["name"])
    if "email" in given:
        values["email"] = _checked_email(given["email"])
    if "notes" in given:
        values["notes"] = given["notes"] or ""
    if not values:
        return current
    await conn.execute(
        contacts.update().where(contacts.c.id == contact_id).values(updated_at=now, **values)
    )
    updated = await _one(conn, viewer, contact_id)
    await _changed(conn, viewer, updated, [p.phone for p in updated.phones], now)
    return updated


async def add_phone(
    conn: AsyncConnection, viewer: Viewer, contact_id: int, body: ContactPhoneIn, now: datetime
) -> ContactOut:
    """Put one more number on a contact; a number it already has is refused (409)."""
    current = await _one(conn, viewer, contact_id)
    e164 = _checked_phone(viewer, body.phone, "phone")
    label = _checked_label(body.label, "label")
    if any(p.phone == e164 for p in current.phones):
        raise ApiError(
            409,
            "duplicate_phone",
            f"phone: {e164} is already a number of {current.name}",
            field="phone",
        )
    await _insert_phone(conn, contact_id, e164, label)
    await conn.execute(contacts.update().where(contacts.c.id == contact_id).values(updated_at=now))
    updated = await _one(conn, viewer, contact_id)
    await _changed(conn, viewer, updated, [e164], now)
    return updated


async def _delete_phone(conn: AsyncConnection, contact_id: int, phone_id: int) -> None:
    """Drop one number of a contact; the triggers of `db.CONTACT_SEARCH_SQL` drop its grams (and
    their counts), so a search by that number no longer finds the contact."""
    await conn.execute(
        contact_phones.delete().where(
            contact_phones.c.id == phone_id, contact_phones.c.contact_id == contact_id
        )
    )


async def remove_phone(
    conn: AsyncConnection, viewer: Viewer, contact_id: int, phone_id: int, now: datetime
) -> ContactOut:
    """Take one number off a contact, its last one too (a contact may be created without any);
    a number that is not this contact's is refused (404, `field` `phone_id`)."""
    current = await _one(conn, viewer, contact_id)
    removed = next((p for p in current.phones if p.id == phone_id), None)
    if removed is None:
        raise ApiError(
            404,
            "not_found",
            f"phone_id: contact {contact_id} has no number {phone_id}",
            field="phone_id",
        )
    await _delete_phone(conn, contact_id, phone_id)
    await conn.execute(contacts.update().where(contacts.c.id == contact_id).values(updated_at=now))
    updated = await _one(conn, viewer, contact_id)
    await _changed(conn, viewer, updated, [removed.phone], now)
    return updated
