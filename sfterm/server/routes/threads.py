"""Text threads: the list, open or create by phone, messages in pages, send, mark read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from sfterm.core.models import ErrorBody, MessageOut, MessageSend, Page, ThreadOpen, ThreadOut
from sfterm.core.phones import InvalidPhone, parse_phone
from sfterm.server.auth import DatabaseDep, ViewerDep
from sfterm.server.deps import BeforeQuery, ClockDep, LimitQuery
from sfterm.server.errors import ApiError
from sfterm.server.sending import send_text
from sfterm.server.threads import (
    announce_thread,
    list_messages,
    list_threads,
    mark_read,
    owner_for,
    relay_for,
    thread_for,
    thread_out,
    thread_row,
)

router = APIRouter(prefix="/api/v1/threads", tags=["threads"])

CursorQuery = Annotated[
    str | None,
    Query(max_length=200, description="keyset cursor: the `next_before` of the previous page"),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="the same key twice (for this thread) sends one text and answers the first",
    ),
]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


PhoneQuery = Annotated[
    str | None, Query(max_length=40, description="only threads with this customer number")
]


@router.get("", response_model=Page[ThreadOut], responses=ERRORS)
async def threads_page(
    viewer: ViewerDep,
    db: DatabaseDep,
    before: CursorQuery = None,
    limit: LimitQuery = 50,
    phone: PhoneQuery = None,
) -> Page[ThreadOut]:
    e164 = None
    if phone is not None:
        try:
            e164 = parse_phone(phone, viewer.store.region)
        except InvalidPhone as exc:
            raise ApiError(422, "invalid_phone", f"phone: {exc}", field="phone") from None
    async with db.read() as conn:
        items, cursor = await list_threads(conn, viewer, before, limit, e164)
    return Page[ThreadOut](items=items, next_before=cursor)


@router.post("", response_model=ThreadOut, responses=ERRORS)
async def open_thread(
    body: ThreadOpen, response: Response, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> ThreadOut:
    """The newest thread with that number, or a new one (201)."""
    viewer.require_actor()
    try:
        phone = parse_phone(body.phone, viewer.store.region)
    except InvalidPhone as exc:
        raise ApiError(422, "invalid_phone", f"phone: {exc}", field="phone") from None
    now = clock()
    async with db.write() as conn:
        thread_id, created = await thread_for(
            conn,
            store_id=viewer.store_id,
            owner=owner_for(viewer),
            phone=phone,
            relay_number=relay_for(viewer),
            now=now,
        )
        if created:
            await announce_thread(conn, thread_id, now)
        out = await thread_out(conn, thread_id, viewer)
    response.status_code = 201 if created else 200
    return out


@router.get("/{thread_id}", response_model=ThreadOut, responses=ERRORS)
async def thread_detail(thread_id: int, viewer: ViewerDep, db: DatabaseDep) -> ThreadOut:
    async with db.read() as conn:
        await thread_row(conn, viewer, thread_id)
        return await thread_out(conn, thread_id, viewer)


@router.get("/{thread_id}/messages", response_model=Page[MessageOut], responses=ERRORS)
async def messages_page(
    thread_id: int,
    viewer: ViewerDep,
    db: DatabaseDep,
    before: BeforeQuery = None,
    limit: LimitQuery = 50,
) -> Page[MessageOut]:
    async with db.read() as conn:
        items, next_before = await list_messages(conn, viewer, thread_id, before, limit)
    return Page[MessageOut](items=items, next_before=next_before)


@router.post("/{thread_id}/messages", response_model=MessageOut, responses=ERRORS)
async def send_message(
    thread_id: int,
    body: MessageSend,
    request: Request,
    response: Response,
    viewer: ViewerDep,
    idempotency_key: IdempotencyKey = None,
) -> MessageOut:
    """Send a text (201); a repeated Idempotency-Key answers the first text (200).

    A gateway that refuses or cannot be reached does not make this fail: the message is
    answered (and stored) as `failed`, with the error code and what it means.
    """
    key = idempotency_key.strip() if idempotency_key else None
    out, created = await send_text(request.app, viewer, thread_id, body, key or None)
    response.status_code = 201 if created else 200
    return out


@router.post("/{thread_id}/read", response_model=ThreadOut, responses=ERRORS)
async def read(thread_id: int, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep) -> ThreadOut:
    async with db.write() as conn:
        await mark_read(conn, viewer, thread_id, clock())
        return await thread_out(conn, thread_id, viewer)
