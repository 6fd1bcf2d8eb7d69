"""SVG snapshots of the Reports folder (KPI cards and daily charts): 120×36, fixed data and clock.
Update with `pytest tests/tui/test_snapshots_reports.py --snapshot-update`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sfterm.client.api import ApiError, SftermClient
from sfterm.client.link import Link, LinkState
from sfterm.core.models import (
    KpiDay,
    KpiPeriod,
    KpiPeriodName,
    KpiReport,
    KpiScope,
    Preference,
    ReplyTime,
)
from sfterm.tui.app import SftermApp
from sfterm.tui.session import Session
from tests.support.clock import FakeClock
from tests.tui.conftest import SIZE, settle
from tests.tui.fakes import me
from tests.tui.main_data import FixedClient, quiet_stream

TODAY = date(2026, 11, 2)
TEXT = [3, 2, 4, 1, 3, 3, 2, 1, 2, 0, 3, 4, 2, 1, 3, 2, 2, 1, 0, 2, 3, 1, 2, 4, 2, 3, 2, 1, 2, 2]
EMAIL = [2, 1, 3, 2, 1, 2, 1, 0, 1, 1, 2, 1, 1, 0, 2, 1, 1, 1, 0, 1, 2, 1, 1, 2, 1, 3, 1, 2, 1, 1]
REPLY = [
    2700,
    5400,
    None,
    900,
    7500,
    14400,
    3600,
    1800,
    2400,
    None,
    6600,
    4200,
    3000,
    1200,
    9000,
    2100,
    3900,
    5100,
    None,
    2700,
    8100,
    1500,
    4800,
    7200,
    2000,
    10800,
    3300,
    1500,
    5400,
    2700,
]
"""Mean reply seconds per day, the oldest first (the last 30 days, ending today)."""


def fixed_report(
    period: str = "7d",
    scope: str = "associate",
    exclude_overnight: bool = False,
    *,
    text_messaging: bool = True,
    days: tuple[date, date] | None = None,
) -> KpiReport:
    """A report made from the fixed daily series, figures consistent with it. `days` (first,
    last) makes a custom period; the series repeats every 30 days before and after its own."""
    last = TODAY
    if days is not None:
        first, last = days
    else:
        first = TODAY - timedelta(days={"today": 1, "7d": 7, "30d": 30}[period] - 1)
    factor = {"associate": 1, "store": 3, "retailer": 7}[scope]
    night = 0.6 if exclude_overnight else 1.0
    daily = []
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        at = (29 + (day - TODAY).days) % 30  # the series' last entry is TODAY
        reply = REPLY[at]
        daily.append(
            KpiDay(
                date=day,
                text=TEXT[at] * factor,
                email=EMAIL[at] * factor,
                mean_reply_seconds=None if reply is None else round(reply * night),
            )
        )
    text = sum(d.text for d in daily)
    email = sum(d.email for d in daily)
    total = text + email
    awaiting = max(total // 8, 1 if total else 0)
    labels = {
        "associate": "Camille Roy",
        "store": "Montréal — Sainte-Catherine",
        "retailer": "Maison Laurier",
    }
    return KpiReport(
        period=KpiPeriod(
            name=KpiPeriodName(period),
            first_day=first,
            last_day=last,
            timezone="America/Toronto",
            start=_midnight(first),
            end=_midnight(last + timedelta(days=1)),
        ),
        scope=KpiScope(scope),
        scope_label=labels[scope],
        total_requests=total,
        preference=(
            Preference(text=text, email=email, total=total, ratio=text / total if total else None)
            if text_messaging
            else None
        ),
        preference_unavailable=(
            None
            if text_messaging
            else "the retailer does not offer text messaging, so there is no text preference"
        ),
        reply_time=ReplyTime(
            mean_seconds=7500.0 * night,
            median_seconds=2700.0 * night,
            answered=total - awaiting,
            awaiting_reply=awaiting,
            overnight_excluded=exclude_overnight,
        ),
        by_channel={"email": email, "text": text},
        by_source={
            "connect_widget": total // 3,
            "storefront": total - total // 3 - total // 6,
            "footer": total // 6,
        },
        by_kind={
            "contact_me": total - total // 5 - total // 8,
            "appointment": total // 5,
            "personal_shopper": total // 8,
        },
        contacts_added=4 * factor,
        daily=daily,
    )


def _midnight(day: date) -> datetime:
    """Midnight in Montréal (winter time, as every fixed day is) in UTC."""
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=5)


class FixedKpiClient(FixedClient):
    """The main screen's fixed lists, and a KPI report made from the fixed series. Records every
    KPI query; scopes in `forbidden` are refused as the backend refuses them (403)."""

    def __init__(self, *, text_messaging: bool = True, forbidden: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.text_messaging = text_messaging
        self.forbidden = forbidden
        self.kpi_calls: list[dict[str, Any]] = []

    async def kpis(self, **params: Any) -> KpiReport:
        self.kpi_calls.append(params)
        scope = params.get("scope") or "associate"
        if scope in self.forbidden:
            raise ApiError(
                403,
                {
                    "error": "scope_forbidden",
                    "message": f"scope: '{scope}' needs the regional or admin level "
                    "(you are associate); use 'associate' or 'store'",
                    "field": "scope",
                },
            )
        picked = None
        if params.get("from_date"):
            first = date.fromisoformat(str(params["from_date"]))
            picked = (first, date.fromisoformat(str(params.get("to_date") or TODAY)))
        return fixed_report(
            "custom" if picked else params.get("period") or "30d",
            scope,
            params.get("overnight") == "exclude",
            text_messaging=self.text_messaging,
            days=picked,
        )


def reports_app(client: FixedKpiClient | None = None, *, text_messaging: bool = True) -> SftermApp:
    clock = FakeClock()
    profile = me()
    if not text_messaging:
        retailer = profile.retailer.model_copy(update={"text_messaging": False})
        profile = profile.model_copy(update={"retailer": retailer})
    session = Session(
        client=cast(SftermClient, client or FixedKpiClient(text_messaging=text_messaging)),
        me=profile,
        clock=clock,
    )
    session.link = LinkState(Link.LIVE, clock())
    return SftermApp(session, stream=quiet_stream)


async def _open_reports(pilot: Any, *keys: str) -> None:
    await settle(pilot)
    await pilot.press("5", *keys)
    await settle(pilot)


def test_reports_last_7_days(snap_compare: Any) -> None:
    assert snap_compare(reports_app(), terminal_size=SIZE, run_before=_open_reports)


def test_reports_last_30_days_with_nights_excluded(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await _open_reports(pilot, "m", "o")

    assert snap_compare(reports_app(), terminal_size=SIZE, run_before=run_before)


def test_reports_with_text_messaging_off(snap_compare: Any) -> None:
    app = reports_app(text_messaging=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_open_reports)


def test_reports_period_dialog(snap_compare: Any) -> None:
    """`p`: the From/To dialog over the last 7 days, prefilled with them."""

    async def run_before(pilot: Any) -> None:
        await _open_reports(pilot, "p")

    assert snap_compare(reports_app(), terminal_size=SIZE, run_before=run_before)


def test_reports_period_dialog_refuses_to_before_from(snap_compare: Any) -> None:
    """To typed before From: the dialog says so and stays open on To."""

    async def run_before(pilot: Any) -> None:
        await _open_reports(pilot, "p", "tab", "ctrl+a", "ctrl+k", *"10-20", "enter")

    assert snap_compare(reports_app(), terminal_size=SIZE, run_before=run_before)


def test_reports_picked_days(snap_compare: Any) -> None:
    """Oct 12 – Oct 25 picked: the title and the controls line show the days."""

    async def run_before(pilot: Any) -> None:
        await _open_reports(pilot, "p")
        await pilot.press("ctrl+a", "ctrl+k", *"2026-10-12", "tab", "ctrl+a", "ctrl+k")
        await pilot.press(*"10-25", "enter")
        await settle(pilot)

    assert snap_compare(reports_app(), terminal_size=SIZE, run_before=run_before)
