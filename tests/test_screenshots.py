"""`sfterm screenshots`: the same bytes every run, a picture for every shot, all in the README."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from sfterm.cli import build_parser
from sfterm.screenshots import SHOTS, write_screenshots

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ("main", "thread", "phone")
"""A main-screen view, a thread reached through a list with typing, and the phone view."""


async def test_two_runs_write_the_same_bytes(tmp_path: Path) -> None:
    first = await write_screenshots(tmp_path / "first", only=SAMPLE)
    second = await write_screenshots(tmp_path / "second", only=SAMPLE)
    assert [p.name for p in first] == [f"{name}.svg" for name in SAMPLE]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    main = first[0].read_text(encoding="utf-8")
    assert "New&#160;Leads" in main and "Camille&#160;Roy" in main


async def test_an_unknown_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such screenshot: nope"):
        await write_screenshots(tmp_path, only=["nope"])


def test_shot_names_are_distinct_file_names() -> None:
    names = [shot.name for shot in SHOTS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9-]+", name) for name in names)


def test_every_available_shot_is_committed_and_shown_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for shot in SHOTS:
        if not shot.available:
            continue
        assert (ROOT / "screenshots" / f"{shot.name}.svg").is_file(), shot.name
        assert f"(screenshots/{shot.name}.svg)" in readme, shot.name


def test_the_command_takes_an_out_dir_and_a_size() -> None:
    args = build_parser().parse_args(["screenshots", "--out", "pics", "--size", "100x30"])
    assert (args.out, args.size) == (Path("pics"), (100, 30))
    with pytest.raises(SystemExit):
        build_parser().parse_args(["screenshots", "--size", "wide"])
    assert isinstance(build_parser().parse_args(["screenshots"]), argparse.Namespace)
