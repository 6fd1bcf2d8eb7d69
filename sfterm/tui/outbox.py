"""Texts written while the backend is out of reach, kept with their Idempotency-Key until sent.

The `sfterm` command keeps the outbox in a file (one per server and associate, in the user's
state directory), so texts written offline survive quitting the app: they go out, under the
same keys, when the app is next live with that server.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

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
    path: Path | None = None
    """The file that keeps the texts across runs (None: in memory only)."""
    problem: str | None = None
    """Why the texts of the last run could not be read back, if they could not."""
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @classmethod
    def kept_in(cls, path: Path) -> Outbox:
        """The outbox kept in `path`, with the texts still waiting there. A file that cannot be
        read is set aside (renamed `*.unreadable`, not lost) and named in `problem`."""
        try:
            return cls(_texts_from(path.read_text(encoding="utf-8")), path)
        except FileNotFoundError:
            return cls(path=path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            aside = path.with_name(path.name + ".unreadable")
            try:
                path.replace(aside)
            except OSError:
                aside = path
            problem = f"Texts waiting from last time could not be read ({exc}); kept in {aside}."
            return cls(path=path, problem=problem)

    def _save(self) -> None:
        """Write the waiting texts to `path` (atomically), or remove the file when none wait."""
        if self.path is None:
            return
        if not self.items:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(_texts_to(self.items), encoding="utf-8")
        os.replace(partial, self.path)

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
            self._save()
        return text

    def pending(self, thread_id: int | None = None) -> list[PendingText]:
        return [t for t in self.items if thread_id is None or t.thread_id == thread_id]

    def discard(self, key: str) -> None:
        kept = [t for t in self.items if t.key != key]
        if len(kept) != len(self.items):
            self.items = kept
            self._save()

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


def _texts_to(items: Sequence[PendingText]) -> str:
    texts = [
        {
            "thread_id": t.thread_id,
            "body": t.body,
            "attachments": [a.model_dump(mode="json", exclude_none=True) for a in t.attachments],
            "key": t.key,
            "created_at": t.created_at.isoformat(),
        }
        for t in items
    ]
    return json.dumps({"version": 1, "texts": texts}, ensure_ascii=False, indent=1)


def _texts_from(data: str) -> list[PendingText]:
    """The texts of an outbox file; ValueError (or KeyError, TypeError) when it is not one."""
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("version") != 1:
        raise ValueError("not an sfterm outbox file (version 1)")
    return [
        PendingText(
            thread_id=int(text["thread_id"]),
            body=str(text["body"]),
            attachments=tuple(AttachmentIn.model_validate(a) for a in text["attachments"]),
            key=str(text["key"]),
            created_at=datetime.fromisoformat(text["created_at"]),
        )
        for text in document["texts"]
    ]


def new_key() -> str:
    """A fresh Idempotency-Key."""
    return uuid.uuid4().hex
