"""The confirmation text of a text request: automatic, from whoever will answer, never a reply.

`sending.confirmation_hook` stores it with `record_confirmation`, then delivers it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import Channel, DeliveryStatus, Direction, MessageKind, RequestOut
from sfterm.server.consent import lift_opt_out, retailer_of_store
from sfterm.server.db import associates, retailers, stores
from sfterm.server.threads import (
    add_message,
    announce_message,
    announce_phone_threads,
    announce_thread,
    thread_for,
)


def confirmation_body(retailer: str, customer: str, associate: str | None, store: str) -> str:
    first = customer.split()[0] if customer.split() else customer
    who = (
        f"{associate} will text you from this number"
        if associate
        else (f"An associate at {store} will text you")
    )
    return f"{retailer}: Hi {first}, thanks for your request. {who} shortly. Reply STOP to opt out."


async def record_confirmation(conn: AsyncConnection, request: RequestOut, now: Any) -> int | None:
    """Store the confirmation of a text request in the thread of whoever will answer it.

    It leaves from the relay number of the associate the request went to, or from the store's
    number for New Leads and team-mode requests (the thread then belongs to the store). It is
    flagged `automatic`, so it never counts as the associate's first reply. A new request from
    the customer lifts their STOP.
    """
    if request.channel is not Channel.TEXT or not request.phone:
        return None
    store = (
        await conn.execute(
            select(stores, retailers.c.name.label("retailer_name"))
            .join(retailers, retailers.c.id == stores.c.retailer_id)
            .where(stores.c.id == request.store_id)
        )
    ).one()
    owner, number, speaker = None, store.phone, None
    if request.associate is not None:
        relay = (
            await conn.execute(
                select(associates.c.relay_number).where(associates.c.id == request.associate.id)
            )
        ).scalar()
        if relay:
            owner, number, speaker = request.associate.id, relay, request.associate.name
    if not number:
        return None
    retailer_id = await retailer_of_store(conn, request.store_id)
    lifted = await lift_opt_out(conn, retailer_id, request.phone, request.id, now)
    thread_id, _ = await thread_for(
        conn,
        store_id=request.store_id,
        owner=owner,
        phone=request.phone,
        relay_number=number,
        now=now,
    )
    body = confirmation_body(
        store.retailer_name, request.name, speaker.split()[0] if speaker else None, store.name
    )
    message_id = await add_message(
        conn,
        thread_id,
        kind=MessageKind.TEXT,
        direction=Direction.OUTBOUND,
        body=body,
        now=now,
        status=DeliveryStatus.QUEUED,
        request_id=request.id,
        automatic=True,
    )
    await announce_message(conn, message_id, now, created=True)
    await announce_thread(conn, thread_id, now)
    if lifted:
        await announce_phone_threads(conn, retailer_id, request.phone, now, besides=thread_id)
    return message_id
