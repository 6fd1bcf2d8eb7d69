"""Texts written while the backend is out of reach, kept with their Idempotency-Key until sent."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sfterm.client.errors import ApiError, Unreachable
from sfterm.core.models import AttachmentIn, MessageOut


class _Sender(Protocol):
    async def send_message(
        self,
        thread_id: int,
        body: str,
        attachments: Sequence[AttachmentIn] = (),
        *,
        idempotency_key: str | None = None,
    ) -> MessageOut: ...


@dataclass(frozen=True)
class PendingText:
    """One text waiting to be sent. `key` is its Idempotency-Key: every attempt reuses it, so the
    backend sends it once however many times the attempt is repeated."""

    thread_id: int
    body: str
    attachments: tuple[AttachmentIn, ...]
    key: str
    created_at: datetime


@dataclass(frozen=True)
class FlushResult:
    """What became of one pending text in a flush: sent (`message`) or refused (`error`)."""

    text: PendingText
    message: MessageOut | None = None
    error: ApiError | None = None


@dataclass
class Outbox:
    """The texts waiting for the link to return, oldest first.

    `flush` sends them in order with their own keys. A text the backend refuses (an ApiError) is
    dropped with its error; an Unreachable stops the flush and keeps the rest for the next one.
    Flushes never overlap, so a text is never in flight twice at once.
    """

    items: list[PendingText] = field(default_factory=list)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def add(
        self,
        thread_id: int,
        body: str,
        attachments: Sequence[AttachmentIn] = (),
        *,
        now: datetime,
        key: str | None = None,
    ) -> PendingText:
        """Keep a text for later; pass `key` when it already went out once under that key."""
        text = PendingText(thread_id, body, tuple(attachments), key or new_key(), now)
        if all(item.key != text.key for item in self.items):
            self.items.append(text)
        return text

    def pending(self, thread_id: int | None = None) -> list[PendingText]:
        return [t for t in self.items if thread_id is None or t.thread_id == thread_id]

    def discard(self, key: str) -> None:
        self.items = [t for t in self.items if t.key != key]

    def __len__(self) -> int:
        return len(self.items)

    async def flush(self, client: _Sender, thread_id: int | None = None) -> list[FlushResult]:
        """Send what waits (for one thread, or all); returns what became of each text tried."""
        results: list[FlushResult] = []
        async with self._lock:
            for text in self.pending(thread_id):
                try:
                    message = await client.send_message(
                        text.thread_id, text.body, text.attachments, idempotency_key=text.key
                    )
                except Unreachable:
                    break
                except ApiError as exc:
                    self.discard(text.key)
                    results.append(FlushResult(text, error=exc))
                else:
                    self.discard(text.key)
                    results.append(FlushResult(text, message=message))
        return results


def new_key() -> str:
    """A fresh Idempotency-Key."""
    return uuid.uuid4().hex


def outbox_of(session: Any) -> Outbox:
    """The session's outbox, made on first use, so that waiting texts outlive the thread screen
    that queued them (the app flushes it too when the link returns)."""
    box = getattr(session, "outbox", None)
    if not isinstance(box, Outbox):
        box = Outbox()
        session.outbox = box
    return box
