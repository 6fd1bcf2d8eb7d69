"""The outbox: texts written offline wait, and go out once (same key) when the link returns,
from whichever screen is showing, or when the app is next live if it was quit meanwhile."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from sfterm.client.api import ApiError
from sfterm.client.link import Link
from sfterm.core.models import AttachmentIn, AttachmentKind
from sfterm.tui.app import SftermApp
from sfterm.tui.outbox import Outbox
from sfterm.tui.screens.thread import ThreadScreen
from sfterm.tui.session import Session
from sfterm.tui.widgets.message_list import MessageList
from tests.support.clock import START, FakeClock
from tests.tui.conftest import SIZE, TuiHarness
from tests.tui.conftest import settle as tui_settle
from tests.tui.fakes import THREAD_ID, FakeClient, HostApp, me, seeded_client, session_for

CUSTOMER = "+15145550142"


async def settle(app: HostApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def lines(app: App[None]) -> str:
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


async def test_offline_a_text_waits_and_is_sent_once_when_the_link_returns(
    tui: TuiHarness,
) -> None:
    thread = await tui.session.client.open_thread(CUSTOMER)
    async with tui.app().run_test(size=SIZE) as pilot:
        await tui_settle(pilot)
        pilot.app.push_screen(ThreadScreen(tui.session, thread.id))
        await tui_settle(pilot)
        tui.stream.link(Link.OFFLINE)
        await tui_settle(pilot)
        await pilot.press(*"Are you still there?", "enter")
        await tui_settle(pilot)
        assert len(tui.session.outbox.pending(thread.id)) == 1
        assert "waiting to send" in lines(pilot.app)

        tui.stream.link(Link.LIVE)
        tui.stream.link(Link.LIVE)  # twice: still one text
        await tui_settle(pilot)
        assert tui.session.outbox.pending() == []
        assert "waiting to send" not in lines(pilot.app)
        assert pilot.app.screen.query_one(MessageList).rows[-1].body == "Are you still there?"
        sent = await tui.session.client.messages(thread.id)
        assert [m.body for m in sent.items].count("Are you still there?") == 1


async def test_a_text_left_waiting_goes_out_from_whichever_screen_shows(tui: TuiHarness) -> None:
    thread = await tui.session.client.open_thread(CUSTOMER)
    async with tui.app().run_test(size=SIZE) as pilot:
        await tui_settle(pilot)
        pilot.app.push_screen(ThreadScreen(tui.session, thread.id))
        await tui_settle(pilot)
        tui.stream.link(Link.OFFLINE)
        await pilot.press(*"Back soon", "enter", "escape")
        await tui_settle(pilot)
        assert not isinstance(pilot.app.screen, ThreadScreen)
        assert len(tui.session.outbox) == 1

        tui.stream.link(Link.LIVE)
        await tui_settle(pilot)
        assert len(tui.session.outbox) == 0
        sent = await tui.session.client.messages(thread.id)
        assert [m.body for m in sent.items] == ["Back soon"]


async def test_texts_kept_from_a_run_that_quit_offline_go_out_when_live(
    tui: TuiHarness, tmp_path: Path
) -> None:
    thread = await tui.session.client.open_thread(CUSTOMER)
    kept = tmp_path / "outbox.json"
    earlier = Outbox.kept_in(kept)
    waiting = earlier.add(thread.id, "Written on the train", now=tui.backend.clock())
    assert kept.exists()

    tui.session.outbox = Outbox.kept_in(kept)  # the next run
    assert [t.key for t in tui.session.outbox.pending()] == [waiting.key]
    async with tui.app().run_test(size=SIZE) as pilot:
        await tui_settle(pilot)
        notes = [n.message for n in pilot.app._notifications]
        assert "1 text written offline waits to be sent: sent once the connection is live." in notes
        assert len(tui.session.outbox) == 0  # the stream's first state is live: sent
        assert not kept.exists()
    sent = await tui.session.client.messages(thread.id)
    assert [m.body for m in sent.items] == ["Written on the train"]


def test_the_outbox_file_keeps_texts_and_attachments_until_sent(tmp_path: Path) -> None:
    path = tmp_path / "state" / "outbox.json"
    box = Outbox.kept_in(path)
    assert not path.exists()
    link = AttachmentIn(kind=AttachmentKind.IMAGE, url="https://example.com/coat.jpg")
    first = box.add(THREAD_ID, "Voilà le manteau", [link], now=START)
    box.add(THREAD_ID, "second", now=START)
    again = Outbox.kept_in(path)
    assert again.items == box.items and again.items[0].attachments == (link,)
    box.discard(first.key)
    assert [t.body for t in Outbox.kept_in(path).items] == ["second"]
    box.discard(box.items[0].key)
    assert not path.exists()


def test_an_unreadable_outbox_file_is_set_aside_and_named(tmp_path: Path) -> None:
    path = tmp_path / "outbox.json"
    path.write_text("{not json", encoding="utf-8")
    box = Outbox.kept_in(path)
    assert len(box) == 0
    aside = tmp_path / "outbox.json.unreadable"
    assert box.problem is not None and str(aside) in box.problem
    assert aside.read_text(encoding="utf-8") == "{not json"
    box.add(THREAD_ID, "new", now=START)
    assert [t.body for t in Outbox.kept_in(path).items] == ["new"]


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
        [waiting] = session.outbox.pending(THREAD_ID)
        assert "waiting to send" in lines(app)

        client.online = True
        screen = app.screen
        assert isinstance(screen, ThreadScreen)
        screen.flush_outbox()  # as the app's retry does while the link is live
        await settle(app, pilot)
        assert client.sends == [(THREAD_ID, "Hello", waiting.key)]
        sent = [m for m in client.messages_[THREAD_ID] if m.body == "Hello"]
        assert len(sent) == 1


async def test_waiting_texts_outlive_the_screen_that_queued_them() -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    session.outbox.add(THREAD_ID, "queued earlier", now=clock())
    app = HostApp(lambda: ThreadScreen(session, THREAD_ID))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert "queued earlier" in lines(app) and "waiting to send" in lines(app)


def test_the_session_keeps_the_outbox_it_is_given_even_empty(tmp_path: Path) -> None:
    box = Outbox.kept_in(tmp_path / "outbox.json")
    session = Session(me=me(), client=FakeClient().as_client(), outbox=box)
    assert session.outbox is box


async def test_the_app_tries_waiting_texts_again_while_live(tui: TuiHarness) -> None:
    """A send that found the server out of reach while the stream still looked live waits; the
    app's retry (every OUTBOX_RETRY_SECONDS) sends it."""
    thread = await tui.session.client.open_thread(CUSTOMER)
    async with tui.app().run_test(size=SIZE) as pilot:
        await tui_settle(pilot)
        tui.session.outbox.add(thread.id, "Second try", now=tui.backend.clock())
        app = pilot.app
        assert isinstance(app, SftermApp)
        app._retry_outbox()
        app._retry_outbox()  # a flush already under way: no second one
        await tui_settle(pilot)
        assert len(tui.session.outbox) == 0
    sent = await tui.session.client.messages(thread.id)
    assert [m.body for m in sent.items] == ["Second try"]
