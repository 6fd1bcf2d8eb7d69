"""An inbound text in few statements: its events say what a read would, replays and known SIDs
change nothing, and a write costs no round trip it does not need."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select

from sfterm.core.models import Direction, MessageKind
from sfterm.server.auth import load_viewer
from sfterm.server.db import Database, events, messages, webhook_receipts
from sfterm.server.events import follow
from sfterm.server.threads import add_message, load_message, thread_for, thread_out
from sfterm.server.webhooks import receive_text, take_receipt
from tests.support.backend import Backend

CUSTOMER = "+15145550142"
OTHER = "+15145550177"
CAMILLE = "+15145550111"
STORE = "+15145550100"


def text(n: int, body: str, *, to: str = CAMILLE, from_: str = CUSTOMER, **extra: str) -> dict:
    return {"MessageSid": f"SM{n:032d}", "From": from_, "To": to, "Body": body, **extra}


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements run while the block runs."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen.append(sql)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)


async def receive(backend: Backend, form: dict[str, str]) -> int | None:
    async with backend.app.state.db.write() as conn:
        return await receive_text(conn, form, backend.clock())


async def logged_after(db: Database, after: int) -> list[Any]:
    async with db.read() as conn:
        return list(await conn.execute(events.select().where(events.c.id > after)))


async def newest_event(db: Database) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.max(events.c.id)))).scalar() or 0)


# ---- statements ---------------------------------------------------------------------------------


async def test_a_text_to_a_known_thread_takes_six_statements(backend: Backend) -> None:
    db: Database = backend.app.state.db
    await receive(backend, text(1, "Hello"))  # the thread exists from now on
    with statements(db) as seen:
        assert await receive(backend, text(2, "Is it in M?")) is not None
    assert len(seen) == 6, "\n".join(seen)


# ---- its events are what a read gives -----------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        pytest.param([text(1, "Bonjour « Zoé » 😀")], id="new thread"),
        pytest.param([text(1, "Hi"), text(2, "Still there?")], id="known thread"),
        pytest.param([text(1, "Hi"), text(2, "STOP")], id="stop"),
        pytest.param([text(1, "STOP"), text(2, "START")], id="start"),
        pytest.param(
            [text(1, "", NumMedia="1", MediaUrl0="https://media.test/a.jpg")], id="picture"
        ),
    ],
)
async def test_the_events_of_a_text_are_the_message_and_thread_as_read_back(
    backend: Backend, forms: list[dict[str, str]]
) -> None:
    db: Database = backend.app.state.db
    for form in forms:
        before = await newest_event(db)
        message_id = await receive(backend, form)
        assert message_id is not None
        logged = await logged_after(db, before)
        async with db.read() as conn:
            message = await load_message(conn, message_id)
            thread = await thread_out(conn, message.thread_id)
        camille = await load_viewer(db, backend.tokens["camille"])
        assert camille is not None
        assert [(e.type, e.store_id, e.associate_id) for e in logged][:2] == [
            ("message.created", camille.store_id, camille.id),
            ("thread.updated", camille.store_id, camille.id),
        ]
        assert logged[0].data == {"message": message.model_dump(mode="json")}
        assert logged[1].data == {"thread": thread.model_dump(mode="json")}


async def test_a_team_text_to_the_store_number_is_for_the_whole_team(
    team_backend: Backend,
) -> None:
    db: Database = team_backend.app.state.db
    before = await newest_event(db)
    message_id = await receive(team_backend, text(1, "Anyone?", to=STORE))
    assert message_id is not None
    logged = await logged_after(db, before)
    async with db.read() as conn:
        message = await load_message(conn, message_id)
        thread = await thread_out(conn, message.thread_id)
    assert [(e.type, e.associate_id) for e in logged] == [
        ("message.created", None),
        ("thread.updated", None),
    ]
    assert logged[1].data == {"thread": thread.model_dump(mode="json")}
    assert thread.associate_id is None and thread.relay_number == STORE


async def test_a_rep_mode_text_to_the_store_number_from_a_stranger_tells_nobody(
    backend: Backend,
) -> None:
    db: Database = backend.app.state.db
    before = await newest_event(db)
    assert await receive(backend, text(1, "Anyone?", to=STORE)) is not None
    assert await logged_after(db, before) == []


# ---- replays and known SIDs ---------------------------------------------------------------------


async def test_a_receipt_is_taken_once_per_sid_and_status(backend: Backend) -> None:
    db: Database = backend.app.state.db
    now = backend.clock()
    async with db.write() as conn:
        taken = [
            await take_receipt(conn, "SM1", "received", now),
            await take_receipt(conn, "SM1", "received", now),
            await take_receipt(conn, "SM1", "delivered", now),
        ]
    async with db.read() as conn:
        count = (await conn.execute(select(func.count()).select_from(webhook_receipts))).scalar()
    assert taken == [True, False, True]
    assert count == 2


async def test_a_text_whose_sid_a_stored_message_has_is_not_filed(backend: Backend) -> None:
    db: Database = backend.app.state.db
    sid = "SM" + "7" * 32
    async with db.write() as conn:
        thread_id, _ = await thread_for(
            conn, store_id=1, owner=None, phone=OTHER, relay_number=STORE, now=backend.clock()
        )
        await add_message(
            conn,
            thread_id,
            kind=MessageKind.TEXT,
            direction=Direction.OUTBOUND,
            body="sent earlier",
            now=backend.clock(),
            sid=sid,
        )
    before = await newest_event(db)
    assert await receive(backend, {**text(1, "Hi"), "MessageSid": sid}) is None
    async with db.read() as conn:
        with_sid = (await conn.execute(select(messages.c.body).where(messages.c.sid == sid))).all()
    assert [tuple(r) for r in with_sid] == [("sent earlier",)]
    assert await logged_after(db, before) == []


# ---- round trips of a write ---------------------------------------------------------------------


async def driver_calls(db: Database) -> list[str]:
    """The names of the calls each connection hands to its aiosqlite thread, as they happen."""
    calls: list[str] = []

    def record(_dbapi_conn: Any, record: Any) -> None:
        driver = record.driver_connection
        original = driver._execute

        async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
            calls.append(getattr(fn, "__name__", repr(fn)))
            return await original(fn, *args, **kwargs)

        driver._execute = counted

    await db.engine.dispose()  # new connections, each counted
    event.listen(db.engine.sync_engine, "connect", record)
    return calls


async def test_a_committed_write_ends_with_its_commit(backend: Backend) -> None:
    db: Database = backend.app.state.db
    calls = await driver_calls(db)
    async with db.write() as conn:
        await conn.execute(select(1))
        calls.clear()
    assert calls == ["commit"]  # no rollback on the way back to the pool


async def test_a_connection_given_back_in_a_transaction_is_rolled_back(backend: Backend) -> None:
    db: Database = backend.app.state.db
    async with db.engine.connect() as conn:
        await conn.commit()  # SQLAlchemy's transaction is over; the driver's is opened by hand
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        await driver.execute("BEGIN")
        await driver.execute("INSERT INTO webhook_receipts VALUES (1, 'SMx', 'received', '2026')")
        assert driver.in_transaction
    assert not driver.in_transaction
    async with db.write() as conn:
        kept = (await conn.execute(select(func.count()).select_from(webhook_receipts))).scalar()
    assert kept == 0


async def test_followers_have_a_write_before_the_writer_goes_on(backend: Backend) -> None:
    db: Database = backend.app.state.db
    camille = await load_viewer(db, backend.tokens["camille"])
    assert camille is not None
    stream = follow(db, camille, db.recent_events.newest)
    waiting = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0)  # the follower reads what there is (nothing) and waits
    assert not waiting.done()
    await receive(backend, text(1, "Hi"))
    assert waiting.done()
    assert b"message.created" in waiting.result()
    await stream.aclose()
