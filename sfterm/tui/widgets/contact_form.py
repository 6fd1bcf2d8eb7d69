"""A contact's fields as a form: labelled one-line inputs, each checked, each with its own error;
and the contact's numbers as a list to remove them from (`ContactNumbers`).

What is typed is checked in the form for what the form can know (a name is required, an email
looks like one, a number has digits); whether a number can be texted is the backend's call,
and its 422 message lands under the field it names (`show_api_error`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.validation import Function, ValidationResult, Validator
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sfterm.core.models import ContactPhoneOut
from sfterm.core.phones import phone_digits
from sfterm.tui.keys import CONTACT_NUMBER_BINDINGS, key_for
from sfterm.tui.text import literal, one_line, safe_text

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def name_validator() -> Validator:
    return Function(lambda v: bool(v.strip()), "A contact needs a name.")


def email_validator() -> Validator:
    return Function(
        lambda v: not v.strip() or bool(_EMAIL.fullmatch(v.strip())),
        "This is not an email address (name@example.com).",
    )


def phone_validator(*, required: bool) -> Validator:
    def ok(value: str) -> bool:
        if not value.strip():
            return not required
        return len(phone_digits(value)) >= 3

    return Function(ok, "Type the number, with its area code." if required else "Not a number.")


@dataclass(frozen=True)
class FieldSpec:
    """One field: its key, its label, its checks, and the backend's names for it."""

    key: str
    label: str
    placeholder: str = ""
    validators: Sequence[Validator] = ()
    api_names: tuple[str, ...] = ()
    """The `field` of a backend error that belongs under this input (e.g. `phones.0.phone`)."""
    max_length: int = 0


NAME = FieldSpec("name", "Name", "First and last name", (name_validator(),), ("name",), 200)
EMAIL = FieldSpec("email", "Email", "optional", (email_validator(),), ("email",), 254)
NOTES = FieldSpec("notes", "Notes", "optional: sizes, preferences…", (), ("notes",))
LABEL = FieldSpec("label", "Label", "mobile", (), ("label", "phones.0.label"), 40)


def phone_field(label: str = "Number", *, required: bool = True) -> FieldSpec:
    return FieldSpec(
        "phone",
        label,
        "(514) 555-0123" if required else "optional: a number to add",
        (phone_validator(required=required),),
        ("phone", "phones.0.phone"),
        40,
    )


def without_field(message: str, api_field: str | None) -> str:
    """`phones.0.phone: '555' is not a valid phone number` → `'555' is not a valid…`."""
    if api_field and message.startswith(f"{api_field}: "):
        message = message[len(api_field) + 2 :]
    return message[:1].upper() + message[1:] if message else message


@dataclass
class _Row:
    spec: FieldSpec
    input: Input
    error: Static
    shown: bool = field(default=False)
    """An error was shown for this field: it is checked again as the user types."""


class ContactForm(Vertical):
    """Fields one under the other; Enter in any of them posts `Input.Submitted` (the dialog
    saves). `check()` validates every field and shows what is wrong."""

    DEFAULT_CSS = """
    ContactForm { height: auto; }
    ContactForm > .form-row { height: 1; margin-top: 1; }
    ContactForm > .form-row > Label { width: 9; color: $text-muted; padding-right: 1; }
    ContactForm > .form-row > Input { width: 1fr; }
    ContactForm > .form-error { height: auto; padding-left: 9; color: $text-error; display: none; }
    ContactForm > .form-error.-shown { display: block; }
    """

    def __init__(
        self,
        specs: Iterable[FieldSpec],
        values: dict[str, str] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.specs = list(specs)
        self.initial = dict(values or {})
        self.rows: dict[str, _Row] = {}

    def compose(self) -> ComposeResult:
        for spec in self.specs:
            box = Input(
                self.initial.get(spec.key, ""),
                placeholder=spec.placeholder,
                validators=list(spec.validators),
                validate_on=["changed", "submitted"],
                max_length=spec.max_length,
                compact=True,
                id=f"field-{spec.key}",
            )
            error = Static("", classes="form-error", id=f"error-{spec.key}")
            self.rows[spec.key] = _Row(spec, box, error)
            with Horizontal(classes="form-row"):
                yield Label(spec.label)
                yield box
            yield error

    # ---- reading ------------------------------------------------------------------------------

    def value(self, key: str) -> str:
        return self.rows[key].input.value.strip()

    def values(self) -> dict[str, str]:
        return {key: row.input.value.strip() for key, row in self.rows.items()}

    def input(self, key: str) -> Input:
        return self.rows[key].input

    def focus_first(self) -> None:
        if self.specs:
            self.rows[self.specs[0].key].input.focus()

    # ---- checking -----------------------------------------------------------------------------

    def check(self) -> bool:
        """Validate every field; show each problem under its field; focus the first one."""
        first: Input | None = None
        for row in self.rows.values():
            result = row.input.validate(row.input.value)
            if result is not None and not result.is_valid:
                self._show(row, result.failure_descriptions[0])
                first = first or row.input
            else:
                self._show(row, "")
        if first is not None:
            first.focus()
        return first is None

    def show_api_error(self, api_field: str | None, message: str) -> bool:
        """Put a backend refusal under the field it names; False when no field here is named."""
        for row in self.rows.values():
            if api_field in row.spec.api_names:
                self._show(row, without_field(message, api_field))
                row.input.focus()
                return True
        return False

    def clear_errors(self) -> None:
        for row in self.rows.values():
            self._show(row, "")

    def _show(self, row: _Row, message: str) -> None:
        row.error.update(Text(safe_text(message)))
        row.error.set_class(bool(message), "-shown")
        row.input.set_class(bool(message), "-invalid")
        row.shown = bool(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        for row in self.rows.values():
            if row.input is event.input and row.shown:
                result: ValidationResult | None = event.validation_result
                ok = result is None or result.is_valid
                self._show(row, "" if ok or result is None else result.failure_descriptions[0])


# ---- the numbers of a contact -----------------------------------------------------------------


def number_line(phone: ContactPhoneOut) -> Text:
    """One number as the list shows it: the number, then its label (both shown literally)."""
    line = literal(phone.phone_display, "bold")
    line.append(f"  {one_line(phone.label, 20)}", "dim")
    return line


class ContactNumbers(Vertical):
    """A contact's numbers, one per line, and a line under them for a question or an answer.

    `Del`/`d` on the highlighted number asks whether to remove it; `y` posts `Remove` (the
    dialog calls the backend and shows the contact it answers with `show`), `n` or `Esc` keeps
    it. Nothing leaves the list until the backend answered.
    """

    BINDINGS: ClassVar[list[BindingType]] = list(CONTACT_NUMBER_BINDINGS)

    DEFAULT_CSS = """
    ContactNumbers { height: auto; margin-top: 1; }
    ContactNumbers > .form-row { height: auto; }
    ContactNumbers > .form-row > Label { width: 9; color: $text-muted; padding-right: 1; }
    ContactNumbers > .form-row > OptionList { width: 1fr; max-height: 6; background: $surface; }
    ContactNumbers > #numbers-prompt { height: auto; padding-left: 9; display: none; }
    ContactNumbers > #numbers-prompt.-shown { display: block; }
    ContactNumbers > #numbers-prompt.-error { color: $text-error; }
    """

    class Remove(Message):
        """The associate confirmed: take `phone` off the contact."""

        def __init__(self, phone: ContactPhoneOut) -> None:
            super().__init__()
            self.phone = phone

    def __init__(self, phones: Iterable[ContactPhoneOut], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.phones = list(phones)
        self.asking: ContactPhoneOut | None = None
        """The number the question on the prompt line is about."""
        self.busy = False
        """A removal was sent and its answer has not come yet."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label("Numbers")
            yield OptionList(*self._options(), id="numbers-list", compact=True, markup=False)
        yield Static("", id="numbers-prompt")

    @property
    def number_list(self) -> OptionList:
        return self.query_one("#numbers-list", OptionList)

    @property
    def highlighted(self) -> ContactPhoneOut | None:
        """The number under the cursor, if any."""
        index = self.number_list.highlighted
        return self.phones[index] if index is not None and index < len(self.phones) else None

    def _options(self) -> list[Option]:
        if not self.phones:
            return [Option(Text("none", "dim italic"), disabled=True)]
        return [Option(number_line(p), id=f"phone-{p.id}") for p in self.phones]

    # ---- showing ------------------------------------------------------------------------------

    def show(self, phones: Iterable[ContactPhoneOut]) -> None:
        """The contact's numbers as the backend now has them; the cursor keeps its place."""
        self.phones = list(phones)
        self.asking = None
        self.busy = False
        listing = self.number_list
        index = listing.highlighted
        listing.set_options(self._options())
        if self.phones:
            listing.highlighted = min(index or 0, len(self.phones) - 1)

    def say(self, message: str | Text, *, error: bool = False) -> None:
        """Put `message` on the prompt line (an empty one hides the line)."""
        prompt = self.query_one("#numbers-prompt", Static)
        prompt.update(Text(safe_text(message)) if isinstance(message, str) else message)
        prompt.set_class(bool(message), "-shown")
        prompt.set_class(error, "-error")

    def refused(self, message: str) -> None:
        """The backend did not remove the number: say why; the list stays as it was."""
        self.busy = False
        self.say(message, error=True)

    def _question(self, phone: ContactPhoneOut) -> Text:
        keymap = getattr(self.app, "user_keymap", {})
        text = Text("Remove ")
        text.append_text(literal(phone.phone_display, "bold"))
        text.append(" (its only number)?" if len(self.phones) == 1 else "?")
        for binding_id, what in (
            ("contact_number_confirm", "remove"),
            ("contact_number_keep", "keep"),
        ):
            text.append("  ")
            text.append(f" {key_for(binding_id, keymap)} ", "reverse bold")
            text.append(f" {what}")
        return text

    # ---- keys ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`y`, `n` and `Esc` answer the question only while it is asked (else `Esc` cancels
        the dialog, as anywhere in it)."""
        if action in ("confirm_remove", "keep"):
            return self.asking is not None
        return True

    def action_ask_remove(self) -> None:
        if self.busy:
            return
        phone = self.highlighted
        if phone is None:
            self.say("No number to remove.", error=True)
            return
        self.asking = phone
        self.say(self._question(phone))

    def action_confirm_remove(self) -> None:
        phone = self.asking
        if phone is None:
            return
        self.asking = None
        self.busy = True
        removing = Text("Removing ")
        removing.append_text(literal(phone.phone_display))
        removing.append("…")
        self.say(removing)
        self.post_message(self.Remove(phone))

    def action_keep(self) -> None:
        self.asking = None
        self.say("")

    @on(OptionList.OptionHighlighted, "#numbers-list")
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        """Moving to another number drops a question about the one before."""
        event.stop()
        if self.asking is not None and self.highlighted is not self.asking:
            self.action_keep()

    @on(OptionList.OptionSelected, "#numbers-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter on a number does nothing: the dialog saves from its fields

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        """Leaving the list drops the question (its `y` and `n` would go to a field)."""
        if self.asking is not None:
            self.action_keep()
