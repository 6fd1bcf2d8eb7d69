"""The carrier's memory: messages, numbers, opt-outs, handset logs and its pending work."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Coroutine
from datetime import datetime
from typing import Any

from sfterm.gateway.config import GatewayConfig
from sfterm.gateway.records import HandsetEntry, MessageRecord, NumberRecord

log = logging.getLogger(__name__)


class GatewayState:
    """Everything the simulated carrier knows, held in memory, plus its background tasks.

    Background work (delivery steps, webhooks) is started lazily with :meth:`spawn` from the
    request that causes it, so the gateway needs no start-up hook and works when mounted inside
    another app. :meth:`wait_idle` returns once none of that work is left.
    """

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self._rng = random.Random(config.seed)
        self.messages: dict[str, MessageRecord] = {}
        self.numbers: dict[str, NumberRecord] = {}
        self.opt_outs: set[tuple[str, str]] = set()
        """``(handset, relay number)`` pairs where the handset texted STOP."""
        self.handset_logs: dict[str, list[HandsetEntry]] = {}
        self.task_errors: list[BaseException] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._delivery_tasks: dict[str, asyncio.Task[None]] = {}
        self._log_changed = asyncio.Event()

    # -- identifiers and time -------------------------------------------------------------

    def new_sid(self, prefix: str) -> str:
        """A fresh SID: the two-letter ``prefix`` and 32 hex digits (reproducible with a seed)."""
        return f"{prefix}{self._rng.getrandbits(128):032x}"

    def now(self) -> datetime:
        return self.config.clock()

    # -- numbers --------------------------------------------------------------------------

    def number_for(self, phone: str) -> NumberRecord | None:
        """The registered number record for an E.164 ``phone``."""
        for record in self.numbers.values():
            if record.phone_number == phone:
                return record
        return None

    # -- opt-outs -------------------------------------------------------------------------

    def is_opted_out(self, handset: str, relay: str) -> bool:
        return (handset, relay) in self.opt_outs

    # -- handset logs ---------------------------------------------------------------------

    def handset_log(self, phone: str) -> list[HandsetEntry]:
        return self.handset_logs.get(phone, [])

    def append_to_handset(self, phone: str, message: MessageRecord) -> HandsetEntry:
        """Write ``message`` into ``phone``'s log (sent by it, or received by it)."""
        entries = self.handset_logs.setdefault(phone, [])
        outgoing = message.from_ == phone
        entry = HandsetEntry(
            index=len(entries),
            sid=message.sid,
            direction="outgoing" if outgoing else "incoming",
            number=message.to if outgoing else message.from_,
            body=message.body,
            media_urls=tuple(message.media_urls),
            status=message.status,
            date=self.now(),
        )
        entries.append(entry)
        self._notify()
        return entry

    def _notify(self) -> None:
        """Wake every stream waiting for a handset's log to grow."""
        changed, self._log_changed = self._log_changed, asyncio.Event()
        changed.set()

    async def wait_for_handset(self, phone: str, after: int, timeout: float) -> bool:
        """Wait until ``phone``'s log holds more than ``after`` entries; False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.handset_log(phone)) <= after:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._log_changed.wait(), remaining)
            except TimeoutError:
                return False
        return True

    # -- background work ------------------------------------------------------------------

    def spawn(self, work: Coroutine[Any, Any, None], *, message_sid: str | None = None) -> None:
        """Run ``work`` in the background; :meth:`wait_idle` waits for it."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        if message_sid is not None:
            self._delivery_tasks[message_sid] = task
        task.add_done_callback(lambda t: self._finished(t, message_sid))

    def _finished(self, task: asyncio.Task[None], message_sid: str | None) -> None:
        self._tasks.discard(task)
        if message_sid is not None and self._delivery_tasks.get(message_sid) is task:
            del self._delivery_tasks[message_sid]
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self.task_errors.append(error)
            log.error("gateway background task failed", exc_info=error)

    def cancel_delivery(self, message_sid: str) -> None:
        """Stop the pending delivery steps of one message."""
        task = self._delivery_tasks.pop(message_sid, None)
        if task is not None:
            task.cancel()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def wait_idle(self) -> None:
        """Return when no delivery step or webhook is pending (work may start more work)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))
