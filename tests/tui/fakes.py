"""A small in-memory stand-in for the API client, and the fixed thread of the thread-side tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from sfterm.client.api import ApiError, SftermClient, Unreachable
from sfterm.client.link import Link, LinkState
from sfterm.core.models import (
    AssociateOut,
    AttachmentIn,
    AttachmentKind,
    AttachmentOut,
    Channel,
    ContactBrief,
    ContactMatch,
    DeliveryStatus,
    Direction,
    Kind,
    Level,
    MatchState,
    Me,
    MessageKind,
    MessageOut,
    Page,
    Product,
    ReplyResult,
    RequestCard,
    RequestOut,
    RequestStatus,
    RetailerOut,
    StoreOut,
    ThreadOut,
)
from sfterm.core.routing import Folder, Mode, Source
from sfterm.tui.session import Session
from sfterm.tui.terminal_keys import AltChords
from tests.support.clock import START, FakeClock

CUSTOMER = "+15145550123"
RELAY = "+15145550111"

PRODUCTS = [
    Product(
        id="P-100",
        name="Green wool coat",
        price="$189.00",
        url="https://shop.example/p/green-wool-coat",
        image_url="https://shop.example/i/green-wool-coat.jpg",
    ),
    Product(
        id="P-101",
        name="Grey cashmere scarf",
        price="$79.00",
        url="https://shop.example/p/grey-cashmere-scarf",
        image_url="https://shop.example/i/grey-cashmere-scarf.jpg",
    ),
    Product(
        id="P-102",
        name="Leather ankle boots",
        price="$229.00",
        url="https://shop.example/p/leather-ankle-boots",
        image_url="https://shop.example/i/leather-ankle-boots.jpg",
    ),
    Product(
        id="P-103",
        name="Green silk blouse",
        price="$119.00",
        url="https://shop.example/p/green-silk-blouse",
        image_url="https://shop.example/i/green-silk-blouse.jpg",
    ),
]


def me() -> Me:
    return Me(
        associate=AssociateOut(
            id=1,
            handle="camille",
            name="Camille Roy",
            store_id=1,
            level=Level.ASSOCIATE,
            relay_number=RELAY,
            storefront_url="https://shop.example/camille",
        ),
        store=StoreOut(
            id=1,
            handle="montreal",
            name="Montréal — Sainte-Catherine",
            timezone="America/Toronto",
            region="CA",
            phone="+15145550100",
        ),
        retailer=RetailerOut(id=1, name="Maison Laurier", text_messaging=True, mode=Mode.REP),
    )


def request(
    request_id: int = 7, *, name: str = "Marie Tremblay", phone: str = CUSTOMER
) -> RequestOut:
    return RequestOut(
        id=request_id,
        folder=Folder.CUSTOMER_REQUESTS,
        status=RequestStatus.OPEN,
        source=Source.STOREFRONT,
        kind=Kind.APPOINTMENT,
        channel=Channel.TEXT,
        name=name,
        email=None,
        phone=phone,
        phone_display="(514) 555-0123",
        message="Could I try the green coat on Saturday morning?",
        store_id=1,
        associate=None,
        created_at=START - timedelta(hours=2),
    )


class FakeClient:
    """The methods of `SftermClient` the thread side calls, over lists in memory.

    `online = False` makes every call raise Unreachable; `calls` records what was asked;
    `sends` records every send attempt with its Idempotency-Key.
    """

    def __init__(self, clock: Callable[[], datetime] = FakeClock()) -> None:
        self.clock = clock
        self.online = True
        self.calls: list[tuple[str, Any]] = []
        self.sends: list[tuple[int, str, str]] = []
        self.threads_: dict[int, ThreadOut] = {}
        self.messages_: dict[int, list[MessageOut]] = {}
        self.requests_: dict[int, RequestOut] = {}
        self.by_key: dict[str, MessageOut] = {}
        self.products_ = list(PRODUCTS)
        self.fail_next_send: ApiError | None = None
        self._ids = itertools.count(1000)

    # ---- building data ------------------------------------------------------------------------

    def add_thread(self, thread_id: int = 1, phone: str = CUSTOMER, **kw: Any) -> ThreadOut:
        values: dict[str, Any] = {
            "id": thread_id,
            "phone": phone,
            "phone_display": "(514) 555-0123",
            "relay_number": RELAY,
            "associate_id": 1,
            "created_at": START - timedelta(days=3),
            "contact_match": ContactMatch(
                state=MatchState.ONE, contacts=[ContactBrief(id=3, name="Marie Tremblay")]
            ),
        }
        values.update(kw)
        thread = ThreadOut(**values)
        self.threads_[thread_id] = thread
        self.messages_.setdefault(thread_id, [])
        return thread

    def add_message(
        self,
        thread_id: int,
        body: str,
        *,
        direction: Direction = Direction.INBOUND,
        status: DeliveryStatus | None = None,
        at: datetime | None = None,
        **kw: Any,
    ) -> MessageOut:
        message = MessageOut(
            id=next(self._ids),
            thread_id=thread_id,
            kind=kw.pop("kind", MessageKind.TEXT),
            direction=direction,
            body=body,
            status=status
            or (DeliveryStatus.RECEIVED if direction is Direction.INBOUND else DeliveryStatus.SENT),
            created_at=at or self.clock(),
            **kw,
        )
        self.messages_[thread_id].append(message)
        thread = self.threads_[thread_id]
        self.threads_[thread_id] = thread.model_copy(
            update={
                "message_count": thread.message_count + 1,
                "last_message_at": message.created_at,
                "last_message": message,
            }
        )
        return message

    def add_card(self, thread_id: int, req: RequestOut, at: datetime | None = None) -> MessageOut:
        self.requests_[req.id] = req
        card = RequestCard(
            request_id=req.id,
            kind=req.kind,
            name=req.name,
            message=req.message,
            status=req.status,
            created_at=req.created_at,
        )
        return self.add_message(
            thread_id,
            "",
            kind=MessageKind.CARD,
            direction=Direction.OUTBOUND,
            status=DeliveryStatus.DELIVERED,
            card=card,
            at=at,
        )

    def as_client(self) -> SftermClient:
        return cast(SftermClient, self)

    def _check(self, name: str, *args: Any) -> None:
        self.calls.append((name, args))
        if not self.online:
            raise Unreachable("http://backend.test: ConnectError")

    # ---- the client's methods -----------------------------------------------------------------

    async def thread(self, thread_id: int) -> ThreadOut:
        self._check("thread", thread_id)
        if thread_id not in self.threads_:
            raise ApiError(404, {"error": "not_found", "message": f"thread {thread_id}: no such"})
        return self.threads_[thread_id]

    async def threads(
        self, *, before: int | str | None = None, limit: int = 50, phone: str | None = None
    ) -> Page[ThreadOut]:
        self._check("threads", before)
        items = sorted(self.threads_.values(), key=lambda t: -t.id)
        if phone is not None:
            items = [t for t in items if t.phone == phone]
        if before is not None:
            items = [t for t in items if t.id < int(before)]
        page = items[:limit]
        more = len(items) > limit
        return Page[ThreadOut](items=page, next_before=page[-1].id if more else None)

    async def messages(
        self, thread_id: int, *, before: int | None = None, limit: int = 50
    ) -> Page[MessageOut]:
        self._check("messages", thread_id, before)
        items = sorted(self.messages_.get(thread_id, []), key=lambda m: -m.id)
        if before is not None:
            items = [m for m in items if m.id < before]
        page = items[:limit]
        more = len(items) > limit
        return Page[MessageOut](items=page, next_before=page[-1].id if more else None)

    async def send_message(
        self,
        thread_id: int,
        body: str,
        attachments: Sequence[AttachmentIn] = (),
        *,
        idempotency_key: str | None = None,
    ) -> MessageOut:
        self._check("send_message", thread_id, body)
        key = idempotency_key or "no-key"
        self.sends.append((thread_id, body, key))
        if self.fail_next_send is not None:
            error, self.fail_next_send = self.fail_next_send, None
            raise error
        if key in self.by_key:
            return self.by_key[key]
        out = [
            AttachmentOut(
                kind=a.kind,
                title=next((p.name for p in self.products_ if p.id == a.product_id), "link"),
                url=f"https://s.example/{a.product_id or 'x'}",
                target_url=a.url or "https://shop.example/",
            )
            for a in attachments
        ]
        message = self.add_message(
            thread_id,
            body,
            direction=Direction.OUTBOUND,
            status=DeliveryStatus.QUEUED,
            attachments=out,
        )
        self.by_key[key] = message
        return message

    async def mark_read(self, thread_id: int) -> ThreadOut:
        self._check("mark_read", thread_id)
        return self.threads_[thread_id]

    async def products(self, q: str | None = None) -> list[Product]:
        self._check("products", q)
        if not q:
            return list(self.products_)
        return [p for p in self.products_ if q.lower() in p.name.lower()]

    async def resolve(self, request_id: int) -> RequestOut:
        self._check("resolve", request_id)
        req = self.requests_[request_id].model_copy(
            update={"status": RequestStatus.RESOLVED, "resolved_at": self.clock()}
        )
        self.requests_[request_id] = req
        return req

    async def reply(self, request_id: int, thread: str) -> ReplyResult:
        self._check("reply", request_id, thread)
        req = self.requests_[request_id]
        existing = next((t for t in self.threads_.values() if t.phone == req.phone), None)
        if thread == "existing" and existing is not None:
            target = existing
        else:
            target = self.add_thread(max(self.threads_, default=0) + 1, req.phone or CUSTOMER)
        card = self.add_card(target.id, req)
        return ReplyResult(thread=self.threads_[target.id], card=card)


def session_for(client: FakeClient, clock: Callable[[], datetime]) -> Session:
    session = Session(client=client.as_client(), me=me(), clock=clock)
    session.link = LinkState(Link.LIVE, clock())
    return session


class HostApp(AltChords):
    """A tiny app that shows a blank base screen and pushes the screen under test on it (keys as
    the real app reads them: `AltChords`)."""

    def __init__(self, make: Callable[[], Screen[Any]] | None = None) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        yield Static("base screen", id="base")

    def on_mount(self) -> None:
        if self.make is not None:
            self.push_screen(self.make())


def utc(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# ---- the fixed thread that the thread-side pilot and snapshot tests show -------------------

THREAD_ID = 1


def seeded_client(clock: FakeClock | None = None) -> FakeClient:
    """A thread with a customer: a card, a conversation, an attachment clicked, a failure."""
    clock = clock or FakeClock()
    client = FakeClient(clock)
    client.add_thread(THREAD_ID)
    at = START - timedelta(days=1, hours=3)
    client.add_message(THREAD_ID, "Hi! Do you still have the green coat in size M?", at=at)
    client.add_card(THREAD_ID, request(), at=at + timedelta(minutes=5))
    client.add_message(
        THREAD_ID,
        "Yes, we have two left in M. Would you like me to hold one for you?",
        direction=Direction.OUTBOUND,
        status=DeliveryStatus.DELIVERED,
        at=at + timedelta(minutes=7),
        attachments=[
            AttachmentOut(
                kind=AttachmentKind.PRODUCT,
                title="Green wool coat",
                url="https://s.example/a1",
                target_url="https://shop.example/p/green-wool-coat",
                price="$189.00",
                clicks=2,
            )
        ],
    )
    client.add_message(
        THREAD_ID,
        "Please! [bold]Saturday[/] works \x1b[2J for me.\nI'll come around 10.",
        at=START - timedelta(minutes=50),
    )
    client.add_message(
        THREAD_ID,
        "Perfect, it's on hold under your name until Saturday evening.",
        direction=Direction.OUTBOUND,
        status=DeliveryStatus.FAILED,
        error_code=30003,
        error_message="Unreachable destination handset",
        at=START - timedelta(minutes=20),
    )
    client.add_message(
        THREAD_ID,
        "See you then!",
        direction=Direction.OUTBOUND,
        status=DeliveryStatus.SENT,
        at=START - timedelta(minutes=5),
    )
    return client
