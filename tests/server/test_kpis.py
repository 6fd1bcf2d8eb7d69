"""The KPI report over hand-computed fixtures: preference, reply time, counts, days and scopes.

The shop (America/Toronto) has requests inserted with known times; FakeClock says it is
2026-11-02 10:00 EST, so `7d` is Oct 27 to Nov 2, across the Nov 1 fall-back day.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.server.db import (
    associates,
    contacts,
    email_outbox,
    messages,
    requests,
    stores,
    threads,
)
from tests.support.backend import Backend

TORONTO = ZoneInfo("America/Toronto")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A 2026 Toronto wall-clock time, as the aware UTC instant the database keeps."""
    return datetime(2026, month, day, hour, minute, tzinfo=TORONTO).astimezone(UTC)


class Shop:
    """Direct inserts into the backend's tables, by handle."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def associate(self, handle: str) -> Any:
        return (
            await self.conn.execute(select(associates).where(associates.c.handle == handle))
        ).one()

    async def store_id(self, handle: str) -> int:
        query = select(stores.c.id).where(stores.c.handle == handle)
        return int((await self.conn.execute(query)).scalar_one())

    async def request(
        self,
        created: datetime,
        *,
        channel: str,
        owner: str | None,
        store: str = "montreal",
        phone: str | None = None,
        source: str = "storefront",
        kind: str = "contact_me",
    ) -> int:
        associate_id = (await self.associate(owner)).id if owner else None
        result = await self.conn.execute(
            requests.insert().values(
                store_id=await self.store_id(store),
                associate_id=associate_id,
                folder="customer_requests" if owner or source != "connect_widget" else "new_leads",
                status="open",
                source=source,
                kind=kind,
                channel=channel,
                name="Customer",
                email="customer@example.com",
                phone=phone,
                message="",
                created_at=created,
            )
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    async def thread(self, phone: str, created: datetime, owner: str | None, store: str) -> int:
        values: dict[str, Any] = {
            "store_id": await self.store_id(store),
            "associate_id": (await self.associate(owner)).id if owner else None,
            "phone": phone,
            "relay_number": "+15145550111",
            "created_at": created,
            "activity_at": created,
        }
        result = await self.conn.execute(threads.insert().values(**values))
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    async def text(
        self,
        thread_id: int,
        sent: datetime,
        *,
        by: str | None,
        direction: str = "outbound",
        kind: str = "text",
        status: str = "delivered",
        automatic: bool = False,
    ) -> None:
        values: dict[str, Any] = {
            "thread_id": thread_id,
            "kind": kind,
            "direction": direction,
            "body": "…",
            "status": status,
            "associate_id": (await self.associate(by)).id if by else None,
            "created_at": sent,
            "updated_at": sent,
            "automatic": automatic,
        }
        await self.conn.execute(messages.insert().values(**values))

    async def email(self, request_id: int, sent: datetime, by: str) -> None:
        await self.conn.execute(
            email_outbox.insert().values(
                request_id=request_id,
                associate_id=(await self.associate(by)).id,
                to_email="customer@example.com",
                subject="Re: your request",
                body="Hello",
                created_at=sent,
            )
        )

    async def contact(self, owner: str, created: datetime, origin: str = "manual") -> None:
        row = await self.associate(owner)
        await self.conn.execute(
            contacts.insert().values(
                store_id=row.store_id,
                associate_id=row.id,
                name="Contact",
                name_key="contact",
                origin=origin,
                created_at=created,
                updated_at=created,
            )
        )


async def seed_fixture(backend: Backend) -> None:
    """Camille's five requests (R1-R5), Mathieu's one and a store lead, Priya's one (Toronto)."""
    async with backend.app.state.db.write() as conn:
        shop = Shop(conn)
        # R1: text, answered in a thread that existed before it: 12:00 -> 12:30 (30 min).
        r1_phone = "+15145550201"
        existing = await shop.thread(r1_phone, at(10, 20, 9), "camille", "montreal")
        await shop.text(existing, at(10, 20, 9, 5), by="camille")  # before the request
        await shop.request(at(10, 28, 12), channel="text", owner="camille", phone=r1_phone)
        await shop.text(
            existing, at(10, 28, 12, 5), by=None, direction="inbound", status="received"
        )
        await shop.text(existing, at(10, 28, 12, 10), by="camille", status="canceled")
        await shop.text(existing, at(10, 28, 12, 30), by="camille")
        # R2: text, only the automatic confirmation and the request card: awaiting reply.
        r2_phone = "+15145550202"
        await shop.request(
            at(10, 29, 14), channel="text", owner="camille", phone=r2_phone,
            source="footer", kind="appointment",
        )  # fmt: skip
        r2_thread = await shop.thread(r2_phone, at(10, 29, 14), "camille", "montreal")
        await shop.text(r2_thread, at(10, 29, 14, 0), by=None, status="sent", automatic=True)
        await shop.text(r2_thread, at(10, 29, 14, 1), by="camille", automatic=True)
        await shop.text(r2_thread, at(10, 29, 14, 10), by="camille", kind="card", status="sent")
        # R3: email, never answered.
        await shop.request(at(10, 30, 9), channel="email", owner="camille", kind="personal_shopper")
        # R4: text at 21:30, answered 10:30 the next morning: 13 h, 1 h without the night.
        r4_phone = "+15145550204"
        await shop.request(at(10, 30, 21, 30), channel="text", owner="camille", phone=r4_phone)
        r4_thread = await shop.thread(r4_phone, at(10, 31, 10, 30), "camille", "montreal")
        await shop.text(r4_thread, at(10, 31, 10, 30), by="camille")
        # R5: email at 23:30 EDT on Oct 31 (a day of its own), answered 10:15 EST on Nov 1:
        # 11 h 45 min across the fall-back night, 15 min without the night.
        r5 = await shop.request(
            at(10, 31, 23, 30), channel="email", owner="camille", source="footer"
        )
        await shop.email(r5, at(11, 1, 10, 15), "camille")
        # Outside the 7 days: Oct 20 (in 30d).
        await shop.request(at(10, 20, 12), channel="email", owner="camille")
        # Mathieu's text request, answered after 1 h; a store lead answered by Mathieu in 20 min.
        m_phone, lead_phone = "+15145550206", "+15145550207"
        await shop.request(at(10, 29, 11), channel="text", owner="mathieu", phone=m_phone)
        m_thread = await shop.thread(m_phone, at(10, 29, 12), "mathieu", "montreal")
        await shop.text(m_thread, at(10, 29, 12), by="mathieu")
        await shop.request(
            at(11, 2, 9), channel="text", owner=None, phone=lead_phone, source="connect_widget"
        )
        lead_thread = await shop.thread(lead_phone, at(11, 2, 9, 20), "mathieu", "montreal")
        await shop.text(lead_thread, at(11, 2, 9, 20), by="mathieu")
        # Priya (Toronto store): an email answered after 2 h.
        p = await shop.request(at(11, 1, 12), channel="email", owner="priya", store="toronto")
        await shop.email(p, at(11, 1, 14), "priya")
        # Contacts: manual ones count, imports and older ones do not.
        await shop.contact("camille", at(10, 29, 10))
        await shop.contact("camille", at(10, 29, 11), origin="import")
        await shop.contact("camille", at(10, 1, 10))
        await shop.contact("mathieu", at(10, 30, 10))
        await shop.contact("priya", at(10, 30, 10))


async def set_level(backend: Backend, handle: str, level: str) -> None:
    async with backend.app.state.db.write() as conn:
        await conn.execute(
            associates.update().where(associates.c.handle == handle).values(level=level)
        )


async def report(backend: Backend, handle: str = "camille", **params: str) -> dict[str, Any]:
    async with backend.http(handle) as http:
        response = await http.get("/api/v1/kpis", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


HOUR = 3600.0


async def test_associate_preference_counts_every_request_submitted_in_the_period(
    backend: Backend,
) -> None:
    await seed_fixture(backend)
    body = await report(backend, period="7d")
    assert body["preference"] == {"text": 3, "email": 2, "total": 5, "ratio": 0.6}
    assert body["preference_unavailable"] is None
    assert body["total_requests"] == 5
    assert body["by_channel"] == {"email": 2, "text": 3}
    assert body["by_source"] == {"connect_widget": 0, "storefront": 3, "footer": 2}
    assert body["by_kind"] == {"contact_me": 3, "appointment": 1, "personal_shopper": 1}
    assert body["contacts_added"] == 1
    assert body["scope"] == "associate" and body["scope_label"] == "Camille Roy"


async def test_reply_time_uses_first_associate_texts_and_emails(backend: Backend) -> None:
    await seed_fixture(backend)
    body = await report(backend, period="7d")
    # R1 30 min, R4 13 h, R5 11 h 45 min; R2 (confirmation only) and R3 await a reply.
    assert body["reply_time"] == {
        "mean_seconds": (0.5 + 13 + 11.75) * HOUR / 3,
        "median_seconds": 11.75 * HOUR,
        "answered": 3,
        "awaiting_reply": 2,
        "overnight_excluded": False,
    }


async def test_overnight_option_leaves_22_to_10_out(backend: Backend) -> None:
    await seed_fixture(backend)
    body = await report(backend, period="7d", overnight="exclude")
    # R1 30 min, R4 1 h, R5 15 min.
    assert body["reply_time"] == {
        "mean_seconds": (0.5 + 1 + 0.25) * HOUR / 3,
        "median_seconds": 0.5 * HOUR,
        "answered": 3,
        "awaiting_reply": 2,
        "overnight_excluded": True,
    }
    assert body["daily"][3]["mean_reply_seconds"] == HOUR


async def test_daily_series_puts_the_late_request_on_oct_31_across_the_fall_back(
    backend: Backend,
) -> None:
    await seed_fixture(backend)
    body = await report(backend, period="7d")
    assert body["period"]["first_day"] == "2026-10-27"
    assert body["period"]["last_day"] == "2026-11-02"
    assert body["period"]["start"].startswith("2026-10-27T04:00:00")
    assert body["period"]["end"].startswith("2026-11-03T05:00:00")
    assert [(d["date"], d["text"], d["email"], d["mean_reply_seconds"]) for d in body["daily"]] == [
        ("2026-10-27", 0, 0, None),
        ("2026-10-28", 1, 0, 0.5 * HOUR),
        ("2026-10-29", 1, 0, None),
        ("2026-10-30", 1, 1, 13 * HOUR),
        ("2026-10-31", 0, 1, 11.75 * HOUR),
        ("2026-11-01", 0, 0, None),
        ("2026-11-02", 0, 0, None),
    ]


async def test_custom_dates_on_the_fall_back_day_only(backend: Backend) -> None:
    await seed_fixture(backend)
    oct31 = await report(backend, **{"from": "2026-10-31", "to": "2026-10-31"})
    nov1 = await report(backend, **{"from": "2026-11-01", "to": "2026-11-01"})
    assert oct31["total_requests"] == 1 and oct31["by_channel"]["email"] == 1
    assert nov1["total_requests"] == 0
    assert oct31["period"]["name"] == "custom"


async def test_store_scope_adds_colleagues_and_leads(backend: Backend) -> None:
    await seed_fixture(backend)
    body = await report(backend, period="7d", scope="store")
    assert body["preference"] == {"text": 5, "email": 2, "total": 7, "ratio": 5 / 7}
    durations = sorted([0.5 * HOUR, 13 * HOUR, 11.75 * HOUR, HOUR, HOUR / 3])
    assert body["reply_time"]["mean_seconds"] == pytest.approx(sum(durations) / 5)
    assert body["reply_time"]["median_seconds"] == HOUR
    assert body["reply_time"]["awaiting_reply"] == 2
    assert body["by_source"]["connect_widget"] == 1
    assert body["contacts_added"] == 2
    assert body["scope_label"] == "Montréal — Sainte-Catherine"


async def test_thirty_days_reach_back_to_oct_4(backend: Backend) -> None:
    await seed_fixture(backend)
    body = await report(backend, period="30d")
    assert body["total_requests"] == 6
    assert body["reply_time"]["awaiting_reply"] == 3
    assert len(body["daily"]) == 30


async def test_today_holds_only_todays_requests(backend: Backend) -> None:
    await seed_fixture(backend)
    body = await report(backend, period="today", scope="store")
    assert body["total_requests"] == 1
    assert body["reply_time"]["mean_seconds"] == HOUR / 3
    assert [d["date"] for d in body["daily"]] == ["2026-11-02"]
