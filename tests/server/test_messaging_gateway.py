"""The backend and the simulated gateway together, in one event loop through ASGITransport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sfterm.client.api import ApiError
from sfterm.gateway.app import gateway_state
from tests.support.backend import GatewayBackend, running_backend_with_gateway
from tests.support.clock import FakeClock
from tests.support.forms import storefront_form

CUSTOMER = "+15145550142"
CAMILLE = "+15145550111"


@pytest.fixture
async def sim(tmp_path: Path, clock: FakeClock) -> AsyncIterator[GatewayBackend]:
    async with running_backend_with_gateway(tmp_path, clock=clock) as b:
        yield b


async def test_relay_numbers_point_at_the_backends_webhook(sim: GatewayBackend) -> None:
    numbers = {n.phone_number: n.sms_url for n in gateway_state(sim.gateway).numbers.values()}
    assert numbers[CAMILLE] == "http://backend.test/webhooks/twilio/sms"
    assert len(numbers) == 6


async def test_the_loop_confirmation_reply_delivery_and_the_customers_answer(
    sim: GatewayBackend,
) -> None:
    async with sim.http() as http:
        rid = (await http.post("/api/v1/public/requests", json=storefront_form())).json()["id"]
    await sim.idle()
    async with sim.handset() as phone:
        entries = (await phone.get(f"/sim/handsets/{CUSTOMER}/messages")).json()["messages"]
    assert [(e["direction"], e["number"]) for e in entries] == [("incoming", CAMILLE)]
    assert "thanks for your request" in entries[0]["body"]
    async with sim.client("camille") as c:
        reply = await c.reply(rid, "existing")
        sent = await c.send_message(reply.thread.id, "We have it in M!")
        await sim.idle()
        [after, _card, confirmation] = (await c.messages(reply.thread.id)).items
        assert after.id == sent.id and after.status == "delivered"
        assert confirmation.status == "delivered"
        async with sim.handset() as phone:
            response = await phone.post(
                f"/sim/handsets/{CUSTOMER}/messages", json={"to": CAMILLE, "body": "Merci!"}
            )
            assert response.status_code == 201
        await sim.idle()
        thread = await c.thread(reply.thread.id)
        assert thread.last_message is not None and thread.last_message.body == "Merci!"
        assert thread.unread_count == 1
        assert (await c.request(rid)).first_reply_at is not None


@pytest.mark.parametrize(
    ("number", "code", "final"),
    [
        ("+15145550196", 30003, "undelivered"),
        ("+15145550197", 30005, "undelivered"),
        ("+15145550198", 30006, "failed"),
        ("+15145550199", 30007, "undelivered"),
    ],
)
async def test_each_failing_handset_ends_with_its_code(
    sim: GatewayBackend, number: str, code: int, final: str
) -> None:
    async with sim.client("camille") as c:
        thread = await c.open_thread(number)
        await c.send_message(thread.id, "Hello")
        await sim.idle()
        [message] = (await c.messages(thread.id)).items
    assert (message.status, message.error_code) == (final, code)
    assert message.error_message


async def test_stop_blocks_sending_until_start(sim: GatewayBackend) -> None:
    async with sim.client("camille") as c:
        thread = await c.open_thread(CUSTOMER)
        async with sim.handset() as phone:
            await phone.post(
                f"/sim/handsets/{CUSTOMER}/messages", json={"to": CAMILLE, "body": "STOP"}
            )
            await sim.idle()
            assert (await c.thread(thread.id)).consent == "unsubscribed"
            with pytest.raises(ApiError) as refused:
                await c.send_message(thread.id, "Are you sure?")
            assert refused.value.status == 409
            await phone.post(
                f"/sim/handsets/{CUSTOMER}/messages", json={"to": CAMILLE, "body": "START"}
            )
            await sim.idle()
        assert (await c.thread(thread.id)).consent == "one_to_one"
        sent = await c.send_message(thread.id, "Welcome back")
        await sim.idle()
        [latest, *_] = (await c.messages(thread.id)).items
    assert latest.id == sent.id and latest.status == "delivered"
