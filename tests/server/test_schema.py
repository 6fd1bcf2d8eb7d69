"""The schema carries a version: created at start, upgraded step by step, a newer one refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.server import db as dbmod
from sfterm.server.db import SCHEMA_VERSION, Database, SchemaTooNew, meta


def _url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'sfterm.db'}"


async def test_a_new_database_is_created_at_the_current_version_with_wal_and_foreign_keys(
    tmp_path: Path,
) -> None:
    db = Database(_url(tmp_path))
    await db.start()
    try:
        assert await db.schema_version() == SCHEMA_VERSION
        async with db.read() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await db.stop()
    assert (tmp_path / "nested" / "sfterm.db").exists()


async def test_an_older_database_is_upgraded_step_by_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Database(_url(tmp_path))
    await first.start()
    await first.stop()
    ran: list[int] = []

    async def add_column(conn: AsyncConnection) -> None:
        ran.append(SCHEMA_VERSION + 1)
        await conn.execute(text("ALTER TABLE stores ADD COLUMN motto TEXT"))

    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(dbmod.UPGRADES, SCHEMA_VERSION + 1, add_column)
    second = Database(_url(tmp_path))
    await second.start()
    try:
        assert ran == [SCHEMA_VERSION + 1]
        assert await second.schema_version() == SCHEMA_VERSION + 1
        async with second.read() as conn:
            await conn.execute(text("SELECT motto FROM stores"))
    finally:
        await second.stop()


async def test_a_newer_database_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    db = Database(_url(tmp_path))
    await db.start()
    async with db.write() as conn:
        await conn.execute(meta.update().values(value=str(SCHEMA_VERSION + 5)))
    await db.stop()
    again = Database(_url(tmp_path))
    with pytest.raises(SchemaTooNew, match="newer than this sfterm"):
        await again.start()
    await again.stop()
