"""The detail pane: everything about the selected request (or thread) and the keys that apply."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.protocol import rich_cast
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual
from textual.widget import Widget
from textual.widgets import Static

from sfterm.core.models import (
    Channel,
    Consent,
    ContactMatch,
    Direction,
    MatchState,
    RequestOut,
    RequestStatus,
    ThreadOut,
)
from sfterm.core.routing import Folder, Source
from sfterm.tui.keys import key_hints
from sfterm.tui.text import literal
from sfterm.tui.widgets.contact_indicator import offers_add
from sfterm.tui.widgets.rows import KIND_LABEL, span, thread_title

SOURCE_LABEL = {
    Source.CONNECT_WIDGET: "Connect widget (store site)",
    Source.STOREFRONT: "Your storefront",
    Source.FOOTER: "Email footer",
}


def contact_label(match: ContactMatch | None) -> Text:
    """The contact indicator: the contact's name, "not a contact", or "number on N contacts"."""
    if match is None:
        return Text("…", style="dim")
    if match.state is MatchState.ONE and match.contacts:
        return literal(match.contacts[0].name, "bold")
    if match.state is MatchState.MANY:
        return Text(f"number on {len(match.contacts)} contacts", style="yellow")
    return Text("not a contact", style="dim")


def contact_cell(match: ContactMatch | None, keys: dict[str, str]) -> Text:
    """The indicator, with the key that adds the number when Add to Contacts is offered."""
    text = contact_label(match)
    if offers_add(match):
        text.append(f"  · {keys.get('add_contact', 'c')} add", "dim")
    return text


def local_time(when: datetime, timezone: str) -> datetime:
    from zoneinfo import ZoneInfo

    try:
        return when.astimezone(ZoneInfo(timezone))
    except (KeyError, ValueError):
        return when


class Fields:
    """Labels and values in two columns, as `Table.grid(padding=(0, 2))` lays them out (dim
    labels that never wrap, values folded under their column), drawn directly: a Rich table
    measures every cell first, which cost more than the rest of the frame."""

    GAP = 2

    def __init__(self, rows: list[tuple[str, Text | str]]) -> None:
        self.rows = [(label, v if isinstance(v, Text) else Text(v)) for label, v in rows]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        label_width = max((cell_len(label) for label, _ in self.rows), default=0)
        widest = max(
            (cell_len(line) for _, value in self.rows for line in value.plain.split("\n")),
            default=0,
        )
        value_width = max(min(options.max_width - label_width - self.GAP, widest), 1)
        dim = console.get_style("dim")
        new_line = Segment.line()
        for label, value in self.rows:
            lines = value.wrap(console, value_width, overflow="fold", no_wrap=False)
            for number, line in enumerate(lines):
                line.truncate(value_width, overflow="fold", pad=True)
                shown = label if number == 0 else ""
                yield Segment(shown + " " * (label_width - cell_len(shown) + self.GAP), dim)
                style = console.get_style(line.style) if line.style else None
                yield from Segment.apply_style(line.render(console), style)
                yield new_line


def _fields(rows: list[tuple[str, Text | str]]) -> Fields:
    return Fields(rows)


def _fields_table(rows: list[tuple[str, Text | str]]) -> Table:
    """The same as a Rich table (the tests compare the two)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, value if isinstance(value, Text) else Text(value))
    return table


def request_view(
    item: RequestOut, now: datetime, timezone: str, keys: dict[str, str]
) -> RenderableType:
    """The request as the detail pane shows it. `keys` maps action id → key label."""
    lead = item.folder is Folder.NEW_LEADS
    resolved = item.status is RequestStatus.RESOLVED
    title = Text()
    title.append_text(literal(item.name, "bold"))
    badge = "NEW LEAD" if lead else ("RESOLVED" if resolved else "OPEN")
    title.append(f"  {badge}", "bold green" if resolved else "bold cyan")
    if item.channel is Channel.TEXT:
        answer = Text("by text  ")
        answer.append_text(literal(item.phone_display or item.phone or "", "bold"))
    else:
        answer = Text("by email  ")
        answer.append_text(literal(item.email or "", "bold"))
    created = local_time(item.created_at, timezone)
    end = item.first_reply_at or item.resolved_at
    waited = (
        Text(f"answered after {span(end - item.created_at)}", "dim")
        if end is not None
        else Text(f"waiting {span(now - item.created_at)}", "yellow")
    )
    rows: list[tuple[str, Text | str]] = [
        ("Answer", answer),
        ("Contact", contact_cell(item.contact_match, keys) if item.phone else Text("—", "dim")),
        ("Source", SOURCE_LABEL.get(item.source, str(item.source))),
        ("Kind", KIND_LABEL.get(item.kind, str(item.kind))),
        ("Received", created.strftime("%a %d %b %H:%M")),
        ("Waited", waited),
    ]
    if item.associate is not None and not lead:
        rows.append(("Associate", literal(item.associate.name)))
    if item.email and item.channel is Channel.TEXT:
        rows.append(("Email", literal(item.email)))
    message = (
        literal(item.message, newlines=True)
        if item.message
        else Text("(no message)", style="dim italic")
    )
    actions: list[tuple[str, str]] = []
    if lead:
        actions.append((keys.get("accept", "a"), "accept"))
    else:
        reply = "reply" if item.channel is Channel.TEXT else "email"
        actions.append((keys.get("reply", "r"), reply))
        actions.append((keys.get("resolve", "x"), "reopen" if resolved else "resolve"))
    if item.phone and offers_add(item.contact_match):
        actions.append((keys.get("add_contact", "c"), "add contact"))
    hints = key_hints(actions, after="   ")
    return Group(title, Text(), _fields(rows), Text(), message, Text(), hints)


def thread_view(
    thread: ThreadOut, now: datetime, timezone: str, keys: dict[str, str]
) -> RenderableType:
    title = literal(thread_title(thread), "bold")
    rows: list[tuple[str, Text | str]] = [
        ("Number", literal(thread.phone_display)),
        ("Contact", contact_cell(thread.contact_match, keys)),
        ("Messages", f"{thread.message_count}, {thread.unread_count} unread"),
    ]
    if thread.consent is Consent.UNSUBSCRIBED:
        rows.append(("Consent", Text("unsubscribed: nothing can be sent", "bold red")))
    last = thread.last_message
    body = Text("(no messages yet)", "dim italic")
    if last is not None:
        when = local_time(last.created_at, timezone).strftime("%a %d %b %H:%M")
        rows.append(("Last", f"{when} ({span(now - last.created_at)} ago)"))
        prefix = "You: " if last.direction is Direction.OUTBOUND else ""
        body = Text(prefix, "dim")
        shown = last.body or (last.card.message if last.card else "")
        body.append_text(literal(shown, newlines=True))
    actions = [(keys.get("open", "Enter"), "open thread")]
    if offers_add(thread.contact_match):
        actions.append((keys.get("add_contact", "c"), "add contact"))
    hints = key_hints(actions, after="   ")
    return Group(title, Text(), _fields(rows), Text(), body, Text(), hints)


class RenderedOnce(RichVisual):
    """A Rich renderable drawn once per width and style: the layout's height and the paint then
    share one render (Textual renders a Rich table twice, which was most of a cursor move)."""

    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        super().__init__(widget, rich_cast(renderable))
        self._strips: dict[tuple[int, object], list[Strip]] = {}

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        key = (width, style.rich_style)
        strips = self._strips.get(key)
        if strips is None:
            strips = super().render_strips(width, None, style, options)
            self._strips = {key: strips}
        return strips if height is None else strips[:height]

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.height_at(width)

    def height_at(self, width: int) -> int:
        widget = self._widget
        # as Visual.to_strips builds them (a RichVisual reads neither)
        options = RenderOptions(widget._get_style, cast(RulesMap, widget.styles))
        return len(self.render_strips(width, None, widget.visual_style, options))


class RequestDetail(VerticalScroll, can_focus=True):
    """The selected item in full; scrolls when the message is long."""

    DEFAULT_CSS = """
    RequestDetail { padding: 1 2; }
    RequestDetail > Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("Nothing selected", "dim italic"), id="detail-body")

    def show(self, renderable: RenderableType) -> None:
        body = self.query_one("#detail-body", Static)
        visual = RenderedOnce(body, renderable)
        # the same height at the same width needs no new layout, only a repaint
        width = body.content_region.width
        same = width > 0 and visual.height_at(width) == body.content_region.height
        body.update(visual, layout=not same)
        self.scroll_home(animate=False)
