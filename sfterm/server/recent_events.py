"""The newest committed events in memory, so that followers of the event stream need no read.

A write collects the events it appends (`pending_events`); once it has committed, they go into
`RecentEvents` (ids ascending) before anyone is woken. A rolled-back write publishes nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

PENDING_KEY = "sfterm.pending_events"
"""Where a write keeps its appended, not yet committed events: a list in `conn.info`."""


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """A committed event as the stream sends it: its audience and its SSE frame, rendered once."""

    id: int
    store_id: int
    associate_id: int | None
    """None: the whole store sees it."""
    frame: bytes

    def visible_to(self, store_id: int, associate_id: int) -> bool:
        """The same rule as the log's query: the viewer's store, and theirs or everyone's."""
        return self.store_id == store_id and self.associate_id in (None, associate_id)


def pending_events(info: dict[Any, Any]) -> list[LoggedEvent]:
    """The events appended so far by the write whose connection has this `info`."""
    pending: list[LoggedEvent] | None = info.get(PENDING_KEY)
    if pending is None:
        raise RuntimeError("events are appended only inside Database.write()")
    return pending


class RecentEvents:
    """At most `capacity` of the newest committed events, ids ascending.

    It holds every committed event with an id above `floor`: `floor` starts at the newest id in
    the log when the server starts, and moves up as old events make room for new ones.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = max(1, capacity)
        self._items: deque[LoggedEvent] = deque()
        self.floor = 0
        self.newest = 0
        """The id of the newest committed event (the log's, when nothing was written since)."""

    def restart(self, newest: int) -> None:
        """Forget everything: only events after `newest` will be held."""
        self._items.clear()
        self.floor = self.newest = newest

    def publish(self, committed: Iterable[LoggedEvent]) -> None:
        """Take the events of one committed write (writes commit one at a time, in id order)."""
        for item in sorted(committed, key=lambda e: e.id):
            if item.id <= self.newest:  # not newer than what is held: trust only the log
                self.restart(max(item.id, self.newest))
                continue
            self._items.append(item)
            self.newest = item.id
            if len(self._items) > self.capacity:
                self.floor = self._items.popleft().id

    def after(
        self, after: int, store_id: int, associate_id: int
    ) -> tuple[list[LoggedEvent], int] | None:
        """The viewer's events with ids above `after`, oldest first, and the id they are complete
        up to (the newest held); None when events after `after` may be missing (read the log)."""
        if after < self.floor:
            return None
        newer = list(takewhile(lambda e: e.id > after, reversed(self._items)))
        visible = [e for e in reversed(newer) if e.visible_to(store_id, associate_id)]
        return visible, max(after, self.newest)
