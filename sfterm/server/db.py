"""The backend's storage: tables, the engine, schema versions, and one-transaction writes.

All SQL goes through SQLAlchemy 2 Core so that the SQLite default can be swapped for a
PostgreSQL URL without rewriting queries. Times are stored as naive UTC and read back as aware UTC.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    bindparam,
    event,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import PoolResetState
from sqlalchemy.sql.dml import Insert

from sfterm.server.recent_events import PENDING_KEY, LoggedEvent, RecentEvents
from sfterm.server.request_search import request_search_text

SCHEMA_VERSION = 2
"""Bump with each change of the tables below, and add the step that upgrades an older file."""


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class JSONText(TypeDecorator[Any]):
    """JSON kept as text, the same on SQLite and PostgreSQL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

retailers = Table(
    "retailers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("text_messaging", Boolean, nullable=False, default=True),
    Column("mode", String(8), nullable=False, default="rep"),
)

stores = Table(
    "stores",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("retailer_id", ForeignKey("retailers.id"), nullable=False),
    Column("handle", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("region", String(2), nullable=False),
    Column("phone", String(20), unique=True),
)

associates = Table(
    "associates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("store_id", ForeignKey("stores.id"), nullable=False),
    Column("handle", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("level", String(16), nullable=False, default="associate"),
    Column("relay_number", String(20), unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("storefront_url", String(500)),
)

requests = Table(
    "requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("store_id", ForeignKey("stores.id"), nullable=False),
    Column("associate_id", ForeignKey("associates.id")),
    Column("folder", String(20), nullable=False),
    Column("status", String(10), nullable=False, default="open"),
    Column("source", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(254)),
    Column("phone", String(20)),
    Column("message", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("accepted_at", UTCDateTime),
    Column("resolved_at", UTCDateTime),
    Column("first_reply_at", UTCDateTime),
    Column("thread_id", ForeignKey("threads.id")),
    Column("search_text", Text, nullable=False, server_default=""),
    Index("ix_requests_associate", "associate_id", "id"),
    Index("ix_requests_store_folder", "store_id", "folder", "id"),
    Index("ix_requests_phone", "phone"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("type", String(40), nullable=False),
    Column("store_id", ForeignKey("stores.id"), nullable=False),
    Column("associate_id", ForeignKey("associates.id")),
    Column("data", JSONText, nullable=False),
    Index("ix_events_store", "store_id", "id"),
)
"""The event log. An event with no associate is for the whole store, else for that associate."""

threads = Table(
    "threads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("store_id", ForeignKey("stores.id"), nullable=False),
    Column("associate_id", ForeignKey("associates.id")),
    Column("phone", String(20), nullable=False),
    Column("relay_number", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_message_at", UTCDateTime),
    Column("last_message_id", Integer),
    Column("unread_count", Integer, nullable=False, default=0),
    Column("message_count", Integer, nullable=False, default=0),
    Column("activity_at", UTCDateTime, nullable=False),
    Index("ix_threads_owner_recent", "store_id", "associate_id", "last_message_at"),
    Index("ix_threads_owner_activity", "store_id", "associate_id", "activity_at", "id"),
    Index("ix_threads_phone", "phone", "relay_number"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("thread_id", ForeignKey("threads.id"), nullable=False),
    Column("kind", String(8), nullable=False, default="text"),
    Column("direction", String(10), nullable=False),
    Column("body", Text, nullable=False, default=""),
    Column("status", String(12)),
    Column("error_code", Integer),
    Column("error_message", String(300)),
    Column("sid", String(34), unique=True),
    Column("request_id", ForeignKey("requests.id")),
    Column("associate_id", ForeignKey("associates.id")),
    Column("idempotency_key", String(200)),
    Column("attachments", JSONText),
    Column("automatic", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_messages_thread", "thread_id", "id"),
    Index("ix_messages_request", "request_id"),
    UniqueConstraint("thread_id", "idempotency_key", name="uq_messages_idempotency"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("retailer_id", ForeignKey("retailers.id"), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("state", String(16), nullable=False),
    Column("reason", String(200)),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("retailer_id", "phone", name="uq_consents_phone"),
)

webhook_receipts = Table(
    "webhook_receipts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sid", String(34), nullable=False),
    Column("status", String(12), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    UniqueConstraint("sid", "status", name="uq_webhook_receipts"),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("store_id", ForeignKey("stores.id"), nullable=False),
    Column("associate_id", ForeignKey("associates.id")),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False),
    Column("email", String(254)),
    Column("notes", Text, nullable=False, default=""),
    Column("origin", String(10), nullable=False, default="manual"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_contacts_book_name", "store_id", "associate_id", "name_key"),
)
"""A contact belongs to one associate's book (rep mode) or the store's (team mode: no associate)."""

contact_phones = Table(
    "contact_phones",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("digits", String(20), nullable=False),
    Column("label", String(40), nullable=False, default="mobile"),
    Index("ix_contact_phones_phone", "phone"),
    Index("ix_contact_phones_contact", "contact_id"),
    UniqueConstraint("contact_id", "phone", name="uq_contact_phones"),
)

links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("message_id", ForeignKey("messages.id")),
    Column("url", String(2000), nullable=False),
    Column("clicks", Integer, nullable=False, default=0),
    Column("last_clicked_at", UTCDateTime),
)

email_outbox = Table(
    "email_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", ForeignKey("requests.id"), nullable=False),
    Column("associate_id", ForeignKey("associates.id"), nullable=False),
    Column("to_email", String(254), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_email_outbox_request", "request_id"),
)

Step = Callable[[AsyncConnection], Awaitable[None]]
UPGRADES: dict[int, Step] = {}
"""`UPGRADES[n]` turns a version n-1 database into version n."""

AFTER_CREATE: list[Step] = []
"""Run on a new database after the tables exist (e.g. SQLite-only search indexes)."""


BACKFILL_BATCH = 2000
"""Rows read and rewritten at a time when an upgrade fills a new column."""


async def _add_request_search_text(conn: AsyncConnection) -> None:
    """Version 2: requests keep `search_text` (see `sfterm.server.request_search`), filled for
    the rows already there a batch at a time, in the upgrade's transaction."""
    await conn.execute(text("ALTER TABLE requests ADD COLUMN search_text TEXT NOT NULL DEFAULT ''"))
    fill = (
        requests.update()
        .where(requests.c.id == bindparam("row_id"))
        .values(search_text=bindparam("row_text"))
    )
    last = 0
    while True:
        rows = (
            await conn.execute(
                select(requests.c.id, requests.c.name, requests.c.email, requests.c.message)
                .where(requests.c.id > last)
                .order_by(requests.c.id)
                .limit(BACKFILL_BATCH)
            )
        ).all()
        if not rows:
            return
        await conn.execute(
            fill,
            [
                {"row_id": r.id, "row_text": request_search_text(r.name, r.email, r.message)}
                for r in rows
            ],
        )
        last = rows[-1].id


UPGRADES[2] = _add_request_search_text


class SchemaTooNew(RuntimeError):
    pass


async def _create_schema(conn: AsyncConnection) -> None:
    await conn.run_sync(metadata.create_all)
    for step in AFTER_CREATE:
        await step(conn)
    await conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))


async def _upgrade_schema(conn: AsyncConnection) -> None:
    version = int(
        (
            await conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
        ).scalar_one()
    )
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the database is at schema version {version}, newer than this sfterm "
            f"({SCHEMA_VERSION}); upgrade sfterm"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        await UPGRADES[target](conn)
    await conn.execute(
        meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
    )


async def _begin_schema_change(conn: AsyncConnection) -> None:
    """Open the transaction of the schema's creation or upgrade before its first statement.

    SQLite's Python driver opens a transaction only at the first INSERT, UPDATE or DELETE: a
    `CREATE TABLE` or `ALTER TABLE` before it would be committed at once, and an upgrade that
    failed after it would leave a half-upgraded file that the next start could not upgrade.
    `IMMEDIATE` takes the write lock now, so two servers starting on one file go one at a time.
    """
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("BEGIN IMMEDIATE")


def _rollback_if_open(_dbapi_conn: Any, record: Any, state: PoolResetState) -> None:
    """The pool's reset of a connection given back: a rollback only if a transaction is still
    open. Every write commits and every read rolls back before that, so this saves an aiosqlite
    call (a thread hop) per write that the pool's default, a rollback every time, would make."""
    if state.asyncio_safe and not state.terminate_only and record.driver_connection.in_transaction:
        record.dbapi_connection.rollback()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Database:
    """The engine, the schema check at start, and writes that are one transaction each.

    Writes go one at a time (an asyncio lock), which on SQLite avoids `database is locked` and
    makes "first to accept wins" a plain conditional UPDATE. Each committed write puts the events
    it appended into `recent_events`, then sets the event that `next_change` handed out, which
    wakes the event stream.
    """

    def __init__(self, url: str, *, recent_events: int = 2000) -> None:
        self.url = url
        if make_url(url).get_backend_name() == "sqlite":
            self.engine: AsyncEngine = create_async_engine(url, pool_reset_on_return=None)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "reset", _rollback_if_open)
        else:
            self.engine = create_async_engine(url)
        self._write_lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self.generation = 0
        """How many writes have committed: what was read before may be stale once it moves."""
        self.recent_events = RecentEvents(recent_events)
        """The newest committed events, for the event stream's followers."""

    async def start(self) -> None:
        """Create the schema, or upgrade an older one; refuse a newer one. The memory of recent
        events starts after the newest event in the log."""
        if self.engine.dialect.name == "sqlite":
            path = self.url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        async with self.engine.begin() as conn:
            await _begin_schema_change(conn)
            has_meta = await conn.run_sync(lambda sync: sync.dialect.has_table(sync, "meta"))
            if has_meta:
                await _upgrade_schema(conn)
            else:
                await _create_schema(conn)
            newest = (await conn.execute(select(func.max(events.c.id)))).scalar()
        self.recent_events.restart(int(newest or 0))

    async def stop(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One transaction: everything inside commits together or not at all.

        Once it has committed, the followers of the event stream that it woke run before the
        writer goes on: a change reaches the screens before, say, the answer to the webhook
        that made it."""
        async with self._write_lock:
            appended: list[LoggedEvent] = []
            async with self.engine.begin() as conn:
                conn.info[PENDING_KEY] = appended
                try:
                    yield conn
                finally:
                    del conn.info[PENDING_KEY]
            self.recent_events.publish(appended)
            self._wake()
        await asyncio.sleep(0)

    def _wake(self) -> None:
        self.generation += 1
        woken, self._changed = self._changed, asyncio.Event()
        woken.set()

    def next_change(self) -> asyncio.Event:
        """An event set by the next committed write. Take it *before* reading, then wait on it:
        a write that lands between the read and the wait is then never missed."""
        return self._changed

    async def schema_version(self) -> int:
        async with self.read() as conn:
            value = (
                await conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
            ).scalar_one()
        return int(value)


@functools.cache
def insert_if_new(table: Table, dialect_name: str) -> Insert:
    """`INSERT … ON CONFLICT DO NOTHING`: a row that a unique constraint already has is skipped,
    and the result's `rowcount` (1 or 0) says whether it was new."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


async def sqlite_only(conn: AsyncConnection, sql: str) -> None:
    """Run a statement on SQLite only (search indexes that PostgreSQL does differently)."""
    if conn.dialect.name == "sqlite":
        await conn.execute(text(sql))


_NAME_AT = json.dumps(list(range(1, 399)))
"""Where a trigram of a folded name may start (1-based): names are at most 200 characters,
which folding can lengthen (`œ` → `oe`); grams past 400 characters are not indexed."""
_DIGITS_AT = json.dumps(list(range(1, 19)))
"""Where a trigram of a number's digits may start (digits are at most 20 characters)."""


def _grams_of(value: str, positions: str) -> str:
    """SQL listing the distinct trigrams of the SQL expression `value`."""
    return (
        f"SELECT DISTINCT substr({value}, j.value, 3) AS gram FROM json_each('{positions}') j "
        f"WHERE j.value <= length({value}) - 2"
    )


def _name_grams(row: str) -> str:
    return _grams_of(f"{row}.name_key", _NAME_AT)


def _phone_grams(row: str) -> str:
    return _grams_of(f"{row}.digits", _DIGITS_AT)


CONTACT_SEARCH_SQL = (
    "CREATE TABLE contact_name_grams ("
    "gram TEXT NOT NULL, store_id INTEGER NOT NULL, owner INTEGER NOT NULL, "
    "name_key TEXT NOT NULL, contact_id INTEGER NOT NULL, "
    "PRIMARY KEY (gram, store_id, owner, name_key, contact_id)) WITHOUT ROWID",
    "CREATE TABLE contact_phone_grams ("
    "gram TEXT NOT NULL, store_id INTEGER NOT NULL, owner INTEGER NOT NULL, "
    "name_key TEXT NOT NULL, contact_id INTEGER NOT NULL, phone_id INTEGER NOT NULL, "
    "digits TEXT NOT NULL, "
    "PRIMARY KEY (gram, store_id, owner, name_key, contact_id, phone_id)) WITHOUT ROWID",
    "CREATE TABLE contact_gram_counts ("
    "source TEXT NOT NULL, gram TEXT NOT NULL, store_id INTEGER NOT NULL, "
    "owner INTEGER NOT NULL, n INTEGER NOT NULL, "
    "PRIMARY KEY (source, gram, store_id, owner)) WITHOUT ROWID",
    # how many rows each gram has in each book: the search reads the rarest gram of a query
    *(
        f"CREATE TRIGGER contact_{source}_grams_count_{verb} AFTER {verb.upper()} "
        f"ON contact_{source}_grams BEGIN "
        "INSERT INTO contact_gram_counts (source, gram, store_id, owner, n) "
        f"VALUES ('{source}', {row}.gram, {row}.store_id, {row}.owner, {step}) "
        f"ON CONFLICT DO UPDATE SET n = n + {step}; END"
        for source in ("name", "phone")
        for verb, row, step in (("insert", "new", 1), ("delete", "old", -1))
    ),
    # a contact's name grams follow its name key
    "CREATE TRIGGER contacts_grams_ai AFTER INSERT ON contacts BEGIN "
    "INSERT OR IGNORE INTO contact_name_grams "
    "SELECT g.gram, new.store_id, coalesce(new.associate_id, 0), new.name_key, new.id "
    f"FROM ({_name_grams('new')}) g; END",
    "CREATE TRIGGER contacts_grams_ad AFTER DELETE ON contacts BEGIN "
    f"DELETE FROM contact_name_grams WHERE gram IN ({_name_grams('old')}) "
    "AND store_id = old.store_id AND owner = coalesce(old.associate_id, 0) "
    "AND name_key = old.name_key AND contact_id = old.id; END",
    "CREATE TRIGGER contacts_grams_au AFTER UPDATE OF name_key ON contacts "
    "WHEN old.name_key IS NOT new.name_key BEGIN "
    f"DELETE FROM contact_name_grams WHERE gram IN ({_name_grams('old')}) "
    "AND store_id = old.store_id AND owner = coalesce(old.associate_id, 0) "
    "AND name_key = old.name_key AND contact_id = old.id; "
    "INSERT OR IGNORE INTO contact_name_grams "
    "SELECT g.gram, new.store_id, coalesce(new.associate_id, 0), new.name_key, new.id "
    f"FROM ({_name_grams('new')}) g; "
    "UPDATE contact_phone_grams SET name_key = new.name_key "
    f"WHERE gram IN (SELECT DISTINCT substr(p.digits, j.value, 3) FROM contact_phones p, "
    f"json_each('{_DIGITS_AT}') j WHERE p.contact_id = new.id "
    "AND j.value <= length(p.digits) - 2) "
    "AND store_id = old.store_id AND owner = coalesce(old.associate_id, 0) "
    "AND name_key = old.name_key AND contact_id = old.id; END",
    # a number's grams follow its digits (and carry its contact's book and name key)
    "CREATE TRIGGER contact_phones_grams_ai AFTER INSERT ON contact_phones BEGIN "
    "INSERT OR IGNORE INTO contact_phone_grams "
    "SELECT g.gram, c.store_id, coalesce(c.associate_id, 0), c.name_key, c.id, new.id, "
    f"new.digits FROM contacts c, ({_phone_grams('new')}) g WHERE c.id = new.contact_id; END",
    "CREATE TRIGGER contact_phones_grams_ad AFTER DELETE ON contact_phones BEGIN "
    f"DELETE FROM contact_phone_grams WHERE gram IN ({_phone_grams('old')}) "
    "AND contact_id = old.contact_id AND phone_id = old.id; END",
    "CREATE TRIGGER contact_phones_grams_au AFTER UPDATE OF digits ON contact_phones "
    "WHEN old.digits IS NOT new.digits BEGIN "
    f"DELETE FROM contact_phone_grams WHERE gram IN ({_phone_grams('old')}) "
    "AND contact_id = old.contact_id AND phone_id = old.id; "
    "INSERT OR IGNORE INTO contact_phone_grams "
    "SELECT g.gram, c.store_id, coalesce(c.associate_id, 0), c.name_key, c.id, new.id, "
    f"new.digits FROM contacts c, ({_phone_grams('new')}) g WHERE c.id = new.contact_id; END",
)
"""Substring search on contact names (folded) and phone digits: every trigram of each, in tables
kept in step by triggers. A gram's rows of one book (`owner`: the associate, 0 for the store
team's book) come in name order, so a search reads them a page at a time; `contact_gram_counts`
says which gram of a query has the fewest rows. SQLite only (PostgreSQL would use pg_trgm)."""


async def _contact_search_indexes(conn: AsyncConnection) -> None:
    for sql in CONTACT_SEARCH_SQL:
        await sqlite_only(conn, sql)


AFTER_CREATE.append(_contact_search_indexes)
