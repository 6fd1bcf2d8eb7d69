"""Whether a number is on a contact of the viewer's book: none, one (named) or many."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import ContactBrief, ContactMatch, MatchState
from sfterm.server.auth import Viewer
from sfterm.server.db import contact_phones, contacts


def match_of(found: list[ContactBrief]) -> ContactMatch:
    if not found:
        return ContactMatch(state=MatchState.NONE)
    state = MatchState.ONE if len(found) == 1 else MatchState.MANY
    return ContactMatch(state=state, contacts=found)


async def contact_matches(
    conn: AsyncConnection, viewer: Viewer, phones: Iterable[str | None]
) -> dict[str, ContactMatch]:
    """One query for a page of numbers: each number's match in the viewer's book."""
    wanted = sorted({p for p in phones if p})
    if not wanted:
        return {}
    rows = await conn.execute(
        select(contact_phones.c.phone, contacts.c.id, contacts.c.name, contacts.c.email)
        .join(contacts, contacts.c.id == contact_phones.c.contact_id)
        .where(
            contact_phones.c.phone.in_(wanted),
            viewer.owns(contacts.c.store_id, contacts.c.associate_id),
        )
        .order_by(contacts.c.name, contacts.c.id)
    )
    found: dict[str, list[ContactBrief]] = defaultdict(list)
    for phone, cid, name, email in rows:
        found[phone].append(ContactBrief(id=cid, name=name, email=email))
    return {phone: match_of(found.get(phone, [])) for phone in wanted}
