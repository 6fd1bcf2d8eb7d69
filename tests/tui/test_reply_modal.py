"""Replying to a text request: the modal's choices, and the thread that opens after it."""

from __future__ import annotations

from textual.pilot import Pilot

from sfterm.core.models import MessageOut
from sfterm.tui.modals.reply_choice import ReplyChoiceModal, ago, begin_reply
from sfterm.tui.screens.thread import ThreadScreen
from sfterm.tui.widgets.message_list import MessageList
from tests.support.clock import START, FakeClock
from tests.tui.fakes import (
    THREAD_ID,
    FakeClient,
    HostApp,
    request,
    seeded_client,
    session_for,
)


async def settle(app: HostApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def start_reply(client: FakeClient, clock: FakeClock, request_id: int = 7) -> HostApp:
    session = session_for(client, clock)
    app = HostApp()
    req = client.requests_.setdefault(request_id, request(request_id))

    async def go() -> None:
        begin_reply(app.screen, session, req)

    app.call_later(go)
    return app


def existing_label(app: HostApp) -> str:
    return str(app.screen.query_one("#existing").render())


async def test_the_modal_says_how_many_messages_and_when_the_last_was() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    app = start_reply(client, clock, request_id=8)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ReplyChoiceModal)
        label = existing_label(app)
        assert "A thread with this number exists: 6 messages" in label
        assert "the last at 09:55 (5 min ago)" in label


async def test_choosing_existing_opens_that_thread_with_the_card_selected() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    app = start_reply(client, clock, request_id=8)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert ("reply", (8, "existing")) in client.calls
        screen = app.screen
        assert isinstance(screen, ThreadScreen) and screen.thread_id == THREAD_ID
        row = screen.query_one(MessageList).selected_row
        assert isinstance(row, MessageOut) and row.card is not None and row.card.request_id == 8


async def test_choosing_new_starts_a_new_thread() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    app = start_reply(client, clock, request_id=8)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert ("reply", (8, "new")) in client.calls
        screen = app.screen
        assert isinstance(screen, ThreadScreen) and screen.thread_id == 2
        assert screen.card_request_id == 8


async def test_escape_cancels_without_replying() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    app = start_reply(client, clock, request_id=8)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReplyChoiceModal | ThreadScreen)
        assert not any(name == "reply" for name, _ in client.calls)


async def test_without_a_thread_only_new_is_offered() -> None:
    clock = FakeClock()
    client = FakeClient(clock)
    app = start_reply(client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert "No thread with this number yet" in existing_label(app)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ReplyChoiceModal)
        await pilot.press("enter")  # the focused button: New thread
        await settle(app, pilot)
        assert ("reply", (7, "new")) in client.calls
        assert isinstance(app.screen, ThreadScreen)


async def test_a_failed_reply_is_a_notification() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    app = start_reply(client, clock, request_id=8)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        client.online = False
        await pilot.press("n")
        await settle(app, pilot)
        assert any("cannot be reached" in n.message for n in app._notifications)
        assert not isinstance(app.screen, ThreadScreen)


def test_ago_reads_like_people_talk() -> None:
    from datetime import timedelta

    assert ago(START, START) == "just now"
    assert ago(START - timedelta(minutes=5), START) == "5 min ago"
    assert ago(START - timedelta(hours=3), START) == "3 h ago"
    assert ago(START - timedelta(days=1, hours=2), START) == "1 day ago"
    assert ago(START - timedelta(days=4), START) == "4 days ago"
