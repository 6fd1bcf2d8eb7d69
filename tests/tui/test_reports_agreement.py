"""The figures of the Reports screen, the API and `sfterm kpi --format json` agree on the demo
history: a real server on a loopback port, the CLI's own code path, and the app reading it."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, redirect_stdout
from pathlib import Path

import pytest
from fastapi import FastAPI

from sfterm.cli import main
from sfterm.client.api import SftermClient
from sfterm.client.link import Link, LinkState
from sfterm.config import ServerSettings
from sfterm.core.models import KpiReport
from sfterm.demo.run import seed_world
from sfterm.runner import RunningServer, build_server
from sfterm.tui.app import SftermApp
from sfterm.tui.screens.reports import ReportsScreen
from sfterm.tui.session import Session
from tests.support.clock import FakeClock
from tests.tui.conftest import SIZE, screen_text, settle
from tests.tui.main_data import quiet_stream
from tests.tui.test_reports import figures_shown


@asynccontextmanager
async def demo_server(data_dir: Path, clock: FakeClock) -> AsyncIterator[RunningServer]:
    """The demo shop with its 40 requests of history, served on 127.0.0.1:<free port>."""
    ready = asyncio.Event()

    async def seed(app: FastAPI) -> dict[str, str]:
        return await seed_world(app, seed=7, history=40)

    settings = ServerSettings(
        data_dir=data_dir, host="127.0.0.1", port=0, clock=clock, bundled_gateway=False
    )
    running = build_server(settings, seeder=seed, on_ready=lambda _info: ready.set())
    task = asyncio.create_task(running.serve())
    try:
        await asyncio.wait_for(ready.wait(), 20)
        yield running
    finally:
        running.stop()
        await asyncio.wait_for(task, 20)


def cli_json(data_dir: Path, *argv: str) -> KpiReport:
    """`sfterm kpi --format json ...` as the command runs it, its output read back."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["kpi", "--data-dir", str(data_dir), "--format", "json", *argv]) == 0
    return KpiReport.model_validate_json(out.getvalue())


QUERIES = [
    # (keys pressed on the Reports screen, the same query for the CLI, for the API)
    ((), ("--period", "7d"), {"period": "7d"}),
    (("m",), ("--period", "30d", "--scope", "associate"), {"period": "30d", "scope": "associate"}),
    (("s",), ("--period", "30d", "--scope", "store"), {"period": "30d", "scope": "store"}),
    (
        ("o",),
        ("--period", "30d", "--scope", "store", "--overnight", "exclude"),
        {"period": "30d", "scope": "store", "overnight": "exclude"},
    ),
]


@pytest.mark.parametrize("handle", ["camille"])
async def test_app_api_and_cli_show_the_same_figures_on_the_demo_history(
    tmp_path: Path, handle: str
) -> None:
    clock = FakeClock()
    async with demo_server(tmp_path, clock) as running:
        token = running.info.associates[handle]
        client = SftermClient(running.info.url, token)
        try:
            session = Session(client=client, me=await client.me(), clock=clock)
            session.link = LinkState(Link.LIVE, clock())
            app = SftermApp(session, stream=quiet_stream)
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await pilot.press("5")
                await settle(pilot)
                screen = app.screen
                assert isinstance(screen, ReportsScreen)
                seen_text = False
                for keys, argv, params in QUERIES:
                    if keys:
                        await pilot.press(*keys)
                        await settle(pilot)
                    api = await client.kpis(**params)
                    cli = await asyncio.to_thread(cli_json, tmp_path, "--as", handle, *argv)
                    assert cli == api
                    assert screen.report == api
                    shown = screen_text(app)
                    for figure in figures_shown(cli):
                        assert figure in shown, f"{argv}: {figure!r} is not on screen"
                    seen_text = seen_text or bool(api.preference and api.preference.text)
                assert seen_text  # the history has text requests to show
                assert screen.report is not None and screen.report.total_requests > 0
        finally:
            await client.aclose()
