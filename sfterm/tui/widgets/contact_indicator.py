"""The contact indicator kept current: a `contact.changed` event patches every match it touches.

The backend's `contact.changed` carries the contact as it now is and the numbers whose match
changed; a request or thread showing one of those numbers gets its `contact_match` rewritten
here, without asking the backend again (the same rule the backend applies: none → one → many,
and back: a number taken off a contact drops that contact from the number's match).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from sfterm.core.models import (
    ContactBrief,
    ContactMatch,
    ContactOut,
    Event,
    EventType,
    MatchState,
    RequestOut,
    ThreadOut,
)
from sfterm.tui.widgets.feed import Feed

T = TypeVar("T", RequestOut, ThreadOut)


@dataclass(frozen=True)
class ContactChange:
    """A contact as it now is, and the numbers (E.164) whose match the change affects."""

    contact: ContactOut
    phones: frozenset[str]

    @property
    def numbers(self) -> frozenset[str]:
        """Every number whose indicator may show this contact: the changed ones and its own."""
        return self.phones | {p.phone for p in self.contact.phones}


def change_of(event: Event) -> ContactChange | None:
    """The change a `contact.changed` event describes; None for any other event (or bad data)."""
    if event.type != EventType.CONTACT_CHANGED:
        return None
    return change_in(event.data)


def change_in(data: dict[str, Any]) -> ContactChange | None:
    """The change described by a `contact.changed` event's data; None when it is malformed."""
    try:
        contact = ContactOut.model_validate(data["contact"])
        phones = frozenset(str(p) for p in data.get("phones", []))
    except (KeyError, TypeError, AttributeError, ValidationError):
        return None
    return ContactChange(contact, phones)


def change_from(contact: ContactOut, phones: Iterable[str]) -> ContactChange:
    """The same change, built from what a save returned (applied before the event arrives)."""
    return ContactChange(contact, frozenset(phones))


def _brief(contact: ContactOut) -> ContactBrief:
    return ContactBrief(id=contact.id, name=contact.name, email=contact.email)


def patched_match(
    match: ContactMatch | None, phone: str | None, change: ContactChange
) -> ContactMatch | None:
    """`match` (the indicator of `phone`) after `change`; the same object when it is untouched.

    The contact is in the result when it has `phone` now: it is added (a number added to it),
    renamed in place (an edit), or dropped when `phone` is no longer one of its numbers (a
    number removed: one → none, many → one). A match not read yet (None) stays None: it is read
    when shown.
    """
    if match is None or not phone:
        return match
    contact = change.contact
    listed = any(c.id == contact.id for c in match.contacts)
    has = any(p.phone == phone for p in contact.phones)
    if not listed and not (has and phone in change.numbers):
        return match
    others = [c for c in match.contacts if c.id != contact.id]
    found = [*others, _brief(contact)] if has else others
    found.sort(key=lambda c: (c.name, c.id))  # the backend's order
    if not found:
        return ContactMatch(state=MatchState.NONE)
    state = MatchState.ONE if len(found) == 1 else MatchState.MANY
    return ContactMatch(state=state, contacts=found)


def keeping_match(item: T, shown: T | None) -> T:
    """`item` as an event carries it, with the indicator `shown` had: events are the same for
    every associate and carry no `contact_match` (it depends on whose contacts)."""
    if item.contact_match is not None or shown is None:
        return item
    return item.model_copy(update={"contact_match": shown.contact_match})


def patched(item: T, change: ContactChange) -> T:
    """A request or thread with its indicator patched (the same object when untouched)."""
    match = patched_match(item.contact_match, item.phone, change)
    if match is item.contact_match:
        return item
    return item.model_copy(update={"contact_match": match})


def patch_all(items: Iterable[Any], change: ContactChange) -> list[Any]:
    """The items whose indicator `change` rewrites, patched (requests and threads alike)."""
    out = []
    for item in items:
        if isinstance(item, RequestOut):
            new: RequestOut | ThreadOut = patched(item, change)
        elif isinstance(item, ThreadOut):
            new = patched(item, change)
        else:
            continue
        if new is not item:
            out.append(new)
    return out


def patch_feeds(feeds: Iterable[Feed[Any]], change: ContactChange) -> bool:
    """Patch the indicator of every loaded row `change` touches; whether any row changed."""
    changed = False
    for feed in feeds:
        for item in patch_all(feed.items, change):
            feed.upsert(item)
            changed = True
    return changed


def offers_add(match: ContactMatch | None) -> bool:
    """Add to Contacts is offered when the number is on no contact, or on more than one."""
    return match is not None and match.state in (MatchState.NONE, MatchState.MANY)
