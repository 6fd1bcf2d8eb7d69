"""Options that several subcommands share."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sfterm.config import default_data_dir
from sfterm.server_file import ServerInfo, read_server_file

DEMO_SUBDIR = "demo"
"""Where `sfterm demo` keeps its data (sfterm/commands/demo.py) unless given --data-dir."""


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the database and server.json live (default: $SFTERM_DATA_DIR or the "
        "platform's user data directory)",
    )


def data_dir_of(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_server(data_dir: Path | None) -> tuple[ServerInfo | None, list[Path]]:
    """The running server's details: from `data_dir` if given, else the demo's (a `sfterm demo`
    in another terminal), else the default data dir's. Also returns where it looked."""
    candidates = [data_dir] if data_dir else [default_data_dir() / DEMO_SUBDIR, default_data_dir()]
    for candidate in candidates:
        info = read_server_file(candidate)
        if info is not None and _alive(info.pid):
            return info, candidates
    return None, candidates
