"""The contact book's pieces that are not the screen: its rows, its order, its search, the
messages its workers post."""

from __future__ import annotations

import re
from functools import total_ordering

from rich.text import Text
from textual.message import Message

from sfterm.core.models import ContactOut, RequestOut, ThreadOut
from sfterm.tui.text import one_line
from sfterm.tui.widgets.feed import Feed

_PHONE_LIKE = re.compile(r"[\d\s()+.\-]+")


def search_params(query: str) -> dict[str, str]:
    """What the backend is asked: `phone` when the query looks like a number, else `q`."""
    query = query.strip()
    if not query:
        return {}
    if _PHONE_LIKE.fullmatch(query):
        return {"phone": query}
    return {"q": query}


@total_ordering
class _ByName:
    """Sorts contacts in the book's order (by name) under the feed's "larger first" rule."""

    def __init__(self, contact: ContactOut) -> None:
        self.key = (contact.name.casefold(), contact.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByName) and self.key == other.key

    def __lt__(self, other: _ByName) -> bool:
        return self.key > other.key


def contact_feed() -> Feed[ContactOut]:
    return Feed(key=lambda c: c.id, order=lambda c: (_ByName(c),), matches=lambda c, q: True)


def contact_row(contact: ContactOut, width: int, unread: bool) -> Text:
    """` Amélie Fortin            (514) 555-0142 +1   amelie@example.com` (no email when narrow)"""
    text = Text(no_wrap=True, overflow="crop", end="")
    phone_w = 18
    name_w = max(min(28, width - phone_w - 3), 8)
    text.append(" ")
    name = one_line(contact.name, name_w)
    text.append(name, "bold" if unread else "")
    text.append(" " * (name_w - Text(name).cell_len + 1))
    phones = contact.phones
    phone = phones[0].phone_display if phones else "—"
    if len(phones) > 1:
        phone += f" +{len(phones) - 1}"
    shown = one_line(phone, phone_w)
    text.append(shown, "" if phones else "dim")
    rest = width - name_w - phone_w - 4
    if rest >= 10 and contact.email:
        text.append(" " * (phone_w - Text(shown).cell_len + 2))
        text.append(one_line(contact.email, rest), "dim")
    return text


class ContactsPage(Message):
    def __init__(
        self, items: list[ContactOut], next_before: int | str | None, generation: int, first: bool
    ) -> None:
        super().__init__()
        self.items = items
        self.next_before = next_before
        self.generation = generation
        self.first = first


class ContactsFailed(Message):
    def __init__(self, error: str, generation: int) -> None:
        super().__init__()
        self.error = error
        self.generation = generation


class ContactRead(Message):
    """A contact's detail with its newest threads and requests."""

    def __init__(
        self, contact: ContactOut, threads: list[ThreadOut], requests: list[RequestOut]
    ) -> None:
        super().__init__()
        self.contact = contact
        self.threads = threads
        self.requests = requests
