"""The `sfterm` command line: sfterm [demo | serve | phone | kpi | screenshots] ..."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from sfterm import __version__
from sfterm.commands import app, demo, kpi, phone, screenshots, serve

COMMANDS = [app, demo, serve, phone, kpi, screenshots]
"""Each module adds its subparser and sets `run`; add new subcommands here."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sfterm",
        description="Answer customers' text requests from the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"sfterm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(sub)
    app.add_options(parser)  # bare `sfterm` opens the app and takes its options
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:
        run = app.run
    result: int = run(args)
    return result
