"""`sfterm screenshots`: SVG pictures of every screen and modal, from the demo shop (README)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path("screenshots")
DEFAULT_SIZE = "120x36"


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "screenshots",
        help="write SVG screenshots of every screen and modal (the README's pictures)",
        description="Run the app headless against an in-process demo shop (fixed clock and "
        "seed), press keys as a person would, and write one SVG per screen or modal. Two runs "
        "give the same bytes.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"where the SVG files go (default: ./{DEFAULT_OUT})",
    )
    parser.add_argument(
        "--size",
        type=_size,
        default=_size(DEFAULT_SIZE),
        metavar="COLSxROWS",
        help=f"terminal size (default: {DEFAULT_SIZE})",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        default=(),
        metavar="NAME",
        help="only these pictures (by file name without .svg)",
    )
    parser.set_defaults(run=run)


def _size(text: str) -> tuple[int, int]:
    try:
        columns, rows = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected COLSxROWS such as 120x36, not {text!r}"
        ) from None
    if columns < 40 or rows < 12:
        raise argparse.ArgumentTypeError(f"{text}: at least 40x12")
    return columns, rows


def run(args: argparse.Namespace) -> int:
    from sfterm.screenshots import write_screenshots

    try:
        asyncio.run(write_screenshots(args.out, size=args.size, only=args.only, report=print))
    except (ValueError, LookupError) as exc:
        print(f"sfterm screenshots: {exc}", file=sys.stderr)
        return 2
    return 0
