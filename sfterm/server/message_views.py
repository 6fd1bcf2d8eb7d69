"""Messages as the API shows them: rows (with their request's card and link clicks) → MessageOut."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    AttachmentOut,
    DeliveryStatus,
    Direction,
    Kind,
    MessageKind,
    MessageOut,
    RequestCard,
    RequestStatus,
)
from sfterm.server.db import links, messages, requests


def message_select() -> Any:
    return select(
        messages,
        requests.c.kind.label("card_kind"),
        requests.c.name.label("card_name"),
        requests.c.message.label("card_message"),
        requests.c.status.label("card_status"),
        requests.c.created_at.label("card_created_at"),
    ).select_from(messages.outerjoin(requests, requests.c.id == messages.c.request_id))


async def _clicks(conn: AsyncConnection, rows: Iterable[Any]) -> dict[str, int]:
    codes = sorted({a["code"] for r in rows for a in (r.attachments or []) if a.get("code")})
    if not codes:
        return {}
    found = await conn.execute(select(links.c.code, links.c.clicks).where(links.c.code.in_(codes)))
    return {code: int(clicks) for code, clicks in found}


def _to_message_out(row: Any, clicks: dict[str, int]) -> MessageOut:
    kind = MessageKind(row.kind)
    card = None
    if kind is MessageKind.CARD and row.request_id is not None and row.card_kind is not None:
        card = RequestCard(
            request_id=row.request_id,
            kind=Kind(row.card_kind),
            name=row.card_name,
            message=row.card_message,
            status=RequestStatus(row.card_status),
            created_at=row.card_created_at,
        )
    attachments = [
        AttachmentOut(
            kind=a["kind"],
            title=a["title"],
            url=a["url"],
            target_url=a["target_url"],
            price=a.get("price"),
            image_url=a.get("image_url"),
            product_id=a.get("product_id"),
            clicks=clicks.get(a.get("code") or "", 0),
        )
        for a in (row.attachments or [])
    ]
    return MessageOut(
        id=row.id,
        thread_id=row.thread_id,
        kind=kind,
        direction=Direction(row.direction),
        body=row.body,
        status=DeliveryStatus(row.status) if row.status else None,
        error_code=row.error_code,
        error_message=row.error_message,
        created_at=row.created_at,
        sid=row.sid,
        attachments=attachments,
        card=card,
        automatic=bool(row.automatic),
    )


async def message_outs(conn: AsyncConnection, rows: list[Any]) -> list[MessageOut]:
    clicks = await _clicks(conn, rows)
    return [_to_message_out(r, clicks) for r in rows]


async def load_messages(conn: AsyncConnection, ids: Iterable[int]) -> dict[int, MessageOut]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = list(await conn.execute(message_select().where(messages.c.id.in_(wanted))))
    return {m.id: m for m in await message_outs(conn, rows)}


async def load_message(conn: AsyncConnection, message_id: int) -> MessageOut:
    return (await load_messages(conn, [message_id]))[message_id]


async def new_message_out(conn: AsyncConnection, row: Any) -> MessageOut:
    """A message just inserted, from its row as stored: nobody has clicked its links yet, and
    only a request's card needs a read (of the request it shows)."""
    if row.kind == MessageKind.CARD.value and row.request_id is not None:
        return await load_message(conn, row.id)
    return _to_message_out(row, {})
