"""The state of the connection to the backend's event stream, as the screens show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Link(StrEnum):
    LIVE = "live"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"


@dataclass(frozen=True)
class LinkState:
    """The connection changed: `since` is when it entered this state; `error` says why."""

    link: Link
    since: datetime
    error: str | None = None
