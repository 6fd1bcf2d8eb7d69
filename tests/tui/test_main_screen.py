"""The main screen against the seeded backend: folders, keys, accept, resolve/reopen, live rows."""

from __future__ import annotations

import pytest

from sfterm.client.link import Link
from sfterm.core.models import RequestOut, RequestStatus
from sfterm.tui.screens.main import MainScreen
from sfterm.tui.widgets.status_line import StatusLine
from tests.support.forms import storefront_form, widget_form
from tests.tui.conftest import SIZE, TuiHarness, screen_text, settle


def main_screen(app: object) -> MainScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, MainScreen)
    return screen


async def _submit(tui: TuiHarness, *forms: dict[str, object]) -> list[int]:
    public = tui.backend.client()
    try:
        return [(await public.submit_request(form)).id for form in forms]
    finally:
        await public.aclose()


async def test_folders_switch_with_number_keys_and_show_their_rows(tui: TuiHarness) -> None:
    await _submit(tui, widget_form(name="Lead One"), storefront_form(name="Request Two"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        assert screen.folder == "new_leads"
        assert "Lead One" in screen.rows.text_lines()[0]
        await pilot.press("2")
        await settle(pilot)
        assert screen.folder == "customer_requests"
        assert "Request Two" in screen.rows.text_lines()[0]
        await pilot.press("3")
        assert screen.folder == "threads"
        await pilot.press("1")
        assert screen.folder == "new_leads"


async def test_first_pages_read_with_the_sign_in_are_shown_without_asking_again(
    tui: TuiHarness,
) -> None:
    await _submit(tui, widget_form(name="Early Lead"))
    client = tui.session.client
    tui.session.first_pages = {"new_leads": await client.leads(limit=100)}
    asked: list[str] = []
    leads = client.leads

    async def counting_leads(**kwargs: object) -> object:
        asked.append("leads")
        return await leads(**kwargs)  # type: ignore[arg-type]

    client.leads = counting_leads  # type: ignore[method-assign]
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        assert "Early Lead" in screen.rows.text_lines()[0]
        assert asked == []  # the other folders were read as usual
        assert screen.feeds["customer_requests"].started and screen.feeds["threads"].started
    assert tui.session.first_pages == {}  # taken once


async def test_j_k_g_G_move_the_cursor_and_the_detail_follows(tui: TuiHarness) -> None:
    await _submit(tui, *(widget_form(name=f"Customer {n}") for n in range(5)))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        rows = screen.rows
        assert rows.highlighted.name == "Customer 4"  # newest first
        await pilot.press("j", "j")
        assert rows.highlighted.name == "Customer 2"
        await pilot.press("k")
        assert rows.highlighted.name == "Customer 3"
        await pilot.press("G")
        assert rows.highlighted.name == "Customer 0"
        await pilot.press("g")
        assert rows.highlighted.name == "Customer 4"
        await pilot.press("down")
        await settle(pilot)
        lines = screen_text(pilot.app).splitlines()
        detail_line = next(line for line in lines if "NEW LEAD" in line)
        assert "Customer 3" in detail_line


async def test_the_waiting_time_and_the_ages_move_on_with_the_clock(tui: TuiHarness) -> None:
    await _submit(tui, widget_form(name="Patient Customer"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        assert "waiting 0s" in screen_text(pilot.app)
        assert screen.rows.text_lines()[0].rstrip().endswith("0s")
        tui.backend.clock.advance(minutes=12)
        screen._ages_move_on()  # what the screen's timer calls every AGE_TICK_SECONDS
        await settle(pilot)
        assert "waiting 12m" in screen_text(pilot.app)
        assert screen.rows.text_lines()[0].rstrip().endswith("12m")


async def test_accepting_a_lead_moves_it_to_customer_requests(tui: TuiHarness) -> None:
    (lead_id,) = await _submit(tui, widget_form(name="Amélie Fortin"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        await pilot.press("a")
        await settle(pilot)
        assert screen.feeds["new_leads"].find(lead_id) is None
        accepted = screen.feeds["customer_requests"].find(lead_id)
        assert isinstance(accepted, RequestOut)
        assert accepted.associate is not None and accepted.associate.handle == "camille"
        assert any("Accepted Amélie Fortin" in n.message for n in pilot.app._notifications)


async def test_a_lead_taken_by_another_associate_leaves_with_a_notice_naming_who(
    tui: TuiHarness,
) -> None:
    (lead_id,) = await _submit(tui, widget_form(name="Zoé Côté"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tui.skip_events()
        screen = main_screen(pilot.app)
        assert screen.feeds["new_leads"].find(lead_id) is not None
        mathieu = tui.backend.client("mathieu")
        await mathieu.accept_lead(lead_id)
        await mathieu.aclose()
        await tui.pump()
        await settle(pilot)
        assert screen.feeds["new_leads"].find(lead_id) is None
        assert all("Zoé Côté" not in line for line in screen.rows.text_lines())
        notices = [n.message for n in pilot.app._notifications]
        assert any("Zoé Côté" in m and "Mathieu Tremblay" in m for m in notices), notices


async def test_accepting_a_lead_someone_else_just_took_names_them(tui: TuiHarness) -> None:
    (lead_id,) = await _submit(tui, widget_form(name="Zoé Côté"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        mathieu = tui.backend.client("mathieu")
        await mathieu.accept_lead(lead_id)  # the app has not heard yet
        await mathieu.aclose()
        await pilot.press("a")
        await settle(pilot)
        screen = main_screen(pilot.app)
        assert screen.feeds["new_leads"].find(lead_id) is None
        notices = [n.message for n in pilot.app._notifications]
        assert any("already taken by Mathieu Tremblay" in m for m in notices), notices


async def test_x_resolves_and_x_again_reopens(tui: TuiHarness) -> None:
    (request_id,) = await _submit(tui, storefront_form(name="Jean Côté"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = main_screen(pilot.app)
        await pilot.press("x")
        await settle(pilot)
        item = screen.feeds["customer_requests"].find(request_id)
        assert item is not None and item.status is RequestStatus.RESOLVED
        assert "✓" in screen.rows.text_lines()[0]
        await pilot.press("x")
        await settle(pilot)
        item = screen.feeds["customer_requests"].find(request_id)
        assert item is not None and item.status is RequestStatus.OPEN


async def test_a_new_lead_appears_live_with_a_notification(tui: TuiHarness) -> None:
    await _submit(tui, widget_form(name="Earlier Lead"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tui.skip_events()
        await _submit(tui, widget_form(name="Live Lead"))
        await tui.pump()
        await settle(pilot)
        screen = main_screen(pilot.app)
        assert "Live Lead" in screen.rows.text_lines()[0]
        assert "●" in screen.rows.text_lines()[0]  # unread until looked at
        assert screen.rows.highlighted.name == "Earlier Lead"  # the cursor stays on its row
        assert any(n.title == "New lead" for n in pilot.app._notifications)


async def test_n_jumps_to_the_next_unread_row(tui: TuiHarness) -> None:
    await _submit(tui, widget_form(name="Old Lead"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tui.skip_events()
        await pilot.press("2")
        await _submit(tui, widget_form(name="Fresh Lead"))
        await tui.pump()
        await settle(pilot)
        screen = main_screen(pilot.app)
        await pilot.press("n")
        assert screen.folder == "new_leads"
        assert screen.rows.highlighted.name == "Fresh Lead"


async def test_status_line_goes_reconnecting_then_offline_then_live(tui: TuiHarness) -> None:
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = pilot.app.screen.query_one(StatusLine)
        assert "live" in status.render().plain
        tui.stream.link(Link.RECONNECTING)
        await settle(pilot)
        assert "reconnecting" in status.render().plain
        assert not tui.session.online
        tui.stream.link(Link.OFFLINE)
        await settle(pilot)
        assert "offline since 10:00" in status.render().plain  # 15:00 UTC in Montréal
        tui.stream.link(Link.LIVE)
        await settle(pilot)
        assert "● live" in status.render().plain
        assert tui.session.online


async def test_a_restarted_stream_resumes_after_the_last_event(tui: TuiHarness) -> None:
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tui.skip_events()
        await _submit(tui, widget_form(name="Before The Drop"))
        events = await tui.pump()
        await settle(pilot)
        pilot.app.restart_events()  # type: ignore[attr-defined]
        await settle(pilot)
        assert tui.stream.resumed_after == [0, events[-1].id]


async def test_search_filters_the_loaded_rows_and_escape_clears_it(tui: TuiHarness) -> None:
    await _submit(
        tui,
        widget_form(name="Amélie Fortin", message="wool coat"),
        widget_form(name="Jean Côté", message="silk scarf", phone="514 555 0199"),
    )
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        await pilot.press("slash", *"scarf")
        await settle(pilot)
        assert [r.name for r in screen.feed.view] == ["Jean Côté"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.feed.view) == 2
        await pilot.press("slash", *"0199")
        await settle(pilot)
        assert [r.name for r in screen.feed.view] == ["Jean Côté"]


async def test_tab_moves_between_the_panes(tui: TuiHarness) -> None:
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.focused is not None and pilot.app.focused.id == "list"
        await pilot.press("tab")
        assert pilot.app.focused.id == "detail"
        await pilot.press("tab")
        assert pilot.app.focused.id == "folders"
        await pilot.press("j")
        await settle(pilot)
        assert main_screen(pilot.app).folder == "customer_requests"


async def test_keys_table_of_the_config_rebinds_accept(tui: TuiHarness) -> None:
    (lead_id,) = await _submit(tui, widget_form(name="Rebound"))
    app = tui.app(config={"keys": {"accept": "A"}})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        await pilot.press("a")
        await settle(pilot)
        assert screen.feeds["new_leads"].find(lead_id) is not None
        await pilot.press("A")
        await settle(pilot)
        assert screen.feeds["new_leads"].find(lead_id) is None


async def test_a_failed_call_shows_the_backends_message(tui: TuiHarness) -> None:
    await _submit(tui, widget_form(name="Lead"))
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")  # a lead cannot be resolved: the app says so itself
        await settle(pilot)
        notices = [n.message for n in pilot.app._notifications]
        assert any("Accept the lead first" in m for m in notices)


async def test_search_also_finds_rows_on_pages_not_loaded_yet(
    tui: TuiHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sfterm.tui.screens.main as main_module
    import sfterm.tui.widgets.virtual_list as virtual_list

    monkeypatch.setattr(main_module, "PAGE_SIZE", 2)
    monkeypatch.setattr(virtual_list, "PREFETCH_ROWS", 0)
    await _submit(
        tui,
        widget_form(name="Old Scarf Lover", message="a silk scarf"),
        *(widget_form(name=f"Customer {n}", message="a coat") for n in range(4)),
    )
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(pilot.app)
        assert len(screen.feed.items) == 2 and screen.feed.has_more
        await pilot.press("slash", *"scarf")
        await settle(pilot)
        assert [r.name for r in screen.feed.view] == ["Old Scarf Lover"]
        assert "Old Scarf Lover" in screen.rows.text_lines()[0]
