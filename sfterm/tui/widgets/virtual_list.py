"""A list drawn one line at a time from a `Feed`: no widget per row, so 100,000 rows cost nothing.

The cursor moves over `feed.view`; lines are formatted on demand and cached by item (its id and
the object itself: a changed item is a new object), width, cursor and unread mark, so a feed that
changes re-formats only the rows that changed. A cursor move repaints the two lines it touches
and a changed feed the lines that now show something else (the whole view only when it
scrolls). Near the end of what is loaded it asks for more
(`NearEnd`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sfterm.tui.keys import LIST_BINDINGS
from sfterm.tui.widgets.feed import Feed

PREFETCH_ROWS = 40
"""Ask for the next page when the cursor comes within this many rows of the loaded end."""

RowFormatter = Callable[[Any, int, bool], Text]
"""(item, width, unread) → the row's text, exactly `width` cells wide."""

CACHE_ROWS = 400
"""Formatted lines kept (a few screens); past that the cache starts over."""

CacheKey = tuple[int, int, int, bool, bool, bool]
"""(item id, id() of the item object, width, at the cursor, focused, unread)."""

Shown = tuple[Any, bool, bool]
"""What one line of the view shows: (the item object, at the cursor, unread)."""


class VirtualList(ScrollView, can_focus=True):
    """The chosen folder's rows, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = list(LIST_BINDINGS)
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor",
        "virtual-list--cursor-blurred",
        "virtual-list--placeholder",
    }
    DEFAULT_CSS = """
    VirtualList { overflow-x: hidden; }
    VirtualList > .virtual-list--cursor { background: $accent 40%; text-style: bold; }
    VirtualList > .virtual-list--cursor-blurred { background: $accent 15%; }
    VirtualList > .virtual-list--placeholder { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """The highlighted row; `watch_cursor` repaints the lines it leaves and reaches."""

    class Highlighted(Message):
        """The cursor rests on another item (or on none, in an empty list)."""

        def __init__(self, item: Any | None) -> None:
            super().__init__()
            self.item = item

    class Selected(Message):
        """Enter or a double click on an item."""

        def __init__(self, item: Any) -> None:
            super().__init__()
            self.item = item

    class NearEnd(Message):
        """The cursor is close to the last loaded row and the feed has more pages."""

        def __init__(self, feed: Feed[Any]) -> None:
            super().__init__()
            self.feed = feed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.feed: Feed[Any] | None = None
        self.formatter: RowFormatter = lambda item, width, unread: Text(str(item))
        self.placeholder = ""
        self._cache: dict[CacheKey, tuple[Any, Strip]] = {}
        """Each formatted line with its item (kept alive, so `id()` stays its)."""
        self._highlighted_id: int | None = None
        self._paint: tuple[int, Style] | None = None
        self._drawn: dict[int, Shown] = {}
        """What each line of the view (by its index in the feed) showed when last drawn."""

    # ---- what to show -------------------------------------------------------------------------

    def show(self, feed: Feed[Any], formatter: RowFormatter, *, cursor_id: int | None) -> None:
        """Show another feed, with the cursor on `cursor_id` when it is there."""
        self.feed = feed
        self.formatter = formatter
        self._highlighted_id = None
        self._cache.clear()
        self._drawn.clear()
        self.refresh()
        index = feed.view_index(cursor_id) if cursor_id is not None else None
        self.data_changed(keep_id=None)
        self.cursor = index or 0
        self.scroll_to(y=max(0, self.cursor - self.size.height // 2), animate=False)

    def data_changed(self, *, keep_id: int | None = -1) -> None:
        """The feed changed: resize, keep the cursor on the same item, repaint.

        `keep_id` defaults to the highlighted item; None lets the cursor stay at its index.
        """
        feed = self.feed
        count = len(feed.view) if feed else 0
        self.virtual_size = Size(self.size.width, count)
        keep = self._highlighted_id if keep_id == -1 else keep_id
        new_index = feed.view_index(keep) if (feed is not None and keep is not None) else None
        if new_index is not None and new_index != self.cursor:
            shift = new_index - self.cursor
            self.set_reactive(VirtualList.cursor, new_index)
            if shift > 0 and self.scroll_offset.y > 0:
                self.scroll_to(y=self.scroll_offset.y + shift, animate=False)
        self.cursor = min(max(self.cursor, 0), max(count - 1, 0))
        self._refresh_changed_lines()

    def _refresh_changed_lines(self) -> None:
        """Repaint the lines whose item, cursor or unread mark differs from what they show: a
        text to the thread on top repaints one line, not the screenful."""
        feed = self.feed
        if feed is None or not feed.view:
            self.refresh()
            return
        top = round(self.scroll_offset.y)
        for index in range(top, top + self.size.height):
            drawn, shown = self._drawn.get(index), self._shown(index)
            if drawn is None or shown is None:
                if drawn is not shown:
                    self.refresh_line(index)
            elif drawn[0] is not shown[0] or drawn[1:] != shown[1:]:
                self.refresh_line(index)

    def _shown(self, index: int) -> Shown | None:
        feed = self.feed
        if feed is None or index >= len(feed.view):
            return None
        item = feed.view[index]
        return (item, index == self.cursor, feed.key(item) in feed.unread)

    @property
    def highlighted(self) -> Any | None:
        feed = self.feed
        if feed is None or not feed.view or self.cursor >= len(feed.view):
            return None
        return feed.view[self.cursor]

    # ---- cursor -------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        count = len(self.feed.view) if self.feed else 0
        return min(max(value, 0), max(count - 1, 0))

    def watch_cursor(self, old: int, new: int) -> None:
        top = round(self.scroll_offset.y)
        self.scroll_to_cursor()
        if old != new and round(self.scroll_offset.y) == top:  # a scroll repaints it all
            self.refresh_line(old)
            self.refresh_line(new)
        item = self.highlighted
        item_id = self.feed.key(item) if (self.feed is not None and item is not None) else None
        if item_id != self._highlighted_id:
            self._highlighted_id = item_id
            self.post_message(self.Highlighted(item))
        feed = self.feed
        near_end = feed is not None and new >= len(feed.view) - PREFETCH_ROWS
        if feed is not None and near_end and feed.has_more and not feed.query:
            self.post_message(self.NearEnd(feed))

    def scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height or self.size.height
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        feed = self.feed
        if feed is None:
            return
        last = max(len(feed.view) - 1, 0)
        if self.cursor == last and feed.has_more and not feed.query:
            self.post_message(self.NearEnd(feed))
        self.cursor = last

    def action_page_down(self) -> None:
        self.cursor += max(self.size.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.size.height - 1, 1)

    def action_select(self) -> None:
        item = self.highlighted
        if item is not None:
            self.post_message(self.Selected(item))

    def on_click(self, event: events.Click) -> None:
        index = event.y + round(self.scroll_offset.y)
        if self.feed is not None and 0 <= index < len(self.feed.view):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def redraw(self) -> None:
        """Format every line anew (the clock moved: the ages in the rows change)."""
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._cache.clear()
        self._drawn.clear()
        self.data_changed()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ---- drawing ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # the width and the base style, looked up once for all the lines of this paint
        self._paint = (self.scrollable_content_region.width or self.size.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def render_line(self, y: int) -> Strip:
        feed = self.feed
        width, base = self._paint or (
            self.scrollable_content_region.width or self.size.width,
            self.rich_style,
        )
        index = y + round(self.scroll_offset.y)
        if feed is None or not feed.view:
            if y == 0 and self.placeholder:
                style = self.get_component_rich_style("virtual-list--placeholder")
                return Strip([Segment(f" {self.placeholder}"[:width], style)]).extend_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        shown = self._shown(index)
        if shown is None:
            return Strip.blank(width, base)
        if len(self._drawn) > CACHE_ROWS:
            self._drawn.clear()
        self._drawn[index] = shown
        item, at_cursor, unread = shown
        focused = at_cursor and self.has_focus
        cache_key = (feed.key(item), id(item), width, at_cursor, focused, unread)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached[1]
        text = self.formatter(item, width, unread)
        if at_cursor:
            name = "virtual-list--cursor" if self.has_focus else "virtual-list--cursor-blurred"
            base = base + self.get_component_rich_style(name)
        segments = [
            Segment(s.text, base + s.style if s.style else base)
            for s in text.render(self.app.console)
            if s.text != "\n"
        ]
        strip = Strip(segments).adjust_cell_length(width, base)
        if len(self._cache) > CACHE_ROWS:
            self._cache.clear()
        self._cache[cache_key] = (item, strip)
        return strip

    def text_lines(self) -> list[str]:
        """The visible rows as plain text (for tests and the benchmark)."""
        return [self.render_line(y).text for y in range(self.size.height)]
