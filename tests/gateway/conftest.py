"""Fixtures: a gateway with a fixed clock and seed, and a fake backend for its webhooks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from sfterm.gateway.app import create_gateway_app, gateway_state
from sfterm.gateway.config import DeliveryDelays, GatewayConfig
from sfterm.gateway.store import GatewayState
from tests.gateway.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    GATEWAY,
    NOW,
    NUMBERS,
    RELAY,
    SMS_URL,
    FakeBackend,
    RoutingTransport,
)


@pytest.fixture
def fake_backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def config(fake_backend: FakeBackend) -> GatewayConfig:
    return GatewayConfig(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        delays=DeliveryDelays.none(),
        seed=7,
        clock=lambda: NOW,
        webhook_transport=RoutingTransport(fake_backend),
        webhook_timeout=5.0,
    )


@pytest.fixture
def gateway_app(config: GatewayConfig) -> Any:
    return create_gateway_app(config)


@pytest.fixture
def state(gateway_app: Any) -> GatewayState:
    return gateway_state(gateway_app)


@pytest.fixture
async def api(gateway_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A Twilio REST client with the right credentials."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway_app),
        base_url=GATEWAY,
        auth=(ACCOUNT_SID, AUTH_TOKEN),
    ) as client:
        yield client


@pytest.fixture
async def relay(api: httpx.AsyncClient) -> dict[str, Any]:
    """The relay number, registered with its SmsUrl pointing at the fake backend."""
    response = await api.post(NUMBERS, data={"PhoneNumber": RELAY, "SmsUrl": SMS_URL})
    assert response.status_code == 201, response.text
    return dict(response.json())
