"""Edit a contact (name, email, notes, one more number) or write a new one, checked as typed.

Answers the contact as the backend now has it, or None (`Esc`: nothing is written). A refusal
lands under the field the backend names; after a partial save (the fields saved, the number
refused) the dialog stays open on the number and saving again sends only what is left.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sfterm.client.errors import ApiError, Unreachable
from sfterm.core.models import ContactCreate, ContactOut, ContactPatch, ContactPhoneIn
from sfterm.tui.keys import MOVE, bind
from sfterm.tui.session import Session
from sfterm.tui.text import safe_text
from sfterm.tui.widgets.contact_form import EMAIL, NAME, NOTES, ContactForm, phone_field


class _Done(Message):
    def __init__(self, contact: ContactOut | None, error: ApiError | None, reason: str) -> None:
        super().__init__()
        self.contact = contact
        self.error = error
        self.reason = reason


class ContactEditModal(ModalScreen[ContactOut | None]):
    """`contact` None writes a new contact."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("escape", "cancel", "Cancel", id="contact_edit_cancel", group=MOVE, key_display="Esc"),
    ]

    DEFAULT_CSS = """
    ContactEditModal { align: center middle; }
    ContactEditModal > #dialog {
        width: 80; height: auto; padding: 0 2 1 2; border: thick $primary; background: $surface;
    }
    ContactEditModal #keys { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, session: Session, contact: ContactOut | None) -> None:
        super().__init__()
        self.session = session
        self.contact = contact
        self.saving = False

    def compose(self) -> ComposeResult:
        contact = self.contact
        if contact is None:
            specs = [NAME, EMAIL, phone_field(required=False), NOTES]
            values: dict[str, str] = {}
        else:
            specs = [NAME, EMAIL, NOTES, phone_field("Add no.", required=False)]
            values = {"name": contact.name, "email": contact.email or "", "notes": contact.notes}
        dialog = Vertical(id="dialog")
        dialog.border_title = "New contact" if contact is None else "Edit contact"
        with dialog:
            yield ContactForm(specs, values, id="form")
            keys = Text()
            for key, what in (("Enter", "save"), ("Tab", "next field"), ("Esc", "cancel")):
                keys.append(f" {key} ", "reverse bold")
                keys.append(f" {what}  ")
            yield Static(keys, id="keys")

    def on_mount(self) -> None:
        self.call_after_refresh(self.form.focus_first)

    @property
    def form(self) -> ContactForm:
        return self.query_one("#form", ContactForm)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.saving or not self.form.check():
            return
        self.saving = True
        self.save(self.form.values())

    @work(exclusive=True, group="contact-edit", exit_on_error=False)
    async def save(self, values: dict[str, str]) -> None:
        client = self.session.client
        contact = self.contact
        try:
            if contact is None:
                phones = [ContactPhoneIn(phone=values["phone"], label="mobile")]
                body = ContactCreate(
                    name=values["name"],
                    email=values["email"] or None,
                    notes=values["notes"],
                    phones=phones if values["phone"] else [],
                )
                contact = await client.create_contact(body)
            else:
                changed = _changes(contact, values)
                if changed:
                    contact = await client.update_contact(contact.id, ContactPatch(**changed))
                    self.contact = contact  # saving again sends only what is left
                if values["phone"]:
                    number = ContactPhoneIn(phone=values["phone"], label="mobile")
                    contact = await client.add_contact_phone(contact.id, number)
        except ApiError as exc:
            self.post_message(_Done(None, exc, exc.message))
            return
        except Unreachable:
            self.post_message(_Done(None, None, "The server cannot be reached; try again."))
            return
        self.post_message(_Done(contact, None, ""))

    @on(_Done)
    def _done(self, message: _Done) -> None:
        self.saving = False
        if message.contact is not None:
            self.dismiss(message.contact)
            return
        error = message.error
        if error is not None and self.form.show_api_error(error.field, error.message):
            return
        self.notify(safe_text(message.reason), title="Not saved", severity="error", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _changes(contact: ContactOut, values: dict[str, str]) -> dict[str, Any]:
    """The fields whose typed value differs from the contact's."""
    changed: dict[str, Any] = {}
    if values["name"] != contact.name:
        changed["name"] = values["name"]
    if (values["email"] or None) != contact.email:
        changed["email"] = values["email"] or None
    if values["notes"] != contact.notes:
        changed["notes"] = values["notes"]
    return changed
