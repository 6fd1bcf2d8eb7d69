"""KPI arithmetic: store-local periods and days, overnight hours, preference and reply-time sums.

Pure functions over plain values. Every instant is an aware datetime; local days are turned into
UTC instants with zoneinfo, so a daylight-saving day of 23 or 25 hours has its true length.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sfterm.core.models import (
    Channel,
    Kind,
    KpiDay,
    KpiPeriod,
    KpiPeriodName,
    Preference,
    ReplyTime,
)
from sfterm.core.routing import Source

QUIET_START = time(22, 0)
"""Overnight hours begin at 22:00 store time..."""
QUIET_END = time(10, 0)
"""...and end at 10:00 the next morning."""

MAX_PERIOD_DAYS = 366
"""The longest custom period (the daily series has one entry per day)."""

ROLLING_DAYS = {
    KpiPeriodName.TODAY: 1,
    KpiPeriodName.LAST_7_DAYS: 7,
    KpiPeriodName.LAST_30_DAYS: 30,
}


class PeriodError(ValueError):
    """A period that cannot be computed; `field` names the parameter at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


# ---- days and periods -------------------------------------------------------------------------


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which `day` begins in `tz`."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def local_day(instant: datetime, tz: ZoneInfo) -> date:
    """The store-local calendar day an instant falls on."""
    return instant.astimezone(tz).date()


@dataclass(frozen=True)
class Period:
    """Whole local days `first_day`..`last_day` (inclusive) in one time zone."""

    name: KpiPeriodName
    first_day: date
    last_day: date
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return local_midnight(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        """Exclusive: the first instant of the day after the period."""
        return local_midnight(self.last_day + timedelta(days=1), self.tz)

    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(count)]

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def out(self) -> KpiPeriod:
        return KpiPeriod(
            name=self.name,
            first_day=self.first_day,
            last_day=self.last_day,
            timezone=self.tz.key,
            start=self.start,
            end=self.end,
        )


def resolve_period(
    name: KpiPeriodName | str | None,
    first: date | None,
    last: date | None,
    *,
    now: datetime,
    tz: ZoneInfo,
) -> Period:
    """`today`, `7d` or `30d` ending today (store-local), or the dates `first`..`last` inclusive.

    Dates win over a rolling name only when no name is given; giving both is an error. `last`
    alone is refused; `first` alone runs to today.
    """
    today = local_day(now, tz)
    if first is not None or last is not None:
        if name not in (None, KpiPeriodName.CUSTOM):
            raise PeriodError("period", "give either a period or from/to dates, not both")
        if first is None:
            raise PeriodError("from", "required with to")
        last = last or today
        if last < first:
            raise PeriodError("to", f"{last.isoformat()} is before from {first.isoformat()}")
        if (last - first).days + 1 > MAX_PERIOD_DAYS:
            raise PeriodError("to", f"a period is at most {MAX_PERIOD_DAYS} days")
        return Period(KpiPeriodName.CUSTOM, first, last, tz)
    try:
        rolling = KpiPeriodName(name or KpiPeriodName.LAST_30_DAYS)
    except ValueError:
        raise PeriodError("period", f"{name!r} is not one of today, 7d, 30d") from None
    if rolling is KpiPeriodName.CUSTOM:
        raise PeriodError("from", "a custom period needs from (and to) dates")
    days = ROLLING_DAYS[rolling]
    return Period(rolling, today - timedelta(days=days - 1), today, tz)


# ---- elapsed time -----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def quiet_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The overnight hours that begin on `day`: 22:00 that day to 10:00 the next, in UTC."""
    return (
        datetime.combine(day, QUIET_START, tzinfo=tz).astimezone(UTC),
        datetime.combine(day + timedelta(days=1), QUIET_END, tzinfo=tz).astimezone(UTC),
    )


def overnight_seconds(start: datetime, end: datetime, tz: ZoneInfo) -> float:
    """Seconds of [start, end) that fall between 22:00 and 10:00 store time."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return 0.0
    total = 0.0
    day = local_day(start, tz) - timedelta(days=1)
    last = local_day(end, tz)
    while day <= last:
        quiet_from, quiet_to = quiet_window(day, tz)
        overlap = (min(end, quiet_to) - max(start, quiet_from)).total_seconds()
        total += max(0.0, overlap)
        day += timedelta(days=1)
    return total


def reply_seconds(
    submitted: datetime, replied: datetime, tz: ZoneInfo, *, exclude_overnight: bool
) -> float:
    """Elapsed seconds from submission to first response, optionally without overnight hours."""
    elapsed = (replied.astimezone(UTC) - submitted.astimezone(UTC)).total_seconds()
    elapsed = max(0.0, elapsed)
    if exclude_overnight:
        elapsed -= overnight_seconds(submitted, replied, tz)
    return max(0.0, elapsed)


# ---- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFact:
    """What the KPIs need of one request: when, how, and when it was first answered."""

    created_at: datetime
    channel: Channel
    source: Source
    kind: Kind
    replied_at: datetime | None
    tz: ZoneInfo
    """The request's store's zone (for overnight hours)."""


def preference(text: int, email: int) -> Preference:
    total = text + email
    return Preference(text=text, email=email, total=total, ratio=(text / total) if total else None)


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def reply_durations(facts: Iterable[RequestFact], *, exclude_overnight: bool) -> list[float | None]:
    """Each request's reply time in seconds, None while it awaits a reply (same order)."""
    return [
        None
        if fact.replied_at is None
        else reply_seconds(
            fact.created_at, fact.replied_at, fact.tz, exclude_overnight=exclude_overnight
        )
        for fact in facts
    ]


def reply_time(durations: Sequence[float | None], *, overnight_excluded: bool) -> ReplyTime:
    """Mean and median over the answered requests; the others are counted as awaiting."""
    answered = [d for d in durations if d is not None]
    return ReplyTime(
        mean_seconds=mean(answered),
        median_seconds=median(answered),
        answered=len(answered),
        awaiting_reply=len(durations) - len(answered),
        overnight_excluded=overnight_excluded,
    )


def count_by(values: Iterable[str], keys: Iterable[str]) -> dict[str, int]:
    """Counts of each key (every key present, zero when unseen)."""
    counts = dict.fromkeys(keys, 0)
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def daily_series(
    facts: Sequence[RequestFact], durations: Sequence[float | None], period: Period
) -> list[KpiDay]:
    """One entry per store-local day of the period: text and email requests submitted that day,
    and the mean reply time of those among them that were answered (`durations` as
    `reply_durations` gives them, in the order of `facts`)."""
    text = dict.fromkeys(period.days(), 0)
    email = dict.fromkeys(period.days(), 0)
    answered: dict[date, list[float]] = {day: [] for day in period.days()}
    for fact, duration in zip(facts, durations, strict=True):
        day = local_day(fact.created_at, period.tz)
        if day not in text:
            continue
        if fact.channel is Channel.TEXT:
            text[day] += 1
        else:
            email[day] += 1
        if duration is not None:
            answered[day].append(duration)
    return [
        KpiDay(date=day, text=text[day], email=email[day], mean_reply_seconds=mean(answered[day]))
        for day in period.days()
    ]


def describe_duration(seconds: float | None) -> str:
    """A reply time for people: `45 s`, `30 min`, `13 h 05 min`, `2 d 3 h`; `—` for none."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, _ = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def describe_ratio(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f} %"
