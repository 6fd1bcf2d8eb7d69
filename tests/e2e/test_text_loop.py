"""The whole loop on real sockets: the backend and its gateway under uvicorn on 127.0.0.1.

Nothing sleeps: the gateway's `wait_idle()` returns once every delivery step and webhook is done
(each webhook waits for the backend's answer, so the backend's handling is done too), and the
relay-number registration is a task the test awaits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from sfterm.client.api import ApiError, SftermClient
from sfterm.gateway.app import gateway_state
from sfterm.runner import RunningServer
from sfterm.server.db import events, messages, threads, webhook_receipts
from tests.support.forms import storefront_form
from tests.support.live import live_server

CUSTOMER = "+15145550142"
CAMILLE = "+15145550111"


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[RunningServer]:
    async with live_server(tmp_path, gateway_delays=(0.0, 0.0, 0.0)) as running:
        await running.app.state.registration  # relay numbers are registered with the gateway
        yield running
        await idle(running)


async def idle(running: RunningServer) -> None:
    await gateway_state(running.app.state.gateway_app).wait_idle()


def associate(running: RunningServer, handle: str = "camille") -> SftermClient:
    return SftermClient(running.info.url, running.info.associates[handle])


def handset(running: RunningServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=running.info.gateway_url)


async def handset_log(running: RunningServer, phone: str) -> list[dict]:
    async with handset(running) as gw:
        response = await gw.get(f"/sim/handsets/{phone}/messages")
    return list(response.json()["messages"])


async def text_from_handset(running: RunningServer, phone: str, to: str, body: str) -> None:
    async with handset(running) as gw:
        response = await gw.post(f"/sim/handsets/{phone}/messages", json={"to": to, "body": body})
    assert response.status_code == 201, response.text
    await idle(running)


async def test_request_confirmation_reply_delivery_and_the_customers_answer(
    live: RunningServer,
) -> None:
    async with httpx.AsyncClient(base_url=live.info.url) as browser:
        response = await browser.post("/api/v1/public/requests", json=storefront_form())
    rid = response.json()["id"]
    await idle(live)
    [confirmation] = await handset_log(live, CUSTOMER)
    assert confirmation["direction"] == "incoming" and confirmation["number"] == CAMILLE
    assert "Camille" in confirmation["body"]

    async with associate(live) as camille:
        reply = await camille.reply(rid, "existing")
        sent = await camille.send_message(reply.thread.id, "Yes, the coat is in size M.")
        assert sent.status == "queued" and sent.sid
        await idle(live)
        [mine, _card, auto] = (await camille.messages(reply.thread.id)).items
        assert (mine.id, mine.status) == (sent.id, "delivered")
        assert auto.automatic and auto.status == "delivered"
        assert (await camille.request(rid)).first_reply_at is not None

        received = [e["body"] for e in await handset_log(live, CUSTOMER)]
        assert received[-1] == "Yes, the coat is in size M."
        await text_from_handset(live, CUSTOMER, CAMILLE, "Great, I'll come by at 5.")
        thread = await camille.thread(reply.thread.id)
        assert thread.last_message is not None
        assert thread.last_message.body == "Great, I'll come by at 5."
        assert thread.last_message.direction == "inbound" and thread.unread_count == 1


async def test_stop_then_a_refused_send_then_start(live: RunningServer) -> None:
    async with associate(live) as camille:
        thread = await camille.open_thread("514 555 0142")
        await text_from_handset(live, CUSTOMER, CAMILLE, "STOP")
        assert (await camille.thread(thread.id)).consent == "unsubscribed"
        before = len(await handset_log(live, CUSTOMER))
        with pytest.raises(ApiError) as refused:
            await camille.send_message(thread.id, "One more thing…")
        assert refused.value.status == 409 and refused.value.error == "unsubscribed"
        assert len(await handset_log(live, CUSTOMER)) == before  # nothing left

        await text_from_handset(live, CUSTOMER, CAMILLE, "START")
        assert (await camille.thread(thread.id)).consent == "one_to_one"
        sent = await camille.send_message(thread.id, "Welcome back!")
        await idle(live)
        [latest, *_] = (await camille.messages(thread.id)).items
        assert (latest.id, latest.status) == (sent.id, "delivered")


async def test_each_failing_handset_ends_failed_or_undelivered_with_its_code(
    live: RunningServer,
) -> None:
    expected = {
        "+15145550196": ("undelivered", 30003),
        "+15145550197": ("undelivered", 30005),
        "+15145550198": ("failed", 30006),
        "+15145550199": ("undelivered", 30007),
    }
    async with associate(live) as camille:
        sent = {}
        for number in expected:
            thread = await camille.open_thread(number)
            sent[number] = (thread.id, (await camille.send_message(thread.id, "Hello")).id)
        await idle(live)
        for number, (status, code) in expected.items():
            thread_id, message_id = sent[number]
            [message] = (await camille.messages(thread_id)).items
            assert message.id == message_id
            assert (message.status, message.error_code) == (status, code), number
            assert message.error_message


async def _snapshot(running: RunningServer) -> tuple:
    async with running.app.state.db.read() as conn:
        counts = [
            (await conn.execute(select(func.count()).select_from(t))).scalar_one()
            for t in (events, threads, webhook_receipts)
        ]
        rows = [tuple(r) for r in await conn.execute(select(messages).order_by(messages.c.id))]
    return counts, rows


async def test_a_replayed_webhook_changes_nothing(live: RunningServer) -> None:
    async with associate(live) as camille:
        thread = await camille.open_thread("514 555 0142")
        await camille.send_message(thread.id, "Hello")
        await idle(live)
    await text_from_handset(live, CUSTOMER, CAMILLE, "Hi back")
    state = gateway_state(live.app.state.gateway_app)
    attempts = [a for m in state.messages.values() for a in m.webhook_attempts if a.ok]
    assert {a.params.get("MessageStatus", "received") for a in attempts} >= {
        "sent",
        "delivered",
        "received",
    }
    before = await _snapshot(live)
    async with httpx.AsyncClient() as gateway_again:
        for attempt in attempts:
            response = await gateway_again.post(
                attempt.url, data=attempt.params, headers={"X-Twilio-Signature": attempt.signature}
            )
            assert response.status_code < 300
    assert await _snapshot(live) == before
