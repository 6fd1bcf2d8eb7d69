"""Fixed data for the main screen's snapshots: an in-memory client with leads, requests, threads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any, cast

from sfterm.client.api import ApiError, SftermClient
from sfterm.client.link import Link, LinkState
from sfterm.core.models import (
    AssociateBrief,
    Channel,
    ContactBrief,
    ContactMatch,
    Direction,
    Event,
    Kind,
    MatchState,
    MessageKind,
    MessageOut,
    Page,
    RequestOut,
    RequestStatus,
    ThreadOut,
)
from sfterm.core.routing import Folder, Source
from sfterm.tui.app import SftermApp
from sfterm.tui.session import Session
from tests.support.clock import START, FakeClock
from tests.tui.fakes import me

CAMILLE = AssociateBrief(id=1, handle="camille", name="Camille Roy")
NONE = ContactMatch(state=MatchState.NONE)


def _one(name: str) -> ContactMatch:
    return ContactMatch(state=MatchState.ONE, contacts=[ContactBrief(id=9, name=name)])


def _request(request_id: int, minutes_ago: int, **kw: Any) -> RequestOut:
    values: dict[str, Any] = {
        "id": request_id,
        "folder": Folder.CUSTOMER_REQUESTS,
        "status": RequestStatus.OPEN,
        "source": Source.STOREFRONT,
        "kind": Kind.CONTACT_ME,
        "channel": Channel.TEXT,
        "email": None,
        "phone": "+15145550142",
        "phone_display": "(514) 555-0142",
        "store_id": 1,
        "associate": CAMILLE,
        "created_at": START - timedelta(minutes=minutes_ago),
        "contact_match": NONE,
    }
    values.update(kw)
    return RequestOut(**values)


LEADS = [
    _request(
        12,
        4,
        folder=Folder.NEW_LEADS,
        source=Source.CONNECT_WIDGET,
        associate=None,
        name="Amélie Fortin",
        kind=Kind.APPOINTMENT,
        message="Bonjour! Could I book a fitting for the green wool coat on Saturday morning?",
        contact_match=_one("Amélie Fortin"),
    ),
    _request(
        11,
        95,
        folder=Folder.NEW_LEADS,
        source=Source.CONNECT_WIDGET,
        associate=None,
        name="David Chen",
        phone="+14385550132",
        phone_display="(438) 555-0132",
        message="Do you still have the grey cashmere crewneck in size M?",
        contact_match=ContactMatch(
            state=MatchState.MANY,
            contacts=[ContactBrief(id=3, name="David Chen"), ContactBrief(id=4, name="Lin Chen")],
        ),
    ),
    _request(
        10,
        60 * 26,
        folder=Folder.NEW_LEADS,
        source=Source.CONNECT_WIDGET,
        associate=None,
        name="Sarah O'Connor",
        channel=Channel.EMAIL,
        phone=None,
        phone_display=None,
        email="sarah.oconnor@example.com",
        kind=Kind.PERSONAL_SHOPPER,
        message="I need an outfit for a wedding in June.\nBudget around $600.",
        contact_match=None,
    ),
]

REQUESTS = [
    _request(
        9,
        35,
        name="Jérôme Pelletier",
        kind=Kind.APPOINTMENT,
        phone="+15145550177",
        phone_display="(514) 555-0177",
        message="Est-ce que le manteau marine est encore disponible en 40?",
        contact_match=_one("Jérôme Pelletier"),
    ),
    _request(
        8,
        180,
        name="Zoé Côté",
        source=Source.FOOTER,
        message="Thanks for the scarf recommendation — can you hold one for me?",
        first_reply_at=START - timedelta(minutes=150),
    ),
    _request(
        7,
        60 * 30,
        name="Léa Nguyen",
        channel=Channel.EMAIL,
        phone=None,
        phone_display=None,
        email="lea.nguyen@example.org",
        message="Do you ship to Québec City?",
        contact_match=None,
    ),
    _request(
        6,
        60 * 72,
        name="Gaëtan Roy-Lefebvre",
        status=RequestStatus.RESOLVED,
        message="Is the boutique open on Sunday?",
        resolved_at=START - timedelta(hours=70),
        first_reply_at=START - timedelta(hours=71),
    ),
]


def _thread(thread_id: int, minutes_ago: int, body: str, **kw: Any) -> ThreadOut:
    at = START - timedelta(minutes=minutes_ago)
    direction = kw.pop("direction", Direction.INBOUND)
    last = MessageOut(
        id=100 + thread_id,
        thread_id=thread_id,
        kind=MessageKind.TEXT,
        direction=direction,
        body=body,
        status=None,
        created_at=at,
    )
    values: dict[str, Any] = {
        "id": thread_id,
        "phone": "+15145550142",
        "phone_display": "(514) 555-0142",
        "relay_number": "+15145550111",
        "associate_id": 1,
        "created_at": at - timedelta(days=2),
        "last_message": last,
        "last_message_at": at,
        "message_count": 6,
        "contact_match": NONE,
    }
    values.update(kw)
    return ThreadOut(**values)


THREADS = [
    _thread(
        3,
        2,
        "Perfect, see you Saturday at 10!",
        unread_count=2,
        contact_match=_one("Amélie Fortin"),
    ),
    _thread(
        2,
        50,
        "I'll put it aside for you until Friday.",
        direction=Direction.OUTBOUND,
        phone="+15145550177",
        phone_display="(514) 555-0177",
        contact_match=_one("Jérôme Pelletier"),
    ),
    _thread(
        1,
        60 * 50,
        "STOP",
        phone="+14165550190",
        phone_display="(416) 555-0190",
        consent="unsubscribed",
    ),
]


class FixedClient:
    """The reads the main screen makes, answered from the lists above."""

    def __init__(
        self,
        leads: list[RequestOut] | None = None,
        requests: list[RequestOut] | None = None,
        threads: list[ThreadOut] | None = None,
    ) -> None:
        self.leads_ = list(LEADS if leads is None else leads)
        self.requests_ = list(REQUESTS if requests is None else requests)
        self.threads_ = list(THREADS if threads is None else threads)

    async def leads(self, *, before: int | None = None, limit: int = 50) -> Page[RequestOut]:
        return Page[RequestOut](items=self.leads_[:limit])

    async def requests(self, **_: Any) -> Page[RequestOut]:
        return Page[RequestOut](items=self.requests_)

    async def threads(self, **_: Any) -> Page[ThreadOut]:
        return Page[ThreadOut](items=self.threads_)

    async def request(self, request_id: int) -> RequestOut:
        for item in self.leads_ + self.requests_:
            if item.id == request_id:
                return item
        raise ApiError(404, {"error": "not_found", "message": f"no request {request_id}"})


async def quiet_stream(session: Session, last_event_id: int) -> AsyncIterator[Event | LinkState]:
    """Live, and nothing happens."""
    yield LinkState(Link.LIVE, session.clock())
    import asyncio

    await asyncio.Event().wait()


def fixed_app(client: Any | None = None) -> SftermApp:
    clock = FakeClock()
    session = Session(client=cast(SftermClient, client or FixedClient()), me=me(), clock=clock)
    session.link = LinkState(Link.LIVE, clock())
    return SftermApp(session, stream=quiet_stream)
