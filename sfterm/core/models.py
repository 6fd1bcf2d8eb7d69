"""The API's schemas (pydantic), shared by the backend that answers and the client that asks."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sfterm.core.routing import Folder, Mode, Source

MAX_MESSAGE_CHARS = 2000
"""The longest message a customer may write in a request form."""

MAX_SMS_CHARS = 1600
"""The longest text the gateway (like Twilio) accepts in one message."""

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

T = TypeVar("T")


class Channel(StrEnum):
    EMAIL = "email"
    TEXT = "text"


class Kind(StrEnum):
    CONTACT_ME = "contact_me"
    APPOINTMENT = "appointment"
    PERSONAL_SHOPPER = "personal_shopper"


class RequestStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Level(StrEnum):
    ASSOCIATE = "associate"
    MANAGER = "manager"
    REGIONAL = "regional"
    ADMIN = "admin"


class Consent(StrEnum):
    ONE_TO_ONE = "one_to_one"
    SUBSCRIBED = "subscribed"
    UNSUBSCRIBED = "unsubscribed"


class MatchState(StrEnum):
    NONE = "none"
    ONE = "one"
    MANY = "many"


class Model(BaseModel):
    """Every schema here: validators are built when a model is first used, not at import (a
    program uses a few of these; building all of them cost ~70 ms of every start)."""

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    """Input bodies: unknown fields are refused, so a typo is named rather than ignored. Deferred
    like the rest (the app sends a few of them); the server builds them all at once."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def build_input_models() -> None:
    """Build every input body's validator now and defer them no longer: the server's routes take
    them as bodies, and FastAPI wraps each in a `TypeAdapter` of its own, which defers too when
    the model does and, built later, warns that the body's alias has no effect."""
    pending: list[type[Strict]] = [Strict]
    while pending:
        model = pending.pop()
        model.model_config["defer_build"] = False
        model.model_rebuild()
        pending += model.__subclasses__()


# ---- errors -----------------------------------------------------------------------------------


class ErrorBody(Model):
    """Every 4xx answer: a machine code, a sentence for people, and the field at fault if any."""

    error: str
    message: str
    field: str | None = None
    taken_by: AssociateBrief | None = None


# ---- people and places ------------------------------------------------------------------------


class RetailerOut(Model):
    id: int
    name: str
    text_messaging: bool
    mode: Mode


class StoreOut(Model):
    id: int
    handle: str
    name: str
    timezone: str
    region: str
    phone: str | None = Field(None, description="The store's own number, which texts New Leads")


class AssociateBrief(Model):
    id: int
    handle: str
    name: str


class AssociateOut(AssociateBrief):
    store_id: int
    level: Level
    relay_number: str | None
    storefront_url: str | None = None


class Me(Model):
    associate: AssociateOut
    store: StoreOut
    retailer: RetailerOut
    last_event_id: int | None = Field(
        default=None,
        description="the newest event when this was read: lists read afterwards, with the event "
        "stream followed from this id, miss nothing",
    )


# ---- service requests -------------------------------------------------------------------------


class RequestSubmission(Strict):
    """The public request form, as the Connect Widget, a Storefront or the Footer posts it."""

    source: Source
    store: str | None = Field(None, description="store handle; required for the Connect Widget")
    associate: str | None = Field(None, description="associate handle; for Storefront and Footer")
    kind: Kind = Kind.CONTACT_ME
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    channel: Channel
    message: str = Field("", max_length=MAX_MESSAGE_CHARS)

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _EMAIL.fullmatch(value):
            raise ValueError(f"{value!r} is not an email address")
        return value


class SubmissionReceipt(Model):
    id: int
    folder: Folder


class ContactBrief(Model):
    id: int
    name: str
    email: str | None = None


class ContactMatch(Model):
    """Whether a number belongs to a contact of the viewer's book: none, one (named) or many."""

    state: MatchState
    contacts: list[ContactBrief] = Field(default_factory=list)


class RequestOut(Model):
    id: int
    folder: Folder
    status: RequestStatus
    source: Source
    kind: Kind
    channel: Channel
    name: str
    email: str | None
    phone: str | None
    phone_display: str | None
    message: str
    store_id: int
    associate: AssociateBrief | None
    created_at: datetime
    accepted_at: datetime | None = None
    resolved_at: datetime | None = None
    first_reply_at: datetime | None = None
    thread_id: int | None = None
    contact_match: ContactMatch | None = None


class Page(Model, Generic[T]):
    """A keyset page: pass `next_before` as `before` to read the next one; None at the end.

    The cursor is an id for lists in id order, an opaque string for lists in activity order.
    """

    items: list[T]
    next_before: int | str | None = None


class ReplyChoice(Strict):
    thread: Literal["existing", "new"]


# ---- threads and messages ---------------------------------------------------------------------


class MessageKind(StrEnum):
    TEXT = "text"
    CARD = "card"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNDELIVERED = "undelivered"
    RECEIVED = "received"
    CANCELED = "canceled"


class AttachmentKind(StrEnum):
    PRODUCT = "product"
    STOREFRONT = "storefront"
    IMAGE = "image"
    LINK = "link"
    """A link the associate typed into the text (tracked like the others; never sent as input)."""


class AttachmentIn(Strict):
    kind: AttachmentKind
    product_id: str | None = None
    url: str | None = Field(None, max_length=2000)


class AttachmentOut(Model):
    kind: AttachmentKind
    title: str
    url: str = Field(description="the tracked link the customer receives")
    target_url: str
    price: str | None = None
    image_url: str | None = None
    product_id: str | None = Field(None, description="for a product: its catalogue id")
    clicks: int = 0


class RequestCard(Model):
    """The preview card of a request, inserted into a thread by the reply flow."""

    request_id: int
    kind: Kind
    name: str
    message: str
    status: RequestStatus
    created_at: datetime


class MessageOut(Model):
    id: int
    thread_id: int
    kind: MessageKind
    direction: Direction
    body: str
    status: DeliveryStatus | None
    error_code: int | None = None
    error_message: str | None = None
    created_at: datetime
    sid: str | None = None
    attachments: list[AttachmentOut] = Field(default_factory=list)
    card: RequestCard | None = None
    automatic: bool = Field(
        False, description="sent by the system (a request's confirmation), not by an associate"
    )


class MessageSend(Strict):
    body: str = Field("", max_length=MAX_SMS_CHARS)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class ThreadOpen(Strict):
    phone: str = Field(max_length=40)


class ThreadOut(Model):
    id: int
    phone: str
    phone_display: str
    relay_number: str
    associate_id: int | None
    created_at: datetime
    last_message: MessageOut | None = None
    last_message_at: datetime | None = None
    unread_count: int = 0
    message_count: int = 0
    consent: Consent = Consent.ONE_TO_ONE
    consent_reason: str | None = None
    contact_match: ContactMatch | None = None


class ReplyResult(Model):
    thread: ThreadOut
    card: MessageOut


class Product(Model):
    id: str
    name: str
    price: str
    url: str
    image_url: str


# ---- contacts ---------------------------------------------------------------------------------


class ContactPhoneOut(Model):
    id: int
    phone: str
    phone_display: str
    label: str


class ContactOut(Model):
    id: int
    name: str
    email: str | None
    notes: str
    phones: list[ContactPhoneOut]
    created_at: datetime
    thread_ids: list[int] = Field(
        default_factory=list, description="one contact's detail only: its threads, newest first"
    )
    request_ids: list[int] = Field(
        default_factory=list, description="one contact's detail only: its requests, newest first"
    )


class ContactPhoneIn(Strict):
    phone: str = Field(max_length=40)
    label: str = Field("mobile", max_length=40)


class ContactCreate(Strict):
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    notes: str = Field("", max_length=MAX_MESSAGE_CHARS)
    phones: list[ContactPhoneIn] = Field(default_factory=list, max_length=20)


class ContactPatch(Strict):
    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    notes: str | None = Field(None, max_length=MAX_MESSAGE_CHARS)


# ---- events -----------------------------------------------------------------------------------


class EventType(StrEnum):
    REQUEST_CREATED = "request.created"
    REQUEST_UPDATED = "request.updated"
    LEAD_CREATED = "lead.created"
    LEAD_TAKEN = "lead.taken"
    THREAD_UPDATED = "thread.updated"
    MESSAGE_CREATED = "message.created"
    MESSAGE_UPDATED = "message.updated"
    CONTACT_CHANGED = "contact.changed"
    STALE = "stale"


class Event(Model):
    """One entry of the event log, as the stream sends it (the SSE `id` is `id`)."""

    id: int
    type: str
    created_at: datetime
    data: dict[str, Any]


# ---- email replies ----------------------------------------------------------------------------


class EmailReply(Strict):
    """An associate's email answer to an email request (kept in the server's simulated outbox)."""

    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=20000)


class EmailOut(Model):
    id: int
    request_id: int
    associate: AssociateBrief
    to_email: str
    subject: str
    body: str
    created_at: datetime


# ---- KPIs -------------------------------------------------------------------------------------


class KpiPeriodName(StrEnum):
    TODAY = "today"
    LAST_7_DAYS = "7d"
    LAST_30_DAYS = "30d"
    CUSTOM = "custom"


class KpiScope(StrEnum):
    ASSOCIATE = "associate"
    STORE = "store"
    RETAILER = "retailer"


class KpiPeriod(Model):
    """Whole store-local days, `first_day` to `last_day` inclusive; `start`/`end` in UTC."""

    name: KpiPeriodName
    first_day: date
    last_day: date
    timezone: str
    start: datetime
    end: datetime = Field(description="exclusive: the first instant after the period")


class Preference(Model):
    """Email/Text Correspondence Preference: text ÷ (text + email) of requests submitted."""

    text: int
    email: int
    total: int
    ratio: float | None = Field(description="None when no request was submitted")


class ReplyTime(Model):
    """Request Reply Time over the answered requests submitted in the period."""

    mean_seconds: float | None
    median_seconds: float | None
    answered: int
    awaiting_reply: int
    overnight_excluded: bool


class KpiDay(Model):
    """One store-local day of the daily series: requests submitted that day, and their replies."""

    date: date
    text: int
    email: int
    mean_reply_seconds: float | None


class KpiReport(Model):
    period: KpiPeriod
    scope: KpiScope
    scope_label: str = Field(description="whose figures: an associate, a store or the retailer")
    total_requests: int
    preference: Preference | None
    preference_unavailable: str | None = Field(
        None, description="why the preference is not shown (the retailer has text off)"
    )
    reply_time: ReplyTime
    by_channel: dict[str, int]
    by_source: dict[str, int]
    by_kind: dict[str, int]
    contacts_added: int
    daily: list[KpiDay]
