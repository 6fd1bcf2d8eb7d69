"""Reply time through the real flow: confirmation text, reply card, the associate's texts."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from sqlalchemy import select

from sfterm.server.db import associates, requests
from tests.support.backend import Backend
from tests.support.fake_twilio import FakeTwilio, attach
from tests.support.forms import storefront_form


async def _submit(backend: Backend, **form: object) -> int:
    async with backend.http() as http:
        response = await http.post("/api/v1/public/requests", json=storefront_form(**form))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_the_confirmation_and_the_card_do_not_answer_a_text_request(
    backend: Backend,
) -> None:
    fake = FakeTwilio()
    attach(backend, fake)
    rid = await _submit(backend)
    assert len(fake.sent) == 1  # the confirmation went out
    backend.clock.advance(minutes=5)
    async with backend.client("camille") as client:
        result = await client.reply(rid, "existing")
        report = await client.kpis(period="today")
        assert report.reply_time.answered == 0
        assert report.reply_time.awaiting_reply == 1
        backend.clock.advance(minutes=7)
        await client.send_message(result.thread.id, "Yes, we have it in M.")
        report = await client.kpis(period="today")
        request = await client.request(rid)
    assert report.reply_time.answered == 1
    assert report.reply_time.mean_seconds == 12 * 60
    assert request.first_reply_at is not None
    assert (request.first_reply_at - request.created_at).total_seconds() == 12 * 60


async def test_a_text_in_an_older_thread_answers_a_later_request(backend: Backend) -> None:
    fake = FakeTwilio()
    attach(backend, fake)
    async with backend.client("camille") as client:
        thread = await client.open_thread("+15145550142")
        await client.send_message(thread.id, "Your order is ready.")
        backend.clock.advance(hours=1)
        await _submit(backend, kind="appointment")
        before = await client.kpis(period="today")
        backend.clock.advance(minutes=20)
        await client.send_message(thread.id, "Tomorrow at 3 works.")
        after = await client.kpis(period="today")
    assert (before.reply_time.answered, before.reply_time.awaiting_reply) == (0, 1)
    assert (after.reply_time.answered, after.reply_time.awaiting_reply) == (1, 0)
    assert after.reply_time.mean_seconds == 20 * 60


async def test_a_text_that_failed_on_the_way_still_answers(backend: Backend) -> None:
    fake = FakeTwilio()
    attach(backend, fake)
    rid = await _submit(backend)
    fake.refuse = (400, 21614, "To number is not a mobile number")
    backend.clock.advance(minutes=3)
    async with backend.client("camille") as client:
        result = await client.reply(rid, "existing")
        sent = await client.send_message(result.thread.id, "Hello!")
        report = await client.kpis(period="today")
    assert sent.status == "failed"
    assert report.reply_time.answered == 1
    assert report.reply_time.mean_seconds == 3 * 60


async def test_the_reply_time_agrees_with_the_requests_on_the_demo_history(
    tmp_path: Path,
) -> None:
    from tests.demo.stack import demo_stack

    async with demo_stack(tmp_path, history=40) as stack:
        async with stack.app.state.db.write() as conn:
            await conn.execute(associates.update().values(level="admin"))
            rows = list(await conn.execute(select(requests)))
        async with stack.client("camille") as client:
            report = await client.kpis(period="30d", scope="retailer")
    answered = [
        (r.first_reply_at - r.created_at).total_seconds()
        for r in rows
        if r.first_reply_at is not None
    ]
    assert report.total_requests == len(rows) == 40
    assert report.reply_time.answered == len(answered) >= 10
    assert report.reply_time.awaiting_reply == len(rows) - len(answered)
    assert report.reply_time.mean_seconds == pytest.approx(statistics.fmean(answered))
    assert report.reply_time.median_seconds == pytest.approx(statistics.median(answered))
    text = sum(r.channel == "text" for r in rows)
    assert report.preference is not None
    assert (report.preference.text, report.preference.total) == (text, 40)
