"""The first-reply lookup stays on the phone index, so its cost does not grow with the store."""

from __future__ import annotations

from sqlalchemy import select, text

from sfterm.server.db import requests
from sfterm.server.kpis import first_text_reply
from tests.support.backend import Backend


async def test_the_first_text_reply_is_found_through_the_phone_index(backend: Backend) -> None:
    query = select(requests.c.id, first_text_reply())
    async with backend.app.state.db.read() as conn:
        compiled = query.compile(conn.sync_connection, compile_kwargs={"literal_binds": True})
        plan = [row[-1] for row in await conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    threads_step = next(step for step in plan if "threads" in step)
    assert "ix_threads_phone" in threads_step, plan
