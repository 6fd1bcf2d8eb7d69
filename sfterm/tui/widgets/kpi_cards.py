"""The KPI cards of the Reports screen: each figure, the counts behind it, how it is computed."""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sfterm.core.kpis import describe_duration, describe_ratio
from sfterm.core.models import KpiPeriodName, KpiReport, KpiScope

TEXT_COLOUR = "#3fa7d6"
"""Text requests, in the cards and the charts."""
EMAIL_COLOUR = "#e8a33d"
"""Email requests."""
REPLY_COLOUR = "#7bc67b"
"""Reply times."""
NOTE = "dim italic"
"""The footnote under each card: how the figure is computed."""

PERIOD_TITLES = {
    KpiPeriodName.TODAY: "Today",
    KpiPeriodName.LAST_7_DAYS: "Last 7 days",
    KpiPeriodName.LAST_30_DAYS: "Last 30 days",
    KpiPeriodName.CUSTOM: "From–to",
}
SCOPE_TITLES = {
    KpiScope.ASSOCIATE: "Associate",
    KpiScope.STORE: "Store",
    KpiScope.RETAILER: "Retailer",
}
SOURCE_NAMES = {"connect_widget": "widget", "storefront": "storefront", "footer": "footer"}
KIND_NAMES = {
    "contact_me": "contact me",
    "appointment": "appointment",
    "personal_shopper": "personal shopper",
}


def day_label(day: date) -> str:
    """`Nov 2`."""
    return f"{day:%b} {day.day}"


def period_label(report: KpiReport) -> str:
    """`Last 7 days · Oct 27 – Nov 2, 2026 · America/Toronto`."""
    period = report.period
    first, last = period.first_day, period.last_day
    if first == last:
        days = f"{first:%a} {day_label(first)}, {first.year}"
    elif first.year == last.year:
        days = f"{day_label(first)} – {day_label(last)}, {last.year}"
    else:
        days = f"{day_label(first)}, {first.year} – {day_label(last)}, {last.year}"
    return f"{PERIOD_TITLES[period.name]} · {days} · {period.timezone}"


def share_bar(text: int, email: int, width: int) -> Text:
    """A one-line bar split between text and email requests."""
    bar = Text(no_wrap=True)
    total = text + email
    if total == 0 or width <= 0:
        return bar.append("░" * max(width, 0), "dim")
    cells = round(width * text / total)
    bar.append("█" * cells, TEXT_COLOUR)
    bar.append("█" * (width - cells), EMAIL_COLOUR)
    return bar


def _lines(*parts: Text, wrap: bool = False) -> Text:
    """One line each, cut with an ellipsis when the card is narrow (unless `wrap`)."""
    lines = Text("\n").join(parts)
    if not wrap:
        lines.no_wrap, lines.overflow = True, "ellipsis"
    return lines


def _figure(value: str, caption: str = "") -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(value, "bold")
    if caption:
        line.append(f"  {caption}", "")
    return line


def preference_card(report: KpiReport, retailer: str, width: int = 40) -> Text:
    """Email/Text Correspondence Preference: the share, the two counts, and the formula; or why
    it is not shown."""
    pref = report.preference
    if pref is None:
        return _lines(
            _figure("Not shown"),
            Text(f"Text messaging is off for {retailer}:"),
            Text(report.preference_unavailable or "the retailer has text messaging off", NOTE),
            wrap=True,
        )
    if pref.total == 0:
        return _lines(
            _figure("—", "no requests in this period"),
            share_bar(0, 0, width),
            Text("0 text of 0 requests", "dim"),
            Text("text ÷ (text + email) requests submitted", NOTE),
        )
    counts = Text(no_wrap=True, overflow="ellipsis")
    counts.append(f"{pref.text} text", f"bold {TEXT_COLOUR}")
    counts.append(f" of {pref.total} requests · ")
    counts.append(f"{pref.email} email", f"bold {EMAIL_COLOUR}")
    return _lines(
        _figure(describe_ratio(pref.ratio), "chose to be answered by text"),
        share_bar(pref.text, pref.email, width),
        counts,
        Text(f"= {pref.text} ÷ ({pref.text} text + {pref.email} email) submitted", NOTE),
    )


def reply_card(report: KpiReport) -> Text:
    """Request Reply Time: mean and median, over how many, and whether nights count."""
    reply = report.reply_time
    mean = Text(no_wrap=True)
    mean.append("mean    ", "dim")
    mean.append(describe_duration(reply.mean_seconds), f"bold {REPLY_COLOUR}")
    median = Text(no_wrap=True)
    median.append("median  ", "dim")
    median.append(describe_duration(reply.median_seconds), "bold")
    counts = Text(no_wrap=True, overflow="ellipsis")
    counts.append(f"answered {reply.answered}", "bold")
    counts.append(" · ", "dim")
    counts.append(f"awaiting {reply.awaiting_reply}", "bold yellow" if reply.awaiting_reply else "")
    night = Text(no_wrap=True, overflow="ellipsis")
    if reply.overnight_excluded:
        night.append("nights 22:00–10:00 left out", "bold")
    else:
        night.append("nights 22:00–10:00 counted", "")
    return _lines(
        mean,
        median,
        counts,
        night,
        Text("time to first reply, confirmation aside", NOTE),
    )


def _breakdown(label: str, counts: dict[str, int], names: dict[str, str]) -> list[Text]:
    cells = [Text(label, "dim")]
    for key, value in counts.items():
        cell = Text()
        cell.append(str(value), "bold" if value else "dim")
        cell.append(f" {names.get(key, key.replace('_', ' '))}", "" if value else "dim")
        cells.append(cell)
    return cells


def requests_card(report: KpiReport) -> RenderableType:
    """Requests by channel, by source and by kind."""
    head = Text(no_wrap=True)
    head.append(str(report.total_requests), "bold")
    head.append(" requests submitted in the period")
    head.append("  = text + email", NOTE)
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    for _ in range(3):
        table.add_column(no_wrap=True)
    channel = dict(report.by_channel)
    ordered = {"text": channel.pop("text", 0), "email": channel.pop("email", 0), **channel}
    row = _breakdown("channel", ordered, {})
    row[1].stylize(TEXT_COLOUR, len(str(ordered["text"])) + 1)
    row[2].stylize(EMAIL_COLOUR, len(str(ordered["email"])) + 1)
    table.add_row(*row)
    table.add_row(*_breakdown("source", report.by_source, SOURCE_NAMES))
    table.add_row(*_breakdown("kind", report.by_kind, KIND_NAMES))
    return Group(head, table)


def contacts_card(report: KpiReport) -> Text:
    return _lines(
        _figure(str(report.contacts_added), "new contacts"),
        Text("added by hand", NOTE),
        Text("in the period", NOTE),
        Text("(imports not counted)", NOTE),
    )
