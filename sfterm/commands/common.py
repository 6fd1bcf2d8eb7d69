"""Options that several subcommands share."""

from __future__ import annotations

import argparse
from pathlib import Path

from sfterm.config import default_data_dir


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
