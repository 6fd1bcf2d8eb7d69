"""SVG snapshots of Add to Contacts (each choice's view, and a refused number) and of the
Contacts folder (the book, and one contact's detail): 120×36, fixed data and clock.
Update with `pytest tests/tui/test_snapshots_contacts.py --snapshot-update`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.widgets import Input

from sfterm.client.api import ApiError
from sfterm.core.models import (
    ContactCreate,
    ContactOut,
    ContactPhoneOut,
    Page,
    ThreadOut,
)
from sfterm.core.phones import InvalidPhone, display_phone, parse_phone, phone_digits
from sfterm.core.text_fold import fold
from tests.support.clock import START
from tests.tui.conftest import SIZE, settle
from tests.tui.main_data import LEADS, REQUESTS, THREADS, FixedClient, fixed_app


def _contact(
    contact_id: int,
    name: str,
    *phones: str,
    email: str | None = None,
    notes: str = "",
    days: int = 30,
) -> ContactOut:
    return ContactOut(
        id=contact_id,
        name=name,
        email=email,
        notes=notes,
        phones=[
            ContactPhoneOut(
                id=contact_id * 10 + n,
                phone=p,
                phone_display=display_phone(p),
                label="mobile" if n == 0 else "work",
            )
            for n, p in enumerate(phones)
        ],
        created_at=START - timedelta(days=days),
    )


BOOK = [
    _contact(
        9,
        "Amélie Fortin",
        "+15145550188",
        email="amelie.fortin@example.com",
        notes="Size M in coats, 38 in shoes. Prefers texts after 17:00.",
        days=120,
    ),
    _contact(3, "David Chen", "+14385550132", email="david.chen@example.com", days=60),
    _contact(5, "Jérôme Pelletier", "+15145550177", "+15145550101", days=200),
    _contact(4, "Lin Chen", "+14385550132", days=58),
    _contact(7, "Marc-André Lavoie", "+14505550166", email="ma.lavoie@example.net", days=12),
    _contact(8, "Zoé Côté-Marchand", "+18195550145", email="zoe.cm@example.com", days=3),
    _contact(6, "Nadia [bold]Roy[/] \x1b[2J", days=1),
]


class BookClient(FixedClient):
    """The main screen's fixed data, and a contact book searched the way the backend does."""

    def __init__(self) -> None:
        super().__init__()
        self.book = list(BOOK)

    async def contacts(
        self,
        *,
        q: str | None = None,
        phone: str | None = None,
        before: int | str | None = None,
        limit: int = 50,
    ) -> Page[ContactOut]:
        items = sorted(self.book, key=lambda c: (fold(c.name), c.id))
        if phone:
            digits = phone_digits(phone)
            items = [c for c in items if any(digits in p.phone for p in c.phones)]
        elif q:
            key = fold(q)
            items = [c for c in items if key in fold(c.name)]
        return Page[ContactOut](items=items[:limit])

    async def contact(self, contact_id: int) -> ContactOut:
        found = next(c for c in self.book if c.id == contact_id)
        numbers = {p.phone for p in found.phones}
        threads = [t.id for t in THREADS if t.phone in numbers]
        requests = [r.id for r in LEADS + REQUESTS if r.phone in numbers]
        return found.model_copy(update={"thread_ids": threads, "request_ids": requests})

    async def thread(self, thread_id: int) -> ThreadOut:
        return next(t for t in THREADS if t.id == thread_id)

    async def create_contact(self, contact: ContactCreate) -> ContactOut:
        for n, given in enumerate(contact.phones):
            try:
                parse_phone(given.phone, "CA")
            except InvalidPhone as exc:
                field = f"phones.{n}.phone"
                raise ApiError(
                    422, {"error": "invalid_phone", "message": f"{field}: {exc}", "field": field}
                ) from None
        raise AssertionError("the snapshots never save")


def _app() -> Any:
    return fixed_app(BookClient())


async def _dialog_for_zoe(pilot: Any) -> None:
    """Customer Requests, Zoé Côté (not a contact), then `c`."""
    await settle(pilot)
    await pilot.press("2", "j", "c")
    await settle(pilot)


def test_dialog_choice_1_new_contact_prefilled(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=SIZE, run_before=_dialog_for_zoe)


def test_dialog_choice_1_refuses_an_invalid_number_under_its_field(snap_compare: Any) -> None:
    async def refused(pilot: Any) -> None:
        await _dialog_for_zoe(pilot)
        phone = pilot.app.screen.query_one("#new #field-phone", Input)
        phone.value = "555 01"
        phone.focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=SIZE, run_before=refused)


def test_dialog_choice_2_existing_contact_filtered_as_you_type(snap_compare: Any) -> None:
    async def typed(pilot: Any) -> None:
        await _dialog_for_zoe(pilot)
        await pilot.press("alt+2", *"ma")
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=SIZE, run_before=typed)


def test_dialog_choice_3_search_by_name(snap_compare: Any) -> None:
    async def by_name(pilot: Any) -> None:
        await _dialog_for_zoe(pilot)
        await pilot.press("alt+3")
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=SIZE, run_before=by_name)


def test_dialog_choice_4_search_by_number_of_a_number_on_two_contacts(snap_compare: Any) -> None:
    async def many(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("j", "c")  # New Leads: David Chen, whose number is on two contacts
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=SIZE, run_before=many)


def test_contacts_screen_the_book(snap_compare: Any) -> None:
    async def book(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=SIZE, run_before=book)


def test_contacts_screen_a_contacts_detail(snap_compare: Any) -> None:
    async def detail(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("j", "j", "enter")  # Jérôme Pelletier: a thread and a request
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=SIZE, run_before=detail)


def test_contacts_screen_searching_a_number(snap_compare: Any) -> None:
    async def searched(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("4", "slash", *"438 555")
        await settle(pilot)

    assert snap_compare(_app(), terminal_size=SIZE, run_before=searched)
