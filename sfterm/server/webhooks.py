"""What the gateway tells the backend: inbound texts and delivery status, each taken once.

Every webhook is recorded in `webhook_receipts` (MessageSid + status) in the same transaction as
its effect, so a retried or replayed webhook finds its receipt and changes nothing.

Routing an inbound text: `To` picks the owner. An associate's relay number → that associate's
threads (the store team's in team mode). The store's number → in rep mode, the associate who owns
the newest request from that phone, else the store itself (as for New Leads); in team mode, the
team. `From` then picks the owner's most recent thread with that phone, or starts one that
answers from the number the customer texted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import DeliveryStatus, Direction, MessageKind
from sfterm.core.phones import InvalidPhone, is_e164, parse_phone
from sfterm.core.routing import Mode
from sfterm.server.consent import apply_keyword
from sfterm.server.db import (
    associates,
    messages,
    requests,
    retailers,
    stores,
    webhook_receipts,
)
from sfterm.server.messaging import error_text, moves_forward
from sfterm.server.threads import (
    add_message,
    announce_message,
    announce_phone_threads,
    announce_thread,
    thread_for,
)

MAX_MEDIA = 10


async def take_receipt(conn: AsyncConnection, sid: str, status: str, now: datetime) -> bool:
    """Record that this webhook arrived; False if it had arrived before (a replay)."""
    seen = (
        await conn.execute(
            select(webhook_receipts.c.id).where(
                webhook_receipts.c.sid == sid, webhook_receipts.c.status == status
            )
        )
    ).scalar()
    if seen is not None:
        return False
    # Writes go one at a time (Database.write), so nothing can slip in between check and insert.
    await conn.execute(webhook_receipts.insert().values(sid=sid, status=status, received_at=now))
    return True


# ---- inbound texts ------------------------------------------------------------------------------


async def _owner_of_number(
    conn: AsyncConnection, to: str, phone: str
) -> tuple[int, int, int | None, str] | None:
    """(store id, retailer id, owner, region) for a text to `to` from `phone`; None if unknown."""
    found = (
        await conn.execute(
            select(
                associates.c.id,
                stores.c.id.label("store_id"),
                stores.c.region,
                retailers.c.id.label("retailer_id"),
                retailers.c.mode,
            )
            .join(stores, stores.c.id == associates.c.store_id)
            .join(retailers, retailers.c.id == stores.c.retailer_id)
            .where(associates.c.relay_number == to)
        )
    ).first()
    if found is not None:
        owner = None if found.mode == Mode.TEAM.value else found.id
        return found.store_id, found.retailer_id, owner, found.region
    store = (
        await conn.execute(
            select(
                stores.c.id, stores.c.region, retailers.c.id.label("retailer_id"), retailers.c.mode
            )
            .join(retailers, retailers.c.id == stores.c.retailer_id)
            .where(stores.c.phone == to)
        )
    ).first()
    if store is None:
        return None
    owner = None
    if store.mode != Mode.TEAM.value:
        owner = (
            await conn.execute(
                select(requests.c.associate_id)
                .where(
                    requests.c.store_id == store.id,
                    requests.c.phone == phone,
                    requests.c.associate_id.is_not(None),
                )
                .order_by(requests.c.id.desc())
                .limit(1)
            )
        ).scalar()
    return store.id, store.retailer_id, owner, store.region


def _sender(raw: str, region: str) -> str | None:
    if is_e164(raw):
        return raw
    try:
        return parse_phone(raw, region)
    except InvalidPhone:
        return None


def _media(form: dict[str, str]) -> list[dict[str, Any]]:
    try:
        count = min(int(form.get("NumMedia", "0") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    found = []
    for i in range(count):
        url = form.get(f"MediaUrl{i}")
        if url:
            found.append(
                {
                    "kind": "image",
                    "title": form.get(f"MediaContentType{i}") or "Picture",
                    "target_url": url,
                    "url": url,
                    "image_url": url,
                }
            )
    return found


async def receive_text(conn: AsyncConnection, form: dict[str, str], now: datetime) -> int | None:
    """File an inbound text in its thread; the new message's id, or None (replay, unknown To)."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    if not sid or not await take_receipt(conn, sid, DeliveryStatus.RECEIVED.value, now):
        return None
    if (await conn.execute(select(messages.c.id).where(messages.c.sid == sid))).first():
        return None
    to, raw_from = form.get("To", ""), form.get("From", "")
    target = await _owner_of_number(conn, to, raw_from)
    if target is None:
        return None
    store_id, retailer_id, owner, region = target
    phone = _sender(raw_from, region)
    if phone is None:
        return None
    thread_id, _ = await thread_for(
        conn, store_id=store_id, owner=owner, phone=phone, relay_number=to, now=now
    )
    body = form.get("Body", "")
    message_id = await add_message(
        conn,
        thread_id,
        kind=MessageKind.TEXT,
        direction=Direction.INBOUND,
        body=body,
        now=now,
        status=DeliveryStatus.RECEIVED,
        sid=sid,
        attachments=_media(form),
    )
    consent_changed = await apply_keyword(conn, retailer_id, phone, body, now)
    await announce_message(conn, message_id, now, created=True)
    await announce_thread(conn, thread_id, now)
    if consent_changed:
        await announce_phone_threads(conn, retailer_id, phone, now, besides=thread_id)
    return message_id


# ---- status callbacks ---------------------------------------------------------------------------


async def apply_status(
    conn: AsyncConnection, form: dict[str, str], message_hint: str | None, now: datetime
) -> bool:
    """Move a sent message's status forward (never back); False if nothing changed."""
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    if not sid or not status or not await take_receipt(conn, sid, status, now):
        return False
    row = (
        await conn.execute(
            select(messages.c.id, messages.c.status, messages.c.sid).where(messages.c.sid == sid)
        )
    ).first()
    if row is None and message_hint and message_hint.isdigit():
        # The callback can overtake the answer to the send that carries the SID.
        row = (
            await conn.execute(
                select(messages.c.id, messages.c.status, messages.c.sid).where(
                    messages.c.id == int(message_hint),
                    messages.c.direction == Direction.OUTBOUND.value,
                    messages.c.sid.is_(None),
                )
            )
        ).first()
    if row is None or not moves_forward(row.status, status):
        return False
    values: dict[str, Any] = {"status": status, "updated_at": now, "sid": sid}
    code_text = form.get("ErrorCode") or ""
    if code_text.isdigit():
        code = int(code_text)
        values.update(error_code=code, error_message=error_text(code, form.get("ErrorMessage")))
    elif status in ("failed", "undelivered"):
        values["error_message"] = error_text(None, form.get("ErrorMessage"))
    await conn.execute(messages.update().where(messages.c.id == row.id).values(**values))
    await announce_message(conn, row.id, now, created=False)
    return True
