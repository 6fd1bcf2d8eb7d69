"""Textual messages that carry the backend's news to whichever screen is showing."""

from __future__ import annotations

from textual.message import Message

from sfterm.client.link import LinkState
from sfterm.core.models import Event


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
