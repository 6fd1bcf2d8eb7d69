"""Texts that leave the backend: an associate's messages and the automatic confirmation.

Each text is stored first (`queued`, in one transaction with its events), then handed to the
gateway outside the write lock (the gateway's callbacks need that lock), then updated with the
gateway's SID, or marked failed with the gateway's code and a human text.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    MAX_SMS_CHARS,
    Channel,
    Consent,
    DeliveryStatus,
    Direction,
    EventType,
    MessageKind,
    MessageOut,
    MessageSend,
    RequestOut,
)
from sfterm.core.routing import Folder
from sfterm.server.attachments import media_urls, outgoing_text, resolve_attachments, track
from sfterm.server.auth import Viewer
from sfterm.server.confirmation import record_confirmation
from sfterm.server.consent import consent_of
from sfterm.server.db import messages, requests, threads
from sfterm.server.errors import ApiError
from sfterm.server.events import append_event
from sfterm.server.links import add_link
from sfterm.server.messaging import (
    STATUS_WEBHOOK_PATH,
    GatewayRefused,
    GatewayUnreachable,
    error_text,
    messaging_for,
    moves_forward,
    public_base,
)
from sfterm.server.service_requests import get_request
from sfterm.server.threads import (
    add_message,
    announce_message,
    announce_thread,
    load_message,
    thread_row,
)

log = logging.getLogger(__name__)

# ---- an associate's text ------------------------------------------------------------------------


async def _by_key(conn: AsyncConnection, thread_id: int, key: str) -> int | None:
    value = (
        await conn.execute(
            select(messages.c.id).where(
                messages.c.thread_id == thread_id, messages.c.idempotency_key == key
            )
        )
    ).scalar()
    return int(value) if value is not None else None


async def mark_first_reply(
    conn: AsyncConnection, viewer: Viewer, thread: Any, now: Any
) -> list[int]:
    """The associate's first text to a number answers every open text request from it (of the
    thread's owner) that has no first reply yet; returns their ids."""
    owner = (
        requests.c.associate_id.is_(None)
        if thread.associate_id is None
        else requests.c.associate_id == thread.associate_id
    )
    scope = and_(
        requests.c.store_id == thread.store_id,
        owner,
        requests.c.folder == Folder.CUSTOMER_REQUESTS.value,
        requests.c.phone == thread.phone,
        requests.c.channel == Channel.TEXT.value,
        requests.c.status == "open",
        requests.c.first_reply_at.is_(None),
        requests.c.created_at <= now,
    )
    ids = [int(i) for (i,) in await conn.execute(select(requests.c.id).where(scope))]
    if ids:
        await conn.execute(
            requests.update().where(requests.c.id.in_(ids)).values(first_reply_at=now)
        )
    for rid in ids:
        await announce_request(conn, viewer, rid, now)
    return ids


async def announce_request(
    conn: AsyncConnection, viewer: Viewer, request_id: int, now: Any
) -> None:
    """Log `request.updated` for one of the viewer's requests, as it now is."""
    updated = await get_request(conn, viewer, request_id)
    data = updated.model_copy(update={"contact_match": None}).model_dump(mode="json")
    await append_event(
        conn,
        type=EventType.REQUEST_UPDATED.value,
        store_id=viewer.store_id,
        associate_id=None if viewer.team_mode else viewer.id,
        data={"request": data},
        at=now,
    )


async def store_outgoing(
    conn: AsyncConnection,
    viewer: Viewer,
    thread_id: int,
    payload: MessageSend,
    key: str | None,
    *,
    base: str,
    now: Any,
) -> tuple[int, bool]:
    """Check and store an associate's text as `queued`; (message id, newly created)."""
    thread = await thread_row(conn, viewer, thread_id)
    viewer.require_actor()
    if key:
        existing = await _by_key(conn, thread_id, key)
        if existing is not None:
            return existing, False
    if not payload.body and not payload.attachments:
        raise ApiError(422, "invalid", "body: a text needs a body or an attachment", "body")
    consent, reason = await consent_of(conn, thread.retailer_id, thread.phone)
    if consent is Consent.UNSUBSCRIBED:
        raise ApiError(
            409,
            "unsubscribed",
            f"consent: {thread.phone} is unsubscribed from all texts ({reason}); "
            "only the customer can lift it, by texting START or sending a new request",
            field="consent",
            reason=reason,
        )
    attachments = resolve_attachments(viewer, payload.attachments)
    body, stored = track(base, payload.body, attachments)
    text = outgoing_text(body, stored)
    if len(text) > MAX_SMS_CHARS:
        raise ApiError(
            422,
            "too_long",
            f"body: with its links and attachments the text is {len(text)} characters; "
            f"the limit is {MAX_SMS_CHARS}",
            field="body",
        )
    message_id = await add_message(
        conn,
        thread_id,
        kind=MessageKind.TEXT,
        direction=Direction.OUTBOUND,
        body=body,
        now=now,
        status=DeliveryStatus.QUEUED,
        associate_id=viewer.id,
        idempotency_key=key,
        attachments=stored,
    )
    for item in stored:
        if item.get("code"):
            await add_link(conn, message_id, item["code"], item["target_url"])
    await mark_first_reply(conn, viewer, thread, now)
    await announce_message(conn, message_id, now, created=True)
    await announce_thread(conn, thread_id, now)
    return message_id, True


async def send_text(
    app: FastAPI, viewer: Viewer, thread_id: int, payload: MessageSend, key: str | None
) -> tuple[MessageOut, bool]:
    """Store the associate's text, then hand it to the gateway; (message, newly created)."""
    base = public_base(app.state.settings)
    async with app.state.db.write() as conn:
        message_id, created = await store_outgoing(
            conn, viewer, thread_id, payload, key, base=base, now=app.state.clock()
        )
    if created:
        return await deliver(app, message_id), True
    async with app.state.db.read() as conn:
        return await load_message(conn, message_id), False


# ---- handing a stored text to the gateway -------------------------------------------------------


async def deliver(app: FastAPI, message_id: int) -> MessageOut:
    """Send a stored text through the gateway and record the SID, or the failure."""
    async with app.state.db.read() as conn:
        row = (
            await conn.execute(
                select(
                    messages.c.body,
                    messages.c.attachments,
                    threads.c.phone,
                    threads.c.relay_number,
                )
                .join(threads, threads.c.id == messages.c.thread_id)
                .where(messages.c.id == message_id)
            )
        ).one()
    attachments = row.attachments or []
    callback = f"{public_base(app.state.settings)}{STATUS_WEBHOOK_PATH}?m={message_id}"
    sid = status = None
    code: int | None = None
    failure: str | None = None
    try:
        sent = await messaging_for(app).send(
            to=row.phone,
            from_=row.relay_number,
            body=outgoing_text(row.body, attachments),
            media_urls=media_urls(attachments),
            status_callback=callback,
        )
        sid, status = sent.sid, sent.status
    except GatewayRefused as exc:
        code, failure = exc.code, error_text(exc.code, exc.message)
    except GatewayUnreachable as exc:
        failure = f"the SMS gateway could not be reached ({exc})"
    async with app.state.db.write() as conn:
        now = app.state.clock()
        current = (
            await conn.execute(
                select(messages.c.status, messages.c.sid).where(messages.c.id == message_id)
            )
        ).one()
        values: dict[str, Any] = {"updated_at": now}
        if sid is not None:
            values["sid"] = sid
            if status and moves_forward(current.status, status):
                values["status"] = status
        elif current.status == DeliveryStatus.QUEUED.value and current.sid is None:
            values.update(
                status=DeliveryStatus.FAILED.value, error_code=code, error_message=failure
            )
        await conn.execute(messages.update().where(messages.c.id == message_id).values(**values))
        out = await announce_message(conn, message_id, now, created=False)
    return out


# ---- the confirmation of a text request ---------------------------------------------------------


def confirmation_hook(app: FastAPI) -> Any:
    """The `after_submission` hook: confirm a text request on the customer's handset."""

    async def confirm(request: RequestOut) -> None:
        try:
            async with app.state.db.write() as conn:
                message_id = await record_confirmation(conn, request, app.state.clock())
            if message_id is not None:
                await deliver(app, message_id)
        except Exception:  # the request is stored: a failed confirmation must not undo that
            log.exception("confirmation of request %s failed", request.id)

    return confirm
