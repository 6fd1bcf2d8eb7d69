"""Email replies: `POST /api/v1/requests/{id}/email` writes one, `GET …/emails` lists them."""

from __future__ import annotations

from fastapi import APIRouter

from sfterm.core.models import EmailOut, EmailReply, ErrorBody
from sfterm.server.auth import DatabaseDep, ViewerDep
from sfterm.server.deps import ClockDep
from sfterm.server.email_replies import list_emails, send_email_reply

router = APIRouter(prefix="/api/v1/requests", tags=["email"])

ERRORS: dict[int | str, dict[str, object]] = {
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


@router.post("/{request_id}/email", response_model=EmailOut, status_code=201, responses=ERRORS)
async def send_email(
    request_id: int, reply: EmailReply, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> EmailOut:
    async with db.write() as conn:
        return await send_email_reply(conn, viewer, request_id, reply, clock())


@router.get("/{request_id}/emails", response_model=list[EmailOut], responses=ERRORS)
async def emails(request_id: int, viewer: ViewerDep, db: DatabaseDep) -> list[EmailOut]:
    async with db.read() as conn:
        return await list_emails(conn, viewer, request_id)
