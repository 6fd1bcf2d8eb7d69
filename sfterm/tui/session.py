"""What every screen of the app shares: the API client, who is signed in, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sfterm.client.api import SftermClient
from sfterm.client.events import Link, LinkState
from sfterm.core.models import Me


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Session:
    """Handed to every screen. `link` is the latest connection state (the app keeps it current);
    `clock` is fixed in tests and snapshots."""

    client: SftermClient
    me: Me
    clock: Callable[[], datetime] = _now
    link: LinkState = field(default_factory=lambda: LinkState(Link.LIVE, _now()))

    @property
    def online(self) -> bool:
        return self.link.link is Link.LIVE
