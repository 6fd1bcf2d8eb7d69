"""Consent per phone number and retailer: 1-to-1 only (default), subscribed, or unsubscribed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import Consent
from sfterm.core.sms import classify_keyword
from sfterm.server.db import consents, stores


async def retailer_of_store(conn: AsyncConnection, store_id: int) -> int:
    return int(
        (
            await conn.execute(select(stores.c.retailer_id).where(stores.c.id == store_id))
        ).scalar_one()
    )


async def consent_of(
    conn: AsyncConnection, retailer_id: int, phone: str
) -> tuple[Consent, str | None]:
    """The number's consent and the reason it was last set (1-to-1 only when never set)."""
    row = (
        await conn.execute(
            select(consents.c.state, consents.c.reason).where(
                consents.c.retailer_id == retailer_id, consents.c.phone == phone
            )
        )
    ).first()
    if row is None:
        return Consent.ONE_TO_ONE, None
    return Consent(row.state), row.reason


async def set_consent(
    conn: AsyncConnection,
    retailer_id: int,
    phone: str,
    state: Consent,
    reason: str,
    now: datetime,
) -> bool:
    """Record the number's consent; returns whether it changed."""
    current, _ = await consent_of(conn, retailer_id, phone)
    exists = (
        await conn.execute(
            select(consents.c.id).where(
                consents.c.retailer_id == retailer_id, consents.c.phone == phone
            )
        )
    ).scalar()
    values = {"state": state.value, "reason": reason, "updated_at": now}
    if exists is None:
        await conn.execute(consents.insert().values(retailer_id=retailer_id, phone=phone, **values))
    elif current is not state:
        await conn.execute(consents.update().where(consents.c.id == exists).values(**values))
    return current is not state


async def apply_keyword(
    conn: AsyncConnection, retailer_id: int, phone: str, body: str, now: datetime
) -> bool:
    """STOP (and its synonyms) unsubscribes from all; START lifts it. Returns whether it changed."""
    keyword = classify_keyword(body)
    word = body.strip().upper()
    when = now.strftime("%Y-%m-%d %H:%M UTC")
    if keyword == "stop":
        return await set_consent(
            conn,
            retailer_id,
            phone,
            Consent.UNSUBSCRIBED,
            f"the customer texted {word} ({when})",
            now,
        )
    if keyword == "start":
        current, _ = await consent_of(conn, retailer_id, phone)
        if current is Consent.UNSUBSCRIBED:
            return await set_consent(
                conn,
                retailer_id,
                phone,
                Consent.ONE_TO_ONE,
                f"the customer texted {word} ({when})",
                now,
            )
    return False


async def lift_opt_out(
    conn: AsyncConnection, retailer_id: int, phone: str, request_id: int, now: datetime
) -> bool:
    """A new request from the customer lifts their STOP (back to 1-to-1 only)."""
    current, _ = await consent_of(conn, retailer_id, phone)
    if current is not Consent.UNSUBSCRIBED:
        return False
    return await set_consent(
        conn, retailer_id, phone, Consent.ONE_TO_ONE, f"new request #{request_id}", now
    )
