"""The indicator patched from `contact.changed` when a number is taken off a contact: the contact
leaves that number's match (one → none, many → one), and other numbers' matches stay as they are."""

from __future__ import annotations

from datetime import UTC, datetime

from sfterm.core.models import ContactBrief, ContactMatch, ContactOut, ContactPhoneOut, MatchState
from sfterm.tui.widgets.contact_indicator import ContactChange, change_in, patched_match

KEPT = "+15145550123"
REMOVED = "+14385550188"


def _contact(contact_id: int, name: str, *phones: str) -> ContactOut:
    return ContactOut(
        id=contact_id,
        name=name,
        email=None,
        notes="",
        phones=[
            ContactPhoneOut(id=i, phone=p, phone_display=p, label="mobile")
            for i, p in enumerate(phones, start=1)
        ],
        created_at=datetime(2025, 3, 1, tzinfo=UTC),
    )


def _removal(contact: ContactOut, removed: str) -> ContactChange:
    """The change as the backend's event data carries it after `removed` was taken off."""
    data = {"contact": contact.model_dump(mode="json"), "phones": [removed]}
    change = change_in(data)
    assert change is not None
    return change


def _match(*contacts: tuple[int, str]) -> ContactMatch:
    state = MatchState.ONE if len(contacts) == 1 else MatchState.MANY
    return ContactMatch(state=state, contacts=[ContactBrief(id=i, name=n) for i, n in contacts])


def test_a_removed_number_turns_one_into_none() -> None:
    change = _removal(_contact(7, "Élodie Gagnon", KEPT), REMOVED)
    patched = patched_match(_match((7, "Élodie Gagnon")), REMOVED, change)
    assert patched == ContactMatch(state=MatchState.NONE, contacts=[])


def test_a_removed_number_turns_many_into_the_other_contact() -> None:
    change = _removal(_contact(7, "Élodie Gagnon", KEPT), REMOVED)
    before = _match((3, "Amélie Fortin"), (7, "Élodie Gagnon"))
    patched = patched_match(before, REMOVED, change)
    assert patched is not None and patched.state is MatchState.ONE
    assert [c.id for c in patched.contacts] == [3]


def test_the_last_number_removed_drops_the_contact_too() -> None:
    change = _removal(_contact(7, "Élodie Gagnon"), REMOVED)  # no number left
    patched = patched_match(_match((7, "Élodie Gagnon")), REMOVED, change)
    assert patched is not None and patched.state is MatchState.NONE


def test_the_contacts_other_numbers_keep_their_match() -> None:
    change = _removal(_contact(7, "Élodie Gagnon", KEPT), REMOVED)
    kept = _match((7, "Élodie Gagnon"))
    assert patched_match(kept, KEPT, change) == kept


def test_a_match_without_the_contact_is_untouched() -> None:
    change = _removal(_contact(7, "Élodie Gagnon", KEPT), REMOVED)
    others = _match((3, "Amélie Fortin"))
    assert patched_match(others, REMOVED, change) is others
    none = ContactMatch(state=MatchState.NONE)
    assert patched_match(none, REMOVED, change) is none
    assert patched_match(None, REMOVED, change) is None  # not read yet: read when shown
