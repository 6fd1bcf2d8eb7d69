"""The key bar: one entry per action of the focused widget's chain, palette key on the right, a
click presses the key, and it follows focus changes without remounting anything."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static, TextArea

from sfterm.tui.widgets.key_bar import KeyBar


class Pane(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "note('accepted')", "Accept"),
        Binding("enter", "note('opened')", "Open", key_display="⏎"),
        Binding("o", "note('opened')", "Open"),  # a second key for the same action: shown once
        Binding("z", "note('hidden')", "Hidden", show=False),
    ]

    def action_note(self, what: str) -> None:
        self.app.notes.append(what)  # type: ignore[attr-defined]


class Other(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "note('other')", "Other thing")]


class BarApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Pane("pane", id="pane")
        yield Other("other", id="other")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#pane").focus()


def _bar(app: App[None]) -> str:
    return str(app.query_one(KeyBar).render())


async def test_one_entry_per_action_and_the_palette_on_the_right() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = _bar(app)
        assert line.startswith(" a Accept  ⏎ Open ")
        assert "Hidden" not in line and line.count("Open") == 1
        assert line.rstrip().endswith("^p palette")
        assert len(line) == 80


async def test_the_bar_follows_focus() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert "Other thing" not in _bar(app)
        app.query_one("#other").focus()
        await pilot.pause()
        assert "Other thing" in _bar(app) and "Accept" not in _bar(app)


async def test_a_click_on_an_entry_presses_its_key() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = _bar(app)
        await pilot.click(KeyBar, offset=(line.index("Accept"), 0))
        await pilot.pause()
        assert app.notes == ["accepted"]
        await pilot.click(KeyBar, offset=(line.index("Open"), 0))
        await pilot.pause()
        assert app.notes == ["accepted", "opened"]


class Field(TextArea):
    pass


class TypingApp(App[None]):
    """A screen whose keys are letters, some with an Alt twin, and a text field to type in."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,alt+a", "note('attach')", "Attach", key_display="a"),
        Binding("x", "note('resolved')", "Resolve"),
        Binding("question_mark,f1", "note('help')", "Help", key_display="?"),
        Binding("escape", "note('back')", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Pane("pane", id="pane")
        yield Field(id="field")
        yield KeyBar()

    def action_note(self, what: str) -> None:
        self.notes.append(what)


async def test_in_a_text_field_the_bar_shows_the_keys_that_still_work() -> None:
    app = TypingApp()
    async with app.run_test(size=(100, 10)) as pilot:
        app.query_one("#pane").focus()
        await pilot.pause()
        away = _bar(app)
        assert " a Attach " in away and " x Resolve " in away and " ? Help " in away
        app.query_one("#field").focus()
        await pilot.pause()
        typing = _bar(app)
        assert " alt+a Attach " in typing and " f1 Help " in typing and " esc Back " in typing
        assert "Resolve" not in typing  # `x` only types an x here (Textual leaves it out)
        await pilot.press("x", "a", "alt+a", "f1")
        assert app.query_one(Field).text == "xa"
        assert app.notes == ["attach", "help"]
