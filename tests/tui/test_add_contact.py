"""Add to Contacts from the main screen, against the real in-process backend: each of the four
choices end to end, an invalid number refused under its field, and Esc writing nothing."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from sfterm.core.models import ContactCreate, ContactOut, ContactPhoneIn, MatchState
from sfterm.tui.modals.add_contact import AddContactModal
from sfterm.tui.screens.main import MainScreen
from tests.support.forms import storefront_form
from tests.tui.conftest import SIZE, TuiHarness, screen_text, settle

NUMBER = "+15145550142"


async def _request(tui: TuiHarness, **form: Any) -> int:
    public = tui.backend.client()
    try:
        return (await public.submit_request(storefront_form(**form))).id
    finally:
        await public.aclose()


async def _contact(
    tui: TuiHarness, name: str, *phones: str, email: str | None = None
) -> ContactOut:
    body = ContactCreate(
        name=name, email=email, phones=[ContactPhoneIn(phone=p, label="mobile") for p in phones]
    )
    return await tui.session.client.create_contact(body)


async def _book(tui: TuiHarness, phone: str = NUMBER) -> list[ContactOut]:
    return (await tui.session.client.contacts(phone=phone)).items


async def _open_dialog(pilot: Any) -> AddContactModal:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, AddContactModal)
    return modal


def _detail(app: Any) -> str:
    screen = app.screen_stack[0]
    assert isinstance(screen, MainScreen)
    return screen_text(app)


async def test_choice_1_creates_a_contact_prefilled_from_the_request(tui: TuiHarness) -> None:
    rid = await _request(tui, name="Amélie Fortin", email="amelie@example.com")
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "not a contact  · c add" in screen_text(pilot.app)
        modal = await _open_dialog(pilot)
        assert modal.choice == "new"
        form = modal.query_one("#new")
        assert form.query_one("#field-name", Input).value == "Amélie Fortin"
        assert form.query_one("#field-email", Input).value == "amelie@example.com"
        assert form.query_one("#field-phone", Input).value == "(514) 555-0142"
        await pilot.press("enter")  # the name field has the focus: Enter saves
        await settle(pilot)
        assert not isinstance(pilot.app.screen, AddContactModal)
        [saved] = await _book(tui)
        assert (saved.name, saved.email) == ("Amélie Fortin", "amelie@example.com")
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        item = screen.feeds["customer_requests"].find(rid)
        assert item.contact_match.state is MatchState.ONE  # at once, before any event
        assert "not a contact" not in screen_text(pilot.app)
        assert any("New contact: Amélie Fortin" in n.message for n in pilot.app._notifications)


async def test_an_invalid_number_is_refused_under_its_field_and_esc_writes_nothing(
    tui: TuiHarness,
) -> None:
    await _request(tui, name="Jean Côté")
    await tui.skip_events()
    async with tui.app().run_test(size=SIZE) as pilot:
        modal = await _open_dialog(pilot)
        phone = modal.query_one("#new #field-phone", Input)
        phone.value = "555 01"
        phone.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AddContactModal)  # still open
        error = str(modal.query_one("#new #error-phone").render())
        assert "'555 01' is not a valid phone number" in error
        assert pilot.app.focused is phone
        phone.value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert "Type the number" in str(modal.query_one("#new #error-phone").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
    assert (await tui.session.client.contacts()).items == []
    assert await tui.pump() == []  # no contact.changed, nothing written


async def test_choice_2_adds_the_number_to_a_contact_found_as_you_type(tui: TuiHarness) -> None:
    rid = await _request(tui, name="Marie T.")
    marie = await _contact(tui, "Marie Tremblay", "514 555 0199")
    await _contact(tui, "Marc Gagnon")
    async with tui.app().run_test(size=SIZE) as pilot:
        modal = await _open_dialog(pilot)
        await pilot.press("alt+2")
        await settle(pilot)
        assert modal.choice == "existing"
        picker = modal.query_one("#existing")
        assert [c.name for c in picker.found] == ["Marc Gagnon", "Marie Tremblay"]
        await pilot.press(*"mari")
        await settle(pilot)
        assert [c.name for c in picker.found] == ["Marie Tremblay"]
        await pilot.press("enter")  # to the results
        await pilot.press("enter")  # add the number to the highlighted contact
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
        contact = await tui.session.client.contact(marie.id)
        assert [p.phone for p in contact.phones] == ["+15145550199", NUMBER]
        item = pilot.app.screen.feeds["customer_requests"].find(rid)
        assert [c.name for c in item.contact_match.contacts] == ["Marie Tremblay"]
        assert any(
            "(514) 555-0142 added to Marie Tremblay" in n.message for n in pilot.app._notifications
        )


async def test_choice_3_searches_by_the_customers_name_with_accents(tui: TuiHarness) -> None:
    await _request(tui, name="Élodie Gagnon")
    elodie = await _contact(tui, "Elodie Gagnon", "438 555 0100", email="elo@example.com")
    await _contact(tui, "Paul Roy")
    async with tui.app().run_test(size=SIZE) as pilot:
        modal = await _open_dialog(pilot)
        await pilot.press("alt+3")
        await settle(pilot)
        picker = modal.query_one("#by-name")
        assert [c.name for c in picker.found] == ["Elodie Gagnon"]  # "Élodie" found "Elodie"
        shown = screen_text(pilot.app)
        assert "(438) 555-0100" in shown and "elo@example.com" in shown  # just look
        await pilot.press("tab", "enter")
        await settle(pilot)
        contact = await tui.session.client.contact(elodie.id)
        assert NUMBER in [p.phone for p in contact.phones]


async def test_choice_4_searches_by_the_number(tui: TuiHarness) -> None:
    await _request(tui, name="Paul")
    paul = await _contact(tui, "Paul Roy", "514 555 7788")
    async with tui.app().run_test(size=SIZE) as pilot:
        modal = await _open_dialog(pilot)
        await pilot.press("alt+4")
        await settle(pilot)
        picker = modal.query_one("#by-number")
        assert picker.found == []  # nobody has (514) 555-0142 yet
        assert "No contact found" in screen_text(pilot.app)
        query = picker.query_one("#picker-query", Input)
        query.value = "555 77"
        await settle(pilot)
        assert [c.name for c in picker.found] == ["Paul Roy"]
        await pilot.press("enter", "enter")
        await settle(pilot)
        contact = await tui.session.client.contact(paul.id)
        assert NUMBER in [p.phone for p in contact.phones]


async def test_a_number_on_several_contacts_opens_on_the_number_search(tui: TuiHarness) -> None:
    await _contact(tui, "David Chen", NUMBER)
    await _contact(tui, "Lin Chen", NUMBER)
    await _request(tui, name="D. Chen")
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "number on 2 contacts" in screen_text(pilot.app)
        modal = await _open_dialog(pilot)
        assert modal.choice == "by-number"
        picker = modal.query_one("#by-number")
        assert [c.name for c in picker.found] == ["David Chen", "Lin Chen"]
        assert "this number is on 2 contacts: David Chen, Lin Chen" in screen_text(pilot.app)
        await pilot.press("enter", "enter")  # David has it already: the backend says so
        await settle(pilot)
        error = str(picker.query_one("#error-phone").render())
        assert "already a number of David Chen" in error


async def test_a_request_of_one_contact_does_not_offer_the_dialog(tui: TuiHarness) -> None:
    await _contact(tui, "Zoé Côté", NUMBER)
    await _request(tui, name="Zoé")
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "c add" not in screen_text(pilot.app)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
        assert any("Zoé Côté" in n.message for n in pilot.app._notifications)
