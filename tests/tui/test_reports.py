"""The Reports folder: keys ask the API for the right period, scope and overnight option; the
screen shows the API's figures; a refused scope is a notice; events refresh it, debounced."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from textual.widgets import Input, Static

from sfterm.client.api import SftermClient
from sfterm.core.kpis import describe_duration, describe_ratio
from sfterm.core.models import KpiReport
from sfterm.tui.modals.report_period import ReportPeriodModal
from sfterm.tui.screens.help import HelpScreen
from sfterm.tui.screens.main import MainScreen
from sfterm.tui.screens.reports import Debounce, ReportsScreen
from tests.support.forms import storefront_form
from tests.tui.conftest import SIZE, TuiHarness, screen_text, settle
from tests.tui.test_snapshots_reports import FixedKpiClient, reports_app


def reports(app: Any) -> ReportsScreen:
    screen = app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


def figures_shown(report: KpiReport) -> list[str]:
    """What the screen must show of a report, worded as the cards word it."""
    reply = report.reply_time
    shown = [
        report.scope_label,
        f"{describe_duration(reply.mean_seconds)}",
        f"answered {reply.answered} · awaiting {reply.awaiting_reply}",
        f"{report.total_requests} requests submitted",
        f"{report.contacts_added}  new contacts",
    ]
    pref = report.preference
    if pref is not None and pref.total:
        shown += [
            describe_ratio(pref.ratio),
            f"{pref.text} text of {pref.total} requests · {pref.email} email",
            f"= {pref.text} ÷ ({pref.text} text + {pref.email} email)",
        ]
    shown.append(f"median  {describe_duration(reply.median_seconds)}")
    return shown


def assert_shows(app: Any, report: KpiReport) -> None:
    text = screen_text(app)
    for figure in figures_shown(report):
        assert figure in text, f"{figure!r} is not on screen"


# ---- against fixed data -----------------------------------------------------------------------


async def test_keys_ask_for_the_period_scope_and_overnight_option() -> None:
    client = FixedKpiClient()
    async with reports_app(client).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = reports(pilot.app)
        assert client.kpi_calls == [{"period": "7d", "scope": None, "overnight": "include"}]
        steps = [
            ("m", {"period": "30d", "scope": "associate", "overnight": "include"}),
            ("s", {"period": "30d", "scope": "store", "overnight": "include"}),
            ("o", {"period": "30d", "scope": "store", "overnight": "exclude"}),
            ("t", {"period": "today", "scope": "store", "overnight": "exclude"}),
            ("right_square_bracket", {"period": "7d", "scope": "store", "overnight": "exclude"}),
            ("left_square_bracket", {"period": "today", "scope": "store", "overnight": "exclude"}),
            ("s", {"period": "today", "scope": "retailer", "overnight": "exclude"}),
            ("s", {"period": "today", "scope": "associate", "overnight": "exclude"}),
            ("w", {"period": "7d", "scope": "associate", "overnight": "exclude"}),
            ("o", {"period": "7d", "scope": "associate", "overnight": "include"}),
        ]
        for key, params in steps:
            await pilot.press(key)
            await settle(pilot)
            assert client.kpi_calls[-1] == params, key
            assert screen.report is not None
            assert screen.report.reply_time.overnight_excluded == (params["overnight"] == "exclude")
            assert_shows(pilot.app, screen.report)
        await pilot.press("w")  # already shown: no new read
        await settle(pilot)
        assert len(client.kpi_calls) == len(steps) + 1


async def test_a_refused_scope_is_a_notice_and_the_scope_key_skips_it_after() -> None:
    client = FixedKpiClient(forbidden=("retailer",))
    async with reports_app(client).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "s")
        await settle(pilot)
        screen = reports(pilot.app)
        store = screen.report
        assert store is not None and store.scope == "store"
        await pilot.press("s")
        await settle(pilot)
        assert client.kpi_calls[-1]["scope"] == "retailer"
        notices = [n for n in pilot.app._notifications if n.title == "Scope not allowed"]
        assert len(notices) == 1 and "regional or admin" in notices[0].message
        assert screen.report is store  # the store's figures stay
        assert screen.asked.scope == "store"
        assert_shows(pilot.app, store)
        await pilot.press("s")
        await settle(pilot)
        assert client.kpi_calls[-1]["scope"] == "associate"
        await pilot.press("s", "s")
        await settle(pilot)
        assert [c["scope"] for c in client.kpi_calls[-2:]] == ["store", "associate"]


async def test_with_text_messaging_off_the_preference_card_says_why() -> None:
    async with reports_app(text_messaging=False).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        text = screen_text(pilot.app)
        assert "Not shown" in text
        assert "Text messaging is off for Maison Laurier" in text
        assert "does not offer text" in text
        assert "chose to be answered by text" not in text


async def test_esc_and_the_folder_keys_go_back_to_the_lists() -> None:
    async with reports_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportsScreen)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, MainScreen)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("3")
        main = pilot.app.screen
        assert isinstance(main, MainScreen) and main.folder == "threads"


async def test_help_lists_the_report_keys() -> None:
    async with reports_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot.app)
        for line in ("Reports", "7 days", "30 days", "Scope", "Overnight hours", "[", "]"):
            assert line in text
        group = re.search(r"│  Reports\s+│(.*?)│  App", text, re.S)  # the help's own group
        assert group and re.search(r"│  p\s+Pick dates", group.group(1)), text


async def test_the_command_palette_offers_reports() -> None:
    async with reports_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Reports")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportsScreen)


async def test_the_command_palette_picks_dates_on_the_reports_screen() -> None:
    async with reports_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"pick dates")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportPeriodModal)


# ---- picking the days (p) ---------------------------------------------------------------------


def dialog(app: Any) -> ReportPeriodModal:
    screen = app.screen
    assert isinstance(screen, ReportPeriodModal), screen
    return screen


def typed(app: Any, field: str) -> str:
    return str(dialog(app).query_one(f"#{field}", Input).value)


def dialog_error(app: Any) -> str:
    return str(dialog(app).query_one("#error", Static).render())


async def type_days(pilot: Any, first: str | None, last: str | None, *, enter: bool = True) -> None:
    """In the open dialog: replace From and/or To (None leaves it) and press Enter."""
    for field, text in (("from", first), ("to", last)):
        if field == "to":
            await pilot.press("tab")
        if text is not None:
            assert pilot.app.focused is dialog(pilot.app).query_one(f"#{field}", Input)
            await pilot.press("ctrl+a", "ctrl+k", *text)
    if enter:
        await pilot.press("enter")
    await settle(pilot)


async def test_p_asks_for_the_days_typed_and_shows_them() -> None:
    client = FixedKpiClient()
    async with reports_app(client).run_test(size=SIZE) as pilot:
        await _open(pilot)
        screen = reports(pilot.app)
        await pilot.press("p")
        await settle(pilot)
        # prefilled with the days on screen (the last 7 days)
        assert (typed(pilot.app, "from"), typed(pilot.app, "to")) == ("2026-10-27", "2026-11-02")
        await type_days(pilot, "2026-10-12", "10-25")  # MM-DD: this year
        assert reports(pilot.app) is screen
        assert client.kpi_calls[-1] == {
            "from_date": "2026-10-12",
            "to_date": "2026-10-25",
            "scope": "associate",
            "overnight": "include",
        }
        assert screen.report is not None
        assert screen.report.period.first_day == date(2026, 10, 12)
        title, controls = title_and_controls(pilot.app)
        assert "Oct 12 – Oct 25, 2026" in title
        assert "p  Oct 12 – Oct 25, 2026" in controls
        assert "Pick dates" not in controls
        assert_shows(pilot.app, screen.report)
        # the dialog opens again on the days shown; the other keys keep them
        await pilot.press("p")
        await settle(pilot)
        assert (typed(pilot.app, "from"), typed(pilot.app, "to")) == ("2026-10-12", "2026-10-25")
        await pilot.press("escape")
        await pilot.press("o")
        await settle(pilot)
        assert client.kpi_calls[-1]["from_date"] == "2026-10-12"
        assert client.kpi_calls[-1]["overnight"] == "exclude"


async def test_from_picked_days_the_period_keys_go_back_to_rolling_periods() -> None:
    client = FixedKpiClient()
    async with reports_app(client).run_test(size=SIZE) as pilot:
        await _open(pilot)
        for key, days, period in (
            ("left_square_bracket", ("2026-10-12", "2026-10-25"), "7d"),  # 14 days: shorter
            ("right_square_bracket", ("2026-10-12", "2026-10-25"), "30d"),  # longer
            ("left_square_bracket", ("2026-11-02", "2026-11-02"), "today"),  # none shorter
            ("right_square_bracket", ("2026-06-01", "2026-11-02"), "30d"),  # none longer
            ("t", ("2026-10-12", "2026-10-25"), "today"),
        ):
            await pilot.press("p")
            await settle(pilot)
            await type_days(pilot, *days)
            assert "from_date" in client.kpi_calls[-1]
            await pilot.press(key)
            await settle(pilot)
            call = client.kpi_calls[-1]
            assert call.get("period") == period and "from_date" not in call, key
            _, controls = title_and_controls(pilot.app)
            assert "Pick dates" in controls


async def test_esc_leaves_the_dialog_and_changes_nothing() -> None:
    client = FixedKpiClient()
    async with reports_app(client).run_test(size=SIZE) as pilot:
        await _open(pilot)
        screen = reports(pilot.app)
        report, asked, calls = screen.report, screen.asked, list(client.kpi_calls)
        await pilot.press("p")
        await settle(pilot)
        await type_days(pilot, "2026-09-01", "2026-09-30", enter=False)
        await pilot.press("escape")
        await settle(pilot)
        assert reports(pilot.app) is screen
        assert client.kpi_calls == calls
        assert screen.report is report and screen.asked == asked
        assert "Pick dates" in title_and_controls(pilot.app)[1]


async def test_a_date_that_does_not_parse_names_its_field_and_asks_nothing() -> None:
    client = FixedKpiClient()
    async with reports_app(client).run_test(size=SIZE) as pilot:
        await _open(pilot)
        calls = len(client.kpi_calls)
        await pilot.press("p")
        await settle(pilot)
        for first, last, field, shown in (
            ("2026-13-01", None, "from", "From: 2026-13-01 is not a date."),
            ("2026-10-01", "yesterday", "to", "To: yesterday is not a date."),
            ("", "2026-11-02", "from", "From: no date typed."),
            ("2026-02-30", "2026-03-02", "from", "From: 2026-02-30 is not a date."),
        ):
            await type_days(pilot, first, last)
            error = dialog_error(pilot.app)
            assert error.startswith(shown), error
            assert "YYYY-MM-DD" in error
            assert pilot.app.focused is dialog(pilot.app).query_one(f"#{field}", Input)
            assert isinstance(pilot.app.screen, ReportPeriodModal)
            if field == "to":
                await pilot.press("shift+tab")  # back to From for the next try
        assert len(client.kpi_calls) == calls


async def test_to_before_from_is_refused_in_the_dialog() -> None:
    client = FixedKpiClient()
    async with reports_app(client).run_test(size=SIZE) as pilot:
        await _open(pilot)
        calls = len(client.kpi_calls)
        await pilot.press("p")
        await settle(pilot)
        await type_days(pilot, "2026-10-27", "2026-10-20")
        error = dialog_error(pilot.app)
        assert "To (Tue Oct 20, 2026) is before From (Tue Oct 27, 2026)" in error
        assert pilot.app.focused is dialog(pilot.app).query_one("#to", Input)
        assert len(client.kpi_calls) == calls
        # corrected: one day is a period too
        await pilot.press("ctrl+a", "ctrl+k", *"2026-10-27", "enter")
        await settle(pilot)
        assert client.kpi_calls[-1]["to_date"] == "2026-10-27"
        assert "Tue Oct 27, 2026" in title_and_controls(pilot.app)[0]


async def _open(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)


def title_and_controls(app: Any) -> tuple[str, str]:
    screen = reports(app)
    title = str(screen.query_one("#reports-title", Static).render())
    return title, str(screen.query_one("#reports-controls", Static).render())


def test_debounce_refreshes_at_once_after_a_quiet_spell_and_once_per_burst() -> None:
    now = [100.0]
    debounce = Debounce(1.0, clock=lambda: now[0])
    assert debounce.ask() == 0.0  # nothing ran for a long time
    debounce.ran()
    now[0] += 0.25
    assert debounce.ask() == 0.75  # the burst waits for the end of the second
    assert debounce.ask() is None  # one refresh is already waiting
    assert debounce.ask() is None
    now[0] += 0.75
    debounce.ran()
    now[0] += 3
    assert debounce.ask() == 0.0


# ---- against the in-process backend ----------------------------------------------------------


async def _submit(tui: TuiHarness, *forms: dict[str, Any]) -> list[int]:
    public = tui.backend.client()
    try:
        return [(await public.submit_request(form)).id for form in forms]
    finally:
        await public.aclose()


async def _api(client: SftermClient, period: str, scope: str, overnight: str) -> KpiReport:
    return await client.kpis(period=period, scope=scope, overnight=overnight)


async def test_the_screen_shows_the_apis_figures_for_each_query(tui: TuiHarness) -> None:
    ids = await _submit(
        tui,
        storefront_form(channel="email", phone=None),
        storefront_form(channel="email", phone=None, kind="appointment"),
        storefront_form(),
        storefront_form(name="Zoé Côté"),
    )
    tui.backend.clock.advance(minutes=40)
    client = tui.session.client
    await client.send_email(ids[0], "Hello", "We have it in your size.")
    tui.backend.clock.advance(hours=3)
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = reports(pilot.app)
        for key, period, scope, overnight in (
            (None, "7d", "associate", "include"),
            ("o", "7d", "associate", "exclude"),
            ("t", "today", "associate", "exclude"),
            ("s", "today", "store", "exclude"),
            ("m", "30d", "store", "exclude"),
            ("o", "30d", "store", "include"),
        ):
            if key:
                await pilot.press(key)
                await settle(pilot)
            api = await _api(client, period, scope, overnight)
            assert screen.report == api
            assert_shows(pilot.app, api)
        assert screen.report is not None and screen.report.total_requests >= 4


async def test_the_backend_refuses_the_retailer_scope_with_a_notice(tui: TuiHarness) -> None:
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "s")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = reports(pilot.app)
        notices = [n for n in pilot.app._notifications if n.title == "Scope not allowed"]
        assert notices and "retailer" in notices[0].message
        assert screen.report is not None and screen.report.scope == "store"
        assert "Store" in screen_text(pilot.app)


async def test_new_requests_refresh_the_figures_debounced(tui: TuiHarness) -> None:
    await tui.skip_events()
    client = tui.session.client
    calls: list[dict[str, Any]] = []
    read = client.kpis

    async def counted(**params: Any) -> KpiReport:
        calls.append(params)
        return await read(**params)

    client.kpis = counted  # type: ignore[method-assign]
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = reports(pilot.app)
        now = [1000.0]
        screen.debounce.clock = lambda: now[0]
        screen.debounce.interval = 60.0  # long, so that no real timer fires during the test
        screen.debounce.ran()
        assert screen.report is not None
        before = screen.report.total_requests
        now[0] += 100  # quiet for a while: the first event refreshes at once
        await _submit(tui, storefront_form(name="Quick One"))
        events = await tui.pump()
        assert len(events) > 1  # the request, then its confirmation text
        await settle(pilot)
        assert len(calls) == 2
        assert screen.report.total_requests == before + 1
        assert screen.debounce.pending  # the events after the first wait for one refresh
        # a burst while a refresh waits: nothing more is read
        await _submit(tui, storefront_form(name="Burst A"), storefront_form(name="Burst B"))
        await tui.pump()
        await settle(pilot)
        assert len(calls) == 2
        timer = screen._timer
        assert timer is not None
        timer.stop()
        screen._refresh_due()  # the timer's end, without waiting for it
        await settle(pilot)
        assert len(calls) == 3
        assert screen.report.total_requests == before + 3
        assert_shows(pilot.app, screen.report)


async def test_four_goes_from_reports_to_the_contacts(tui: TuiHarness) -> None:
    from sfterm.tui.screens.contacts import ContactsScreen

    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReportsScreen)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactsScreen)


async def test_picked_days_show_the_apis_figures(tui: TuiHarness) -> None:
    await _submit(tui, storefront_form(), storefront_form(channel="email", phone=None))
    client = tui.session.client
    async with tui.app().run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("p")
        await settle(pilot)
        await type_days(pilot, "2026-10-20", "2026-11-02")
        screen = reports(pilot.app)
        api = await client.kpis(
            from_date="2026-10-20", to_date="2026-11-02", scope="associate", overnight="include"
        )
        assert screen.report == api
        assert api.period.first_day == date(2026, 10, 20) and api.total_requests >= 2
        assert_shows(pilot.app, api)
        assert "Oct 20 – Nov 2, 2026" in title_and_controls(pilot.app)[0]


async def test_days_the_backend_refuses_show_its_message(tui: TuiHarness) -> None:
    async with tui.app().run_test(size=SIZE) as pilot:
        await _open(pilot)
        screen = reports(pilot.app)
        shown, asked = screen.report, screen.asked
        await pilot.press("p")
        await settle(pilot)
        await type_days(pilot, "2024-01-01", "2026-11-02")  # more than 366 days
        assert reports(pilot.app) is screen
        error = str(screen.query_one("#reports-error", Static).render())
        assert "a period is at most 366 days" in error
        assert "a period is at most 366 days" in screen_text(pilot.app)
        notices = [n for n in pilot.app._notifications if n.title == "Reports"]
        assert notices and "366 days" in notices[-1].message
        # the figures shown stay, and so do the controls that say what they are
        assert screen.report is shown and screen.asked == asked
        assert "Pick dates" in title_and_controls(pilot.app)[1]
        # the dialog opens again on the refused days, to be corrected
        await pilot.press("p")
        await settle(pilot)
        assert (typed(pilot.app, "from"), typed(pilot.app, "to")) == ("2024-01-01", "2026-11-02")
        await type_days(pilot, "2025-11-03", None)  # 365 days
        assert screen.error == ""
        assert screen.report is not None and screen.report.period.first_day == date(2025, 11, 3)
        assert "a period is at most" not in screen_text(pilot.app)
