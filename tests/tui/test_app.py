"""The app shell: help lists every key from the bindings, the palette offers the actions,
`[keys]` problems are reported, and `sfterm` without a server says what to run."""

from __future__ import annotations

from pathlib import Path

import pytest

from sfterm.cli import main
from sfterm.tui.keys import keymap_from_config
from sfterm.tui.screens.help import HelpScreen
from tests.support.forms import widget_form
from tests.tui.conftest import SIZE, TuiHarness, screen_text, settle


async def test_help_lists_every_key_grouped_and_closes_with_escape(tui: TuiHarness) -> None:
    async with tui.app(config={"keys": {"accept": "A"}}).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        shown = screen_text(pilot.app)
        for words in ("Move", "Folders", "Act on the selected item", "Next unread", "Quit"):
            assert words in shown
        assert "A               Accept" in shown  # rebound key, from the keymap
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_command_palette_accepts_a_lead(tui: TuiHarness) -> None:
    public = tui.backend.client()
    receipt = await public.submit_request(widget_form(name="Palette Lead"))
    await public.aclose()
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"accept lead")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen_stack[0]
        assert screen.feeds["new_leads"].find(receipt.id) is None  # type: ignore[attr-defined]


def test_keys_table_problems_are_named() -> None:
    keymap, problems = keymap_from_config({"keys": {"accept": "A", "fly": "f", "reply": 3}})
    assert keymap == {"accept": "A"}
    assert any("fly" in p for p in problems) and any("reply" in p for p in problems)


def test_sfterm_without_a_server_says_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "sfterm demo" in err and "--server URL --token TOKEN" in err


def test_sfterm_with_an_unreachable_server_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--server", "http://127.0.0.1:9", "--token", "t"]) == 1
    assert "cannot reach the server at http://127.0.0.1:9" in capsys.readouterr().err


async def test_the_start_hook_runs_once_on_the_first_frame_before_the_stream(
    tui: TuiHarness,
) -> None:
    seen: list[tuple[str, int]] = []

    def first_frame() -> None:
        seen.append((type(app.screen).__name__, len(tui.stream.resumed_after)))

    app = tui.app(on_first_frame=first_frame)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "up")
        await settle(pilot)
        assert seen == [("MainScreen", 0)]  # once, and the stream was not asked for yet
        assert tui.stream.resumed_after == [0]  # then it was
