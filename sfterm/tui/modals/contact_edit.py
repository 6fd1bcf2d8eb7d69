"""Edit a contact (name, email, notes, one more number, remove a number) or write a new one,
checked as typed.

Answers the contact as the backend now has it, or None (`Esc` before anything was written). A
refusal lands under the field the backend names; after a partial save (the fields saved, the
number refused) the dialog stays open on the number and saving again sends only what is left.
A number is removed from the list of numbers (`Del`/`d`, then `y`), one call each, and the list
changes when the backend has answered; the dialog stays open (`Esc` then answers the contact as
it now is).
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

from sfterm.client.errors import ApiError, Unreachable, complaint
from sfterm.core.models import (
    ContactCreate,
    ContactOut,
    ContactPatch,
    ContactPhoneIn,
    ContactPhoneOut,
)
from sfterm.tui.keys import CONTACT_EDIT_BINDINGS, key_for, key_hints
from sfterm.tui.session import Session
from sfterm.tui.text import literal, safe_text
from sfterm.tui.widgets.contact_form import (
    EMAIL,
    NAME,
    NOTES,
    ContactForm,
    ContactNumbers,
    phone_field,
)


class _Done(Message):
    def __init__(self, contact: ContactOut | None, error: ApiError | None, reason: str) -> None:
        super().__init__()
        self.contact = contact
        self.error = error
        self.reason = reason


class _Removed(Message):
    """The backend's answer to a removal: the contact as it now is, or why it refused."""

    def __init__(self, phone: ContactPhoneOut, contact: ContactOut | None, reason: str) -> None:
        super().__init__()
        self.phone = phone
        self.contact = contact
        self.reason = reason


class ContactEditModal(ModalScreen[ContactOut | None]):
    """`contact` None writes a new contact."""

    BINDINGS: ClassVar[list[BindingType]] = list(CONTACT_EDIT_BINDINGS)

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
        """A save or a removal is in flight: another waits for its answer."""
        self.written = False
        """Something was written already (a number removed, fields saved): `Esc` answers the
        contact as it now is."""

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
            if contact is not None:
                yield ContactNumbers(contact.phones, id="numbers")
            yield Static(key_hints(self._hints()), id="keys")

    def on_mount(self) -> None:
        self.call_after_refresh(self.form.focus_first)

    def _hints(self) -> list[tuple[str, str]]:
        """The keys line under the dialog: (key, what it does), keys as the user bound them."""
        keymap = getattr(self.app, "user_keymap", {})
        hints = [("Enter", "save"), ("Tab", "next field")]
        if self.contact is not None:
            hints.append((key_for("contact_number_remove", keymap), "remove a number"))
        hints.append((key_for("contact_edit_cancel", keymap), "cancel"))
        return hints

    @property
    def form(self) -> ContactForm:
        return self.query_one("#form", ContactForm)

    @property
    def numbers(self) -> ContactNumbers:
        return self.query_one("#numbers", ContactNumbers)

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
                    self.written = True
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

    # ---- removing a number ----------------------------------------------------------------------

    @on(ContactNumbers.Remove)
    def _remove_asked(self, message: ContactNumbers.Remove) -> None:
        message.stop()
        if self.saving or self.contact is None:
            self.numbers.refused("Wait for the save to finish, then try again.")
            return
        self.saving = True
        self.remove_number(self.contact.id, message.phone)

    @work(group="contact-number", exit_on_error=False)
    async def remove_number(self, contact_id: int, phone: ContactPhoneOut) -> None:
        """One call: take `phone` off the contact; the answer comes back as `_Removed`."""
        try:
            contact = await self.session.client.remove_contact_phone(contact_id, phone.id)
        except (ApiError, Unreachable) as exc:
            self.post_message(_Removed(phone, None, complaint(exc)))
            return
        self.post_message(_Removed(phone, contact, ""))

    @on(_Removed)
    def _removed(self, message: _Removed) -> None:
        self.saving = False
        contact = message.contact
        if contact is None:
            self.numbers.refused(message.reason)
            return
        self.contact = contact
        self.written = True
        self.numbers.show(contact.phones)
        done = Text("Removed ")
        done.append_text(literal(message.phone.phone_display))
        done.append(".")
        self.numbers.say(done)

    def action_cancel(self) -> None:
        self.dismiss(self.contact if self.written else None)


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
