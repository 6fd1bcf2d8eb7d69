"""Version 2 of the schema: requests keep `search_text`; a version 1 file is upgraded and filled
in one transaction, and its requests are then found whatever the case and accents."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.server import db as dbmod
from sfterm.server.request_search import request_search_text
from tests.support.backend import running_backend
from tests.support.forms import storefront_form

pytestmark = pytest.mark.skipif(
    sqlite3.sqlite_version_info < (3, 35), reason="making a version 1 file needs DROP COLUMN"
)

FORMS = [
    {"name": "Élodie Lavoie", "email": "Elodie@Example.org", "message": "Le manteau?"},
    {"name": "Noah Côté", "message": "The wool coat"},
    {"name": "Zoé Martin", "email": "ZOE@example.com", "message": "Côté\nMont-Royal"},
    {"name": "Anne Caron", "message": "Hello"},
    {"name": "ŒDIPE Roy", "message": "Size M"},
]


async def _v1_file(data_dir: Path) -> Path:
    """A database as version 1 left it: the demo shop and FORMS' requests, no `search_text`."""
    async with running_backend(data_dir) as backend, backend.client() as public:
        for form in FORMS:
            await public.submit_request(storefront_form("camille", **form))
    path = data_dir / "sfterm.db"
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE requests DROP COLUMN search_text")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    return path


def _columns(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        names = [row[1] for row in conn.execute("PRAGMA table_info(requests)")]
    conn.close()
    return names


def _version(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        value = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    conn.close()
    return str(value)


async def test_a_version_1_file_is_upgraded_and_its_requests_found_by_folded_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = await _v1_file(tmp_path)
    assert "search_text" not in _columns(path)
    monkeypatch.setattr(dbmod, "BACKFILL_BATCH", 2)  # several batches, the last one short
    async with running_backend(tmp_path) as backend:
        assert await backend.app.state.db.schema_version() == 2
        with sqlite3.connect(path) as conn:
            rows = conn.execute("SELECT name, email, message, search_text FROM requests").fetchall()
        conn.close()
        assert len(rows) == len(FORMS)
        for name, email, message, search_text in rows:
            assert search_text == request_search_text(name, email, message)
        async with backend.client("camille") as c:
            assert [r.name for r in (await c.requests(q="ELODIE")).items] == ["Élodie Lavoie"]
            cote = await c.requests(q="cote")
            assert sorted(r.name for r in cote.items) == ["Noah Côté", "Zoé Martin"]
            assert [r.name for r in (await c.requests(q="oedipe")).items] == ["ŒDIPE Roy"]
            assert [r.name for r in (await c.requests(q="zoe@")).items] == ["Zoé Martin"]
            await c.submit_request(storefront_form("camille", name="Léa Côté"))
            after = await c.requests(q="COTE")
            assert sorted(r.name for r in after.items) == ["Léa Côté", "Noah Côté", "Zoé Martin"]


async def test_a_failed_upgrade_leaves_the_file_at_version_1_and_the_next_start_upgrades_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = await _v1_file(tmp_path)
    upgrade = dbmod.UPGRADES[2]

    async def fails_after_the_column(conn: AsyncConnection) -> None:
        await upgrade(conn)
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(dbmod.UPGRADES, 2, fails_after_the_column)
    with pytest.raises(RuntimeError, match="the disk is full"):
        async with running_backend(tmp_path):
            pass
    assert "search_text" not in _columns(path)
    assert _version(path) == "1"
    monkeypatch.setitem(dbmod.UPGRADES, 2, upgrade)
    async with running_backend(tmp_path) as backend, backend.client("camille") as c:
        assert [r.name for r in (await c.requests(q="élodie")).items] == ["Élodie Lavoie"]
    assert "search_text" in _columns(path)
    assert _version(path) == "2"
