"""`sfterm demo` in a real terminal (tmux): New Leads shows, a lead is accepted, q quits cleanly
and takes the child server with it."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")

DEADLINE = 90.0
"""Seconds for the slowest step (the demo server seeds its shop before it listens)."""


def _tmux(*args: str) -> str:
    assert TMUX is not None
    done = subprocess.run([TMUX, *args], capture_output=True, text=True, check=False)
    return done.stdout


def _wait_for(what: str, check: Callable[[], bool], deadline: float = DEADLINE) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def demo_in_tmux(tmp_path: Path, prefix: str, *options: str) -> Iterator[tuple[str, Path]]:
    """`sfterm demo [options]` in a detached 120×36 tmux session, with no user config; yields
    the session's name and the demo's data dir, and kills the session at the end."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    data_dir = tmp_path / "demo"
    extra = "".join(f" {shlex.quote(o)}" for o in options)
    command = (
        f"{shlex.quote(sys.executable)} -m sfterm demo --data-dir {shlex.quote(str(data_dir))}"
        f"{extra}; echo SFTERM-EXITED rc=$?; sleep 600"
    )
    env_cfg = (
        f"SFTERM_CONFIG={shlex.quote(str(tmp_path / 'none.toml'))}"
        f" SFTERM_STATE_DIR={shlex.quote(str(tmp_path / 'state'))}"
    )
    _tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "36", f"env {env_cfg} {command}")
    try:
        yield name, data_dir
    finally:
        _tmux("kill-session", "-t", name)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    with demo_in_tmux(tmp_path, "sfterm-smoke") as session:
        yield session


def test_demo_shows_new_leads_accepts_one_and_quits_cleanly(terminal: tuple[str, Path]) -> None:
    name, data_dir = terminal

    def screen() -> str:
        return _tmux("capture-pane", "-p", "-t", name)

    _wait_for("New Leads on screen", lambda: "New Leads" in screen() and "live" in screen())
    info = json.loads((data_dir / "server.json").read_text())
    server_pid = int(info["pid"])
    assert _alive(server_pid)

    form = {
        "source": "connect_widget",
        "store": "montreal",
        "name": "Smoke Test Lead",
        "phone": "514 555 0187",
        "channel": "text",
        "message": "Is the green coat in stock?",
    }
    httpx.post(f"{info['url']}/api/v1/public/requests", json=form, timeout=10).raise_for_status()
    _wait_for("the new lead on screen", lambda: "Smoke Test Lead" in screen())

    _tmux("send-keys", "-t", name, "1", "g", "a")
    _wait_for("the accept notice", lambda: "Accepted " in screen())

    _tmux("send-keys", "-t", name, "q")
    _wait_for("the app to exit", lambda: "SFTERM-EXITED rc=0" in screen())
    _wait_for("the server to stop", lambda: not _alive(server_pid), deadline=15)
    assert not (data_dir / "server.json").exists()
