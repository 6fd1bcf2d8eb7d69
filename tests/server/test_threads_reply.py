"""The reply flow: existing or new thread, the request's card, and the card following resolve."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sfterm.client.api import ApiError
from sfterm.server.db import events
from tests.support.backend import Backend
from tests.support.fake_twilio import FakeTwilio, attach
from tests.support.forms import storefront_form, widget_form


@pytest.fixture
def fake(backend: Backend) -> FakeTwilio:
    fake = FakeTwilio()
    attach(backend, fake)
    return fake


async def _request(backend: Backend, form: dict | None = None) -> int:
    async with backend.http() as http:
        response = await http.post(
            "/api/v1/public/requests", json=form or storefront_form("camille")
        )
    return int(response.json()["id"])


async def test_existing_opens_the_confirmation_thread_and_inserts_the_card(
    backend: Backend, fake: FakeTwilio
) -> None:
    rid = await _request(backend)
    async with backend.client("camille") as c:
        [confirmation_thread] = (await c.threads()).items
        result = await c.reply(rid, "existing")
        request = await c.request(rid)
        page = await c.messages(result.thread.id)
    assert result.thread.id == confirmation_thread.id == request.thread_id
    card = result.card
    assert card.kind == "card" and card.card is not None
    assert (card.card.request_id, card.card.status, card.card.name) == (
        rid,
        "open",
        "Amélie Fortin",
    )
    assert [m.kind for m in page.items] == ["card", "text"]
    assert len(fake.sent) == 1  # the card is not a text


async def test_new_starts_another_thread_from_the_relay_number(
    backend: Backend, fake: FakeTwilio
) -> None:
    rid = await _request(backend)
    async with backend.client("camille") as c:
        result = await c.reply(rid, "new")
        threads = (await c.threads()).items
    assert len(threads) == 2 and threads[0].id == result.thread.id
    assert result.thread.relay_number == "+15145550111"
    assert result.thread.message_count == 1


async def test_existing_without_any_thread_is_refused_saying_so(
    backend: Backend, fake: FakeTwilio
) -> None:
    fake.refuse = None
    rid = await _request(backend, storefront_form("camille", phone="514 555 0177"))
    async with backend.app.state.db.write() as conn:
        from sfterm.server.db import messages, threads

        await conn.execute(threads.update().values(last_message_id=None))
        await conn.execute(messages.delete())
        await conn.execute(threads.delete())
    async with backend.client("camille") as c:
        with pytest.raises(ApiError) as refused:
            await c.reply(rid, "existing")
    assert refused.value.status == 409 and refused.value.error == "no_thread"
    assert "new" in refused.value.message


async def test_replying_to_an_accepted_lead_takes_over_the_stores_thread(
    backend: Backend, fake: FakeTwilio
) -> None:
    rid = await _request(backend, widget_form())
    async with backend.client("mathieu") as c:
        await c.accept_lead(rid)
        result = await c.reply(rid, "existing")
        [thread] = (await c.threads()).items
    assert thread.id == result.thread.id and thread.relay_number == "+15145550100"
    assert thread.message_count == 2  # the confirmation, then the card


async def test_a_lead_or_an_email_request_cannot_be_replied_by_text(
    backend: Backend, fake: FakeTwilio
) -> None:
    lead = await _request(backend, widget_form())
    email = await _request(backend, storefront_form("camille", channel="email", phone=None))
    async with backend.client("camille") as c:
        for rid in (lead, email):
            with pytest.raises(ApiError) as refused:
                await c.reply(rid, "new")
            assert refused.value.status == 409


async def test_resolving_the_request_shows_on_its_card(backend: Backend, fake: FakeTwilio) -> None:
    rid = await _request(backend)
    async with backend.client("camille") as c:
        result = await c.reply(rid, "existing")
        await c.resolve(rid)
        [card, _] = (await c.messages(result.thread.id)).items
        assert card.card is not None and card.card.status == "resolved"
        async with backend.app.state.db.read() as conn:
            last = (await conn.execute(select(events).order_by(events.c.id.desc()).limit(1))).one()
        assert last.type == "message.updated"
        assert last.data["message"]["card"]["status"] == "resolved"
        await c.reopen(rid)
        [card, _] = (await c.messages(result.thread.id)).items
        assert card.card is not None and card.card.status == "open"


async def test_team_mode_replies_open_team_threads_from_the_store_number(
    team_backend: Backend,
) -> None:
    fake = FakeTwilio()
    attach(team_backend, fake)
    rid = await _request(team_backend, storefront_form("elodie"))
    async with team_backend.client("mathieu") as c:
        result = await c.reply(rid, "existing")
        await c.send_message(result.thread.id, "Bonjour!")
        assert (await c.request(rid)).first_reply_at is not None
    assert result.thread.associate_id is None
    assert fake.last("From") == "+15145550100"
    async with team_backend.client("camille") as c:
        assert [t.id for t in (await c.threads()).items] == [result.thread.id]
