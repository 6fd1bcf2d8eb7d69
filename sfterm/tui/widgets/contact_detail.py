"""One contact in full: its numbers, email and notes, then its threads and requests to open.

The card is drawn from what the list already has; the threads and requests arrive with the
contact's detail read (`show`). Enter on a thread (or on a request that has one) posts `Open`.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sfterm.core.models import (
    ContactOut,
    Direction,
    RequestOut,
    RequestStatus,
    ThreadOut,
)
from sfterm.tui.keys import key_hints
from sfterm.tui.text import counted, literal, one_line
from sfterm.tui.widgets.request_detail import local_time
from sfterm.tui.widgets.rows import KIND_LABEL, ago


def card_view(contact: ContactOut, timezone: str, keys: dict[str, str]) -> RenderableType:
    """Name, numbers (with labels), email, notes, since when; and the keys that edit."""
    title = literal(contact.name, "bold")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    if contact.phones:
        for n, phone in enumerate(contact.phones):
            value = literal(phone.phone_display, "bold")
            value.append(f"  {one_line(phone.label, 20)}", "dim")
            table.add_row("Numbers" if n == 0 else "", value)
    else:
        table.add_row("Numbers", Text("none yet", "dim italic"))
    table.add_row("Email", literal(contact.email) if contact.email else Text("—", "dim"))
    if contact.notes:
        table.add_row("Notes", literal(contact.notes, newlines=True))
    since = local_time(contact.created_at, timezone).strftime("%d %b %Y")
    table.add_row("Added", since)
    hint = key_hints([(keys.get("contact_edit", "e"), "edit · numbers")], after="")
    return Group(title, Text(), table, Text(), hint)


def thread_option(thread: ThreadOut, now: datetime) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("✉ " if thread.unread_count else "  ", "bold cyan")
    text.append_text(literal(thread.phone_display))
    text.append(f"  {counted(thread.message_count, 'message')}", "dim")
    last = thread.last_message
    if last is not None:
        text.append(f" · {ago(thread.last_message_at, now)} ago", "dim")
        who = "you: " if last.direction is Direction.OUTBOUND else ""
        body = last.body or (last.card.message if last.card else "")
        text.append("\n    ")
        text.append(one_line(who + body, 40), "italic")
    return text


def request_option(request: RequestOut, now: datetime, timezone: str) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    resolved = request.status is RequestStatus.RESOLVED
    text.append("✓ " if resolved else "● ", "green" if resolved else "cyan")
    text.append(KIND_LABEL.get(request.kind, str(request.kind)))
    when = local_time(request.created_at, timezone).strftime("%d %b")
    text.append(f" · {when} · {'resolved' if resolved else 'open'}", "dim")
    if request.thread_id is None:
        text.append(" · no thread", "dim")
    text.append("\n    ")
    text.append(one_line(request.message, 40), "italic")
    return text


class ContactDetail(Vertical, can_focus=False):
    """The card on top, the linked threads and requests below (an option list to move in)."""

    DEFAULT_CSS = """
    ContactDetail { padding: 1 2 0 2; }
    ContactDetail > #contact-card { height: auto; }
    ContactDetail > #contact-linked-title { margin-top: 1; color: $text-muted; text-style: bold; }
    ContactDetail > OptionList { height: 1fr; border: none; padding: 0; background: transparent; }
    ContactDetail > OptionList:focus { border: none; background-tint: $foreground 4%; }
    """

    class Open(Message):
        """Enter on a thread, or on a request that has a thread."""

        def __init__(self, thread_id: int | None, request_id: int | None) -> None:
            super().__init__()
            self.thread_id = thread_id
            self.request_id = request_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.contact: ContactOut | None = None
        self.threads: list[ThreadOut] = []
        self.requests: list[RequestOut] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("No contact selected", "dim italic"), id="contact-card")
        yield Static("", id="contact-linked-title")
        yield OptionList(id="contact-linked", markup=False)

    @property
    def linked(self) -> OptionList:
        return self.query_one("#contact-linked", OptionList)

    def clear(self, note: str = "No contact selected") -> None:
        self.contact = None
        self.query_one("#contact-card", Static).update(Text(note, "dim italic"))
        self.query_one("#contact-linked-title", Static).update("")
        self.linked.clear_options()

    def show_card(self, contact: ContactOut, timezone: str, keys: dict[str, str]) -> None:
        """The contact as the list has it; the linked rows wait for `show_linked`."""
        same = self.contact is not None and self.contact.id == contact.id
        self.contact = contact
        self.query_one("#contact-card", Static).update(card_view(contact, timezone, keys))
        if not same:
            self.threads, self.requests = [], []
            self.query_one("#contact-linked-title", Static).update(Text("Loading…"))
            self.linked.clear_options()

    def show_linked(
        self,
        threads: list[ThreadOut],
        requests: list[RequestOut],
        now: datetime,
        timezone: str,
        more: tuple[int, int] = (0, 0),
    ) -> None:
        """The contact's threads and requests; `more` counts those not shown (threads, requests)."""
        self.threads, self.requests = threads, requests
        title = Text(f"Threads {len(threads) + more[0]}  ·  Requests {len(requests) + more[1]}")
        if threads or requests:
            title.append("   Enter opens", "dim")
        self.query_one("#contact-linked-title", Static).update(title)
        linked = self.linked
        highlighted = linked.highlighted
        linked.clear_options()
        options: list[Option] = []
        if threads:
            options.append(Option(Text("Text threads", "bold underline"), disabled=True))
            options += [Option(thread_option(t, now), id=f"t{t.id}") for t in threads]
        if requests:
            options.append(Option(Text("Requests", "bold underline"), disabled=True))
            options += [Option(request_option(r, now, timezone), id=f"r{r.id}") for r in requests]
        if not options:
            options.append(
                Option(Text("No threads or requests with these numbers yet.", "dim"), disabled=True)
            )
        linked.add_options(options)
        if highlighted is not None and highlighted < linked.option_count:
            linked.highlighted = highlighted

    @on(OptionList.OptionSelected, "#contact-linked")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("t"):
            self.post_message(self.Open(int(option_id[1:]), None))
        elif option_id.startswith("r"):
            request_id = int(option_id[1:])
            request = next((r for r in self.requests if r.id == request_id), None)
            thread_id = request.thread_id if request is not None else None
            self.post_message(self.Open(thread_id, request_id))
