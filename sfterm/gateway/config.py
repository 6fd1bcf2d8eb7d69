"""Settings of one simulated carrier: its account, its pace, its clock and its way out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

ACCOUNT_SID_PATTERN = re.compile(r"^AC[0-9a-f]{32}$")


def utc_now() -> datetime:
    """The real time, as an aware UTC datetime."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeliveryDelays:
    """Seconds between the steps of an outbound message's life (0 is allowed)."""

    sending: float = 0.3
    """From ``queued`` to ``sending``."""
    sent: float = 0.5
    """From ``sending`` to ``sent`` (or to ``failed``/``undelivered`` for a failing handset)."""
    delivered: float = 0.7
    """From ``sent`` to ``delivered``."""

    def __post_init__(self) -> None:
        for name in ("sending", "sent", "delivered"):
            if getattr(self, name) < 0:
                raise ValueError(f"delays.{name} must be zero or more seconds")

    @classmethod
    def none(cls) -> DeliveryDelays:
        """No waiting at all: every step follows the previous one at once (for tests)."""
        return cls(0.0, 0.0, 0.0)


@dataclass
class GatewayConfig:
    """How the simulated carrier behaves.

    ``account_sid`` and ``auth_token`` are the only credentials it accepts (HTTP basic auth) and
    the key that signs its webhooks. ``seed`` makes the SIDs it hands out reproducible.
    ``webhook_transport`` replaces the network for webhooks (tests route them into an ASGI app
    with ``httpx.ASGITransport``).
    """

    account_sid: str
    auth_token: str
    delays: DeliveryDelays = field(default_factory=DeliveryDelays)
    seed: int | None = None
    clock: Callable[[], datetime] = utc_now
    webhook_transport: httpx.AsyncBaseTransport | None = None
    webhook_timeout: float = 15.0

    def __post_init__(self) -> None:
        if not ACCOUNT_SID_PATTERN.match(self.account_sid):
            raise ValueError("account_sid must be 'AC' followed by 32 lowercase hex digits")
        if not self.auth_token:
            raise ValueError("auth_token must not be empty")
        if self.webhook_timeout <= 0:
            raise ValueError("webhook_timeout must be positive")
