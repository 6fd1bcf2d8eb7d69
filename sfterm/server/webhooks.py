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

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import DeliveryStatus, Direction, MessageKind
from sfterm.core.phones import InvalidPhone, is_e164, parse_phone
from sfterm.core.routing import Mode
from sfterm.server.consent import apply_keyword
from sfterm.server.db import (
    associates,
    insert_if_new,
    messages,
    requests,
    retailers,
    stores,
    webhook_receipts,
)
from sfterm.server.message_views import new_message_out
from sfterm.server.messaging import error_text, moves_forward
from sfterm.server.thread_events import Audience, announce_new_message, audience_of
from sfterm.server.threads import (
    announce_message,
    announce_phone_threads,
    insert_message,
    thread_out_after,
    thread_to_text,
)

MAX_MEDIA = 10


async def take_receipt(conn: AsyncConnection, sid: str, status: str, now: datetime) -> bool:
    """Record that this webhook arrived; False if it had arrived before (a replay)."""
    taken = await conn.execute(
        insert_if_new(webhook_receipts, conn.dialect.name),
        {"sid": sid, "status": status, "received_at": now},
    )
    return taken.rowcount == 1


# ---- inbound texts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Where a text to one of the backend's numbers goes."""

    store_id: int
    retailer_id: int
    region: str
    owner: int | None
    """The associate whose threads it joins; None: the store's (team's) threads."""
    team_mode: bool
    filed: bool
    """A message with the text's SID is stored already (it is not filed twice)."""

    @property
    def audience(self) -> Audience | None:
        return audience_of(self.store_id, self.owner, self.team_mode)


def _route(row: Any) -> Route:
    team_mode = row.mode == Mode.TEAM.value
    return Route(
        store_id=row.store_id,
        retailer_id=row.retailer_id,
        region=row.region,
        owner=None if team_mode else row.owner,
        team_mode=team_mode,
        filed=bool(row.filed),
    )


_STORE_COLUMNS = (
    stores.c.id.label("store_id"),
    stores.c.region,
    retailers.c.id.label("retailer_id"),
    retailers.c.mode,
    exists().where(messages.c.sid == bindparam("sid")).label("filed"),
)

_TO_RELAY_NUMBER = (
    select(associates.c.id.label("owner"), *_STORE_COLUMNS)
    .join(stores, stores.c.id == associates.c.store_id)
    .join(retailers, retailers.c.id == stores.c.retailer_id)
    .where(associates.c.relay_number == bindparam("to"))
)
"""A text to an associate's relay number (`to`): for that associate."""

_NEWEST_REQUEST_OWNER = (
    select(requests.c.associate_id)
    .where(
        requests.c.store_id == stores.c.id,
        requests.c.phone == bindparam("phone"),
        requests.c.associate_id.is_not(None),
    )
    .order_by(requests.c.id.desc())
    .limit(1)
    .scalar_subquery()
)

_TO_STORE_NUMBER = (
    select(_NEWEST_REQUEST_OWNER.label("owner"), *_STORE_COLUMNS)
    .join(retailers, retailers.c.id == stores.c.retailer_id)
    .where(stores.c.phone == bindparam("to"))
)
"""A text to a store's number (`to`): for whoever owns the newest request from `phone`."""


async def _route_of(conn: AsyncConnection, to: str, phone: str, sid: str) -> Route | None:
    """Where a text to `to` from `phone` goes (an associate's relay number, else the store's
    number); None if the backend has no such number."""
    params = {"to": to, "phone": phone, "sid": sid}
    for query in (_TO_RELAY_NUMBER, _TO_STORE_NUMBER):
        row = (await conn.execute(query, params)).first()
        if row is not None:
            return _route(row)
    return None


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
    to, raw_from = form.get("To", ""), form.get("From", "")
    route = await _route_of(conn, to, raw_from, sid)
    if route is None or route.filed:
        return None
    phone = _sender(raw_from, route.region)
    if phone is None:
        return None
    body = form.get("Body", "")
    # STOP / START first: the thread is then read with the consent this text leaves.
    consent_changed = await apply_keyword(conn, route.retailer_id, phone, body, now)
    thread = await thread_to_text(
        conn, store_id=route.store_id, owner=route.owner, phone=phone, relay_number=to, now=now
    )
    added = await insert_message(
        conn,
        thread.id,
        kind=MessageKind.TEXT,
        direction=Direction.INBOUND,
        body=body,
        now=now,
        status=DeliveryStatus.RECEIVED,
        sid=sid,
        attachments=_media(form),
    )
    message = await new_message_out(conn, added.message)
    thread_out = thread_out_after(thread, added, message)
    await announce_new_message(conn, route.audience, message, thread_out, now)
    if consent_changed:
        await announce_phone_threads(conn, route.retailer_id, phone, now, besides=thread.id)
    return message.id


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
