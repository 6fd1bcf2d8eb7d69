"""Twilio webhooks: the signature, inbound texts filed by To and From, status, replays, STOP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sfterm.core.twilio_signature import compute_signature
from sfterm.server.db import events, messages, threads, webhook_receipts
from tests.support.backend import BASE, Backend
from tests.support.fake_twilio import FakeTwilio, attach, inbound, post_webhook, status
from tests.support.forms import storefront_form, widget_form

CUSTOMER = "+15145550142"
CAMILLE = "+15145550111"
STORE = "+15145550100"
SMS = "/webhooks/twilio/sms"
STATUS = "/webhooks/twilio/status"


@pytest.fixture
def fake(backend: Backend) -> FakeTwilio:
    fake = FakeTwilio()
    attach(backend, fake)
    return fake


async def _count(backend: Backend, table) -> int:  # type: ignore[no-untyped-def]
    async with backend.app.state.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def _snapshot(backend: Backend) -> tuple[int, int, int, list[tuple]]:
    async with backend.app.state.db.read() as conn:
        rows = [tuple(r) for r in await conn.execute(select(messages).order_by(messages.c.id))]
    return (
        await _count(backend, events),
        await _count(backend, threads),
        await _count(backend, webhook_receipts),
        rows,
    )


# ---- the signature ------------------------------------------------------------------------------


async def test_a_signed_inbound_text_is_answered_with_empty_twiml(
    backend: Backend, fake: FakeTwilio
) -> None:
    response = await post_webhook(backend, SMS, inbound("SM" + "1" * 32, CUSTOMER, CAMILLE, "Hi"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response/>")


@pytest.mark.parametrize("path", [SMS, STATUS])
@pytest.mark.parametrize("signature", [None, "", "RSOYDt4T1cUTdK1PDd93/VVr8B8="])
async def test_a_missing_or_wrong_signature_is_refused_and_changes_nothing(
    backend: Backend, fake: FakeTwilio, path: str, signature: str | None
) -> None:
    before = await _snapshot(backend)
    response = await post_webhook(
        backend, path, inbound("SM" + "1" * 32, CUSTOMER, CAMILLE, "Hi"), signature=signature
    )
    assert response.status_code == 403
    assert response.json()["field"] == "X-Twilio-Signature"
    assert await _snapshot(backend) == before


async def test_a_signature_for_another_url_or_other_params_is_refused(
    backend: Backend, fake: FakeTwilio
) -> None:
    params = inbound("SM" + "1" * 32, CUSTOMER, CAMILLE, "Hi")
    token = backend.settings.twilio_auth_token
    elsewhere = compute_signature(token, "http://elsewhere.test" + SMS, params)
    tampered = compute_signature(token, BASE + SMS, {**params, "Body": "other"})
    for signature in (elsewhere, tampered):
        response = await post_webhook(backend, SMS, params, signature=signature)
        assert response.status_code == 403


# ---- inbound texts ------------------------------------------------------------------------------


async def test_a_text_to_a_relay_number_lands_in_that_associates_thread_unread(
    backend: Backend, fake: FakeTwilio
) -> None:
    await post_webhook(backend, SMS, inbound("SM" + "1" * 32, CUSTOMER, CAMILLE, "Is it in M?"))
    async with backend.client("camille") as c:
        [thread] = (await c.threads()).items
        [message] = (await c.messages(thread.id)).items
    async with backend.client("mathieu") as c:
        assert (await c.threads()).items == []
    assert thread.phone == CUSTOMER and thread.relay_number == CAMILLE
    assert thread.unread_count == 1 and thread.message_count == 1
    assert message.direction == "inbound" and message.body == "Is it in M?"
    assert message.status == "received"
    async with backend.app.state.db.read() as conn:
        kinds = [r.type for r in await conn.execute(select(events).order_by(events.c.id))]
    assert kinds == ["message.created", "thread.updated"]


async def test_a_reply_joins_the_most_recent_thread_with_that_number(
    backend: Backend, fake: FakeTwilio
) -> None:
    async with backend.http() as http:
        await http.post("/api/v1/public/requests", json=storefront_form("camille"))
    await post_webhook(backend, SMS, inbound("SM" + "2" * 32, CUSTOMER, CAMILLE, "Thanks!"))
    async with backend.client("camille") as c:
        [thread] = (await c.threads()).items
    assert thread.message_count == 2 and thread.unread_count == 1
    assert thread.last_message is not None and thread.last_message.body == "Thanks!"


async def test_a_replayed_inbound_text_changes_nothing(backend: Backend, fake: FakeTwilio) -> None:
    params = inbound("SM" + "3" * 32, CUSTOMER, CAMILLE, "Hello")
    await post_webhook(backend, SMS, params)
    before = await _snapshot(backend)
    again = await post_webhook(backend, SMS, params)
    assert again.status_code == 200
    assert await _snapshot(backend) == before


async def test_a_text_to_the_store_number_goes_to_whoever_took_the_customers_lead(
    backend: Backend, fake: FakeTwilio
) -> None:
    async with backend.http() as http:
        lead = (await http.post("/api/v1/public/requests", json=widget_form())).json()["id"]
    await post_webhook(backend, SMS, inbound("SM" + "4" * 32, CUSTOMER, STORE, "Anyone?"))
    async with backend.app.state.db.read() as conn:
        owners = [r.associate_id for r in await conn.execute(select(threads))]
    assert owners == [None]  # nobody took the lead yet: the store keeps it
    async with backend.client("mathieu") as c:
        await c.accept_lead(lead)
    await post_webhook(backend, SMS, inbound("SM" + "5" * 32, CUSTOMER, STORE, "Hello?"))
    async with backend.client("mathieu") as c:
        [thread] = (await c.threads()).items
    assert thread.relay_number == STORE and thread.last_message is not None
    assert thread.last_message.body == "Hello?"


async def test_a_text_to_an_unknown_number_is_acknowledged_and_dropped(
    backend: Backend, fake: FakeTwilio
) -> None:
    response = await post_webhook(
        backend, SMS, inbound("SM" + "6" * 32, CUSTOMER, "+15145550999", "Hi")
    )
    assert response.status_code == 200
    assert await _count(backend, threads) == 0


# ---- consent ------------------------------------------------------------------------------------


async def test_stop_unsubscribes_and_start_lifts_it(backend: Backend, fake: FakeTwilio) -> None:
    await post_webhook(backend, SMS, inbound("SM" + "7" * 32, CUSTOMER, CAMILLE, " stop "))
    async with backend.client("camille") as c:
        [thread] = (await c.threads()).items
        assert thread.consent == "unsubscribed" and "STOP" in (thread.consent_reason or "")
        await post_webhook(backend, SMS, inbound("SM" + "8" * 32, CUSTOMER, CAMILLE, "START"))
        assert (await c.thread(thread.id)).consent == "one_to_one"


async def test_a_new_request_from_the_customer_lifts_their_stop(
    backend: Backend, fake: FakeTwilio
) -> None:
    await post_webhook(backend, SMS, inbound("SM" + "9" * 32, CUSTOMER, CAMILLE, "STOP"))
    async with backend.http() as http:
        await http.post("/api/v1/public/requests", json=storefront_form("camille"))
    async with backend.client("camille") as c:
        [thread] = (await c.threads()).items
    assert thread.consent == "one_to_one"
    assert fake.last("To") == CUSTOMER  # the confirmation went out


# ---- status callbacks ---------------------------------------------------------------------------


async def _sent_sid(backend: Backend) -> tuple[int, str]:
    async with backend.http() as http:
        await http.post("/api/v1/public/requests", json=storefront_form("camille"))
    async with backend.app.state.db.read() as conn:
        row = (await conn.execute(select(messages.c.id, messages.c.sid))).one()
    return row.id, row.sid


async def _message(backend: Backend, message_id: int):  # type: ignore[no-untyped-def]
    async with backend.app.state.db.read() as conn:
        return (await conn.execute(select(messages).where(messages.c.id == message_id))).one()


async def test_status_moves_forward_and_a_late_sent_does_not_undo_delivered(
    backend: Backend, fake: FakeTwilio
) -> None:
    message_id, sid = await _sent_sid(backend)
    for value in ("sending", "delivered", "sent"):
        assert (await post_webhook(backend, STATUS, status(sid, value))).status_code == 204
    assert (await _message(backend, message_id)).status == "delivered"


async def test_a_replayed_status_callback_changes_nothing(
    backend: Backend, fake: FakeTwilio
) -> None:
    _, sid = await _sent_sid(backend)
    await post_webhook(backend, STATUS, status(sid, "sent"))
    before = await _snapshot(backend)
    await post_webhook(backend, STATUS, status(sid, "sent"))
    assert await _snapshot(backend) == before


async def test_a_failed_delivery_records_its_code_and_what_it_means(
    backend: Backend, fake: FakeTwilio
) -> None:
    message_id, sid = await _sent_sid(backend)
    await post_webhook(backend, STATUS, status(sid, "undelivered", "30003"))
    row = await _message(backend, message_id)
    assert row.status == "undelivered" and row.error_code == 30003
    assert "unreachable" in row.error_message
    async with backend.app.state.db.read() as conn:
        last = (await conn.execute(select(events).order_by(events.c.id.desc()).limit(1))).one()
    assert last.type == "message.updated"
    assert last.data["message"]["error_code"] == 30003


async def test_a_callback_that_overtakes_the_send_answer_finds_its_message_by_id(
    backend: Backend, fake: FakeTwilio
) -> None:
    message_id, sid = await _sent_sid(backend)
    async with backend.app.state.db.write() as conn:
        await conn.execute(messages.update().values(sid=None))
    await post_webhook(backend, f"{STATUS}?m={message_id}", status(sid, "sent"))
    row = await _message(backend, message_id)
    assert (row.status, row.sid) == ("sent", sid)


async def test_pictures_in_an_inbound_text_are_kept_as_attachments(
    backend: Backend, fake: FakeTwilio
) -> None:
    params = inbound("SM" + "a" * 32, CUSTOMER, CAMILLE, "Like this?")
    params.update(
        NumMedia="1",
        MediaUrl0="https://media.example/coat.jpg",
        MediaContentType0="image/jpeg",
    )
    await post_webhook(backend, SMS, params)
    async with backend.client("camille") as c:
        [thread] = (await c.threads()).items
        [message] = (await c.messages(thread.id)).items
    [picture] = message.attachments
    assert (picture.kind, picture.url) == ("image", "https://media.example/coat.jpg")


async def test_the_signature_is_checked_against_the_public_url_behind_a_prefix(
    backend: Backend, fake: FakeTwilio
) -> None:
    import httpx
    from fastapi import FastAPI

    outer = FastAPI()
    outer.mount("/sfterm", backend.app)
    backend.settings.public_url = f"{BASE}/sfterm"
    params = inbound("SM" + "b" * 32, CUSTOMER, CAMILLE, "Behind a proxy")
    token = backend.settings.twilio_auth_token
    good = compute_signature(token, f"{BASE}/sfterm{SMS}", params)
    bare = compute_signature(token, f"{BASE}{SMS}", params)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=outer), base_url=BASE) as http:
        refused = await http.post(
            f"/sfterm{SMS}", data=params, headers={"X-Twilio-Signature": bare}
        )
        accepted = await http.post(
            f"/sfterm{SMS}", data=params, headers={"X-Twilio-Signature": good}
        )
    assert (refused.status_code, accepted.status_code) == (403, 200)


async def test_a_new_leads_store_thread_stays_out_of_everyones_events_in_rep_mode(
    backend: Backend, fake: FakeTwilio
) -> None:
    async with backend.http() as http:
        await http.post("/api/v1/public/requests", json=widget_form())
    await post_webhook(backend, SMS, inbound("SM" + "c" * 32, CUSTOMER, STORE, "Hello?"))
    async with backend.app.state.db.read() as conn:
        kinds = [r.type for r in await conn.execute(select(events).order_by(events.c.id))]
    assert kinds == ["lead.created"]  # nobody can open that thread until they reply to the lead
