"""Folder 4, the contact book, against the real in-process backend: search as you type (accents,
every phone form), a contact's threads and requests, editing, a new contact, and 1–3 back."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from sfterm.core.models import ContactCreate, ContactPhoneIn
from sfterm.tui.modals.contact_edit import ContactEditModal
from sfterm.tui.screens.contacts import ContactsScreen
from sfterm.tui.screens.main import MainScreen
from sfterm.tui.screens.thread import ThreadScreen
from tests.support.forms import storefront_form
from tests.tui.conftest import SIZE, TuiHarness, settle


async def _add(tui: TuiHarness, name: str, *phones: str, email: str | None = None) -> int:
    body = ContactCreate(
        name=name, email=email, phones=[ContactPhoneIn(phone=p, label="mobile") for p in phones]
    )
    return (await tui.session.client.create_contact(body)).id


async def _open_book(pilot: Any) -> ContactsScreen:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ContactsScreen)
    return screen


def _names(screen: ContactsScreen) -> list[str]:
    return [c.name for c in screen.feed.view]


async def _search(pilot: Any, screen: ContactsScreen, text: str) -> list[str]:
    screen.query_one("#search", Input).value = text
    await settle(pilot)
    return _names(screen)


async def test_search_by_name_ignores_accents_and_case(tui: TuiHarness) -> None:
    for name in ("Élodie Gagnon", "Eloïse Martin", "Marc Élie", "Paul Roy"):
        await _add(tui, name)
    async with tui.app().run_test(size=SIZE) as pilot:
        screen = await _open_book(pilot)
        assert _names(screen) == ["Élodie Gagnon", "Eloïse Martin", "Marc Élie", "Paul Roy"]
        await pilot.press("slash", *"elo")
        await settle(pilot)
        assert _names(screen) == ["Élodie Gagnon", "Eloïse Martin"]
        await pilot.press("d")
        await settle(pilot)
        assert _names(screen) == ["Élodie Gagnon"]
        assert await _search(pilot, screen, "ÉLOÏ") == ["Eloïse Martin"]
        assert await _search(pilot, screen, "lie") == ["Marc Élie"]  # a substring, not a prefix
        await pilot.press("escape")  # clears the search
        await settle(pilot)
        assert len(_names(screen)) == 4


async def test_search_by_number_in_every_form_people_type(tui: TuiHarness) -> None:
    await _add(tui, "Amélie Fortin", "514 555 0123")
    await _add(tui, "David Chen", "438 555 0999")
    async with tui.app().run_test(size=SIZE) as pilot:
        screen = await _open_book(pilot)
        for typed in ("514 555", "(514) 555-01", "+1514555", "5550123"):
            assert await _search(pilot, screen, typed) == ["Amélie Fortin"], typed
        assert await _search(pilot, screen, "555") == ["Amélie Fortin", "David Chen"]
        assert await _search(pilot, screen, "55") == []
        assert screen.rows.placeholder == "Type at least 3 digits to search numbers."


async def test_a_contacts_threads_and_requests_and_enter_opens_the_thread(tui: TuiHarness) -> None:
    public = tui.backend.client()
    await public.submit_request(storefront_form(name="Amélie", phone="514 555 0142"))
    await public.aclose()
    thread = await tui.session.client.open_thread("+15145550142")
    await _add(tui, "Amélie Fortin", "514 555 0142", email="amelie@example.com")
    async with tui.app().run_test(size=SIZE) as pilot:
        screen = await _open_book(pilot)
        detail = screen.detail
        assert [t.id for t in detail.threads] == [thread.id]
        assert len(detail.requests) == 1
        await pilot.press("enter")  # into the contact's threads and requests
        assert pilot.app.focused is detail.linked
        await pilot.press("enter")
        await settle(pilot)
        opened = pilot.app.screen
        assert isinstance(opened, ThreadScreen) and opened.thread_id == thread.id
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen


async def test_edit_a_contact_and_add_a_number_checked_like_the_dialog(tui: TuiHarness) -> None:
    contact_id = await _add(tui, "Zoe Cote", "514 555 0100")
    async with tui.app().run_test(size=SIZE) as pilot:
        screen = await _open_book(pilot)
        await pilot.press("e")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, ContactEditModal)
        modal.form.input("name").value = "Zoé Côté"
        modal.form.input("phone").value = "123"
        modal.form.input("name").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactEditModal)  # the number was refused
        assert "'123' is not a valid phone number" in str(modal.query_one("#error-phone").render())
        modal.form.input("phone").value = "438 555 0111"
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is screen
        contact = await tui.session.client.contact(contact_id)
        assert contact.name == "Zoé Côté"
        assert [p.phone for p in contact.phones] == ["+15145550100", "+14385550111"]
        assert _names(screen) == ["Zoé Côté"]
        assert screen.detail.contact is not None and len(screen.detail.contact.phones) == 2


async def test_n_writes_a_new_contact_and_esc_writes_nothing(tui: TuiHarness) -> None:
    async with tui.app().run_test(size=SIZE) as pilot:
        screen = await _open_book(pilot)
        await pilot.press("n", *"Paul", "escape")
        await settle(pilot)
        assert (await tui.session.client.contacts()).items == []
        await pilot.press("n", *"Paul Roy", "tab", *"paul@example", "enter")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, ContactEditModal)  # not an email address yet
        assert "not an email address" in str(modal.query_one("#error-email").render())
        await pilot.press(*".com", "enter")
        await settle(pilot)
        assert _names(screen) == ["Paul Roy"]
        [saved] = (await tui.session.client.contacts()).items
        assert saved.email == "paul@example.com"


async def test_1_to_3_go_back_to_the_lists(tui: TuiHarness) -> None:
    async with tui.app().run_test(size=SIZE) as pilot:
        await _open_book(pilot)
        await pilot.press("2")
        await settle(pilot)
        main = pilot.app.screen
        assert isinstance(main, MainScreen) and main.folder == "customer_requests"
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactsScreen)
        await pilot.press("3")
        await settle(pilot)
        assert pilot.app.screen is main and main.folder == "threads"


async def test_a_contact_added_elsewhere_appears_in_the_book_live(tui: TuiHarness) -> None:
    await _add(tui, "Marc Élie")
    async with tui.app().run_test(size=SIZE) as pilot:
        screen = await _open_book(pilot)
        await tui.skip_events()
        await _add(tui, "Amélie Fortin", "514 555 0142")
        await tui.pump()
        await settle(pilot)
        assert _names(screen) == ["Amélie Fortin", "Marc Élie"]


async def test_the_command_palette_goes_to_contacts(tui: TuiHarness) -> None:
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"go to contacts")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ContactsScreen)
