"""Customer text is shown literally: markup stays text, control characters become visible."""

from __future__ import annotations

from rich.text import Text

from sfterm.tui.text import literal, one_line, safe_text
from tests.support.forms import widget_form
from tests.tui.conftest import SIZE, TuiHarness, screen_text, settle

NAME = "[bold red]x[/]"
MESSAGE = "\x1b[2J wiped? [link=http://evil]click[/link]"


def test_safe_text_shows_control_characters() -> None:
    assert safe_text("a\x1b[2Jb\x00\x07\x7f") == "a␛[2Jb␀␇␡"
    assert safe_text("line\nnext") == "line⏎next"
    assert safe_text("line\nnext", newlines=True) == "line\nnext"
    assert safe_text("\u202eevil") == "\\u202eevil"  # bidi override made visible
    assert safe_text("\x9b31m") == "\\x9b31m"  # C1 CSI


def test_literal_never_reads_markup() -> None:
    text = literal(NAME, "bold")
    assert isinstance(text, Text)
    assert text.plain == NAME
    assert one_line("[/]\x1b", 10) == "[/]␛"


async def test_markup_and_escapes_in_a_request_appear_literally(tui: TuiHarness) -> None:
    public = tui.backend.client()
    await public.submit_request(widget_form(name=NAME, message=MESSAGE))
    await public.aclose()
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert NAME in shown  # in the list and in the detail pane
        assert shown.count(NAME) >= 2
        assert "␛[2J wiped?" in shown  # the detail pane wraps the message: check its parts
        assert "[link=http://evil]click[/link]" in shown
        assert "\x1b" not in shown
