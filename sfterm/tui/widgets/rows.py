"""How one request or thread reads on a single line of a list, and how long ago things were."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime, timedelta

from rich.text import Text

from sfterm.core.models import (
    Channel,
    Direction,
    Kind,
    MatchState,
    RequestOut,
    RequestStatus,
    ThreadOut,
)
from sfterm.core.text_fold import fold
from sfterm.tui.text import one_line

KIND_LABEL = {
    Kind.CONTACT_ME: "Contact me",
    Kind.APPOINTMENT: "Appointment",
    Kind.PERSONAL_SHOPPER: "Personal shopper",
}

UNREAD = "●"
RESOLVED = "✓"


def span(delta: timedelta) -> str:
    """A duration as people say it briefly: 45s, 12m, 3h 05m, 4d 2h."""
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


def ago(when: datetime | None, now: datetime) -> str:
    """Compact age for a list column: 45s, 12m, 3h, 4d."""
    if when is None:
        return ""
    seconds = max(int((now - when).total_seconds()), 0)
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _cell(text: Text, value: str, width: int, style: str = "") -> None:
    """Append `value` cut to `width` cells and padded to exactly `width` (customer text is safe:
    `one_line` makes control characters visible and it goes in as plain text, never markup)."""
    if width <= 0:
        return
    shown = one_line(value, width)
    text.append(shown, style)
    text.append(" " * (width - Text(shown).cell_len))


def _layout(width: int, fixed: tuple[int, ...]) -> int:
    """The width left for the flexible column once the fixed ones (and gaps) are taken."""
    return max(width - sum(fixed) - len(fixed), 0)


def request_row(item: RequestOut, width: int, unread: bool, now: datetime) -> Text:
    """` ● Name                 514-555-0142     Appointment   Do you have the…      12m`"""
    resolved = item.status is RequestStatus.RESOLVED
    dim = "dim" if resolved else ""
    text = Text(no_wrap=True, overflow="crop", end="")
    mark = UNREAD if unread else (RESOLVED if resolved else " ")
    text.append(f" {mark} ", "bold cyan" if unread else "dim")
    how = (item.phone_display or item.phone) if item.channel is Channel.TEXT else item.email
    name_w, how_w, kind_w, age_w = 22, 18, 16, 4
    wide = width >= 90
    fixed = (3, name_w, how_w, kind_w, age_w) if wide else (3, name_w, age_w)
    rest = _layout(width, fixed)
    _cell(text, item.name, name_w, "bold" if unread else dim)
    text.append(" ")
    if wide:
        _cell(text, how or "", how_w, "dim")
        text.append(" ")
        _cell(text, KIND_LABEL.get(item.kind, str(item.kind)), kind_w, "dim")
        text.append(" ")
    _cell(text, item.message, rest, dim)
    text.append(" ")
    text.append(ago(item.created_at, now).rjust(age_w), "dim")
    return text


def thread_title(thread: ThreadOut) -> str:
    """A thread is named for its contact when the number belongs to exactly one."""
    match = thread.contact_match
    if match is not None and match.state is MatchState.ONE and match.contacts:
        return match.contacts[0].name
    return thread.phone_display or thread.phone


def thread_row(thread: ThreadOut, width: int, unread: bool, now: datetime) -> Text:
    """` ● Élodie Gagnon        (2)  you: See you Saturday!                        3h`"""
    count = thread.unread_count
    text = Text(no_wrap=True, overflow="crop", end="")
    text.append(f" {UNREAD if count or unread else ' '} ", "bold cyan")
    name_w, badge_w, age_w = 22, 5, 4
    _cell(text, thread_title(thread), name_w, "bold" if count else "")
    text.append(" ")
    text.append(f"({count})".ljust(badge_w) if count else " " * badge_w, "bold")
    text.append(" ")
    last = thread.last_message
    preview = ""
    if last is not None:
        who = "you: " if last.direction is Direction.OUTBOUND else ""
        preview = who + (last.body or (last.card.message if last.card else ""))
    _cell(text, preview, _layout(width, (3, name_w, badge_w, age_w)), "dim" if not count else "")
    text.append(" ")
    text.append(ago(thread.last_message_at or thread.created_at, now).rjust(age_w), "dim")
    return text


@functools.lru_cache(maxsize=16384)
def _folded(text: str) -> str:
    """`fold(text)`, remembered: a search filters every loaded row at each key typed, and the
    rows' texts stay the same from one key to the next."""
    return fold(text)


def _haystack(parts: Iterable[str | None]) -> str:
    """What a row is searched by: its texts folded, one per line (as the server keeps them),
    so a query matches within one text, never across two."""
    return "\n".join(_folded(part) for part in parts if part)


def _digits_match(query: str, phone: str | None) -> bool:
    """Three digits or more typed, found in the number (`514 555` finds +15145550123)."""
    digits = "".join(c for c in query if c.isdigit())
    return len(digits) >= 3 and phone is not None and digits in phone


def request_matches(item: RequestOut, query: str) -> bool:
    """The search of a request list: name, phone (as typed or shown), email, message, whatever
    their case and accents. `query` is folded (`Feed.set_query`)."""
    if _digits_match(query, item.phone):
        return True
    return query in _haystack((item.name, item.email, item.phone_display, item.message))


def thread_matches(thread: ThreadOut, query: str) -> bool:
    """The search of the threads: who (name or number), the number as shown, the last message,
    whatever their case and accents. `query` is folded (`Feed.set_query`)."""
    if _digits_match(query, thread.phone):
        return True
    body = thread.last_message.body if thread.last_message is not None else None
    return query in _haystack((thread_title(thread), thread.phone_display, body))
