"""Tracked links (public): `/r/{code}` redirects to its target and counts the click."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from sfterm.server.auth import DatabaseDep
from sfterm.server.deps import ClockDep
from sfterm.server.errors import ApiError
from sfterm.server.links import record_click
from sfterm.server.threads import announce_message

router = APIRouter(tags=["links"])


@router.get("/r/{code}", response_class=RedirectResponse, status_code=302)
async def follow(code: str, db: DatabaseDep, clock: ClockDep) -> RedirectResponse:
    now = clock()
    async with db.write() as conn:
        found = await record_click(conn, code, now)
        if found is None:
            raise ApiError(404, "not_found", f"code: no link {code!r}", field="code")
        target, message_id = found
        if message_id is not None:
            await announce_message(conn, message_id, now, created=False)
    return RedirectResponse(target, status_code=302)
