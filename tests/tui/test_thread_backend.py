"""The thread side against the real in-process backend: the seed's reply flow end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from textual.pilot import Pilot

from sfterm.client.link import Link, LinkState
from sfterm.core.models import DeliveryStatus, MessageOut, RequestStatus
from sfterm.server.auth import load_viewer
from sfterm.server.events import events_after
from sfterm.tui.messages import BackendEvent
from sfterm.tui.modals.reply_choice import ReplyChoiceModal, begin_reply
from sfterm.tui.outbox import Outbox
from sfterm.tui.screens.thread import ThreadScreen
from sfterm.tui.session import Session
from sfterm.tui.widgets.message_list import MessageList
from tests.support.backend import Backend
from tests.support.fake_twilio import FakeTwilio, attach, inbound, post_webhook
from tests.support.forms import storefront_form
from tests.tui.fakes import HostApp

CUSTOMER = "+15145550142"
CAMILLE = "+15145550111"


@pytest.fixture
def fake(backend: Backend) -> FakeTwilio:
    fake = FakeTwilio()
    attach(backend, fake)
    return fake


@pytest.fixture
async def session(backend: Backend) -> AsyncIterator[Session]:
    client = backend.client("camille")
    me = await client.me()
    session = Session(client=client, me=me, clock=backend.clock)
    session.link = LinkState(Link.LIVE, backend.clock())
    try:
        yield session
    finally:
        await client.aclose()


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def submit_text_request(backend: Backend) -> int:
    async with backend.http() as http:
        response = await http.post("/api/v1/public/requests", json=storefront_form("camille"))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def pump(backend: Backend, app: HostApp | None, after: int) -> int:
    """Hand the showing screen every event logged for camille after `after`, as the app would."""
    db = backend.app.state.db
    viewer = await load_viewer(db, backend.tokens["camille"])
    assert viewer is not None
    async with db.read() as conn:
        batch = await events_after(conn, viewer, after)
    if app is not None:
        for event in batch:
            app.screen.post_message(BackendEvent(event))
    return batch[-1].id if batch else after


def shown(app: HostApp) -> str:
    messages = app.screen.query_one(MessageList)
    return "\n".join(
        "".join(seg.text for seg in strip)
        for row in messages.all_rows
        for strip in messages._strips(row)
    )


async def test_reply_existing_send_and_resolve_from_the_card(
    backend: Backend, fake: FakeTwilio, session: Session
) -> None:
    rid = await submit_text_request(backend)
    request = await session.client.request(rid)
    app = HostApp()
    app.call_later(lambda: begin_reply(app.screen, session, request))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReplyChoiceModal)
        label = str(app.screen.query_one("#existing").render())
        assert "A thread with this number exists: 1 message" in label  # the confirmation
        await pilot.press("e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ThreadScreen)
        row = screen.query_one(MessageList).selected_row
        assert isinstance(row, MessageOut) and row.card is not None and row.card.request_id == rid

        await pilot.press(*"Hello Amélie, yes we have it in M.", "enter")
        await settle(pilot)
        assert fake.last("Body") == "Hello Amélie, yes we have it in M."
        assert fake.last("To") == CUSTOMER
        last = screen.query_one(MessageList).rows[-1]
        assert last.body == "Hello Amélie, yes we have it in M." and last.status is not None

        await pilot.press("tab", "g")
        await pilot.press("x")
        await settle(pilot)
        assert (await session.client.request(rid)).status is RequestStatus.RESOLVED
        assert "✓ resolved" in shown(app)


async def test_inbound_text_arrives_live_and_is_shown_literally(
    backend: Backend, fake: FakeTwilio, session: Session
) -> None:
    rid = await submit_text_request(backend)
    thread = (await session.client.reply(rid, "existing")).thread
    after = await pump(backend, None, 0)  # nothing is showing yet: skip what is logged
    app = HostApp(lambda: ThreadScreen(session, thread.id))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        body = "[bold]Saturday[/] \x1b[2J works"
        response = await post_webhook(
            backend, "/webhooks/twilio/sms", inbound("SM" + "1" * 32, CUSTOMER, CAMILLE, body)
        )
        assert response.status_code < 300
        await pump(backend, app, after)
        await settle(pilot)
        text = shown(app)
        assert "[bold]Saturday[/] ␛[2J works" in text and "\x1b" not in text


async def test_a_failed_text_is_retried_with_R(
    backend: Backend, fake: FakeTwilio, session: Session
) -> None:
    thread = await session.client.open_thread(CUSTOMER)
    app = HostApp(lambda: ThreadScreen(session, thread.id))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        fake.refuse = (400, 21211, "The 'To' number is not a valid phone number.")
        await pilot.press(*"Are you there?", "enter")
        await settle(pilot)
        messages = app.screen.query_one(MessageList)
        failed = messages.rows[-1]
        assert failed.status is DeliveryStatus.FAILED and failed.error_code == 21211
        assert "✗ 21211" in shown(app)
        fake.refuse = None
        await pilot.press("tab", "G", "R")
        await settle(pilot)
        assert [m.body for m in messages.rows[-2:]] == ["Are you there?", "Are you there?"]
        assert messages.rows[-1].status is not DeliveryStatus.FAILED


async def test_the_outbox_retry_with_the_same_key_is_one_text(
    backend: Backend, fake: FakeTwilio, session: Session
) -> None:
    thread = await session.client.open_thread(CUSTOMER)
    box = Outbox()
    waiting = box.add(thread.id, "Only once", now=backend.clock())
    [first] = await box.flush(session.client)
    box.add(thread.id, "Only once", now=backend.clock(), key=waiting.key)  # the answer was lost
    [again] = await box.flush(session.client)
    assert first.message is not None and again.message is not None
    assert first.message.id == again.message.id
    assert [f["Body"][0] for f in fake.sent].count("Only once") == 1
