"""The messages of one thread as a virtual list: lines drawn on demand from the pages loaded so far.

Newest at the bottom; when the view nears the top, `NeedOlder` asks the screen for the page
before the oldest one loaded, and the view stays where it was when that page arrives. Only the
loaded pages are laid out (per message, cached per width), so a thread of 1,000,000 messages
costs what the pages the associate has scrolled through cost.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from itertools import accumulate, chain
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sfterm.core.models import (
    MessageOut,
    RequestStatus,
)
from sfterm.tui.keys import LIST_BINDINGS
from sfterm.tui.outbox import PendingText
from sfterm.tui.widgets.bubbles import (
    FAILED,
    GUTTER,
    MARKS,
    Painter,
    Row,
    Styles,
    kind_name,
    row_key,
    store_timezone,
    when,
)

__all__ = ["FAILED", "MARKS", "MessageList", "Row", "kind_name", "store_timezone", "when"]


class MessageList(ScrollView, can_focus=True):
    """A thread's messages, newest at the bottom, with a selected message for the actions."""

    BINDINGS: ClassVar[list[BindingType]] = list(LIST_BINDINGS)
    """The list keys of the whole app (same ids, so a user's `[keys]` rebinding applies here)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "message-list--inbound",
        "message-list--outbound",
        "message-list--meta",
        "message-list--failed",
        "message-list--card",
        "message-list--selected",
        "message-list--link",
        "message-list--pending",
    }

    DEFAULT_CSS = """
    MessageList { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    MessageList > .message-list--inbound { background: $panel; color: $foreground; }
    MessageList > .message-list--outbound { background: $primary-muted; color: $foreground; }
    MessageList > .message-list--meta { color: $foreground-muted; }
    MessageList > .message-list--failed { color: $error; text-style: bold; }
    MessageList > .message-list--card { color: $accent; }
    MessageList > .message-list--selected { color: $accent; text-style: bold; }
    MessageList > .message-list--link { color: $text-secondary; }
    MessageList > .message-list--pending { color: $warning; }
    """

    class NeedOlder(Message):
        """The view reached the oldest loaded message and older ones exist: load `before`."""

        def __init__(self, before: int | str) -> None:
            super().__init__()
            self.before = before

    class Selected(Message):
        """The selected message changed (None when the list is empty)."""

        def __init__(self, row: Row | None) -> None:
            super().__init__()
            self.row = row

    def __init__(
        self,
        *,
        tz: tzinfo,
        clock: Callable[[], datetime],
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.tz = tz
        self.clock = clock
        self.rows: list[MessageOut] = []
        self.pending: list[PendingText] = []
        self.older: int | str | None = None
        """The cursor of the page before the oldest loaded one; None at the start of the thread."""
        self.loading_older = False
        self.loaded = False
        self.selected: int | None = None
        self._index: dict[int, int] = {}
        self._cache: dict[tuple[str, int | str], list[Strip]] = {}
        self._starts: list[int] = []
        self._width = 0
        self._style_cache: Styles | None = None

    # ---- data ---------------------------------------------------------------------------------

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *self.pending]

    def row_at(self, index: int) -> Row | None:
        """The row at `index`: sent messages first, then the texts waiting in the outbox."""
        if 0 <= index < len(self.rows):
            return self.rows[index]
        waiting = index - len(self.rows)
        return self.pending[waiting] if 0 <= waiting < len(self.pending) else None

    @property
    def selected_row(self) -> Row | None:
        count = len(self.rows) + len(self.pending)
        if self.selected is None or not count:
            return None
        return self.row_at(min(self.selected, count - 1))

    def set_messages(self, messages: Iterable[MessageOut], older: int | str | None) -> None:
        """Show the newest page (any order) with the cursor of the page before it."""
        self.rows = sorted(messages, key=lambda m: m.id)
        self.older, self.loading_older, self.loaded = older, False, True
        self.selected = len(self.rows) - 1 if self.rows else None
        self._cache.clear()
        self._relayout()
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self._announce()
        self.call_after_refresh(self._settle_at_bottom)

    def _settle_at_bottom(self) -> None:
        """Once laid out, show the newest lines; only then is it known whether older are needed."""
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self._check_older()

    def prepend(self, messages: Iterable[MessageOut], older: int | str | None) -> None:
        """Add an older page above the loaded ones, keeping the view on the same lines."""
        known = set(self._index)
        page = sorted((m for m in messages if m.id not in known), key=lambda m: m.id)
        before = self.virtual_size.height
        self.rows = page + self.rows
        if self.selected is not None:
            self.selected += len(page)
        self.older, self.loading_older = older, False
        self._relayout()
        added = self.virtual_size.height - before
        self.scroll_to(y=self.scroll_y + added, animate=False, immediate=True, force=True)
        self.call_after_refresh(self._check_older)

    def older_failed(self) -> None:
        """Loading the older page failed: allow another try when the view moves."""
        self.loading_older = False

    def upsert(self, message: MessageOut) -> None:
        """Add a new message or update one in place (delivery marks, clicks, card status)."""
        at = self._index.get(message.id)
        if at is not None:
            self.rows[at] = message
            self._cache.pop(("m", message.id), None)
            self._relayout()
            return
        if self.rows and message.id < self.rows[0].id and self.older is not None:
            return  # older than what is loaded: it will come with its page
        follow = self.is_at_bottom
        was_last = self.selected is None or self.selected >= len(self.rows) - 1
        if not self.rows or message.id > self.rows[-1].id:
            position = len(self.rows)
        else:
            position = bisect_right([m.id for m in self.rows], message.id)
        self.rows.insert(position, message)
        if self.selected is not None and position <= self.selected and not was_last:
            self.selected += 1
        if was_last:
            self.selected = len(self.rows) - 1
        self._relayout()
        if follow:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        self._announce()

    def update_card(self, request_id: int, status: RequestStatus) -> None:
        """Show a new status on every card of that request."""
        for message in list(self.rows):
            card = message.card
            if card is not None and card.request_id == request_id and card.status != status:
                self.upsert(
                    message.model_copy(update={"card": card.model_copy(update={"status": status})})
                )

    def set_pending(self, texts: Iterable[PendingText]) -> None:
        """The texts of this thread waiting in the outbox, shown after the sent ones."""
        follow = self.is_at_bottom
        self.pending = list(texts)
        self._relayout()
        if follow:
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    def select_where(self, test: Callable[[MessageOut], bool]) -> bool:
        """Select the newest loaded message that passes `test`; False when none does."""
        for i in range(len(self.rows) - 1, -1, -1):
            if test(self.rows[i]):
                self._select(i)
                return True
        return False

    @property
    def is_at_bottom(self) -> bool:
        return self.scroll_y >= self.max_scroll_y - 1

    # ---- actions ------------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.action_select(1)

    def action_cursor_up(self) -> None:
        self.action_select(-1)

    def action_page_down(self) -> None:
        self.action_page(1)

    def action_page_up(self) -> None:
        self.action_page(-1)

    def action_select(self, delta: int) -> None:
        count = len(self.rows) + len(self.pending)
        if not count:
            return
        current = count - 1 if self.selected is None else self.selected
        self._select(max(0, min(count - 1, current + delta)))
        if delta < 0 and current == 0:
            self.scroll_home(animate=False, immediate=True, x_axis=False)

    def action_first(self) -> None:
        if self.rows or self.pending:
            self._select(0)
        self.scroll_home(animate=False, immediate=True, x_axis=False)

    def action_last(self) -> None:
        count = len(self.rows) + len(self.pending)
        if count:
            self._select(count - 1)
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + direction * height, animate=False, immediate=True)

    def _select(self, index: int) -> None:
        self.selected = index
        if self._starts:
            top = self._starts[index]
            bottom = self._starts[index + 1] if index + 1 < len(self._starts) else top
            self.scroll_to_region(
                Region(0, top, 1, max(1, bottom - top)),
                animate=False,
                immediate=True,
                force=True,
            )
        self.refresh()
        self._announce()

    def _announce(self) -> None:
        self.post_message(self.Selected(self.selected_row))

    def on_click(self, event: events.Click) -> None:
        y = event.y + round(self.scroll_y)
        index = bisect_right(self._starts, y) - 1
        if 0 <= index < len(self.rows) + len(self.pending):
            self._select(index)

    # ---- layout and drawing -------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._check_older()

    def _check_older(self) -> None:
        if self.older is None or self.loading_older or not self.loaded:
            return
        if self.scroll_y <= max(3, self.scrollable_content_region.height // 2):
            self.loading_older = True
            self.refresh()
            self.post_message(self.NeedOlder(self.older))

    def on_resize(self, event: events.Resize) -> None:
        if self._layout_width() != self._width:
            self._cache.clear()
            self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._style_cache = None
        self.refresh()

    def _layout_width(self) -> int:
        return max(24, self.size.width - 1)

    def _relayout(self) -> None:
        self._width = self._layout_width()
        self._index = {m.id: i for i, m in enumerate(self.rows)}
        rows: Iterable[Row] = chain(self.rows, self.pending)
        heights = [len(self._strips(row)) for row in rows]
        self._starts = list(accumulate(heights, initial=1))
        self.virtual_size = Size(self._width, self._starts[-1])
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + round(self.scroll_y)
        styles = self._styles()
        if line == 0:
            return self._top_line(styles).crop_extend(0, width, None)
        index = bisect_right(self._starts, line) - 1
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width)
        strips = self._strips(row)
        offset = line - self._starts[index]
        body = strips[offset] if offset < len(strips) else Strip.blank(self._width - GUTTER)
        marked = index == self.selected and offset < len(strips) - 1
        gutter = Segment("▌ ", styles.selected) if marked else Segment("  ")
        return Strip([gutter, *body]).crop_extend(0, width, None)

    def _top_line(self, styles: Styles) -> Strip:
        if not self.loaded:
            text = "loading messages…"
        elif self.older is None:
            text = "start of the conversation"
        else:
            text = "↑ loading older messages…" if self.loading_older else "↑ older messages"
        label = Text(text.center(self._width), style=styles.meta)
        return Strip(label.render(self.app.console), label.cell_len)

    def _styles(self) -> Styles:
        if self._style_cache is None:
            self._style_cache = self._read_styles()
        return self._style_cache

    def _read_styles(self) -> Styles:
        def get(name: str) -> Style:
            # Only what the rule sets: these are laid over the bubble or the screen's background.
            return self.get_component_rich_style(name, partial=True)

        return Styles(
            inbound=get("message-list--inbound"),
            outbound=get("message-list--outbound"),
            meta=get("message-list--meta"),
            failed=get("message-list--failed"),
            card=get("message-list--card"),
            selected=get("message-list--selected"),
            link=get("message-list--link"),
            pending=get("message-list--pending"),
        )

    def _strips(self, row: Row) -> list[Strip]:
        key = row_key(row)
        cached = self._cache.get(key)
        if cached is None:
            painter = Painter(self.app.console, self._styles(), self._width - GUTTER)
            cached = painter.paint(row, self.clock(), self.tz)
            self._cache[key] = cached
        return cached
