"""The list and the detail pane draw what the slower Rich/Textual ways drew, only cheaper."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from sfterm.tui.widgets.request_detail import Fields, _fields_table

ROWS: list[tuple[str, Text | str]] = [
    ("Answer", Text("by text  (514) 555-0142")),
    ("Contact", Text("number on 3 contacts  · c add", "yellow")),
    ("Source", "Connect widget (store site)"),
    ("Received", Text("Thu 03 Dec 12:00")),
    ("Email", Text.assemble(("a[bold]very", "bold"), "long.address.with.dots@example-shop.com")),
    ("Note", Text("two\nlines")),
]


def _cells(console: Console, renderable: object, width: int) -> list[list[tuple[str, object]]]:
    segments = list(console.render(renderable, console.options))  # type: ignore[arg-type]
    return [
        [(char, segment.style or None) for segment in line for char in segment.text]
        for line in Segment.split_and_crop_lines(segments, width, pad=True)
    ]


@pytest.mark.parametrize("width", [100, 60, 38, 25, 14])
def test_fields_are_laid_out_cell_for_cell_as_the_grid_table(width: int) -> None:
    console = Console(width=width, color_system="truecolor")
    assert _cells(console, Fields(ROWS), width) == _cells(console, _fields_table(ROWS), width)
