"""Replying to a text request: open the existing thread or a new one, with the request's card."""

from __future__ import annotations

from fastapi import APIRouter

from sfterm.core.models import ErrorBody, ReplyChoice, ReplyResult
from sfterm.server.auth import DatabaseDep, ViewerDep
from sfterm.server.deps import ClockDep
from sfterm.server.replies import start_reply

router = APIRouter(prefix="/api/v1/requests", tags=["requests"])


@router.post(
    "/{request_id}/reply",
    response_model=ReplyResult,
    responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody}},
)
async def reply(
    request_id: int, choice: ReplyChoice, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> ReplyResult:
    async with db.write() as conn:
        return await start_reply(conn, viewer, request_id, choice.thread, clock())
