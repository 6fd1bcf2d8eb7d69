"""The thread view: what it shows, live updates, retry of a failed text, the card's resolve."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from sfterm.core.models import (
    Consent,
    DeliveryStatus,
    Direction,
    Event,
    MessageOut,
    RequestStatus,
)
from sfterm.tui.messages import BackendEvent
from sfterm.tui.screens.thread import UNSUBSCRIBED_REASON, ThreadScreen
from sfterm.tui.widgets.composer import Composer
from sfterm.tui.widgets.message_list import MessageList
from tests.support.clock import START, FakeClock
from tests.tui.fakes import THREAD_ID, FakeClient, HostApp, seeded_client, session_for


def screen_lines(app: HostApp) -> list[str]:
    """Every line of the loaded messages, as text."""
    messages = app.screen.query_one(MessageList)
    return [
        "".join(seg.text for seg in strip)
        for row in messages.all_rows
        for strip in messages._strips(row)
    ]


async def settle(app: HostApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def host(
    client: FakeClient | None = None, clock: FakeClock | None = None, **kw: Any
) -> tuple[HostApp, FakeClient]:
    clock = clock or FakeClock()
    client = client or seeded_client(clock)
    session = session_for(client, clock)
    return HostApp(lambda: ThreadScreen(session, THREAD_ID, **kw)), client


async def test_opening_a_thread_shows_its_messages_and_marks_it_read() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        assert "Hi! Do you still have the green coat in size M?" in text
        assert "✓✓" in text and "opened 2×" in text and "$189.00" in text
        assert ("mark_read", (THREAD_ID,)) in client.calls
        header = str(app.screen.query_one("#thread-header").render())
        assert "(514) 555-0123" in header and "contact: Marie Tremblay" in header


async def test_markup_and_control_characters_in_inbound_text_are_shown_literally() -> None:
    app, _ = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        assert "[bold]Saturday[/]" in text
        assert "\x1b" not in text and "␛[2J" in text


async def test_a_failed_text_shows_its_error_and_R_sends_it_again_with_a_new_key() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        assert "✗ failed" in text and "30003 Unreachable destination handset" in text
        messages = app.screen.query_one(MessageList)
        messages.focus()
        await pilot.press("k")  # from the newest to the failed one
        assert messages.selected_row is not None
        assert messages.selected_row.body.startswith("Perfect, it's on hold")
        await pilot.press("R")
        await settle(app, pilot)
        assert [body for _, body, _ in client.sends] == [
            "Perfect, it's on hold under your name until Saturday evening."
        ]
        assert client.messages_[THREAD_ID][-1].status is DeliveryStatus.QUEUED
        assert messages.rows[-1].id == client.messages_[THREAD_ID][-1].id


async def test_R_on_a_message_that_did_not_fail_sends_nothing() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.screen.query_one(MessageList).focus()
        await pilot.press("R")
        await settle(app, pilot)
        assert client.sends == []


async def test_x_resolves_the_request_from_its_card() -> None:
    app, client = host(card_request_id=7)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        messages = app.screen.query_one(MessageList)
        row = messages.selected_row
        assert isinstance(row, MessageOut) and row.card is not None
        await pilot.press("tab")  # from the composer to the messages
        assert messages.has_focus
        await pilot.press("x")
        await settle(app, pilot)
        assert ("resolve", (7,)) in client.calls
        cards = [m.card for m in messages.rows if m.card is not None]
        assert [c.status for c in cards] == [RequestStatus.RESOLVED]
        assert any("✓ resolved" in line for line in screen_lines(app))


async def test_the_card_follows_a_request_updated_event() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        req = client.requests_[7].model_copy(update={"status": RequestStatus.RESOLVED})
        event = Event(
            id=5,
            type="request.updated",
            created_at=START,
            data={"request": req.model_dump(mode="json")},
        )
        app.screen.post_message(BackendEvent(event))
        await pilot.pause()
        cards = [m.card for m in app.screen.query_one(MessageList).rows if m.card]
        assert cards[0].status is RequestStatus.RESOLVED


async def test_incoming_text_appears_and_delivery_marks_update_in_place() -> None:
    clock = FakeClock()
    app, client = host(clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        messages = app.screen.query_one(MessageList)
        count = len(messages.rows)
        clock.advance(minutes=1)
        new = client.add_message(THREAD_ID, "On my way!")
        created = Event(
            id=9,
            type="message.created",
            created_at=clock(),
            data={"message": new.model_dump(mode="json")},
        )
        app.screen.post_message(BackendEvent(created))
        await pilot.pause()
        assert len(messages.rows) == count + 1 and messages.rows[-1].body == "On my way!"
        assert messages.is_at_bottom

        sent = messages.rows[-2]
        assert sent.status is DeliveryStatus.SENT
        delivered = sent.model_copy(update={"status": DeliveryStatus.DELIVERED})
        updated = Event(
            id=10,
            type="message.updated",
            created_at=clock(),
            data={"message": delivered.model_dump(mode="json")},
        )
        app.screen.post_message(BackendEvent(updated))
        await pilot.pause()
        assert len(messages.rows) == count + 1
        assert messages.rows[-2].status is DeliveryStatus.DELIVERED


async def test_a_thread_updated_event_keeps_the_contact_indicator() -> None:
    """Events carry no `contact_match` (it depends on whose contacts): the header keeps its own."""
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        header = app.screen.query_one("#thread-header", Static)
        assert "contact: Marie Tremblay" in str(header.render())
        thread = client.threads_[THREAD_ID]
        news = thread.model_copy(update={"contact_match": None, "message_count": 12})
        event = Event(
            id=9,
            type="thread.updated",
            created_at=START,
            data={"thread": news.model_dump(mode="json")},
        )
        app.screen.post_message(BackendEvent(event))
        await pilot.pause()
        shown = str(header.render())
        assert "12 messages" in shown and "contact: Marie Tremblay" in shown


async def test_events_of_other_threads_are_ignored() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        client.add_thread(2, phone="+15145550999")
        other = client.add_message(2, "Not for this screen")
        event = Event(
            id=9,
            type="message.created",
            created_at=START,
            data={"message": other.model_dump(mode="json")},
        )
        messages = app.screen.query_one(MessageList)
        count = len(messages.rows)
        app.screen.post_message(BackendEvent(event))
        await pilot.pause()
        assert len(messages.rows) == count


async def test_an_unsubscribed_number_disables_the_composer_and_says_why() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    client.threads_[THREAD_ID] = client.threads_[THREAD_ID].model_copy(
        update={"consent": Consent.UNSUBSCRIBED}
    )
    app, _ = host(client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        composer = app.screen.query_one(Composer)
        assert composer.input.disabled
        assert composer.reason == UNSUBSCRIBED_REASON
        assert "texted STOP" in str(composer.query_one("#counter").render())
        assert "unsubscribed from all" in str(app.screen.query_one("#thread-header").render())


async def test_older_pages_load_when_scrolling_up_and_the_view_stays_put() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    for i in range(200):
        client.add_message(
            THREAD_ID,
            f"message {i}",
            direction=Direction.INBOUND,
            at=START - timedelta(minutes=200 - i),
        )
    app, _ = host(client, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        messages = app.screen.query_one(MessageList)
        assert len(messages.rows) == 50 and messages.older is not None
        first_loaded = messages.rows[0].id
        messages.scroll_to(y=0, animate=False, immediate=True)
        await settle(app, pilot)
        assert len(messages.rows) >= 100
        # the message that was at the top is still on screen, below the new page
        top = messages._starts[messages._index[first_loaded]]
        assert messages.scroll_y <= top <= messages.scroll_y + messages.size.height
        for _ in range(10):
            messages.scroll_to(y=0, animate=False, immediate=True)
            await settle(app, pilot)
        assert messages.older is None and len(messages.rows) == 206
        assert ("messages", (THREAD_ID, None)) in client.calls


async def test_a_failed_load_is_a_notification_not_a_traceback() -> None:
    app, client = host()
    client.online = False
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        notes = [n.message for n in app._notifications]
        assert any("cannot be reached" in n for n in notes)
        assert app.return_code is None
