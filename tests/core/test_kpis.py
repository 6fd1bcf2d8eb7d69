"""KPI arithmetic: overnight hours, store-local periods and days across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sfterm.core import kpis
from sfterm.core.models import Channel, Kind, KpiPeriodName
from sfterm.core.routing import Source

TORONTO = ZoneInfo("America/Toronto")
HOUR = 3600.0


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TORONTO)  # type: ignore[misc]


def fact(
    created: datetime, replied: datetime | None, channel: Channel = Channel.TEXT
) -> kpis.RequestFact:
    return kpis.RequestFact(
        created_at=created.astimezone(UTC),
        channel=channel,
        source=Source.CONNECT_WIDGET,
        kind=Kind.CONTACT_ME,
        replied_at=replied.astimezone(UTC) if replied else None,
        tz=TORONTO,
    )


# ---- overnight hours --------------------------------------------------------------------------


def test_evening_request_answered_next_morning_is_one_hour_without_the_night() -> None:
    submitted, replied = local(2026, 10, 14, 21, 30), local(2026, 10, 15, 10, 30)
    assert kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=False) == 13 * HOUR
    assert kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=True) == 1 * HOUR


def test_a_reply_inside_the_night_takes_no_time_without_the_night() -> None:
    submitted, replied = local(2026, 10, 14, 23, 0), local(2026, 10, 15, 7, 0)
    assert kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=True) == 0.0


def test_daytime_replies_are_untouched_by_the_overnight_option() -> None:
    submitted, replied = local(2026, 10, 14, 10, 0), local(2026, 10, 14, 21, 59)
    both = {
        kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=flag)
        for flag in (False, True)
    }
    assert both == {11 * HOUR + 59 * 60}


def test_two_nights_are_both_left_out() -> None:
    submitted, replied = local(2026, 10, 12, 12, 0), local(2026, 10, 14, 12, 0)
    assert kpis.overnight_seconds(submitted, replied, TORONTO) == 24 * HOUR
    assert kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=True) == 24 * HOUR


def test_the_fall_back_night_is_thirteen_hours_long() -> None:
    # Oct 31 21:00 EDT to Nov 1 11:00 EST: 15 real hours, of which 13 are the night.
    submitted, replied = local(2026, 10, 31, 21, 0), local(2026, 11, 1, 11, 0)
    assert kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=False) == 15 * HOUR
    assert kpis.overnight_seconds(submitted, replied, TORONTO) == 13 * HOUR
    assert kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=True) == 2 * HOUR


def test_the_spring_forward_night_is_eleven_hours_long() -> None:
    submitted, replied = local(2026, 3, 7, 21, 0), local(2026, 3, 8, 11, 0)
    assert kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=False) == 13 * HOUR
    assert kpis.overnight_seconds(submitted, replied, TORONTO) == 11 * HOUR


def test_times_given_in_other_zones_mean_the_same_instants() -> None:
    submitted = local(2026, 10, 14, 21, 30).astimezone(UTC)
    replied = local(2026, 10, 15, 10, 30).astimezone(ZoneInfo("Asia/Tokyo"))
    assert kpis.reply_seconds(submitted, replied, TORONTO, exclude_overnight=True) == HOUR


# ---- periods and days -------------------------------------------------------------------------


def test_a_late_evening_request_on_oct_31_belongs_to_oct_31() -> None:
    instant = datetime(2026, 11, 1, 3, 30, tzinfo=UTC)  # 23:30 EDT, Oct 31
    assert kpis.local_day(instant, TORONTO) == date(2026, 10, 31)


def test_today_on_the_fall_back_day_is_25_hours() -> None:
    now = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)
    period = kpis.resolve_period("today", None, None, now=now, tz=TORONTO)
    assert (period.first_day, period.last_day) == (date(2026, 11, 1), date(2026, 11, 1))
    assert period.start == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
    assert period.end - period.start == timedelta(hours=25)


def test_today_on_the_spring_forward_day_is_23_hours() -> None:
    now = datetime(2026, 3, 8, 16, 0, tzinfo=UTC)
    period = kpis.resolve_period("today", None, None, now=now, tz=TORONTO)
    assert period.end - period.start == timedelta(hours=23)


def test_today_follows_the_store_clock_not_utc() -> None:
    now = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)  # 21:00 EST on Nov 2
    period = kpis.resolve_period("today", None, None, now=now, tz=TORONTO)
    assert period.first_day == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("name", "first"),
    [("7d", date(2026, 10, 27)), ("30d", date(2026, 10, 4)), (None, date(2026, 10, 4))],
)
def test_rolling_periods_end_today(name: str | None, first: date) -> None:
    now = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    period = kpis.resolve_period(name, None, None, now=now, tz=TORONTO)
    assert (period.first_day, period.last_day) == (first, date(2026, 11, 2))
    assert len(period.days()) == (date(2026, 11, 2) - first).days + 1


def test_custom_dates_are_inclusive_and_dst_safe() -> None:
    now = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    period = kpis.resolve_period(None, date(2026, 10, 31), date(2026, 11, 1), now=now, tz=TORONTO)
    assert period.name is KpiPeriodName.CUSTOM
    assert period.days() == [date(2026, 10, 31), date(2026, 11, 1)]
    assert period.start == datetime(2026, 10, 31, 4, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
    assert period.end - period.start == timedelta(hours=49)


def test_from_alone_runs_to_today() -> None:
    now = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    period = kpis.resolve_period(None, date(2026, 11, 1), None, now=now, tz=TORONTO)
    assert period.last_day == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("name", "first", "last", "field"),
    [
        ("7d", date(2026, 10, 1), None, "period"),
        (None, None, date(2026, 10, 1), "from"),
        (None, date(2026, 10, 2), date(2026, 10, 1), "to"),
        (None, date(2024, 1, 1), date(2026, 10, 1), "to"),
        ("fortnight", None, None, "period"),
        ("custom", None, None, "from"),
    ],
)
def test_impossible_periods_name_the_parameter(
    name: str | None, first: date | None, last: date | None, field: str
) -> None:
    now = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    with pytest.raises(kpis.PeriodError) as caught:
        kpis.resolve_period(name, first, last, now=now, tz=TORONTO)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


# ---- the figures ------------------------------------------------------------------------------


def test_preference_is_text_over_all_with_both_counts() -> None:
    assert kpis.preference(3, 1).model_dump() == {"text": 3, "email": 1, "total": 4, "ratio": 0.75}
    assert kpis.preference(0, 0).ratio is None


def test_reply_time_leaves_unanswered_requests_out_and_counts_them() -> None:
    base = local(2026, 10, 14, 12, 0)
    facts = [
        fact(base, base + timedelta(minutes=10)),
        fact(base, base + timedelta(minutes=20)),
        fact(base, base + timedelta(minutes=90)),
        fact(base, None),
    ]
    durations = kpis.reply_durations(facts, exclude_overnight=False)
    assert durations == [600, 1200, 5400, None]
    result = kpis.reply_time(durations, overnight_excluded=False)
    assert result.answered == 3 and result.awaiting_reply == 1
    assert result.mean_seconds == 40 * 60
    assert result.median_seconds == 20 * 60


def test_median_of_an_even_count_is_the_middle_pair_mean() -> None:
    assert kpis.median([1.0, 2.0, 4.0, 10.0]) == 3.0
    assert kpis.mean([]) is None and kpis.median([]) is None


def test_daily_series_has_every_day_and_puts_late_requests_on_their_local_day() -> None:
    now = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    period = kpis.resolve_period(None, date(2026, 10, 31), date(2026, 11, 2), now=now, tz=TORONTO)
    late = local(2026, 10, 31, 23, 30)
    facts = [
        fact(late, late + timedelta(hours=1)),
        fact(local(2026, 11, 1, 0, 30), None, Channel.EMAIL),
        fact(local(2026, 11, 1, 23, 30), local(2026, 11, 2, 0, 0), Channel.EMAIL),
        fact(local(2026, 10, 30, 12, 0), None),  # before the period: ignored
    ]
    durations = kpis.reply_durations(facts, exclude_overnight=False)
    series = kpis.daily_series(facts, durations, period)
    assert [(d.date, d.text, d.email, d.mean_reply_seconds) for d in series] == [
        (date(2026, 10, 31), 1, 0, HOUR),
        (date(2026, 11, 1), 0, 2, 30 * 60.0),
        (date(2026, 11, 2), 0, 0, None),
    ]


def test_count_by_lists_every_key() -> None:
    assert kpis.count_by(["a", "a", "c"], ["a", "b"]) == {"a": 2, "b": 0, "c": 1}


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "—"),
        (44.6, "45 s"),
        (1800, "30 min"),
        (30300, "8 h 25 min"),
        (13 * HOUR, "13 h 00 min"),
        (51 * HOUR, "2 d 3 h"),
    ],
)
def test_durations_read_as_people_say_them(seconds: float | None, text: str) -> None:
    assert kpis.describe_duration(seconds) == text


def test_ratios_read_as_percentages() -> None:
    assert kpis.describe_ratio(0.6) == "60.0 %"
    assert kpis.describe_ratio(None) == "—"
