"""What the carrier remembers: messages, numbers, webhook attempts and handset log lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

MessageStatus = Literal[
    "queued", "sending", "sent", "delivered", "failed", "undelivered", "canceled", "received"
]
Direction = Literal["inbound", "outbound-api", "outbound-reply"]

FINAL_STATUSES = frozenset({"delivered", "failed", "undelivered", "canceled", "received"})


@dataclass
class WebhookAttempt:
    """One HTTP request the carrier made to a webhook, and how it went."""

    url: str
    method: str
    params: dict[str, str]
    signature: str
    attempt: int
    at: datetime
    status_code: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class MessageRecord:
    """A message as Twilio keeps it, plus the simulation's own bookkeeping."""

    sid: str
    account_sid: str
    to: str
    from_: str
    body: str
    direction: Direction
    status: MessageStatus
    num_segments: int
    date_created: datetime
    date_updated: datetime
    media_urls: list[str] = field(default_factory=list)
    date_sent: datetime | None = None
    error_code: int | None = None
    error_message: str | None = None
    price: str | None = None
    price_unit: str = "USD"
    status_callback: str | None = None
    webhook_attempts: list[WebhookAttempt] = field(default_factory=list)
    """Status callbacks (outbound) or the SmsUrl delivery (inbound), in the order made."""


@dataclass
class NumberRecord:
    """A number registered on the account (Twilio's IncomingPhoneNumber)."""

    sid: str
    account_sid: str
    phone_number: str
    friendly_name: str
    sms_url: str
    sms_method: str
    date_created: datetime
    date_updated: datetime


@dataclass(frozen=True)
class HandsetEntry:
    """One line of a handset's log: a text it sent (``outgoing``) or received (``incoming``)."""

    index: int
    sid: str
    direction: Literal["outgoing", "incoming"]
    number: str
    """The other party: the number texted, or the number the text came from."""
    body: str
    media_urls: tuple[str, ...]
    status: str
    date: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "sid": self.sid,
            "direction": self.direction,
            "number": self.number,
            "body": self.body,
            "media_urls": list(self.media_urls),
            "status": self.status,
            "date": self.date.isoformat(),
        }
