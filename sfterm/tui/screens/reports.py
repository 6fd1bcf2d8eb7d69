"""Folder 5, Reports: the KPI cards and the daily charts of a period and a scope, chosen by key.

The period is today, the last 7 or 30 days, or days picked From/To in a dialog (`p`).

The figures are the backend's (`GET /api/v1/kpis`), read in a worker; results come back as
messages. The report is read again when the backend says that requests, messages or contacts
changed, at most once a second (a burst of events costs one read), never on a timer.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from sfterm.client.errors import ApiError, Unreachable
from sfterm.core.models import EventType, KpiPeriodName, KpiReport, KpiScope
from sfterm.tui.keys import MAIN_BINDINGS, REPORTS_BINDINGS, key_for
from sfterm.tui.messages import BackendEvent
from sfterm.tui.modals.report_period import DayRange, ReportPeriodModal
from sfterm.tui.screens.folder_screen import FolderScreen
from sfterm.tui.session import Session
from sfterm.tui.text import safe_text
from sfterm.tui.widgets.bubbles import store_timezone
from sfterm.tui.widgets.folder_column import FolderColumn, FolderInfo
from sfterm.tui.widgets.kpi_cards import (
    PERIOD_TITLES,
    SCOPE_TITLES,
    contacts_card,
    period_label,
    preference_card,
    reply_card,
    requests_card,
)
from sfterm.tui.widgets.kpi_chart import KpiChart, reply_chart, requests_chart

PERIODS = ("today", "7d", "30d")
PERIOD_DAYS = (1, 7, 30)
"""How many days each of `PERIODS` covers."""
CUSTOM = "custom"
"""The period of a `ReportQuery` with its own dates."""
SCOPES = tuple(scope.value for scope in KpiScope)

REFRESH_EVENTS = frozenset(
    {
        EventType.REQUEST_CREATED,
        EventType.REQUEST_UPDATED,
        EventType.LEAD_CREATED,
        EventType.LEAD_TAKEN,
        EventType.MESSAGE_CREATED,
        EventType.MESSAGE_UPDATED,
        EventType.CONTACT_CHANGED,
        EventType.STALE,
    }
)
"""Events after which the figures may have changed."""

REFRESH_INTERVAL = 1.0
"""At most one refresh per second, however many events arrive."""

FOLDER_IDS = (
    "folder_leads",
    "folder_requests",
    "folder_threads",
    "folder_contacts",
    "folder_reports",
    "back",
)


@dataclass(frozen=True)
class ReportQuery:
    """What the screen asks for. `scope` None: the backend's default for the signed-in level.
    `period` is one of `PERIODS`, or `CUSTOM` with the days `from_date`..`to_date` (store-local,
    both included)."""

    period: str = "7d"
    scope: str | None = None
    exclude_overnight: bool = False
    from_date: date | None = None
    to_date: date | None = None

    @classmethod
    def days(cls, picked: DayRange, like: ReportQuery) -> ReportQuery:
        """The days `picked`, with the scope and overnight option of `like`."""
        return replace(like, period=CUSTOM, from_date=picked.first, to_date=picked.last)

    @property
    def picked(self) -> DayRange | None:
        """The custom days, None for a rolling period."""
        if self.period != CUSTOM or self.from_date is None or self.to_date is None:
            return None
        return DayRange(self.from_date, self.to_date)

    def params(self) -> dict[str, str | None]:
        """The keyword arguments of `SftermClient.kpis`: a rolling period, or from/to dates."""
        common = {
            "scope": self.scope,
            "overnight": "exclude" if self.exclude_overnight else "include",
        }
        picked = self.picked
        if picked is None:
            return {"period": self.period, **common}
        return {"from_date": picked.first.isoformat(), "to_date": picked.last.isoformat(), **common}


def nearest_period(picked: DayRange, step: int) -> int:
    """The index in `PERIODS` of the longest rolling period shorter than `picked` (`step` < 0),
    or of the shortest one longer (`step` > 0); the shortest or longest when there is none."""
    days = (picked.last - picked.first).days + 1
    if step < 0:
        shorter = [i for i, n in enumerate(PERIOD_DAYS) if n < days]
        return shorter[-1] if shorter else 0
    longer = [i for i, n in enumerate(PERIOD_DAYS) if n > days]
    return longer[0] if longer else len(PERIODS) - 1


class ReportLoaded(Message):
    def __init__(self, query: ReportQuery, report: KpiReport) -> None:
        super().__init__()
        self.asked = query
        self.report = report


class ReportFailed(Message):
    """`status` is the HTTP status of a refusal (403: a scope above the user's level)."""

    def __init__(self, query: ReportQuery, error: str, status: int | None) -> None:
        super().__init__()
        self.asked = query
        self.error = error
        self.status = status


class Debounce:
    """At most one refresh per `interval`: the first event after a quiet spell refreshes at
    once; the rest of a burst share one refresh when the interval is over."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self.last = -math.inf
        self.pending = False

    def ask(self) -> float | None:
        """Seconds to wait before refreshing; None when a refresh is already waiting."""
        if self.pending:
            return None
        self.pending = True
        return max(0.0, self.last + self.interval - self.clock())

    def ran(self) -> None:
        self.last = self.clock()
        self.pending = False


class ReportsScreen(FolderScreen):
    """The KPI report. t/w/m choose the period, s the scope, o whether nights count."""

    FOLDER = "reports"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(b for b in MAIN_BINDINGS if b.id in FOLDER_IDS),
        *REPORTS_BINDINGS,
    ]
    DEFAULT_CSS = """
    ReportsScreen { layout: vertical; }
    #reports { width: 1fr; padding: 0 1; }
    #reports-title { height: 1; text-style: bold; }
    #reports-controls { height: 2; }
    #reports-error { height: 1; color: $text-error; text-wrap: nowrap; text-overflow: ellipsis; }
    .card-row { height: auto; }
    .card {
        width: 1fr; height: 7; padding: 0 1;
        border: round $panel-lighten-2; border-title-color: $text-accent;
        border-title-style: bold; text-wrap: nowrap; text-overflow: ellipsis;
    }
    .card.-wrap { text-wrap: wrap; }
    #card-contacts { width: 26; }
    #charts { height: 1fr; min-height: 8; }
    KpiChart {
        width: 1fr; padding: 0 1;
        border: round $panel-lighten-2; border-title-color: $text-accent;
        border-title-style: bold;
    }
    """

    def __init__(
        self,
        session: Session,
        folders: Mapping[str, FolderInfo] | None = None,
        query: ReportQuery | None = None,
    ) -> None:
        super().__init__(session, folders)
        self.asked = query or ReportQuery()
        """What is asked for."""
        self.shown: ReportQuery | None = None
        """What the figures on screen answer."""
        self.report: KpiReport | None = None
        self.refused: set[str] = set()
        """Scopes the backend refused to this user (403): the scope key skips them."""
        self.fetching = False
        self.error = ""
        self.debounce = Debounce(REFRESH_INTERVAL)
        self.last_pick: DayRange | None = None
        """The days last picked in the dialog, until a report is read (kept when refused)."""
        self._timer: Timer | None = None

    def compose_panes(self) -> ComposeResult:
        with Vertical(id="reports"):
            yield Static(id="reports-title")
            yield Static(id="reports-controls")
            yield Static(id="reports-error")
            with Horizontal(classes="card-row"):
                yield self._card("card-preference", "Email/Text Correspondence Preference")
                yield self._card("card-reply", "Request Reply Time")
            with Horizontal(classes="card-row"):
                yield self._card("card-requests", "Requests")
                yield self._card("card-contacts", "Contacts added")
            with Horizontal(id="charts"):
                requests = KpiChart(requests_chart, id="chart-requests")
                requests.border_title = "Requests per day"
                yield requests
                reply = KpiChart(reply_chart, id="chart-reply")
                reply.border_title = "Reply time per day"
                yield reply

    @staticmethod
    def _card(card_id: str, title: str) -> Static:
        card = Static(id=card_id, classes="card")
        card.border_title = title
        return card

    def on_mount(self) -> None:
        self.show_folder_column()
        self.show_report()
        self.load()

    # ---- reading ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the report for `self.asked` (a newer read replaces one still running)."""
        self.debounce.ran()
        self.fetching = True
        self.show_controls()
        job: Callable[[], Awaitable[None]] = partial(self._fetch, self.asked)
        self.run_worker(job, group="kpis", exclusive=True, exit_on_error=False)

    async def _fetch(self, query: ReportQuery) -> None:
        try:
            report = await self.session.client.kpis(**query.params())
        except ApiError as exc:
            self.post_message(ReportFailed(query, exc.message, exc.status))
            return
        except Unreachable as exc:
            self.post_message(ReportFailed(query, f"The server cannot be reached ({exc})", None))
            return
        self.post_message(ReportLoaded(query, report))

    def refresh_soon(self) -> None:
        """Read the report again, at most once per `REFRESH_INTERVAL` seconds."""
        delay = self.debounce.ask()
        if delay is None:
            return
        if delay <= 0:
            self.load()
        else:
            self._timer = self.set_timer(delay, self._refresh_due)

    def _refresh_due(self) -> None:
        self._timer = None
        self.load()

    @on(ReportLoaded)
    def _loaded(self, message: ReportLoaded) -> None:
        if message.asked != self.asked:
            return
        self.fetching = False
        self.error = ""
        self.last_pick = None
        self.report = message.report
        self.shown = replace(message.asked, scope=message.report.scope.value)
        self.asked = self.shown
        self.show_report()

    @on(ReportFailed)
    def _failed(self, message: ReportFailed) -> None:
        if message.asked != self.asked:
            return
        self.fetching = False
        if message.status == 403 and message.asked.scope is not None:
            self.refused.add(message.asked.scope)
            self.notify(safe_text(message.error), title="Scope not allowed", severity="warning")
            self.asked = self.shown or replace(message.asked, scope=None)
            if self.shown is None:
                self.load()
        else:
            self.error = safe_text(message.error)
            self.notify(self.error, title="Reports", severity="error")
            if message.status == 422 and self.shown is not None:
                self.asked = self.shown  # the query itself is refused: the figures shown stay
        self.show_report()

    # ---- showing ------------------------------------------------------------------------------

    def _keys(self) -> dict[str, str]:
        keymap = getattr(self.app, "user_keymap", {})
        ids = (
            "period_today",
            "period_7d",
            "period_30d",
            "period_custom",
            "scope_next",
            "overnight_toggle",
        )
        return {i: key_for(i, keymap) for i in ids}

    def show_report(self) -> None:
        self.show_controls()
        report = self.report
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append("Reports", "bold")
        if report is not None:
            title.append("  ·  ", "dim")
            title.append(safe_text(report.scope_label), "bold")
            title.append("  ·  ", "dim")
            title.append(period_label(report), "")
        self.query_one("#reports-title", Static).update(title)
        self.query_one("#reports-error", Static).update(Text(self.error))
        if report is None:
            return
        retailer = self.session.me.retailer.name
        width = max(self.query_one("#card-preference").content_size.width, 20)
        preference = self.query_one("#card-preference", Static)
        preference.set_class(report.preference is None, "-wrap")
        preference.update(preference_card(report, safe_text(retailer), width))
        self.query_one("#card-reply", Static).update(reply_card(report))
        self.query_one("#card-requests", Static).update(requests_card(report))
        self.query_one("#card-contacts", Static).update(contacts_card(report))
        for chart in self.query(KpiChart):
            chart.report = report

    def show_controls(self) -> None:
        """Two lines: the periods (the current one marked), then the scope and the nights."""
        keys = self._keys()
        line = Text(no_wrap=True, overflow="ellipsis")
        current = self.asked.period
        ids = ("period_today", "period_7d", "period_30d")
        for key_id, period in zip(ids, PERIODS, strict=True):
            line.append(f"{keys[key_id]} ", "bold cyan")
            title = PERIOD_TITLES[KpiPeriodName(period)].replace("Last ", "")
            line.append(f" {title} ", "bold reverse" if period == current else "")
            line.append(" ")
        line.append(f"{keys['period_custom']} ", "bold cyan")
        picked = self.asked.picked
        if picked is None:
            line.append(" Pick dates ")
        else:
            line.append(f" {picked.label()} ", "bold reverse")
        if self.fetching:
            line.append("   updating…", "dim italic")
        line.append("\n")
        line.append(f"{keys['scope_next']} ", "bold cyan")
        scope = self.asked.scope or (self.report.scope.value if self.report else None)
        for name in SCOPES:
            label = SCOPE_TITLES[KpiScope(name)]
            refused = "dim strike" if name in self.refused else ""
            style = "bold reverse" if name == scope else refused
            line.append(f" {label} ", style)
        line.append(" │ ", "dim")
        line.append(f"{keys['overnight_toggle']} ", "bold cyan")
        if self.asked.exclude_overnight:
            line.append(" nights left out ", "bold reverse")
        else:
            line.append(" nights counted ", "")
        self.query_one("#reports-controls", Static).update(line)

    # ---- live ---------------------------------------------------------------------------------

    @on(BackendEvent)
    def _backend_event(self, message: BackendEvent) -> None:
        if message.event.type in REFRESH_EVENTS:
            self.refresh_soon()
        self.query_one(FolderColumn).refresh()

    # ---- actions ------------------------------------------------------------------------------

    def _ask(self, query: ReportQuery) -> None:
        if query != self.asked or self.error:
            self.asked = query
            self.load()

    def action_period(self, period: str) -> None:
        self._ask(replace(self.asked, period=period, from_date=None, to_date=None))

    def action_cycle_period(self, step: int) -> None:
        """The next shorter (`step` -1) or longer (+1) rolling period; from picked days, the
        rolling period just shorter or longer than they are."""
        picked = self.asked.picked
        if picked is not None:
            index = nearest_period(picked, step)
        else:
            index = PERIODS.index(self.asked.period) if self.asked.period in PERIODS else 1
            index = min(max(index + step, 0), len(PERIODS) - 1)
        self.action_period(PERIODS[index])

    def action_pick_period(self) -> None:
        """Ask for From/To dates in a dialog; Enter there reads the report of those days."""
        self.app.push_screen(ReportPeriodModal(self.prefill(), self.today()), self._picked)

    def _picked(self, picked: DayRange | None) -> None:
        if picked is not None:
            self.last_pick = picked
            self._ask(ReportQuery.days(picked, self.asked))

    def today(self) -> date:
        """The store's current day."""
        return self.session.clock().astimezone(store_timezone(self.session)).date()

    def prefill(self) -> DayRange:
        """The dates the dialog starts with: the days last picked if the backend refused them
        (to be corrected), else the days on screen, else those asked for."""
        if self.error and self.last_pick is not None:
            return self.last_pick
        if self.report is not None:
            return DayRange(self.report.period.first_day, self.report.period.last_day)
        if self.asked.picked is not None:
            return self.asked.picked
        today = self.today()
        days = dict(zip(PERIODS, PERIOD_DAYS, strict=True)).get(self.asked.period, 1)
        return DayRange(today - timedelta(days=days - 1), today)

    def action_cycle_scope(self) -> None:
        """associate → store → retailer → associate, skipping scopes the backend refused."""
        current = self.asked.scope or (self.report.scope.value if self.report else SCOPES[0])
        start = SCOPES.index(current)
        for step in range(1, len(SCOPES) + 1):
            candidate = SCOPES[(start + step) % len(SCOPES)]
            if candidate not in self.refused:
                break
        if candidate == current:
            self.notify("No other scope is open to you.")
            return
        self._ask(replace(self.asked, scope=candidate))

    def action_toggle_overnight(self) -> None:
        self._ask(replace(self.asked, exclude_overnight=not self.asked.exclude_overnight))

    def action_back(self) -> None:
        self.app.pop_screen()
