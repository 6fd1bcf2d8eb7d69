"""The Twilio-wire adapter: relay numbers registered at start, and the confirmation text."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from sfterm.server.db import messages, threads
from sfterm.server.messaging import (
    GatewayRefused,
    TwilioMessaging,
    register_relay_numbers,
    register_until_done,
)
from tests.support.backend import BASE, Backend
from tests.support.fake_twilio import FakeTwilio, attach
from tests.support.forms import storefront_form, widget_form

RELAYS = {"+15145550111", "+14385550112", "+15145550113", "+14165550114"}
STORE_NUMBERS = {"+15145550100", "+14165550100"}


@pytest.fixture
def fake(backend: Backend) -> FakeTwilio:
    fake = FakeTwilio()
    attach(backend, fake)
    return fake


async def _submit(backend: Backend, form: dict) -> int:
    async with backend.http() as http:
        response = await http.post("/api/v1/public/requests", json=form)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_every_relay_and_store_number_is_registered_with_the_sms_webhook(
    backend: Backend, fake: FakeTwilio
) -> None:
    registered = await register_relay_numbers(backend.app)
    assert set(registered) == RELAYS | STORE_NUMBERS
    assert {n["phone_number"] for n in fake.numbers.values()} == RELAYS | STORE_NUMBERS
    assert {n["sms_url"] for n in fake.numbers.values()} == {f"{BASE}/webhooks/twilio/sms"}


async def test_registering_again_updates_the_url_instead_of_adding_numbers(
    backend: Backend, fake: FakeTwilio
) -> None:
    await register_relay_numbers(backend.app)
    backend.settings.public_url = "http://moved.test"
    await register_relay_numbers(backend.app)
    assert len(fake.numbers) == len(RELAYS | STORE_NUMBERS)
    assert {n["sms_url"] for n in fake.numbers.values()} == {
        "http://moved.test/webhooks/twilio/sms"
    }


async def test_registration_retries_until_the_gateway_answers(
    backend: Backend, fake: FakeTwilio
) -> None:
    failures = 3
    inner = fake.transport()

    class Flaky(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal failures
            if failures:
                failures -= 1
                raise httpx.ConnectError("refused", request=request)
            return await inner.handle_async_request(request)

    backend.app.state.gateway_transport = Flaky()
    registered = await register_until_done(backend.app, first_delay=0, max_delay=0)
    assert failures == 0
    assert set(registered) == RELAYS | STORE_NUMBERS


async def test_the_adapter_reports_a_twilio_error_body() -> None:
    fake = FakeTwilio(refuse=(400, 21610, "Attempt to send to unsubscribed recipient"))
    adapter = TwilioMessaging(
        "http://gateway.test", "AC" + "1" * 32, "token", transport=fake.transport()
    )
    with pytest.raises(GatewayRefused) as caught:
        await adapter.send(to="+15145550142", from_="+15145550111", body="hi")
    assert caught.value.code == 21610


async def test_a_storefront_text_request_is_confirmed_from_the_associates_relay_number(
    backend: Backend, fake: FakeTwilio
) -> None:
    rid = await _submit(backend, storefront_form("camille"))
    assert len(fake.sent) == 1
    assert fake.last("From") == "+15145550111"
    assert fake.last("To") == "+15145550142"
    assert "Camille" in fake.last("Body") and "STOP" in fake.last("Body")
    async with backend.client("camille") as c:
        page = await c.threads()
        [thread] = page.items
        [message] = (await c.messages(thread.id)).items
        assert (await c.request(rid)).first_reply_at is None
    assert thread.relay_number == "+15145550111"
    assert message.automatic and message.status == "queued" and message.sid
    assert fake.last("StatusCallback") == f"{BASE}/webhooks/twilio/status?m={message.id}"


async def test_a_new_lead_is_confirmed_from_the_store_number(
    backend: Backend, fake: FakeTwilio
) -> None:
    await _submit(backend, widget_form())
    assert fake.last("From") == "+15145550100"
    async with backend.app.state.db.read() as conn:
        owners = [r.associate_id for r in await conn.execute(select(threads))]
    assert owners == [None]


async def test_a_team_mode_request_is_confirmed_from_the_store_in_the_team_thread(
    tmp_path, clock
) -> None:  # type: ignore[no-untyped-def]
    from tests.support.backend import running_backend

    async with running_backend(tmp_path, team_mode=True, clock=clock) as team:
        fake = FakeTwilio()
        attach(team, fake)
        await _submit(team, storefront_form("elodie"))
        assert fake.last("From") == "+15145550100"
        for handle in ("camille", "elodie"):
            async with team.client(handle) as c:
                assert len((await c.threads()).items) == 1


async def test_an_email_request_sends_no_text(backend: Backend, fake: FakeTwilio) -> None:
    await _submit(backend, storefront_form("camille", channel="email", phone=None))
    assert fake.sent == []


async def test_a_refused_confirmation_is_stored_failed_and_the_request_still_lands(
    backend: Backend, fake: FakeTwilio
) -> None:
    fake.refuse = (400, 21614, "To number is not a mobile number")
    await _submit(backend, storefront_form("camille"))
    async with backend.app.state.db.read() as conn:
        row = (await conn.execute(select(messages))).one()
    assert row.status == "failed" and row.error_code == 21614
    assert "not a mobile" in row.error_message


async def test_without_a_gateway_the_confirmation_fails_visibly(backend: Backend) -> None:
    await _submit(backend, storefront_form("camille"))
    async with backend.app.state.db.read() as conn:
        row = (await conn.execute(select(messages))).one()
    assert row.status == "failed" and "gateway" in row.error_message
