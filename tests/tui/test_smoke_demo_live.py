"""`sfterm demo` in a real terminal (tmux) with simulated customers: live leads arrive on screen.

The demo runs fast (`--speed 20`, a request every 1–2 s) with a fixed seed. The New Leads count
on screen grows with no one but the simulated customers posting, and a lead they posted after
the app opened shows by name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from sfterm.demo.personas import PERSONAS
from tests.tui.test_smoke_tmux import TMUX, _tmux, _wait_for, demo_in_tmux

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")

LEADS = re.compile(r"1 . New Leads\s+(\d+)")


@pytest.fixture
def live_demo(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with demo_in_tmux(tmp_path, "sfterm-live", "--seed", "5", "--speed", "20") as session:
        yield session


def _leads_shown(screen: str) -> int | None:
    found = LEADS.search(screen)
    return int(found.group(1)) if found else None


def test_simulated_customers_bring_live_leads(live_demo: tuple[str, Path]) -> None:
    name, data_dir = live_demo

    def screen() -> str:
        return _tmux("capture-pane", "-p", "-t", name)

    _wait_for(
        "New Leads on screen", lambda: _leads_shown(screen()) is not None and "live" in screen()
    )
    opened = datetime.now().astimezone()
    first = _leads_shown(screen())
    assert first is not None
    _wait_for("more New Leads", lambda: (_leads_shown(screen()) or 0) >= first + 2)

    info = json.loads((data_dir / "server.json").read_text())
    token = info["associates"]["camille"]
    answer = httpx.get(
        f"{info['url']}/api/v1/leads",
        headers={"Authorization": f"Bearer {token}"},
        params={"limit": 50},
        timeout=10,
    )
    answer.raise_for_status()
    newest = answer.json()["items"][0]
    assert datetime.fromisoformat(newest["created_at"]) >= opened.replace(microsecond=0)
    assert newest["name"] in {p.name for p in PERSONAS}
    _wait_for("the newest lead by name", lambda: newest["name"] in screen())

    _tmux("send-keys", "-t", name, "q")
    _wait_for("the app to exit", lambda: "SFTERM-EXITED rc=0" in screen())
