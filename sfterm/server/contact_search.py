"""Finding contacts in a book: by name (prefix, then substring) and by any fragment of a number.

Both searches answer in name order, one keyset page at a time. A substring query is served in one
of two ways, whichever reads fewer rows:
- *sparse* (few numbers or names contain it): the FTS5 trigram index lists every row that does,
  and only those rows are read and sorted;
- *dense* (many do): the book is read in name order through its index, testing each row, and
  reading stops at the end of the page, which comes soon precisely because matches are dense.
The index tells which case holds by counting at most `DENSE` of its hits. On a database other
than SQLite (no trigram index) every substring query takes the dense path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, column, exists, func, or_, select, table, text
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.server.auth import Viewer
from sfterm.server.db import contact_phones, contacts
from sfterm.server.errors import ApiError

DENSE = 600
"""Above this many index hits, reading the book in name order is cheaper than sorting hits."""

MIN_SUBSTRING = 3
"""The trigram index cannot look up shorter fragments: shorter names match by prefix only."""

_KEY_END = "\U0010ffff"
"""Sorts after any character: `key <= name_key < key + _KEY_END` is "starts with key"."""

_name_fts = table("contacts_name_fts", column("rowid"))
_phones_fts = table("contact_phones_fts", column("rowid"))


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the tier (0 prefix matches, 1 the others) and the last row's key."""

    tier: int
    name_key: str
    id: int

    def encode(self) -> str:
        return f"{self.tier}:{self.id}:{self.name_key}"

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        tier, _, rest = raw.partition(":")
        ident, sep, key = rest.partition(":")
        if tier not in ("0", "1") or not sep or not ident.isdigit():
            raise ApiError(
                422, "invalid", f"before: {raw[:60]!r} is not a contacts cursor", field="before"
            )
        return cls(int(tier), key, int(ident))


Hit = tuple[int, str]
"""A contact's id and name key, in the order of the answer."""


def _in_book(viewer: Viewer) -> ColumnElement[bool]:
    return viewer.owns(contacts.c.store_id, contacts.c.associate_id)


def _after(cursor: Cursor | None) -> ColumnElement[bool] | None:
    if cursor is None:
        return None
    return or_(
        contacts.c.name_key > cursor.name_key,
        and_(contacts.c.name_key == cursor.name_key, contacts.c.id > cursor.id),
    )


def _starts_with(key: str) -> ColumnElement[bool]:
    return and_(contacts.c.name_key >= key, contacts.c.name_key < key + _KEY_END)


async def _run(
    conn: AsyncConnection, query: Select[Any], after: Cursor | None, n: int
) -> list[Hit]:
    page_after = _after(after)
    if page_after is not None:
        query = query.where(page_after)
    rows = await conn.execute(query.order_by(contacts.c.name_key, contacts.c.id).limit(n))
    return [(int(r[0]), str(r[1])) for r in rows]


def _book(viewer: Viewer) -> Select[Any]:
    return select(contacts.c.id, contacts.c.name_key).where(_in_book(viewer))


async def _sparse_hits(conn: AsyncConnection, candidates: Select[Any]) -> str | None:
    """The ids the trigram index gives (as a JSON array), or None when there are too many to
    sort (or no index on this database)."""
    if conn.dialect.name != "sqlite":
        return None
    ids = [int(r[0]) for r in await conn.execute(candidates.limit(DENSE + 1))]
    return None if len(ids) > DENSE else json.dumps(ids)


def _among(ids: str) -> ColumnElement[bool]:
    listed = func.json_each(ids).table_valued("value")
    return contacts.c.id.in_(select(listed.c.value))


def _match(fts_name: str, phrase: str) -> ColumnElement[bool]:
    quoted = '"' + phrase.replace('"', '""') + '"'
    return text(f"{fts_name} MATCH :phrase").bindparams(phrase=quoted)  # type: ignore[return-value]


# ---- the three ways of reading a book ---------------------------------------------------------


async def book_page(
    conn: AsyncConnection, viewer: Viewer, after: Cursor | None, limit: int
) -> tuple[list[Hit], Cursor | None]:
    """The whole book in name order."""
    hits = await _run(conn, _book(viewer), after, limit + 1)
    return _paged([(0, h) for h in hits], limit)


async def by_name(
    conn: AsyncConnection, viewer: Viewer, key: str, after: Cursor | None, limit: int
) -> tuple[list[Hit], Cursor | None]:
    """Names starting with the folded `key` first, then names containing it, each in name order."""
    first: list[Hit] = []
    if after is None or after.tier == 0:
        first = await _run(conn, _book(viewer).where(_starts_with(key)), after, limit + 1)
        if len(first) > limit or len(key) < MIN_SUBSTRING:
            return _paged([(0, h) for h in first], limit)
        after = None
    others = _book(viewer).where(~_starts_with(key))
    found = await _sparse_hits(
        conn, select(_name_fts.c.rowid).where(_match("contacts_name_fts", key))
    )
    if found is not None:
        query = others.where(_among(found))
    else:
        query = others.where(contacts.c.name_key.contains(key, autoescape=True))
    rest = await _run(conn, query, after, limit + 1 - len(first))
    return _paged([(0, h) for h in first] + [(1, h) for h in rest], limit)


async def by_phone(
    conn: AsyncConnection, viewer: Viewer, digits: str, after: Cursor | None, limit: int
) -> tuple[list[Hit], Cursor | None]:
    """Contacts with a number whose digits contain `digits`, in name order."""
    found = await _sparse_hits(
        conn,
        select(contact_phones.c.contact_id)
        .select_from(_phones_fts.join(contact_phones, contact_phones.c.id == _phones_fts.c.rowid))
        .where(_match("contact_phones_fts", digits)),
    )
    if found is not None:
        query = _book(viewer).where(_among(found))
    else:
        query = _book(viewer).where(
            exists().where(
                contact_phones.c.contact_id == contacts.c.id,
                contact_phones.c.digits.contains(digits, autoescape=True),
            )
        )
    hits = await _run(conn, query, after, limit + 1)
    return _paged([(0, h) for h in hits], limit)


def _paged(ranked: list[tuple[int, Hit]], limit: int) -> tuple[list[Hit], Cursor | None]:
    """The first `limit` hits, and the cursor after them if one more was found."""
    page = [hit for _, hit in ranked[:limit]]
    if len(ranked) <= limit:
        return page, None
    tier, (ident, key) = ranked[limit - 1]
    return page, Cursor(tier, key, ident)
