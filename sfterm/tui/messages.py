"""Textual messages that carry the backend's news to whichever screen is showing."""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message

from sfterm.client.link import LinkState
from sfterm.core.models import Event
from sfterm.tui.outbox import FlushResult


class BackendEvent(Message):
    """One event of the backend's stream, in id order. The app posts it to every screen on the
    stack (`screen.post_message`), so each screen updates what it shows in place."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class LinkChanged(Message):
    """The connection to the backend changed: live, reconnecting, or offline since a time."""

    def __init__(self, state: LinkState) -> None:
        super().__init__()
        self.state = state


class OutboxFlushed(Message):
    """The app sent texts that waited in the outbox (the link came back): what became of each,
    so that a thread screen shows them sent, or puts a refused one back in its composer."""

    def __init__(self, results: Sequence[FlushResult]) -> None:
        super().__init__()
        self.results = list(results)
