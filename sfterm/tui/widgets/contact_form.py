"""A contact's fields as a form: labelled one-line inputs, each checked, each with its own error.

What is typed is checked in the form for what the form can know (a name is required, an email
looks like one, a number has digits); whether a number can be texted is the backend's call,
and its 422 message lands under the field it names (`show_api_error`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.validation import Function, ValidationResult, Validator
from textual.widgets import Input, Label, Static

from sfterm.core.phones import phone_digits
from sfterm.tui.text import safe_text

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
