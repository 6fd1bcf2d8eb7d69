"""The Reports period dialog's checks and the custom query, without an app: which dates parse,
what the error says, how picked days are sent and which rolling period `[`/`]` go to."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sfterm.tui.modals.report_period import DayRange, check_range, parse_day
from sfterm.tui.screens.reports import PERIODS, ReportQuery, nearest_period

TODAY = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-11-02", date(2026, 11, 2)),
        (" 2026-11-2 ", date(2026, 11, 2)),
        ("2025-1-5", date(2025, 1, 5)),
        ("11-02", date(2026, 11, 2)),
        ("1-5", date(2026, 1, 5)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_dates_that_parse(typed: str, day: date) -> None:
    assert parse_day(typed, TODAY) == day


@pytest.mark.parametrize(
    "typed",
    ["", "  ", "2026-13-01", "2026-02-30", "2025-02-29", "02/11/2026", "yesterday", "2026-11"],
)
def test_dates_that_do_not_parse(typed: str) -> None:
    assert parse_day(typed, TODAY) is None


def refusal(first: str, last: str) -> tuple[str, str]:
    """The field at fault and the error line, for dates the dialog refuses."""
    checked = check_range(first, last, TODAY)
    assert isinstance(checked, tuple), checked
    field, why = checked
    return field, why.plain


def test_the_error_names_the_field_and_the_forms() -> None:
    field, why = refusal("2026-10-01", "Nov 2")
    assert field == "to"
    assert why.startswith("To: Nov 2 is not a date. Type YYYY-MM-DD")
    field, why = refusal("[bold]x", "2026-11-02")
    assert field == "from" and "[bold]x" in why  # shown as typed, never as markup


def test_to_before_from_is_refused_and_one_day_is_a_period() -> None:
    field, why = refusal("2026-11-02", "2026-11-01")
    assert field == "to"
    assert why == (
        "To (Sun Nov 1, 2026) is before From (Mon Nov 2, 2026): To must be on or after From."
    )
    assert check_range("11-02", "2026-11-02", TODAY) == DayRange(TODAY, TODAY)


def test_labels_say_the_year_once_unless_the_days_span_two() -> None:
    assert DayRange(date(2026, 11, 2), date(2026, 11, 15)).label() == "Nov 2 – Nov 15, 2026"
    assert DayRange(TODAY, TODAY).label() == "Mon Nov 2, 2026"
    span = DayRange(date(2025, 12, 20), date(2026, 1, 5))
    assert span.label() == "Dec 20, 2025 – Jan 5, 2026"


def test_picked_days_are_sent_as_from_and_to_instead_of_a_period() -> None:
    picked = DayRange(date(2026, 10, 12), date(2026, 10, 25))
    query = ReportQuery.days(picked, ReportQuery(scope="store", exclude_overnight=True))
    assert query.picked == picked
    assert query.params() == {
        "from_date": "2026-10-12",
        "to_date": "2026-10-25",
        "scope": "store",
        "overnight": "exclude",
    }
    assert ReportQuery().params() == {"period": "7d", "scope": None, "overnight": "include"}


@pytest.mark.parametrize(
    ("days", "shorter", "longer"),
    [
        (1, "today", "7d"),
        (3, "today", "7d"),
        (7, "today", "30d"),
        (14, "7d", "30d"),
        (30, "7d", "30d"),
        (90, "30d", "30d"),
    ],
)
def test_brackets_from_picked_days_go_to_the_nearest_rolling_period(
    days: int, shorter: str, longer: str
) -> None:
    picked = DayRange(TODAY - timedelta(days=days - 1), TODAY)
    assert PERIODS[nearest_period(picked, -1)] == shorter
    assert PERIODS[nearest_period(picked, 1)] == longer
