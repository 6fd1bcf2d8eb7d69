"""A backend in the test's own event loop, reached through httpx.ASGITransport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI

from sfterm.client.api import SftermClient
from sfterm.config import ServerSettings
from sfterm.demo.seed import seed_demo
from sfterm.server.app import create_app
from tests.support.clock import FakeClock

BASE = "http://backend.test"


@dataclass
class Backend:
    app: FastAPI
    settings: ServerSettings
    tokens: dict[str, str]
    clock: FakeClock

    @property
    def transport(self) -> httpx.ASGITransport:
        return httpx.ASGITransport(app=self.app)

    def http(self, handle: str | None = None) -> httpx.AsyncClient:
        """A raw client, signed in as `handle` (or anonymous)."""
        headers = {"Authorization": f"Bearer {self.tokens[handle]}"} if handle else {}
        return httpx.AsyncClient(transport=self.transport, base_url=BASE, headers=headers)

    def client(self, handle: str | None = None) -> SftermClient:
        token = self.tokens[handle] if handle else None
        return SftermClient(BASE, token, transport=self.transport)


@asynccontextmanager
async def running_backend(
    data_dir: Path, *, team_mode: bool = False, clock: FakeClock | None = None
) -> AsyncIterator[Backend]:
    """A seeded demo backend without the bundled gateway (the gateway's tests bring their own)."""
    clock = clock or FakeClock()
    settings = ServerSettings(
        data_dir=data_dir, bundled_gateway=False, clock=clock, heartbeat_seconds=1.0
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        tokens = await seed_demo(app.state.db, team_mode=team_mode)
        yield Backend(app=app, settings=settings, tokens=tokens, clock=clock)


@dataclass
class GatewayBackend(Backend):
    """A backend with the simulated gateway mounted under `/gateway`, all through ASGI."""

    gateway: FastAPI

    async def idle(self) -> None:
        """Wait until the gateway has no delivery step or webhook left (each webhook runs the
        backend's handling to its end before the gateway counts it done)."""
        from sfterm.gateway.app import gateway_state

        await gateway_state(self.gateway).wait_idle()

    def handset(self) -> httpx.AsyncClient:
        """The gateway's handset simulation (`/sim/handsets/{phone}/messages`)."""
        return httpx.AsyncClient(transport=self.transport, base_url=f"{BASE}/gateway")


@asynccontextmanager
async def running_backend_with_gateway(
    data_dir: Path, *, team_mode: bool = False, clock: FakeClock | None = None
) -> AsyncIterator[GatewayBackend]:
    """The demo backend talking to a mounted gateway (no delays) through ASGITransport, both
    ways: REST calls to `{BASE}/gateway`, signed webhooks back to `{BASE}/webhooks/...`."""
    from sfterm.gateway.app import create_gateway_app
    from sfterm.gateway.config import DeliveryDelays, GatewayConfig
    from sfterm.server.messaging import register_relay_numbers

    clock = clock or FakeClock()
    settings = ServerSettings(
        data_dir=data_dir,
        bundled_gateway=False,
        clock=clock,
        heartbeat_seconds=1.0,
        public_url=BASE,
        gateway_url=f"{BASE}/gateway",
    )
    app = create_app(settings)
    gateway = create_gateway_app(
        GatewayConfig(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            delays=DeliveryDelays.none(),
            seed=0,
            clock=clock,
            webhook_transport=httpx.ASGITransport(app=app),
        )
    )
    app.mount("/gateway", gateway)
    app.state.gateway_transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app):
        tokens = await seed_demo(app.state.db, team_mode=team_mode)
        await register_relay_numbers(app)
        backend = GatewayBackend(
            app=app, settings=settings, tokens=tokens, clock=clock, gateway=gateway
        )
        yield backend
        await backend.idle()
