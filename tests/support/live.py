"""A real backend under uvicorn on a free loopback port, in the test's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from sfterm.config import ServerSettings
from sfterm.demo.seed import seed_demo
from sfterm.runner import RunningServer, build_server


@asynccontextmanager
async def live_server(
    data_dir: Path, *, team_mode: bool = False, **settings: Any
) -> AsyncIterator[RunningServer]:
    """Serve the seeded demo shop on 127.0.0.1:<free port> until the block ends."""
    ready = asyncio.Event()

    async def seed(app: FastAPI) -> dict[str, str]:
        return await seed_demo(app.state.db, team_mode=team_mode)

    config = ServerSettings(data_dir=data_dir, host="127.0.0.1", port=0, **settings)
    running = build_server(config, seeder=seed, on_ready=lambda _info: ready.set())
    task = asyncio.create_task(running.serve())
    try:
        await asyncio.wait_for(ready.wait(), 20)
        yield running
    finally:
        running.stop()
        await asyncio.wait_for(task, 20)
