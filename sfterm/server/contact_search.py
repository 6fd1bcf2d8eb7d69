"""Finding contacts in a book: by name (prefix, then substring) and by any fragment of a number.

Every answer is in name order, one keyset page at a time, and costs one page of index rows:
- the whole book, and names *starting with* the query (tier 0), read the contacts' own index
  `(store_id, associate_id, name_key)` from the cursor on;
- names *containing* the query elsewhere (tier 1), and numbers containing the typed digits, read
  the trigram tables of `db.CONTACT_SEARCH_SQL`. Their rows are keyed `(gram, book, name_key,
  contact)`, so the rows of one gram in one book come in name order: the search takes the
  query's rarest gram (`contact_gram_counts`), walks its rows from the cursor on, keeps those
  whose name key (or digits, stored beside) contain the whole query, and stops once the page is
  full. Nothing is sorted and nothing past the page is read, however many contacts match.

A page (the search and the loading of its contacts and numbers) is one call into the database's
own thread: through SQLAlchemy's asyncio adapter each statement costs a few thread hops
(≈0.5 ms on two busy cores); here the whole page is 0.1–0.5 ms of SQLite work and one hop.
SQLite only, like the trigram tables (PostgreSQL would do the same with pg_trgm).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.server.auth import Viewer
from sfterm.server.errors import ApiError

MIN_SUBSTRING = 3
"""The trigram tables cannot look up shorter fragments: shorter names match by prefix only."""

_KEY_END = "\U0010ffff"
"""Sorts after any character: `key <= name_key < key + _KEY_END` is "starts with key"."""

T = TypeVar("T")


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


class ContactRow(NamedTuple):
    """A contact as stored; `created_at` is the database's text (naive UTC)."""

    id: int
    name: str
    email: str | None
    notes: str
    created_at: str


class PhoneRow(NamedTuple):
    contact_id: int
    id: int
    phone: str
    label: str


@dataclass(frozen=True)
class Found:
    """One page: the contacts in the order of the answer, their numbers, the next cursor."""

    contacts: list[ContactRow]
    phones: list[PhoneRow]
    cursor: Cursor | None


@dataclass(frozen=True)
class _Book:
    store_id: int
    associate_id: int | None

    @property
    def owner(self) -> int:
        """The book's key in the trigram tables: the associate, 0 for the store team's."""
        return self.associate_id or 0


Hit = tuple[int, str, int]
"""A contact's tier, name key and id, in the order of the answer."""


async def find(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    key: str | None = None,
    digits: str | None = None,
    after: Cursor | None = None,
    limit: int = 50,
) -> Found:
    """A page of the viewer's book: names starting with the folded `key` then names containing
    it, or contacts with a number containing `digits`, or (neither) the whole book."""
    book = _Book(viewer.store_id, None if viewer.team_mode else viewer.id)

    def page(db: Any) -> Found:
        if digits:
            hits = _by_phone(db, book, digits, after, limit + 1)
        elif key:
            hits = _by_name(db, book, key, after, limit + 1)
        else:
            hits = _prefixed(db, book, "", after, limit + 1)
        return _loaded(db, hits, limit)

    return await in_database_thread(conn, page)


async def in_database_thread(conn: AsyncConnection, work: Callable[[Any], T]) -> T:
    """Run `work(dbapi_connection)` where the connection lives: on aiosqlite, as one job of its
    thread; on any other driver, through SQLAlchemy's adapted DB-API connection."""
    raw = await conn.get_raw_connection()
    own_thread = _aiosqlite_thread(raw.driver_connection)
    if own_thread is not None:
        queue_job, sqlite_conn = own_thread
        result: T = await queue_job(work, sqlite_conn)
        return result
    return await conn.run_sync(lambda sync: work(sync.connection))


def _aiosqlite_thread(driver: Any) -> tuple[Callable[..., Any], sqlite3.Connection] | None:
    """aiosqlite's job queue and the sqlite3 connection its thread owns (SQLAlchemy's adapter
    queues jobs the same way to set the isolation level), or None on another driver."""
    queue_job = getattr(driver, "_execute", None)
    sqlite_conn = getattr(driver, "_conn", None)
    if queue_job is None or not isinstance(sqlite_conn, sqlite3.Connection):
        return None
    return queue_job, sqlite_conn


def _rows(db: Any, sql: str, params: tuple[Any, ...]) -> list[Any]:
    cursor = db.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _start(after: Cursor | None, tier: int, first: str) -> tuple[str, int]:
    """The key after which a tier's rows are read: the cursor's if it is in this tier."""
    return (after.name_key, after.id) if after is not None and after.tier == tier else (first, 0)


def _prefixed(db: Any, book: _Book, key: str, after: Cursor | None, n: int) -> list[Hit]:
    """Names starting with `key` (all of them when it is empty)."""
    name_key, ident = _start(after, 0, key)
    rows = _rows(
        db,
        "SELECT name_key, id FROM contacts WHERE store_id = ? AND associate_id IS ? "
        "AND (name_key, id) > (?, ?) AND name_key < ? ORDER BY name_key, id LIMIT ?",
        (book.store_id, book.associate_id, name_key, ident, key + _KEY_END, n),
    )
    return [(0, r[0], r[1]) for r in rows]


def _rarest_gram(db: Any, book: _Book, source: str, text: str) -> str | None:
    """The trigram of `text` with the fewest rows in the book, or None if one has none (then
    nothing contains `text`)."""
    grams = sorted({text[i : i + 3] for i in range(len(text) - 2)})
    counted = dict(
        _rows(
            db,
            "SELECT gram, n FROM contact_gram_counts WHERE source = ? "
            "AND gram IN (SELECT value FROM json_each(?)) AND store_id = ? AND owner = ?",
            (source, json.dumps(grams), book.store_id, book.owner),
        )
    )
    rarest = min(grams, key=lambda gram: counted.get(gram, 0))
    return rarest if counted.get(rarest, 0) > 0 else None


def _by_name(db: Any, book: _Book, key: str, after: Cursor | None, n: int) -> list[Hit]:
    first: list[Hit] = []
    if after is None or after.tier == 0:
        first = _prefixed(db, book, key, after, n)
        if len(first) >= n or len(key) < MIN_SUBSTRING:
            return first
    gram = _rarest_gram(db, book, "name", key)
    if gram is None:
        return first
    name_key, ident = _start(after, 1, "")
    rows = _rows(
        db,
        "SELECT name_key, contact_id FROM contact_name_grams "
        "WHERE gram = ? AND store_id = ? AND owner = ? AND (name_key, contact_id) > (?, ?) "
        "AND instr(name_key, ?) > 1 ORDER BY name_key, contact_id LIMIT ?",
        (gram, book.store_id, book.owner, name_key, ident, key, n - len(first)),
    )
    return first + [(1, r[0], r[1]) for r in rows]


def _by_phone(db: Any, book: _Book, digits: str, after: Cursor | None, n: int) -> list[Hit]:
    gram = _rarest_gram(db, book, "phone", digits)
    if gram is None:
        return []
    name_key, ident = _start(after, 0, "")
    rows = _rows(
        db,
        "SELECT DISTINCT name_key, contact_id FROM contact_phone_grams "
        "WHERE gram = ? AND store_id = ? AND owner = ? AND (name_key, contact_id) > (?, ?) "
        "AND instr(digits, ?) > 0 ORDER BY name_key, contact_id LIMIT ?",
        (gram, book.store_id, book.owner, name_key, ident, digits, n),
    )
    return [(0, r[0], r[1]) for r in rows]


def _loaded(db: Any, hits: list[Hit], limit: int) -> Found:
    """The first `limit` hits with their contacts and numbers, and the cursor after them if
    one more was found."""
    page = hits[:limit]
    cursor = Cursor(*hits[limit - 1]) if len(hits) > limit else None
    if not page:
        return Found([], [], cursor)
    ids = json.dumps([ident for _, _, ident in page])
    stored = {
        r[0]: ContactRow(*r)
        for r in _rows(
            db,
            "SELECT id, name, email, notes, created_at FROM contacts "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    }
    phones = _rows(
        db,
        "SELECT contact_id, id, phone, label FROM contact_phones "
        "WHERE contact_id IN (SELECT value FROM json_each(?)) ORDER BY contact_id, id",
        (ids,),
    )
    return Found(
        [stored[ident] for _, _, ident in page if ident in stored],
        [PhoneRow(*r) for r in phones],
        cursor,
    )
