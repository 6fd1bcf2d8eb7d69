"""The whole demo in the test's loop: backend with the gateway mounted, history, and customers.

Everything goes through `httpx.ASGITransport`: the customers post to the backend and text
through the gateway, the backend calls the gateway, the gateway's webhooks reach the backend.
The gateway delivers at once (no delays) and the simulation runs in virtual time; after each
step it waits for the gateway to be idle, so that runs are reproducible.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from sfterm.client.api import ApiError, SftermClient
from sfterm.client.handset import HandsetClient
from sfterm.config import ServerSettings
from sfterm.core.models import AttachmentIn, AttachmentKind
from sfterm.demo.customers import SimSettings, Simulation
from sfterm.demo.run import seed_world
from sfterm.demo.timing import VirtualTime
from sfterm.gateway.app import create_gateway_app, gateway_state
from sfterm.gateway.config import DeliveryDelays, GatewayConfig
from sfterm.gateway.store import GatewayState
from sfterm.server.db import events
from tests.support.clock import FakeClock

BASE = "http://backend.test"
GATEWAY = f"{BASE}/gateway"
ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "demo-token"


@dataclass
class DemoStack:
    app: FastAPI
    gateway: FastAPI
    tokens: dict[str, str]
    clock: FakeClock
    simulation: Simulation
    transport: httpx.ASGITransport

    @property
    def carrier(self) -> GatewayState:
        return gateway_state(self.gateway)

    def client(self, handle: str) -> SftermClient:
        return SftermClient(BASE, self.tokens[handle], transport=self.transport)

    def handsets(self) -> HandsetClient:
        return HandsetClient(GATEWAY, transport=self.transport)

    async def settle(self) -> None:
        await self.carrier.wait_idle()

    async def run_for(self, seconds: float) -> None:
        await self.simulation.run_until(self.simulation.clock.now() + seconds)

    async def event_log(self) -> list[tuple[str, str]]:
        """The backend's event log: each event's type and its essentials, codes blanked."""
        async with self.app.state.db.read() as conn:
            rows = list(
                await conn.execute(select(events.c.type, events.c.data).order_by(events.c.id))
            )
        return [(r.type, essentials(r.data)) for r in rows]


def essentials(data: dict[str, Any]) -> str:
    """What an event says, without what differs by nature between runs (ids of links)."""
    parts = []
    for key in ("request", "message", "thread"):
        item = data.get(key)
        if isinstance(item, dict):
            parts.append(
                "|".join(
                    str(item.get(k))
                    for k in ("id", "folder", "status", "kind", "name", "phone", "direction")
                )
            )
            body = item.get("body") or item.get("message")
            if isinstance(body, str):
                parts.append(blank_codes(body))
    return " ".join(parts)


def blank_codes(text: str) -> str:
    return re.sub(r"/r/[A-Za-z0-9_-]+", "/r/<code>", text)


@asynccontextmanager
async def demo_stack(
    data_dir: Path,
    *,
    seed: int = 7,
    speed: float = 10.0,
    team_mode: bool = False,
    history: int = 0,
    **knobs: Any,
) -> AsyncIterator[DemoStack]:
    """The stack with the demo shop (and `history` requests of the past: none by default)."""
    clock = FakeClock()
    settings = ServerSettings(
        data_dir=data_dir,
        bundled_gateway=False,
        public_url=BASE,
        gateway_url=GATEWAY,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        clock=clock,
        heartbeat_seconds=1.0,
        seed=seed,
    )
    from sfterm.server.app import create_app

    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    gateway = create_gateway_app(
        GatewayConfig(
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            delays=DeliveryDelays.none(),
            seed=seed,
            clock=clock,
            webhook_transport=transport,
        )
    )
    app.mount("/gateway", gateway)
    app.state.gateway_transport = transport
    tokens: dict[str, str] = {}

    async def seed_at_start(app: FastAPI) -> None:  # as the runner does: before `ready`
        tokens.update(await seed_world(app, team_mode=team_mode, seed=seed, history=history))

    app.state.on_startup.append(seed_at_start)
    async with app.router.lifespan_context(app):
        await app.state.registration
        simulation = Simulation(
            SimSettings(seed=seed, speed=speed, **knobs),
            backend_url=BASE,
            gateway_url=GATEWAY,
            transport=transport,
            clock=VirtualTime(on_advance=lambda s: clock.advance(seconds=s)),
            settle=lambda: gateway_state(gateway).wait_idle(),
        )
        try:
            yield DemoStack(app, gateway, tokens, clock, simulation, transport)
        finally:
            await simulation.aclose()
            await gateway_state(gateway).wait_idle()


MONTREAL = ("camille", "mathieu", "elodie")
TORONTO = ("priya",)


async def associates_answer(stack: DemoStack, round_no: int) -> list[str]:
    """Associates do their rounds: accept the leads, and text each text request once.

    Deterministic: the same state gives the same actions. Every other answer attaches a
    product (a tracked link). Returns the texts they sent, for the test to follow.
    """
    sent: list[str] = []
    for handle in MONTREAL + TORONTO:
        async with stack.client(handle) as client:
            for lead in (await client.leads(limit=200)).items:
                if lead.created_at >= stack.clock() - timedelta(hours=1):
                    await client.accept_lead(lead.id)
            await stack.settle()
            page = await client.requests(status="open", limit=200)
            for request in page.items:
                if request.channel != "text" or request.first_reply_at is not None:
                    continue
                if request.created_at < stack.clock() - timedelta(hours=1):
                    continue  # the seeded history is left alone
                try:
                    result = await client.reply(request.id, "existing")
                except ApiError:
                    result = await client.reply(request.id, "new")
                first = request.name.split()[0]
                body = (
                    f"Hi {first}, when would you like to come in to try it?"
                    if (request.id + round_no) % 2
                    else f"Hi {first}, here it is:"
                )
                attachments = (
                    []
                    if (request.id + round_no) % 2
                    else [
                        AttachmentIn(
                            kind=AttachmentKind.PRODUCT, product_id="wool-coat-camel", url=None
                        )
                    ]
                )
                await client.send_message(
                    result.thread.id,
                    body,
                    attachments,
                    idempotency_key=f"r{request.id}",
                )
                sent.append(body)
                await stack.settle()
    return sent


async def associates_follow_up(stack: DemoStack) -> int:
    """Associates answer every thread whose last message is the customer's (once per thread)."""
    count = 0
    for handle in MONTREAL + TORONTO:
        async with stack.client(handle) as client:
            for thread in (await client.threads(limit=200)).items:
                last = thread.last_message
                if last is None or last.direction != "inbound" or thread.consent != "one_to_one":
                    continue
                if last.created_at < stack.clock() - timedelta(hours=1):
                    continue
                await client.send_message(
                    thread.id,
                    "Perfect, thank you! See you soon.",
                    idempotency_key=f"f{thread.id}-{last.id}",
                )
                count += 1
                await stack.settle()
    return count
