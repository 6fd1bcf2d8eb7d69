"""Alt chords as a terminal sends them (ESC, then the key) run their bindings, even from the
composer: they are never typed, and Alt+Enter starts a new line instead of sending."""

from __future__ import annotations

from textual import events
from textual._xterm_parser import XTermParser

from sfterm.tui.screens.thread import ThreadScreen
from sfterm.tui.terminal_keys import teach_alt_enter
from sfterm.tui.widgets.composer import Composer
from tests.support.clock import FakeClock
from tests.tui.fakes import THREAD_ID, FakeClient, HostApp, seeded_client, session_for


def from_terminal(data: str) -> list[events.Key]:
    """The keys Textual's input parser makes of `data`, as the terminal driver reads them."""
    teach_alt_enter()
    parser = XTermParser()
    tokens = [*parser.feed(data), *parser.feed("")]  # "": the end, where a lone ESC is a key
    return [token for token in tokens if isinstance(token, events.Key)]


def test_alt_enter_is_read_as_alt_enter_and_enter_as_enter() -> None:
    assert [k.key for k in from_terminal("\x1b\r")] == ["alt+enter"]
    assert [k.key for k in from_terminal("\x1b\n")] == ["alt+enter"]  # foot
    assert [k.key for k in from_terminal("\r")] == ["enter"]
    assert [k.key for k in from_terminal("\x1b")] == ["escape"]


def test_an_alt_letter_comes_with_its_letter_as_character() -> None:
    """What makes a text field type it: the app has to drop that character."""
    [key] = from_terminal("\x1bx")
    assert (key.key, key.character) == ("alt+x", "x")


def host() -> tuple[HostApp, FakeClient]:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    return HostApp(lambda: ThreadScreen(session, THREAD_ID, card_request_id=7)), client


async def test_in_the_composer_alt_keys_from_the_terminal_run_their_bindings() -> None:
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        composer = app.screen.query_one(Composer)
        assert composer.input.has_focus
        for key in [*from_terminal("See"), *from_terminal("\x1b\r"), *from_terminal("you")]:
            app.post_message(key)
            await pilot.pause()  # one key at a time, as typed
        assert composer.text == "See\nyou"  # Alt+Enter: a new line, nothing sent
        assert client.sends == []
        for key in from_terminal("\x1bx"):  # Alt+x: resolve the card's request
            app.post_message(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ("resolve", (7,)) in client.calls
        assert composer.text == "See\nyou"  # no x typed
        app.post_message(from_terminal("\r")[0])
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [body for _, body, _ in client.sends] == ["See\nyou"]


async def test_a_burst_of_keys_is_sent_as_typed() -> None:
    """Keys read in one go (a fast typist, a paste): Enter and Alt+Enter act in turn with the
    characters before them, never ahead of those still waiting for the text field."""
    app, client = host()
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in from_terminal("ok\x1b\rsee you\rthen"):
            app.post_message(key)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [body for _, body, _ in client.sends] == ["ok\nsee you"]
        assert app.screen.query_one(Composer).text == "then"
