"""The app's own filter of the loaded rows ignores case and accents, as the server's search does:
`elodie`, `ÉLODIE` and `Elodie` all find "Élodie Lavoie", `cote` finds "Côté"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sfterm.core.models import (
    Channel,
    ContactBrief,
    ContactMatch,
    Direction,
    Kind,
    MatchState,
    MessageKind,
    MessageOut,
    RequestOut,
    RequestStatus,
    ThreadOut,
)
from sfterm.core.routing import Folder, Source
from sfterm.core.text_fold import fold
from sfterm.server.request_search import request_search_text
from sfterm.tui.widgets.feed import Feed
from sfterm.tui.widgets.rows import request_matches, thread_matches

AT = datetime(2025, 3, 2, 12, 0, tzinfo=UTC)


def _request(request_id: int, name: str, **kw: Any) -> RequestOut:
    values: dict[str, Any] = {
        "id": request_id,
        "folder": Folder.CUSTOMER_REQUESTS,
        "status": RequestStatus.OPEN,
        "source": Source.STOREFRONT,
        "kind": Kind.CONTACT_ME,
        "channel": Channel.TEXT,
        "name": name,
        "email": None,
        "phone": "+15145550123",
        "phone_display": "(514) 555-0123",
        "message": "",
        "store_id": 1,
        "associate": None,
        "created_at": AT,
    }
    values.update(kw)
    return RequestOut(**values)


def _thread(thread_id: int, body: str, contact: str | None = None, **kw: Any) -> ThreadOut:
    last = MessageOut(
        id=100 + thread_id,
        thread_id=thread_id,
        kind=MessageKind.TEXT,
        direction=Direction.INBOUND,
        body=body,
        status=None,
        created_at=AT,
    )
    match = (
        ContactMatch(state=MatchState.ONE, contacts=[ContactBrief(id=thread_id, name=contact)])
        if contact
        else ContactMatch(state=MatchState.NONE, contacts=[])
    )
    values: dict[str, Any] = {
        "id": thread_id,
        "phone": "+14385550177",
        "phone_display": "(438) 555-0177",
        "relay_number": "+15145550111",
        "associate_id": 1,
        "created_at": AT,
        "last_message": last,
        "last_message_at": AT,
        "contact_match": match,
    }
    values.update(kw)
    return ThreadOut(**values)


ELODIE = _request(1, "Élodie Lavoie", email="Elodie.L@Example.org", message="Le manteau vert?")
NOAH = _request(2, "Noah Côté", phone="+15145550199", phone_display="(514) 555-0199")
ZOE = _request(3, "Zoé Martin", message="Côté\nMont-Royal: the scarf", channel=Channel.EMAIL)
REQUESTS = [ELODIE, NOAH, ZOE]


def _requests_feed() -> Feed[RequestOut]:
    feed: Feed[RequestOut] = Feed(
        key=lambda r: r.id, order=lambda r: (r.id,), matches=request_matches
    )
    feed.add_page(REQUESTS, None)
    return feed


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("elodie", ["Élodie Lavoie"]),
        ("ÉLODIE", ["Élodie Lavoie"]),
        ("Elodie", ["Élodie Lavoie"]),
        ("  élodie   LAVOIE ", ["Élodie Lavoie"]),
        ("cote", ["Zoé Martin", "Noah Côté"]),  # a name and a message
        ("CÔTÉ", ["Zoé Martin", "Noah Côté"]),
        ("elodie.l@example", ["Élodie Lavoie"]),  # the email
        ("MANTEAU", ["Élodie Lavoie"]),  # the message
        ("cote mont-royal", ["Zoé Martin"]),  # a line break in the message is a space
        ("lavoie elodie.l", []),  # never across two fields
        ("(514) 555-0199", ["Noah Côté"]),  # the number as shown
        ("514 555 01", ["Zoé Martin", "Noah Côté", "Élodie Lavoie"]),  # digits of the number
        ("0199", ["Noah Côté"]),
        ("   ", ["Élodie Lavoie", "Noah Côté", "Zoé Martin"]),  # no query: every row, as loaded
        ("100%", []),
    ],
)
def test_the_request_lists_filter_ignores_case_and_accents(typed: str, expected: list[str]) -> None:
    feed = _requests_feed()
    feed.set_query(typed)
    assert feed.query == fold(typed)
    assert [r.name for r in feed.view] == expected


@pytest.mark.parametrize(
    "typed",
    ["elodie", "ÉLODIE", "cote", "CÔTÉ", "@example", "the scarf", "mont-royal", "vert?", "œ", "e"],
)
def test_the_filter_agrees_with_what_the_server_searches(typed: str) -> None:
    """A row matches here when its `search_text` (what the server keeps) contains the folded query
    (numbers aside: those go by their digits on both sides)."""
    query = fold(typed)
    for item in REQUESTS:
        bare = item.model_copy(update={"phone": None, "phone_display": None})
        server = query in request_search_text(item.name, item.email, item.message)
        assert request_matches(bare, query) is server, (typed, item.name)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("jerome", [1]),  # the contact's name
        ("JÉRÔME pelletier", [1]),
        ("ca et la", [2]),  # the last message
        ("ÇÀ ET LÀ", [2]),
        ("merci", [1]),
        ("438-555", [2]),  # the number as shown (the unnamed thread's title)
        ("416 555", [1]),  # digits of the number
        ("pelletier merci", []),  # never across two fields
    ],
)
def test_the_threads_filter_ignores_case_and_accents(typed: str, expected: list[int]) -> None:
    threads = [
        _thread(
            1,
            "Merci beaucoup!",
            "Jérôme Pelletier",
            phone="+14165550190",
            phone_display="(416) 555-0190",
        ),
        _thread(2, "Çà et là, rien"),
    ]
    query = fold(typed)
    assert [t.id for t in threads if thread_matches(t, query)] == expected
