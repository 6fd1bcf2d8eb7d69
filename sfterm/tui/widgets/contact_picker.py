"""Find a contact in the book as you type (by name or by number) and pick one to add a number to.

The search runs in the backend (`GET /contacts?q=` or `?phone=`), one exclusive worker per
picker, so the newest query wins; results come back as a `Results` message.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sfterm.client.errors import ApiError, Unreachable
from sfterm.core.models import ContactOut
from sfterm.core.phones import phone_digits
from sfterm.tui.session import Session
from sfterm.tui.text import literal, one_line
from sfterm.tui.widgets.contact_form import ContactForm, phone_field

RESULTS = 20
"""At most this many contacts are listed; typing more narrows them."""

Mode = Literal["name", "phone"]


def contact_option(contact: ContactOut, number: str | None, width: int = 70) -> Text:
    """Two lines: the name (and email), then its numbers, marking the one being added."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(one_line(contact.name, 34), "bold")
    if contact.email:
        text.append("   ")
        text.append(one_line(contact.email, max(width - 40, 10)), "dim")
    text.append("\n   ")
    if not contact.phones:
        text.append("no number yet", "dim italic")
    for i, phone in enumerate(contact.phones[:3]):
        if i:
            text.append(" · ", "dim")
        mine = number is not None and phone.phone == number
        text.append_text(literal(phone.phone_display, "bold green" if mine else ""))
        text.append(f" {one_line(phone.label, 12)}", "dim")
        if mine:
            text.append(" (this number)", "green")
    if len(contact.phones) > 3:
        text.append(f" · {len(contact.phones) - 3} more", "dim")
    return text


class ContactPicker(Vertical):
    """A search box, the contacts found, and the number to add to the one chosen."""

    DEFAULT_CSS = """
    ContactPicker { height: auto; }
    ContactPicker > .form-row { height: 1; margin-top: 1; }
    ContactPicker > .form-row > Label { width: 9; color: $text-muted; padding-right: 1; }
    ContactPicker > .form-row > Input { width: 1fr; }
    ContactPicker > .picker-note { height: 1; margin-top: 1; color: $text-muted; }
    ContactPicker > OptionList {
        height: auto; max-height: 12; margin-top: 1; border: round $panel-lighten-2;
    }
    ContactPicker > OptionList:focus { border: round $accent; }
    """

    class Results(Message):
        def __init__(
            self, picker: ContactPicker, query: str, items: list[ContactOut], error: str | None
        ) -> None:
            super().__init__()
            self.picker = picker
            self.query = query
            self.items = items
            self.error = error

    class Chosen(Message):
        """Enter on a contact: add the number to it."""

        def __init__(self, picker: ContactPicker, contact: ContactOut) -> None:
            super().__init__()
            self.picker = picker
            self.contact = contact

    def __init__(
        self,
        session: Session,
        *,
        mode: Mode,
        query: str = "",
        number: str = "",
        e164: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.session = session
        self.mode: Mode = mode
        self.initial_query = query
        self.number = number
        """The number to add, as shown (editable)."""
        self.e164 = e164
        """The number in E.164, to mark contacts that have it already."""
        self.found: list[ContactOut] = []
        self.searched: str | None = None
        """The query whose results are listed (None before the first answer)."""

    def compose(self) -> ComposeResult:
        what = "name" if self.mode == "name" else "number (3+ digits)"
        with Horizontal(classes="form-row"):
            yield Label("Search")
            yield Input(
                self.initial_query,
                placeholder=f"type a {what}",
                compact=True,
                max_length=200 if self.mode == "name" else 40,
                id="picker-query",
            )
        yield Static("Searching…", classes="picker-note", id="picker-note")
        yield OptionList(id="picker-results", markup=False)
        yield ContactForm([phone_field("Add")], {"phone": self.number}, id="picker-form")

    def on_mount(self) -> None:
        self.search(self.initial_query)

    # ---- parts --------------------------------------------------------------------------------

    @property
    def query_input(self) -> Input:
        return self.query_one("#picker-query", Input)

    @property
    def results(self) -> OptionList:
        return self.query_one("#picker-results", OptionList)

    @property
    def form(self) -> ContactForm:
        return self.query_one("#picker-form", ContactForm)

    def focus_first(self) -> None:
        self.query_input.focus()

    def highlighted(self) -> ContactOut | None:
        index = self.results.highlighted
        if index is None or not (0 <= index < len(self.found)):
            return None
        return self.found[index]

    # ---- searching ----------------------------------------------------------------------------

    def search(self, query: str) -> None:
        query = query.strip()
        if self.mode == "phone" and len(phone_digits(query)) < 3:
            self._note("Type at least 3 digits of the number.")
            self._list([], query)
            return
        self._note("Searching…")
        self.run_search(query)

    @work(exclusive=True, group="picker-search", exit_on_error=False)
    async def run_search(self, query: str) -> None:
        client = self.session.client
        try:
            if self.mode == "phone":
                page = await client.contacts(phone=query, limit=RESULTS)
            else:
                page = await client.contacts(q=query or None, limit=RESULTS)
        except (ApiError, Unreachable) as exc:
            error = exc.message if isinstance(exc, ApiError) else "The server cannot be reached."
            self.post_message(self.Results(self, query, [], error))
            return
        self.post_message(self.Results(self, query, page.items, None))

    @on(Results)
    def _results(self, message: Results) -> None:
        if message.picker is not self:
            return
        message.stop()
        if message.error is not None:
            self._note(message.error)
            self._list([], message.query)
            return
        self._list(message.items, message.query)
        count = len(message.items)
        if not count:
            shown = f"“{one_line(message.query, 30)}”" if message.query else "your book"
            self._note(f"No contact found for {shown}." if message.query else "No contacts yet.")
        else:
            more = "+" if count >= RESULTS else ""
            self._note(f"{count}{more} found · ↓ to choose · Enter adds the number to it")

    def _list(self, items: list[ContactOut], query: str) -> None:
        self.found = items
        self.searched = query
        results = self.results
        results.clear_options()
        results.add_options(Option(contact_option(c, self.e164), id=str(c.id)) for c in items)
        if items:
            results.highlighted = 0

    def _note(self, text: str) -> None:
        self.query_one("#picker-note", Static).update(Text(text))

    def replace(self, contact: ContactOut) -> None:
        """Show a contact as it now is (after a number was added to it)."""
        for index, item in enumerate(self.found):
            if item.id == contact.id:
                self.found[index] = contact
                self.results.replace_option_prompt_at_index(
                    index, contact_option(contact, self.e164)
                )

    # ---- keys and events ----------------------------------------------------------------------

    @on(Input.Changed, "#picker-query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value.strip() != self.searched:
            self.search(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box goes to the results; Enter in the number adds it."""
        event.stop()
        if event.input is self.query_input:
            if self.found:
                self.results.focus()
            return
        contact = self.highlighted()
        if contact is None:
            self.query_input.focus()
            self.app.bell()
            return
        self.post_message(self.Chosen(self, contact))

    @on(OptionList.OptionSelected, "#picker-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        contact = self.highlighted()
        if contact is not None:
            self.post_message(self.Chosen(self, contact))
