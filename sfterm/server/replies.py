"""The reply flow: answering a text request opens a thread and inserts the request's card."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import Channel, Direction, MessageKind, ReplyResult
from sfterm.core.phones import display_phone
from sfterm.core.routing import Folder
from sfterm.server.auth import Viewer
from sfterm.server.db import requests, threads
from sfterm.server.errors import ApiError
from sfterm.server.sending import announce_request
from sfterm.server.service_requests import get_request
from sfterm.server.threads import (
    add_message,
    announce_message,
    announce_thread,
    create_thread,
    load_message,
    newest_thread_id,
    owner_for,
    relay_for,
    thread_out,
)


async def _existing_thread(conn: AsyncConnection, viewer: Viewer, phone: str) -> int | None:
    """The viewer's newest thread with the number. In rep mode, when they have none, the
    store's own thread with it (where a New Lead's confirmation went) becomes theirs."""
    owner = owner_for(viewer)
    found = await newest_thread_id(conn, viewer.store_id, owner, phone)
    if found is not None or owner is None:
        return found
    store_thread = await newest_thread_id(conn, viewer.store_id, None, phone)
    if store_thread is not None:
        await conn.execute(
            threads.update().where(threads.c.id == store_thread).values(associate_id=viewer.id)
        )
    return store_thread


async def start_reply(
    conn: AsyncConnection,
    viewer: Viewer,
    request_id: int,
    choice: Literal["existing", "new"],
    now: datetime,
) -> ReplyResult:
    """Open the thread (the newest with the number, or a new one) and insert the card."""
    viewer.require_actor()
    request = await get_request(conn, viewer, request_id)
    if request.folder is Folder.NEW_LEADS:
        raise ApiError(409, "not_accepted", f"request {request_id} is a New Lead: accept it first")
    if request.channel is not Channel.TEXT or not request.phone:
        raise ApiError(
            409,
            "not_a_text_request",
            f"thread: request {request_id} asked to be answered by {request.channel.value}",
            field="thread",
        )
    if choice == "existing":
        thread_id = await _existing_thread(conn, viewer, request.phone)
        if thread_id is None:
            shown = display_phone(request.phone, viewer.store.region)
            raise ApiError(
                409,
                "no_thread",
                f"thread: you have no thread with {shown} yet; choose new",
                field="thread",
            )
    else:
        thread_id = await create_thread(
            conn,
            store_id=viewer.store_id,
            owner=owner_for(viewer),
            phone=request.phone,
            relay_number=relay_for(viewer),
            now=now,
        )
    card_id = await add_message(
        conn,
        thread_id,
        kind=MessageKind.CARD,
        direction=Direction.OUTBOUND,
        body=f"Request #{request_id} from {request.name}",
        now=now,
        request_id=request_id,
        associate_id=viewer.id,
    )
    await conn.execute(
        requests.update().where(requests.c.id == request_id).values(thread_id=thread_id)
    )
    await announce_message(conn, card_id, now, created=True)
    await announce_thread(conn, thread_id, now)
    await announce_request(conn, viewer, request_id, now)
    return ReplyResult(
        thread=await thread_out(conn, thread_id, viewer), card=await load_message(conn, card_id)
    )
