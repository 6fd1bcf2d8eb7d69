"""The demo inside a running server: the shop, its past, and simulated customers started with it.

`sfterm serve --demo [--seed N] [--speed X]` uses `demo_seeder`: at start-up it seeds the shop
(and, in a fresh database, the imported contacts and thirty days of history), then starts the
simulated customers in the server's own event loop. They reach the server over loopback HTTP,
at the server's public URL and its gateway's URL, as a browser and a phone would. They stop
with the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from sfterm.config import ServerSettings
from sfterm.demo.customers import SimSettings, Simulation
from sfterm.demo.history import HISTORY_REQUESTS, seed_history
from sfterm.demo.seed import seed_demo
from sfterm.server.messaging import public_base

log = logging.getLogger(__name__)

DEFAULT_SPEED = 1.0


async def seed_world(
    app: FastAPI, *, team_mode: bool = False, seed: int = 0, history: int = HISTORY_REQUESTS
) -> dict[str, str]:
    """The demo shop with fresh tokens; in a database that never had a request, its past too
    (the imported contacts and `history` requests; 0 for none)."""
    settings: ServerSettings = app.state.settings
    tokens = await seed_demo(app.state.db, team_mode=team_mode)
    await seed_history(
        app.state.db,
        tokens,
        seed=seed,
        now=app.state.clock(),
        base=public_base(settings),
        count=history,
    )
    return tokens


def start_simulation(app: FastAPI, *, seed: int, speed: float) -> Simulation | None:
    """Start the customers in the background (None when speed is 0 or there is no gateway).

    They wait until the relay numbers are registered with the gateway (so that the server is
    serving), and stop at the server's shutdown.
    """
    settings: ServerSettings = app.state.settings
    if speed <= 0 or not settings.gateway_url:
        return None
    simulation = Simulation(
        SimSettings(seed=seed, speed=speed),
        backend_url=public_base(settings),
        gateway_url=settings.gateway_url,
    )

    async def run() -> None:
        registration: asyncio.Task[list[str]] | None = getattr(app.state, "registration", None)
        if registration is not None:
            await registration
        try:
            await simulation.run()
        finally:
            await simulation.aclose()

    task = asyncio.create_task(run(), name="sfterm-demo-customers")
    task.add_done_callback(_report)
    app.state.simulation = simulation
    app.state.simulation_task = task

    async def stop(_app: FastAPI) -> None:
        await stop_simulation(app)

    app.state.on_shutdown.insert(0, stop)
    return simulation


async def stop_simulation(app: FastAPI) -> None:
    """Stop the customers, if they run, and wait for them to be gone."""
    task: asyncio.Task[None] | None = getattr(app.state, "simulation_task", None)
    if task is None or task.done():
        return
    app.state.simulation.stop()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _report(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the simulated customers stopped", exc_info=task.exception())


def demo_seeder(
    *, team_mode: bool = False, seed: int = 0, speed: float = DEFAULT_SPEED
) -> Callable[[FastAPI], Awaitable[dict[str, str]]]:
    """The `seeder` for `sfterm.runner.build_server`: seed the world, then start the customers."""

    async def seeder(app: FastAPI) -> dict[str, str]:
        tokens = await seed_world(app, team_mode=team_mode, seed=seed)
        start_simulation(app, seed=seed, speed=speed)
        return tokens

    return seeder
