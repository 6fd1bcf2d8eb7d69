"""`sfterm demo`: the demo shop's server in a child process, and the app as one associate."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sfterm.commands.common import DEMO_SUBDIR, add_data_dir

START_TIMEOUT = 30.0
"""Seconds to wait for the child server to write its server.json."""


def add_parser(sub: Any) -> None:
    demo = sub.add_parser(
        "demo", help="the demo shop: server, simulated gateway and the app, in one command"
    )
    demo.add_argument(
        "--as", dest="handle", default="camille", metavar="HANDLE", help="associate to sign in as"
    )
    demo.add_argument("--team-mode", action="store_true", help="a team-mode retailer")
    demo.add_argument("--seed", type=int, default=0, help="random seed for the simulation")
    demo.add_argument(
        "--speed", type=float, default=1.0, help="how fast simulated customers act (1 = real time)"
    )
    add_data_dir(demo)
    demo.set_defaults(run=run)


def demo_dir(args: argparse.Namespace) -> tuple[Path, bool]:
    """Where the demo keeps its data, and whether it is ours to wipe (the default `demo` folder)."""
    if args.data_dir:
        return Path(args.data_dir), False
    from sfterm.config import default_data_dir

    return default_data_dir() / DEMO_SUBDIR, True


def _serve_supports(option: str) -> bool:
    from sfterm.cli import build_parser

    parser = build_parser()
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        serve = getattr(action, "choices", {}).get("serve")
        if serve is not None:
            return any(option in a.option_strings for a in serve._actions)
    return False


def server_command(args: argparse.Namespace, data_dir: Path) -> list[str]:
    command = [sys.executable, "-m", "sfterm", "serve", "--demo", "--port", "0"]
    command += ["--data-dir", str(data_dir), "--seed", str(args.seed)]
    if args.team_mode:
        command.append("--team-mode")
    if _serve_supports("--speed"):
        command += ["--speed", str(args.speed)]
    return command


def _die_with_parent() -> None:
    """In the child, before exec (Linux): get SIGTERM when the demo process dies, however."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_server(args: argparse.Namespace, data_dir: Path) -> tuple[subprocess.Popen[bytes], Any]:
    """Start the child and wait for its server.json; raises RuntimeError with its log if it dies."""
    from sfterm.server_file import FILE_NAME, read_server_file

    (data_dir / FILE_NAME).unlink(missing_ok=True)
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        child = subprocess.Popen(
            server_command(args, data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"the demo server stopped (exit {child.returncode}):\n{tail}")
        info = read_server_file(data_dir)
        if info is not None and info.pid == child.pid:
            return child, info
        time.sleep(0.05)
    stop_server(child)
    raise RuntimeError(f"the demo server did not start within {START_TIMEOUT:.0f} s ({log_path})")


def stop_server(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(5)


def run(args: argparse.Namespace) -> int:
    import signal

    from sfterm.commands.app import open_app

    def stop_on_signal(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, stop_on_signal)
    data_dir, fresh = demo_dir(args)
    if fresh and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        child, info = start_server(args, data_dir)
    except RuntimeError as exc:
        print(f"sfterm demo: {exc}", file=sys.stderr)
        return 1
    try:
        token = info.associates.get(args.handle)
        if token is None:
            known = ", ".join(info.associates)
            print(f"sfterm demo: --as {args.handle}: no such associate ({known})", file=sys.stderr)
            return 2
        return open_app(info.url, token)
    finally:
        stop_server(child)
        from sfterm.server_file import remove_server_file

        remove_server_file(data_dir, child.pid)  # in case it could not tidy up itself
