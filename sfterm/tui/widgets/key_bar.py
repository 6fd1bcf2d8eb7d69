"""The bottom line of keys: what Textual's `Footer` shows, drawn as one line of text.

The `Footer` mounts a widget per key and mounts them all again each time the bindings change,
which is every focus change: 50–100 ms of styling on these machines, paid at start and on every
Tab. This draws the same line (one entry per action, the command palette key on the right) and
only repaints when the bindings change. A click on an entry presses its key, as the Footer does.

While a text field has focus, Textual leaves out the bindings to keys it types (`a`, `?`); a
binding whose `key_display` names such a key (`a,alt+a` shown as `a`) shows its own key there
(`alt+a`), the one that works.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class Entry:
    """One key on the bar: where it is drawn (cells) and the key a click presses."""

    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget):
    """The keys that work here, one entry per action."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[Entry] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def _shown_bindings(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """(the shown bindings, the first of each action's; the command palette's binding)."""
        active = self.screen.active_bindings
        by_action: dict[str, tuple[Binding, bool]] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (self._as_shown(binding), enabled)
        palette = None
        app = self.app
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = (binding, enabled)
        return list(by_action.values()), palette

    def _as_shown(self, binding: Binding) -> Binding:
        """`binding`, or, when its `key_display` is a key the focused widget takes as typing (a
        text field's letters), `binding` showing its own key."""
        shown, focused = binding.key_display or "", self.screen.focused
        if len(shown) == 1 and focused is not None and focused.check_consume_key(shown, shown):
            return replace(binding, key_display=None)
        return binding

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        shown, palette = self._shown_bindings()
        line = Text(no_wrap=True, overflow="crop", end="")
        entries: list[Entry] = []

        def add(text: Text, binding: Binding, enabled: bool) -> None:
            start = text.cell_len
            text.append(f" {self.app.get_key_display(binding)} ", key_style)
            if binding.description:
                text.append(f"{binding.description} ", description_style)
            if not enabled:
                text.stylize("dim", start)
            entries.append(Entry(start, text.cell_len, binding.key, enabled))

        for binding, enabled in shown:
            add(line, binding, enabled)
        if palette is not None:
            right = Text(end="")
            add(right, *palette)
            gap = self.size.width - line.cell_len - right.cell_len
            drawn = entries.pop()
            if gap >= 1:  # else there is no room for it
                offset = line.cell_len + gap
                entries.append(
                    Entry(drawn.start + offset, drawn.end + offset, drawn.key, drawn.enabled)
                )
                line.append(" " * gap)
                line.append_text(right)
        self._entries = entries
        return line

    def on_mouse_down(self, event: events.MouseDown) -> None:
        for entry in self._entries:
            if entry.start <= event.x < entry.end:
                if entry.enabled:
                    self.app.simulate_key(entry.key)
                else:
                    self.app.bell()
                return
