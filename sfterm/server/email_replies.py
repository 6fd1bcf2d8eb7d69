"""Email replies to email requests: kept in a simulated outbox (no mail leaves the machine)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    AssociateBrief,
    Channel,
    EmailOut,
    EmailReply,
    EventType,
    RequestOut,
)
from sfterm.core.routing import Folder
from sfterm.server.auth import Viewer
from sfterm.server.db import associates, email_outbox, requests
from sfterm.server.errors import ApiError
from sfterm.server.events import append_event
from sfterm.server.service_requests import get_request


def _to_email_out(row: Any) -> EmailOut:
    return EmailOut(
        id=row.id,
        request_id=row.request_id,
        associate=AssociateBrief(id=row.associate_id, handle=row.handle, name=row.name),
        to_email=row.to_email,
        subject=row.subject,
        body=row.body,
        created_at=row.created_at,
    )


def _select_emails() -> Any:
    return select(email_outbox, associates.c.handle, associates.c.name).join(
        associates, associates.c.id == email_outbox.c.associate_id
    )


async def list_emails(conn: AsyncConnection, viewer: Viewer, request_id: int) -> list[EmailOut]:
    """The email replies of a request the viewer may see, oldest first."""
    await get_request(conn, viewer, request_id)
    rows = await conn.execute(
        _select_emails().where(email_outbox.c.request_id == request_id).order_by(email_outbox.c.id)
    )
    return [_to_email_out(r) for r in rows]


def _check_answerable(request: RequestOut) -> str:
    """The address to write to; refuses what cannot be answered by email, naming why."""
    if request.folder is Folder.NEW_LEADS:
        raise ApiError(409, "not_accepted", f"request {request.id} is a New Lead: accept it first")
    if request.channel is Channel.TEXT:
        raise ApiError(
            409,
            "text_request",
            f"channel: request {request.id} asked to be answered by text; reply in a thread",
            field="channel",
        )
    if not request.email:
        raise ApiError(
            422, "no_email", f"email: request {request.id} has no email address", field="email"
        )
    return request.email


async def send_email_reply(
    conn: AsyncConnection, viewer: Viewer, request_id: int, reply: EmailReply, now: datetime
) -> EmailOut:
    """Store the reply in the outbox, mark the request answered if it was not, and log it."""
    viewer.require_actor()
    request = await get_request(conn, viewer, request_id)
    to_email = _check_answerable(request)
    result = await conn.execute(
        email_outbox.insert().values(
            request_id=request_id,
            associate_id=viewer.id,
            to_email=to_email,
            subject=reply.subject,
            body=reply.body,
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    await conn.execute(
        requests.update()
        .where(requests.c.id == request_id, requests.c.first_reply_at.is_(None))
        .values(first_reply_at=now)
    )
    email = _to_email_out(
        (await conn.execute(_select_emails().where(email_outbox.c.id == int(key[0])))).one()
    )
    updated = await get_request(conn, viewer, request_id)
    owner = updated.associate.id if updated.associate is not None else None
    await append_event(
        conn,
        type=EventType.REQUEST_UPDATED.value,
        store_id=updated.store_id,
        associate_id=None if viewer.team_mode else owner,
        data={
            "request": updated.model_copy(update={"contact_match": None}).model_dump(mode="json"),
            "email": email.model_dump(mode="json"),
        },
        at=now,
    )
    return email
