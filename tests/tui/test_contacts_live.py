"""The contact indicator follows the book live: another client adds a contact while the app shows
the request, and the detail pane (and the thread header) change without a reload."""

from __future__ import annotations

from sfterm.core.models import ContactCreate, ContactPhoneIn, MatchState
from sfterm.tui.screens.main import MainScreen
from sfterm.tui.screens.thread import ThreadScreen
from tests.support.forms import storefront_form
from tests.tui.conftest import SIZE, TuiHarness, screen_text, settle

NUMBER = "+15145550142"


def _new(name: str, phone: str = NUMBER) -> ContactCreate:
    return ContactCreate(name=name, phones=[ContactPhoneIn(phone=phone, label="mobile")])


def _contact_line(shown: str) -> str:
    """The detail pane's Contact line."""
    return next(line for line in shown.splitlines() if "  Contact  " in line)


async def _request(tui: TuiHarness, name: str) -> int:
    public = tui.backend.client()
    try:
        return (await public.submit_request(storefront_form(name=name))).id
    finally:
        await public.aclose()


async def test_the_indicator_goes_none_then_one_then_many_live(tui: TuiHarness) -> None:
    rid = await _request(tui, "Amélie Fortin")
    other = tui.backend.client("camille")  # a second client of the same book
    try:
        async with tui.app().run_test(size=SIZE) as pilot:
            await settle(pilot)
            await tui.skip_events()
            await pilot.press("2")
            await settle(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, MainScreen)
            reads = screen.generation
            assert "not a contact" in screen_text(pilot.app)

            await other.create_contact(_new("Amélie Fortin"))
            await tui.pump()
            await settle(pilot)
            item = screen.feeds["customer_requests"].find(rid)
            assert item.contact_match.state is MatchState.ONE
            shown = screen_text(pilot.app)
            assert "Amélie Fortin" in _contact_line(shown) and "c add" not in shown

            await other.create_contact(_new("Amélie F. (work)"))
            await tui.pump()
            await settle(pilot)
            item = screen.feeds["customer_requests"].find(rid)
            assert item.contact_match.state is MatchState.MANY
            assert [c.name for c in item.contact_match.contacts] == [
                "Amélie F. (work)",
                "Amélie Fortin",
            ]
            assert "number on 2 contacts  · c add" in _contact_line(screen_text(pilot.app))
            assert screen.generation == reads  # patched in place, no reload
    finally:
        await other.aclose()


async def test_a_contact_of_another_number_leaves_the_indicator_alone(tui: TuiHarness) -> None:
    rid = await _request(tui, "Jean Côté")
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tui.skip_events()
        await tui.session.client.create_contact(_new("Someone Else", "514 555 0199"))
        await tui.pump()
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        item = screen.feeds["customer_requests"].find(rid)
        assert item.contact_match.state is MatchState.NONE


async def test_the_thread_header_changes_live_and_offers_the_dialog(tui: TuiHarness) -> None:
    thread = await tui.session.client.open_thread(NUMBER)
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tui.skip_events()
        pilot.app.push_screen(ThreadScreen(tui.session, thread.id))
        await settle(pilot)
        header = str(pilot.app.screen.query_one("#thread-header").render())
        assert "not a contact · c add" in header
        await tui.session.client.create_contact(_new("Élodie Gagnon"))
        await tui.pump()
        await settle(pilot)
        header = str(pilot.app.screen.query_one("#thread-header").render())
        assert "contact: Élodie Gagnon" in header and "c add" not in header


async def test_add_from_a_thread_with_alt_c_while_typing(tui: TuiHarness) -> None:
    from sfterm.tui.modals.add_contact import AddContactModal

    thread = await tui.session.client.open_thread(NUMBER)
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ThreadScreen(tui.session, thread.id))
        await settle(pilot)
        await pilot.press("alt+c")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, AddContactModal)
        await pilot.press(*"Noé Roy", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ThreadScreen)
        header = str(pilot.app.screen.query_one("#thread-header").render())
        assert "contact: Noé Roy" in header


async def test_a_thread_updated_by_a_new_text_keeps_its_indicator(tui: TuiHarness) -> None:
    """Events carry no `contact_match` (it depends on whose book): the row and the thread header
    keep the one they show when a text moves the thread."""
    await tui.session.client.create_contact(_new("Élodie Gagnon"))
    thread = await tui.session.client.open_thread(NUMBER)
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await tui.skip_events()
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        assert "Élodie Gagnon" in _contact_line(screen_text(pilot.app))
        await tui.session.client.send_message(thread.id, "See you Saturday")
        assert any(e.type == "thread.updated" for e in await tui.pump())
        await settle(pilot)
        item = screen.feeds["threads"].find(thread.id)
        assert item.last_message is not None and item.last_message.body == "See you Saturday"
        assert item.contact_match.state is MatchState.ONE
        assert "Élodie Gagnon" in _contact_line(screen_text(pilot.app))

        pilot.app.push_screen(ThreadScreen(tui.session, thread.id))
        await settle(pilot)
        await tui.session.client.send_message(thread.id, "Or Sunday?")
        await tui.pump()
        await settle(pilot)
        header = str(pilot.app.screen.query_one("#thread-header").render())
        assert "contact: Élodie Gagnon" in header
