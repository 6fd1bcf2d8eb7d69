"""The demo's customers and its past: valid numbers, imported contacts, thirty days of requests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from sfterm.core.phones import parse_phone
from sfterm.demo.personas import BY_KEY, PERSONAS, SHARED_NUMBERS, reserved_numbers
from sfterm.demo.seed import ASSOCIATES, STORES
from sfterm.server.db import contacts, email_outbox, events, messages, requests
from tests.demo.stack import demo_stack

REGION = {s.handle: s.region for s in STORES}


def test_personas_have_numbers_of_their_store_that_no_one_else_has() -> None:
    assert 25 <= len(PERSONAS) <= 40
    phones = [p.phone for p in PERSONAS]
    assert len(set(phones)) == len(phones)
    assert not set(phones) & reserved_numbers()
    for persona in PERSONAS:
        assert parse_phone(persona.form_phone, REGION[persona.store]) == persona.phone
        assert "@" in persona.email
    assert any(ch in "".join(p.name for p in PERSONAS) for ch in "ÉéèëçïöŒœ")


def test_a_few_personas_are_on_failing_handsets() -> None:
    failing = [p for p in PERSONAS if p.fails]
    assert 2 <= len(failing) <= 5
    assert all(p.phone[-7:] in {"5550196", "5550197", "5550198", "5550199"} for p in failing)


def test_books_and_shared_numbers_name_real_associates_and_personas() -> None:
    handles = {a.handle for a in ASSOCIATES}
    assert {p.book for p in PERSONAS if p.book} <= handles
    assert any(p.book for p in PERSONAS)
    for shared in SHARED_NUMBERS:
        assert BY_KEY[shared.persona].book is not None


async def test_a_fresh_demo_has_thirty_days_of_history(tmp_path: Path) -> None:
    async with demo_stack(tmp_path, history=40) as stack:
        now = stack.clock()
        async with stack.app.state.db.read() as conn:
            rows = list(await conn.execute(select(requests)))
            emails = (await conn.execute(select(func.count()).select_from(email_outbox))).scalar()
            imported = (
                await conn.execute(
                    select(func.count()).select_from(contacts).where(contacts.c.origin == "import")
                )
            ).scalar()
            texts = list(await conn.execute(select(messages).where(messages.c.kind == "text")))
            logged = (await conn.execute(select(func.count()).select_from(events))).scalar()
        assert len(rows) == 40
        assert all(now - timedelta(days=31) < r.created_at < now for r in rows)
        assert sum(r.status == "resolved" for r in rows) >= 5
        assert sum(r.first_reply_at is not None for r in rows) >= 10
        assert sum(r.folder == "new_leads" for r in rows) >= 1
        assert sum(r.channel == "text" for r in rows) >= 15
        assert emails and emails >= 3
        assert imported == sum(1 for p in PERSONAS if p.book) + len(SHARED_NUMBERS)
        assert any(t.direction == "inbound" for t in texts)
        assert any(t.status in {"failed", "undelivered"} for t in texts)
        assert logged and logged > 40


async def test_an_imported_contact_and_a_shared_number_show_on_requests(tmp_path: Path) -> None:
    async with demo_stack(tmp_path, history=0) as stack:
        noemie = BY_KEY["noemie"]  # in mathieu's book, with Luc Bouchard on the same number
        elodie = BY_KEY["francois"]  # in camille's book
        async with stack.client("mathieu") as mathieu, stack.client("camille") as camille:
            for persona, handle in ((noemie, "mathieu"), (elodie, "camille")):
                await mathieu.submit_request(
                    {
                        "source": "storefront",
                        "associate": handle,
                        "kind": "contact_me",
                        "name": persona.name,
                        "phone": persona.form_phone,
                        "channel": "text",
                        "message": "Bonjour",
                    }
                )
            shared = (await mathieu.requests()).items[0].contact_match
            known = (await camille.requests()).items[0].contact_match
        assert shared is not None and shared.state == "many"
        assert {c.name for c in shared.contacts} == {"Noémie Bouchard", "Luc Bouchard"}
        assert known is not None and known.state == "one"
        assert known.contacts[0].name == "François Bélanger"


async def test_the_history_is_written_once(tmp_path: Path) -> None:
    async with demo_stack(tmp_path, history=10) as stack:
        from sfterm.demo.history import seed_history

        async with stack.app.state.db.read() as conn:
            before = (await conn.execute(select(func.count()).select_from(requests))).scalar()
        again = await seed_history(
            stack.app.state.db, stack.tokens, seed=1, now=stack.clock(), base="http://x"
        )
        async with stack.app.state.db.read() as conn:
            after = (await conn.execute(select(func.count()).select_from(requests))).scalar()
        assert again is False
        assert before == after == 10
