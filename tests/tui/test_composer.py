"""The composer: Enter sends, Alt+Enter and Ctrl+J start a new line, the counter follows."""

from __future__ import annotations

from textual.pilot import Pilot

from sfterm.tui.screens.thread import ThreadScreen
from sfterm.tui.widgets.composer import Composer
from tests.support.clock import FakeClock
from tests.tui.fakes import THREAD_ID, FakeClient, HostApp, seeded_client, session_for


def host() -> tuple[HostApp, FakeClient]:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    return HostApp(lambda: ThreadScreen(session, THREAD_ID)), client


async def settle(app: HostApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def counter(app: HostApp) -> str:
    return str(app.screen.query_one(Composer).query_one("#counter").render())


async def test_enter_sends_the_text_and_clears_the_box() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"See you soon")
        await pilot.press("enter")
        await settle(app, pilot)
        assert [body for _, body, _ in client.sends] == ["See you soon"]
        assert app.screen.query_one(Composer).text == ""


async def test_alt_enter_and_ctrl_j_insert_a_newline_instead_of_sending() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", "alt+enter", "b", "ctrl+j", "c")
        assert app.screen.query_one(Composer).text == "a\nb\nc"
        assert client.sends == []
        await pilot.press("enter")
        await settle(app, pilot)
        assert [body for _, body, _ in client.sends] == ["a\nb\nc"]


async def test_enter_on_an_empty_box_sends_nothing() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "space", "enter")
        await settle(app, pilot)
        assert client.sends == []


async def test_the_counter_shows_characters_segments_and_encoding() -> None:
    app, _ = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        box = app.screen.query_one(Composer).input
        box.load_text("a" * 160)
        await pilot.pause()
        assert counter(app).startswith("160 chars · 1 segment · GSM-7")
        box.load_text("a" * 161)
        await pilot.pause()
        assert counter(app).startswith("161 chars · 2 segments · GSM-7")
        box.load_text("Hello 🙂")
        await pilot.pause()
        assert "1 segment · UCS-2" in counter(app)
        box.load_text("é" * 70 + "🙂")
        await pilot.pause()
        assert "2 segments · UCS-2" in counter(app)


async def test_typing_updates_the_counter_live() -> None:
    app, _ = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"hi")
        assert counter(app).startswith("2 chars · 1 segment · GSM-7")


async def test_a_text_over_the_limit_is_not_sent() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.screen.query_one(Composer).input.load_text("a" * 1601)
        await pilot.pause()
        assert "over the 1600-character limit" in counter(app)
        await pilot.press("enter")
        await settle(app, pilot)
        assert client.sends == []


async def test_the_send_key_follows_the_keys_table() -> None:
    app, client = host()
    app.set_keymap({"send": "ctrl+s"})  # `[keys] send = "ctrl+s"`
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", "enter", "b")
        assert client.sends == []
        assert app.screen.query_one(Composer).text == "a\nb"  # Enter is a plain newline now
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [body for _, body, _ in client.sends] == ["a\nb"]
