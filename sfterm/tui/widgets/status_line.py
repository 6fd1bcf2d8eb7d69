"""The status line: who is signed in, where, the retailer's mode, and the connection state."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from sfterm.client.link import Link, LinkState
from sfterm.core.models import Me
from sfterm.core.routing import Mode
from sfterm.tui.text import literal
from sfterm.tui.widgets.request_detail import local_time


def link_label(state: LinkState, timezone: str) -> Text:
    """● live / ◌ reconnecting… / ✗ offline since 15:04."""
    if state.link is Link.LIVE:
        return Text("● live", "bold green")
    if state.link is Link.RECONNECTING:
        return Text("◌ reconnecting…", "bold yellow")
    since = local_time(state.since, timezone).strftime("%H:%M")
    return Text(f"✗ offline since {since}", "bold red")


class StatusLine(Widget):
    """One line at the bottom of the main screen."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, me: Me, link: LinkState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.me = me
        self.link = link
        self.note = ""
        """A short remark on the right (e.g. what a search covers)."""

    def set_link(self, link: LinkState) -> None:
        if link != self.link:
            self.link = link
            self.refresh()

    def set_note(self, note: str) -> None:
        if note != self.note:
            self.note = note
            self.refresh()

    def render(self) -> Text:
        me = self.me
        mode = "team mode" if me.retailer.mode is Mode.TEAM else "rep mode"
        left = Text(no_wrap=True, overflow="ellipsis", end="")
        left.append_text(literal(me.associate.name, "bold"))
        left.append("  ·  ", "dim")
        left.append_text(literal(me.store.name))
        left.append("  ·  ", "dim")
        left.append_text(literal(me.retailer.name))
        left.append(f" ({mode})", "dim")
        right = Text(end="")
        if self.note:
            right.append(self.note + "   ", "italic dim")
        right.append_text(link_label(self.link, me.store.timezone))
        width = max(self.size.width, 1)
        gap = width - left.cell_len - right.cell_len
        if gap < 1:
            left.truncate(max(width - right.cell_len - 1, 0), overflow="ellipsis")
            gap = 1
        left.append(" " * gap)
        left.append_text(right)
        return left
