"""Pick the Reports period by its dates: From and To, store-local days, both included.

The dialog checks only what it can know: that each field is a date, and that To is not before
From. Every other rule (how long a period may be…) is the backend's; its refusal shows on the
Reports screen, like any refusal there.

A date is typed `2026-11-02` (the month and day may have one digit), or `11-02` for that day of
the store's current year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from sfterm.tui.keys import REPORT_PERIOD_BINDINGS, key_for, key_hints
from sfterm.tui.text import literal
from sfterm.tui.widgets.kpi_cards import day_label

_FULL = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
"""`2026-11-02`, `2026-11-2`."""
_SHORT = re.compile(r"(\d{1,2})-(\d{1,2})")
"""`11-02`: that day of the current year."""

FORMS = "YYYY-MM-DD (e.g. 2026-11-02), or MM-DD in this year"
"""What a date field takes, as the error line words it."""


@dataclass(frozen=True)
class DayRange:
    """Store-local days `first` to `last`, both included."""

    first: date
    last: date

    def label(self) -> str:
        """`Oct 27 – Nov 2, 2026`; `Mon Nov 2, 2026` for one day; each year when they differ."""
        first, last = self.first, self.last
        if first == last:
            return f"{first:%a} {day_label(first)}, {first.year}"
        if first.year == last.year:
            return f"{day_label(first)} – {day_label(last)}, {last.year}"
        return f"{day_label(first)}, {first.year} – {day_label(last)}, {last.year}"


def parse_day(text: str, today: date) -> date | None:
    """The day `text` names (`2026-11-02`, or `11-02` in `today`'s year); None if it names none."""
    text = text.strip()
    if full := _FULL.fullmatch(text):
        year, month, day = (int(part) for part in full.groups())
    elif short := _SHORT.fullmatch(text):
        year = today.year
        month, day = (int(part) for part in short.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 2026-02-30, month 13…
        return None


def not_a_day(field: str, typed: str) -> Text:
    """The error line for a field that names no day: which field, what was typed, what works."""
    line = Text(f"{field}: ")
    if typed.strip():
        line.append_text(literal(typed.strip(), "bold"))
        line.append(" is not a date. ")
    else:
        line.append("no date typed. ")
    line.append(f"Type {FORMS}.")
    return line


def check_range(first_text: str, last_text: str, today: date) -> DayRange | tuple[str, Text]:
    """The range typed, or (the field at fault, why): each field a day, To not before From."""
    first = parse_day(first_text, today)
    if first is None:
        return "from", not_a_day("From", first_text)
    last = parse_day(last_text, today)
    if last is None:
        return "to", not_a_day("To", last_text)
    if last < first:
        to, since = DayRange(last, last).label(), DayRange(first, first).label()
        return "to", Text(f"To ({to}) is before From ({since}): To must be on or after From.")
    return DayRange(first, last)


class ReportPeriodModal(ModalScreen[DayRange | None]):
    """Two dates, prefilled with `shown`; answers the range typed (Enter), or None (Esc).
    `today` is the store's current day (for `MM-DD`)."""

    BINDINGS: ClassVar[list[BindingType]] = list(REPORT_PERIOD_BINDINGS)

    DEFAULT_CSS = """
    ReportPeriodModal { align: center middle; }
    ReportPeriodModal > #dialog {
        width: 64; height: auto; padding: 0 2 1 2; border: thick $primary; background: $surface;
    }
    ReportPeriodModal #what { margin-top: 1; color: $text-muted; }
    ReportPeriodModal .date-row { height: 1; margin-top: 1; }
    ReportPeriodModal .date-row > Label { width: 6; color: $text-muted; }
    ReportPeriodModal .date-row > Input { width: 14; }
    ReportPeriodModal #error { height: auto; min-height: 1; color: $text-error; }
    ReportPeriodModal #keys { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, shown: DayRange, today: date) -> None:
        super().__init__()
        self.shown = shown
        self.today = today

    def compose(self) -> ComposeResult:
        dialog = Vertical(id="dialog")
        dialog.border_title = "Report period"
        with dialog:
            yield Static(f"Store-local days, both included.\nType {FORMS}.", id="what")
            yield from self._row("From", "from", self.shown.first)
            yield from self._row("To", "to", self.shown.last)
            yield Static("", id="error")
            yield Static(self._hints(), id="keys")

    def _row(self, label: str, key: str, day: date) -> ComposeResult:
        """One date: its label and its field (`#from`, `#to`), prefilled with `day`."""
        with Horizontal(classes="date-row"):
            yield Label(label)
            yield Input(
                day.isoformat(), placeholder="YYYY-MM-DD", max_length=20, compact=True, id=key
            )

    def _hints(self) -> Text:
        """The keys line: (key, what it does), Esc as the user bound it."""
        keymap = getattr(self.app, "user_keymap", {})
        return key_hints(
            [
                ("Enter", "show this period"),
                ("Tab", "next date"),
                (key_for("report_period_cancel", keymap), "cancel"),
            ]
        )

    def on_mount(self) -> None:
        self.query_one("#from", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in either field: the range, if both dates are good; else why not."""
        event.stop()
        checked = check_range(
            self.query_one("#from", Input).value, self.query_one("#to", Input).value, self.today
        )
        if isinstance(checked, DayRange):
            self.dismiss(checked)
            return
        field, why = checked
        self.query_one("#error", Static).update(why)
        self.query_one(f"#{field}", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
