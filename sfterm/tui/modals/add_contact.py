"""Add to Contacts: the four choices for a number on no contact (or on several), in one dialog.

1. create a new contact, prefilled with the customer's name, email and number;
2. add the number to an existing contact, chosen from a list that filters as you type;
3. search the book by the customer's name (choose one to add the number to it, or just look);
4. search it by the number.

Each save is one API call; a refusal lands under the field it names. `Esc` leaves and writes
nothing. The dialog answers a `ContactSaved` (or None); `begin_add_contact` runs it from a screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import ContentSwitcher, Input, Static, Tab, Tabs

from sfterm.client.errors import ApiError, Unreachable
from sfterm.core.models import (
    ContactCreate,
    ContactMatch,
    ContactOut,
    ContactPhoneIn,
    MatchState,
    RequestOut,
    ThreadOut,
)
from sfterm.tui.keys import ADD_CONTACT_BINDINGS, key_hints
from sfterm.tui.session import Session
from sfterm.tui.text import literal, safe_text
from sfterm.tui.widgets.contact_form import EMAIL, NAME, NOTES, ContactForm, phone_field
from sfterm.tui.widgets.contact_indicator import ContactChange, change_from
from sfterm.tui.widgets.contact_picker import ContactPicker

CHOICES = (
    ("new", "New contact"),
    ("existing", "Add to a contact"),
    ("by-name", "Search by name"),
    ("by-number", "Search by number"),
)
"""The four choices, in the order of the keys 1–4."""


@dataclass(frozen=True)
class Customer:
    """Who the dialog is about: what the request (or thread) knows of them."""

    name: str
    email: str | None
    phone: str
    """E.164."""
    phone_display: str
    match: ContactMatch | None

    @classmethod
    def of_request(cls, request: RequestOut) -> Customer:
        return cls(
            name=request.name,
            email=request.email,
            phone=request.phone or "",
            phone_display=request.phone_display or request.phone or "",
            match=request.contact_match,
        )

    @classmethod
    def of_thread(cls, thread: ThreadOut, *, name: str = "") -> Customer:
        """A thread knows the number; `name` is the customer's as a request card gave it."""
        return cls(
            name=name,
            email=None,
            phone=thread.phone,
            phone_display=thread.phone_display,
            match=thread.contact_match,
        )


@dataclass(frozen=True)
class ContactSaved:
    """What the dialog wrote: a new contact, or a number added to one."""

    contact: ContactOut
    phone: str | None
    """The number (E.164) the change gave the contact."""
    created: bool

    @property
    def change(self) -> ContactChange:
        """The change, to patch indicators at once (the `contact.changed` event follows)."""
        return change_from(self.contact, [self.phone] if self.phone else [])

    def summary(self) -> str:
        name = safe_text(self.contact.name)
        if self.created:
            return f"New contact: {name}"
        shown = next(
            (p.phone_display for p in self.contact.phones if p.phone == self.phone), self.phone
        )
        return f"{safe_text(shown)} added to {name}"


def match_line(match: ContactMatch | None) -> Text:
    if match is None:
        return Text("not read yet", "dim")
    if match.state is MatchState.MANY:
        text = Text(f"this number is on {len(match.contacts)} contacts: ", "yellow")
        text.append_text(literal(", ".join(c.name for c in match.contacts[:4]), "yellow"))
        return text
    if match.state is MatchState.ONE and match.contacts:
        text = Text("contact: ")
        text.append_text(literal(match.contacts[0].name, "bold"))
        return text
    return Text("not a contact yet", "dim")


class _Saved(Message):
    def __init__(self, saved: ContactSaved) -> None:
        super().__init__()
        self.saved = saved


class _Refused(Message):
    def __init__(self, view: str, error: ApiError | None, reason: str) -> None:
        super().__init__()
        self.view = view
        self.error = error
        self.reason = reason


class AddContactModal(ModalScreen[ContactSaved | None]):
    """The Add-to-Contacts dialog for one customer's number."""

    BINDINGS: ClassVar[list[BindingType]] = list(ADD_CONTACT_BINDINGS)

    DEFAULT_CSS = """
    AddContactModal { align: center middle; }
    AddContactModal > #dialog {
        width: 92; height: auto; max-height: 34; padding: 0 2 1 2;
        border: thick $primary; background: $surface;
    }
    AddContactModal #who { margin-top: 1; }
    AddContactModal Tabs { margin-top: 1; }
    AddContactModal ContentSwitcher { height: auto; }
    AddContactModal #keys { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, session: Session, customer: Customer, *, choice: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.customer = customer
        many = customer.match is not None and customer.match.state is MatchState.MANY
        self.choice = choice or ("by-number" if many else "new")
        self.saving = False

    def compose(self) -> ComposeResult:
        c = self.customer
        who = Text()
        who.append_text(literal(c.name or "Unknown name", "bold"))
        who.append("   ")
        who.append_text(literal(c.phone_display))
        if c.email:
            who.append("   ")
            who.append_text(literal(c.email, "dim"))
        who.append("\n")
        who.append_text(match_line(c.match))
        dialog = Vertical(id="dialog")
        dialog.border_title = "Add to contacts"
        with dialog:
            yield Static(who, id="who")
            yield Tabs(
                *(Tab(f"{n} {title}", id=key) for n, (key, title) in enumerate(CHOICES, 1)),
                active=self.choice,
                id="choices",
            )
            with ContentSwitcher(initial=self.choice, id="views"):
                values = {"name": c.name, "email": c.email or "", "phone": c.phone_display}
                yield ContactForm([NAME, EMAIL, phone_field(), NOTES], values, id="new")
                yield ContactPicker(
                    self.session,
                    mode="name",
                    number=c.phone_display,
                    e164=c.phone,
                    id="existing",
                )
                yield ContactPicker(
                    self.session,
                    mode="name",
                    query=c.name,
                    number=c.phone_display,
                    e164=c.phone,
                    id="by-name",
                )
                yield ContactPicker(
                    self.session,
                    mode="phone",
                    query=c.phone_display,
                    number=c.phone_display,
                    e164=c.phone,
                    id="by-number",
                )
            yield Static(self._keys_line(), id="keys")

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_view)

    def _keys_line(self) -> Text:
        return key_hints(
            (
                ("Enter", "save" if self.choice == "new" else "add to the chosen contact"),
                ("Tab", "next field"),
                ("alt+1…4", "choice"),
                ("Esc", "cancel"),
            )
        )

    # ---- choosing -----------------------------------------------------------------------------

    @property
    def view(self) -> Any:
        return self.query_one(f"#{self.choice}")

    def action_choose(self, number: int) -> None:
        key = CHOICES[number - 1][0]
        self.query_one(Tabs).active = key

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        key = event.tab.id or "new"
        if key == self.choice:
            return
        self.choice = key
        self.query_one(ContentSwitcher).current = key
        self.query_one("#keys", Static).update(self._keys_line())
        self.call_after_refresh(self._focus_view)

    def _focus_view(self) -> None:
        self.view.focus_first()

    # ---- saving -------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field of the new-contact form saves it."""
        form = self.query_one("#new", ContactForm)
        if event.input in form.query(Input):
            event.stop()
            self.save_new()

    def save_new(self) -> None:
        form = self.query_one("#new", ContactForm)
        if self.saving or not form.check():
            return
        values = form.values()
        body = ContactCreate(
            name=values["name"],
            email=values["email"] or None,
            notes=values["notes"],
            phones=[ContactPhoneIn(phone=values["phone"], label="mobile")],
        )
        self.saving = True
        self.write(self.session.client.create_contact, (body,), "new", None)

    @on(ContactPicker.Chosen)
    def _chosen(self, event: ContactPicker.Chosen) -> None:
        event.stop()
        picker = event.picker
        if self.saving or not picker.form.check():
            return
        number = picker.form.value("phone")
        self.saving = True
        self.write(
            self.session.client.add_contact_phone,
            (event.contact.id, ContactPhoneIn(phone=number, label="mobile")),
            picker.id or "",
            event.contact,
        )

    @work(exclusive=True, group="add-contact", exit_on_error=False)
    async def write(
        self,
        call: Callable[..., Any],
        args: tuple[Any, ...],
        view: str,
        before: ContactOut | None,
    ) -> None:
        try:
            contact: ContactOut = await call(*args)
        except ApiError as exc:
            self.post_message(_Refused(view, exc, exc.message))
            return
        except Unreachable:
            self.post_message(_Refused(view, None, "The server cannot be reached; try again."))
            return
        old = {p.phone for p in before.phones} if before is not None else set()
        added = [p.phone for p in contact.phones if p.phone not in old]
        phone = added[0] if added else (contact.phones[0].phone if contact.phones else None)
        self.post_message(_Saved(ContactSaved(contact, phone, created=before is None)))

    @on(_Saved)
    def _saved(self, message: _Saved) -> None:
        self.saving = False
        self.dismiss(message.saved)

    @on(_Refused)
    def _refused(self, message: _Refused) -> None:
        self.saving = False
        view = self.query_one(f"#{message.view}")
        form = (
            view
            if isinstance(view, ContactForm)
            else self.query_one(f"#{message.view}", ContactPicker).form
        )
        error = message.error
        if error is not None and form.show_api_error(error.field, error.message):
            return
        self.notify(safe_text(message.reason), title="Not saved", severity="error", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)


def begin_add_contact(
    screen: Screen[Any],
    session: Session,
    customer: Customer,
    done: Callable[[ContactSaved], None] | None = None,
) -> None:
    """Open the dialog from `screen`; after a save, tell the associate and call `done`."""

    def finished(saved: ContactSaved | None) -> None:
        if saved is None:
            return
        screen.notify(saved.summary(), title="Contacts", markup=False)
        if done is not None:
            done(saved)

    screen.app.push_screen(AddContactModal(session, customer), finished)
