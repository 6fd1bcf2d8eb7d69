"""The customer's phone: one simulated handset's texts, live, and a line to text the store.

Everything the handset received and sent is shown as it happens (the gateway's handset
stream); customer and store text is shown literally (`sfterm.tui.text`). The line at the
bottom texts the chosen number: the store's or an associate's relay number, picked among the
gateway's registered numbers with a key. By default it is the number that last texted the
handset, so answering is just typing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Input, RichLog, Static

from sfterm.client.handset import GatewayNumber, HandsetClient, HandsetError, HandsetText
from sfterm.core.phones import display_phone
from sfterm.tui.keys import bind
from sfterm.tui.terminal_keys import AltChords
from sfterm.tui.text import literal, safe_text
from sfterm.tui.widgets.key_bar import KeyBar

PHONE = "Phone"

PHONE_BINDINGS: list[BindingType] = [
    bind("alt+n,f2", "next_number", "Next number", id="phone_next_number", group=PHONE),
    bind("alt+p,f3", "previous_number", "Previous number", id="phone_previous_number", group=PHONE),
    bind("ctrl+q", "quit", "Quit", id="phone_quit", group=PHONE, priority=True),
]

Follower = Callable[[str, int], AsyncIterator[HandsetText]]
"""Yields a handset's log entries after an index, then each new one (tests pass a fake)."""


class EntryArrived(Message):
    """One line of the handset's log, received from the gateway."""

    def __init__(self, entry: HandsetText) -> None:
        super().__init__()
        self.entry = entry


class NumbersLoaded(Message):
    def __init__(self, numbers: list[GatewayNumber]) -> None:
        super().__init__()
        self.numbers = numbers


class PhoneApp(AltChords):
    """`sfterm phone NUMBER`: the texts of one handset, and a composer."""

    TITLE = "sfterm phone"
    BINDINGS: ClassVar[list[BindingType]] = PHONE_BINDINGS
    CSS = """
    #handset { height: 1; background: $primary; color: $text; padding: 0 1; }
    #texts { height: 1fr; padding: 0 1; }
    #to { height: 1; padding: 0 1; color: $text-muted; }
    #composer { dock: bottom; margin-bottom: 1; }
    """

    def __init__(
        self,
        client: HandsetClient,
        phone: str,
        *,
        region: str = "CA",
        follow: Follower | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.phone = phone
        self.region = region
        self._follow: Follower = follow or (lambda p, after: client.follow(p, after=after))
        self.numbers: list[GatewayNumber] = []
        self.target: str | None = None
        """The number the composer texts."""
        self.chosen_by_hand = False
        self.entries: list[HandsetText] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(f"📱 {self.shown(self.phone)}  ({self.phone})"), id="handset")
        yield RichLog(id="texts", wrap=True, markup=False, highlight=False, auto_scroll=True)
        yield Static(Text("To: (loading the numbers…)"), id="to")
        yield Input(placeholder="Type a text, Enter sends", id="composer")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#composer", Input).focus()
        self.load_numbers()
        self.follow_handset()

    def shown(self, number: str) -> str:
        return display_phone(number, self.region)

    # ---- the gateway ----------------------------------------------------------------------------

    @work(exclusive=True, group="numbers", exit_on_error=False)
    async def load_numbers(self) -> None:
        try:
            numbers = await self.client.numbers()
        except HandsetError as exc:
            self.notify(f"Cannot list the numbers: {exc}", severity="error")
            return
        self.post_message(NumbersLoaded(numbers))

    @work(exclusive=True, group="follow", exit_on_error=False)
    async def follow_handset(self) -> None:
        async for entry in self._follow(self.phone, -1):
            self.post_message(EntryArrived(entry))

    @work(group="send", exit_on_error=False)
    async def send_text(self, to: str, body: str) -> None:
        try:
            await self.client.send(self.phone, to, body)
        except HandsetError as exc:
            self.notify(f"Not sent: {safe_text(str(exc))}", severity="error", markup=False)

    # ---- what arrives ---------------------------------------------------------------------------

    @on(NumbersLoaded)
    def _numbers(self, message: NumbersLoaded) -> None:
        self.numbers = message.numbers
        if self.target is None and self.numbers:
            local = [n for n in self.numbers if n.phone_number[:5] == self.phone[:5]]
            self.target = (local or self.numbers)[0].phone_number  # same area code first
        self._show_target()

    @on(EntryArrived)
    def _entry(self, message: EntryArrived) -> None:
        entry = message.entry
        self.entries.append(entry)
        if entry.incoming and not self.chosen_by_hand:
            self.target = entry.number
            self._show_target()
        self.query_one("#texts", RichLog).write(self.render_entry(entry))

    def render_entry(self, entry: HandsetText) -> Text:
        when = entry.date.astimezone().strftime("%H:%M")
        if entry.incoming:
            head = Text.assemble((f"{when} ", "dim"), ("← from ", "bold cyan"))
        else:
            head = Text.assemble((f"{when} ", "dim"), ("→ to ", "bold green"))
        head.append(self.shown(entry.number), style="bold")
        body = literal(entry.body, newlines=True)
        body.no_wrap = False
        lines = Text.assemble(head, "\n  ", body)
        for url in entry.media_urls:
            lines.append("\n  🖼 ")
            lines.append(literal(url))
        lines.append("\n")
        return lines

    def _show_target(self) -> None:
        label = Text("To: ")
        if self.target is None:
            label.append("no number to text yet", style="italic")
        else:
            label.append(self.shown(self.target), style="bold")
            if len(self.numbers) > 1:
                label.append("   (alt+n / f2: another number)", style="dim")
        self.query_one("#to", Static).update(label)

    # ---- what the person does -------------------------------------------------------------------

    @on(Input.Submitted, "#composer")
    def _submitted(self, event: Input.Submitted) -> None:
        body = event.value
        if not body.strip():
            return
        if self.target is None:
            self.notify("No number to text: the gateway has no registered number yet.")
            return
        event.input.value = ""
        self.send_text(self.target, body)

    def _cycle(self, step: int) -> None:
        if not self.numbers:
            self.notify("The gateway has no registered number yet.")
            return
        phones = [n.phone_number for n in self.numbers]
        index = phones.index(self.target) if self.target in phones else -step
        self.target = phones[(index + step) % len(phones)]
        self.chosen_by_hand = True
        self._show_target()

    def action_next_number(self) -> None:
        self._cycle(1)

    def action_previous_number(self) -> None:
        self._cycle(-1)
