"""The outbox: texts written offline wait, and go out once (same key) when the link returns."""

from __future__ import annotations

from textual.pilot import Pilot

from sfterm.client.api import ApiError
from sfterm.client.link import Link, LinkState
from sfterm.tui.messages import LinkChanged
from sfterm.tui.outbox import Outbox, outbox_of
from sfterm.tui.screens.thread import ThreadScreen
from sfterm.tui.widgets.message_list import MessageList
from tests.support.clock import START, FakeClock
from tests.tui.fakes import THREAD_ID, FakeClient, HostApp, seeded_client, session_for


async def settle(app: HostApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def lines(app: HostApp) -> str:
    messages = app.screen.query_one(MessageList)
    return "\n".join(
        "".join(seg.text for seg in strip)
        for row in messages.all_rows
        for strip in messages._strips(row)
    )


async def test_flush_sends_each_text_once_with_its_key() -> None:
    client = FakeClient()
    client.add_thread(THREAD_ID)
    box = Outbox()
    first = box.add(THREAD_ID, "one", now=START)
    box.add(THREAD_ID, "two", now=START)
    client.online = False
    assert await box.flush(client) == []
    assert len(box) == 2
    client.online = True
    results = await box.flush(client)
    assert [r.text.body for r in results] == ["one", "two"]
    assert len(box) == 0
    assert [key for _, _, key in client.sends] == [first.key, results[1].text.key]
    assert await box.flush(client) == []


async def test_a_refused_text_leaves_the_outbox_with_its_error() -> None:
    client = FakeClient()
    client.add_thread(THREAD_ID)
    box = Outbox()
    box.add(THREAD_ID, "hello", now=START)
    client.fail_next_send = ApiError(
        422, {"error": "unsubscribed", "message": "phone: the number is unsubscribed"}
    )
    [result] = await box.flush(client)
    assert result.error is not None and result.error.message == "phone: the number is unsubscribed"
    assert len(box) == 0


async def test_offline_a_text_waits_and_is_sent_once_when_the_link_returns() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    app = HostApp(lambda: ThreadScreen(session, THREAD_ID))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        session.link = LinkState(Link.OFFLINE, clock(), "ConnectError")
        app.screen.post_message(LinkChanged(session.link))
        await pilot.press(*"Are you still there?", "enter")
        await settle(app, pilot)
        assert client.sends == []
        [waiting] = outbox_of(session).pending(THREAD_ID)
        assert "waiting to send" in lines(app)

        session.link = LinkState(Link.LIVE, clock())
        app.screen.post_message(LinkChanged(session.link))
        app.screen.post_message(LinkChanged(session.link))
        await settle(app, pilot)
        assert client.sends == [(THREAD_ID, "Are you still there?", waiting.key)]
        assert outbox_of(session).pending() == []
        assert "waiting to send" not in lines(app)
        assert app.screen.query_one(MessageList).rows[-1].body == "Are you still there?"


async def test_a_send_that_cannot_reach_the_server_waits_and_keeps_its_key() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    app = HostApp(lambda: ThreadScreen(session, THREAD_ID))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        client.online = False  # the link still says live: the send itself finds out
        await pilot.press(*"Hello", "enter")
        await settle(app, pilot)
        [waiting] = outbox_of(session).pending(THREAD_ID)
        assert "waiting to send" in lines(app)

        client.online = True
        app.screen.post_message(LinkChanged(LinkState(Link.LIVE, clock())))
        await settle(app, pilot)
        assert client.sends == [(THREAD_ID, "Hello", waiting.key)]
        sent = [m for m in client.messages_[THREAD_ID] if m.body == "Hello"]
        assert len(sent) == 1


async def test_waiting_texts_outlive_the_screen_that_queued_them() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    outbox_of(session).add(THREAD_ID, "queued earlier", now=clock())
    app = HostApp(lambda: ThreadScreen(session, THREAD_ID))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert "queued earlier" in lines(app) and "waiting to send" in lines(app)
