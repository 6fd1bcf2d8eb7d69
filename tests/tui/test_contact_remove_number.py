"""Removing a number in the contact edit dialog, from the keyboard, against the real in-process
backend: Tab to the numbers, `d` asks, `y` removes (one call), `n` keeps; a refusal shows the
backend's reason and changes nothing; the contacts screen and the request indicators follow."""

from __future__ import annotations

from typing import Any

import pytest

from sfterm.core.models import ContactCreate, ContactOut, ContactPhoneIn, MatchState
from sfterm.tui.modals.contact_edit import ContactEditModal
from sfterm.tui.screens.contacts import ContactsScreen
from sfterm.tui.screens.main import MainScreen
from sfterm.tui.widgets.contact_form import ContactNumbers
from tests.support.forms import storefront_form
from tests.tui.conftest import SIZE, TuiHarness, screen_text, settle

KEPT = "+15145550100"
REMOVED = "+14385550111"


async def _zoe(tui: TuiHarness) -> ContactOut:
    body = ContactCreate(
        name="Zoé Côté",
        phones=[ContactPhoneIn(phone="514 555 0100"), ContactPhoneIn(phone="438 555 0111")],
    )
    return await tui.session.client.create_contact(body)


def _spy(tui: TuiHarness, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Every `remove_contact_phone` call the app makes (passed on to the backend)."""
    client = tui.session.client
    calls: list[tuple[int, int]] = []
    real = client.remove_contact_phone

    async def spy(contact_id: int, phone_id: int) -> ContactOut:
        calls.append((contact_id, phone_id))
        return await real(contact_id, phone_id)

    monkeypatch.setattr(client, "remove_contact_phone", spy)
    return calls


async def _edit(pilot: Any) -> tuple[ContactsScreen, ContactEditModal]:
    """Open the book, `e` on its first contact, and Tab down to the numbers."""
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ContactsScreen)
    await pilot.press("e")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, ContactEditModal)
    await pilot.press("tab", "tab", "tab", "tab")  # name → email → notes → add no. → numbers
    assert pilot.app.focused is modal.numbers.number_list
    return screen, modal


def _shown(numbers: ContactNumbers) -> list[str]:
    return [p.phone for p in numbers.phones]


def _shown_of(contact: ContactOut) -> list[str]:
    return [p.phone for p in contact.phones]


def _prompt(modal: ContactEditModal) -> str:
    return str(modal.numbers.query_one("#numbers-prompt").render())


async def test_d_then_y_removes_the_highlighted_number_with_one_call(
    tui: TuiHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    zoe = await _zoe(tui)
    calls = _spy(tui, monkeypatch)
    async with tui.app().run_test(size=SIZE) as pilot:
        screen, modal = await _edit(pilot)
        await tui.skip_events()
        assert _shown(modal.numbers) == [KEPT, REMOVED]
        await pilot.press("down", "d")
        await settle(pilot)
        assert "Remove (438) 555-0111?" in _prompt(modal)
        assert calls == []  # only asked
        await pilot.press("y")
        await settle(pilot)
        assert calls == [(zoe.id, zoe.phones[1].id)]
        assert _shown(modal.numbers) == [KEPT]
        assert "Removed (438) 555-0111." in _prompt(modal)
        assert pilot.app.screen is modal  # the dialog stays open

        await tui.pump()  # contact.changed reaches the screen under the dialog
        await settle(pilot)
        assert screen.detail.contact is not None
        assert [p.phone for p in screen.detail.contact.phones] == [KEPT]

        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
        shown = screen_text(pilot.app)
        assert "(514) 555-0100" in shown and "(438) 555-0111" not in shown
    assert [c.name for c in (await tui.session.client.contacts(phone=REMOVED)).items] == []
    assert [p.phone for p in (await tui.session.client.contact(zoe.id)).phones] == [KEPT]


async def test_n_or_esc_keeps_the_number_and_writes_nothing(
    tui: TuiHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    zoe = await _zoe(tui)
    calls = _spy(tui, monkeypatch)
    async with tui.app().run_test(size=SIZE) as pilot:
        screen, modal = await _edit(pilot)
        await pilot.press("d", "n")
        await settle(pilot)
        assert modal.numbers.asking is None
        assert "-shown" not in modal.numbers.query_one("#numbers-prompt").classes
        await pilot.press("delete", "escape")  # Esc answers the question, not the dialog
        await settle(pilot)
        assert pilot.app.screen is modal and modal.numbers.asking is None
        await pilot.press("escape")  # now it closes the dialog, nothing written
        await settle(pilot)
        assert pilot.app.screen is screen
    assert calls == []
    assert _shown_of(await tui.session.client.contact(zoe.id)) == [KEPT, REMOVED]


async def test_a_refusal_shows_the_backends_reason_and_changes_nothing(
    tui: TuiHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    zoe = await _zoe(tui)
    calls = _spy(tui, monkeypatch)
    other = tui.backend.client("camille")  # the same book, elsewhere
    try:
        async with tui.app().run_test(size=SIZE) as pilot:
            _screen, modal = await _edit(pilot)
            await other.remove_contact_phone(zoe.id, zoe.phones[1].id)
            await pilot.press("down", "d", "y")
            await settle(pilot)
            assert len(calls) == 1
            assert f"has no number {zoe.phones[1].id}" in _prompt(modal)
            assert "-error" in modal.numbers.query_one("#numbers-prompt").classes
            assert _shown(modal.numbers) == [KEPT, REMOVED]  # as it was: nothing local
            assert pilot.app.screen is modal
    finally:
        await other.aclose()


async def test_a_removed_number_turns_its_requests_indicator_to_none_live(
    tui: TuiHarness,
) -> None:
    public = tui.backend.client()
    rid = (await public.submit_request(storefront_form(name="Zoé", phone="438 555 0111"))).id
    await public.aclose()
    zoe = await _zoe(tui)
    async with tui.app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await tui.skip_events()
        await pilot.press("2")
        await settle(pilot)
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        assert main.feeds["customer_requests"].find(rid).contact_match.state is MatchState.ONE
        reads = main.generation
        await tui.session.client.remove_contact_phone(zoe.id, zoe.phones[1].id)
        await tui.pump()
        await settle(pilot)
        item = main.feeds["customer_requests"].find(rid)
        assert item.contact_match.state is MatchState.NONE
        assert "not a contact" in screen_text(pilot.app)
        assert main.generation == reads  # patched in place, no reload
