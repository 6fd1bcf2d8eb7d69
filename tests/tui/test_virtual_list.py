"""The virtual list repaints what changed: the line of a changed row, the lines a row moved
across, never the whole screenful for one text; and what it shows stays right."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from sfterm.tui.widgets.feed import Feed
from sfterm.tui.widgets.virtual_list import VirtualList

HEIGHT = 10


@dataclass(frozen=True)
class Row:
    id: int
    at: int
    body: str


def _feed(n: int) -> Feed[Row]:
    feed: Feed[Row] = Feed(
        key=lambda r: r.id, order=lambda r: (r.at, r.id), matches=lambda r, q: q in r.body
    )
    feed.add_page([Row(i, 1000 - i, f"row {i}") for i in range(n)], None)
    return feed


class ListApp(App[None]):
    def __init__(self, feed: Feed[Row]) -> None:
        super().__init__()
        self.feed = feed

    def compose(self) -> ComposeResult:
        yield VirtualList(id="list")

    def on_mount(self) -> None:
        rows = self.query_one(VirtualList)
        rows.styles.height = HEIGHT
        rows.show(self.feed, lambda item, width, unread: Text(item.body), cursor_id=None)
        rows.focus()


class Repaints:
    """The lines (by row index) each `refresh` asked to repaint; None for the whole list."""

    def __init__(self, rows: VirtualList) -> None:
        self.rows = rows
        self.lines: set[int | None] = set()
        original = rows.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            top = round(rows.scroll_offset.y)
            if not regions:
                self.lines.add(None)
            for region in regions:
                self.lines.update(range(top + region.y, top + region.y + region.height))
            return original(*regions, **kwargs)

        rows.refresh = spy  # type: ignore[method-assign]


def _shown(rows: VirtualList) -> list[str]:
    return [line.rstrip() for line in rows.text_lines()]


async def test_a_changed_top_row_repaints_its_line_only() -> None:
    feed = _feed(50)
    app = ListApp(feed)
    async with app.run_test(size=(40, 20)) as pilot:
        rows = app.query_one(VirtualList)
        await pilot.pause()
        spy = Repaints(rows)
        feed.upsert(Row(0, 2000, "row 0, new text"))
        rows.data_changed()
        await pilot.pause()
        assert spy.lines == {0}
        assert _shown(rows)[:2] == ["row 0, new text", "row 1"]


async def test_a_row_moving_to_the_top_repaints_the_lines_it_crossed() -> None:
    feed = _feed(50)
    app = ListApp(feed)
    async with app.run_test(size=(40, 20)) as pilot:
        rows = app.query_one(VirtualList)
        rows.cursor = 7  # the cursor stays on row 7, which moves down one line
        await pilot.pause()
        spy = Repaints(rows)
        feed.upsert(Row(4, 2000, "row 4 moved"))
        rows.data_changed()
        await pilot.pause()
        assert spy.lines == set(range(0, 5))
        assert rows.highlighted == Row(7, 993, "row 7")
        assert _shown(rows)[:6] == ["row 4 moved", "row 0", "row 1", "row 2", "row 3", "row 5"]


async def test_a_cursor_move_repaints_two_lines() -> None:
    app = ListApp(_feed(50))
    async with app.run_test(size=(40, 20)) as pilot:
        rows = app.query_one(VirtualList)
        await pilot.pause()
        spy = Repaints(rows)
        await pilot.press("down")
        assert spy.lines == {0, 1}


async def test_removing_rows_clears_the_lines_left_empty() -> None:
    feed = _feed(3)
    app = ListApp(feed)
    async with app.run_test(size=(40, 20)) as pilot:
        rows = app.query_one(VirtualList)
        await pilot.pause()
        spy = Repaints(rows)
        feed.remove(1)
        rows.data_changed()
        await pilot.pause()
        assert spy.lines >= {1, 2}
        assert _shown(rows)[:3] == ["row 0", "row 2", ""]
        feed.remove(0)
        feed.remove(2)
        rows.data_changed()
        await pilot.pause()
        assert None in spy.lines  # empty: the placeholder takes the whole list
        assert _shown(rows)[:2] == ["", ""]
