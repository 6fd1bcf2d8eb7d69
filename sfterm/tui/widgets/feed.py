"""What a list shows: the rows loaded so far (keyset pages), where to read on, and a filter.

A `Feed` holds only the pages read so far; the list asks for the next one as its cursor nears
the end, so 100,000 rows in the database cost what the first page costs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sfterm.core.text_fold import fold

T = TypeVar("T")


@dataclass
class Feed(Generic[T]):
    """Items newest first (by `order`), the keyset cursor of the next page, and a filter."""

    key: Callable[[T], int]
    """The item's id: the same item arriving twice replaces itself."""
    order: Callable[[T], tuple[object, ...]]
    """Sort key, larger first (id for requests, last activity for threads)."""
    matches: Callable[[T, str], bool]
    """Whether an item fits a search query, folded (`set_query`)."""
    items: list[T] = field(default_factory=list)
    next_before: int | str | None = None
    started: bool = False
    """A first page was asked for."""
    exhausted: bool = False
    """The last page has been read: `items` is the whole list."""
    loading: bool = False
    error: str | None = None
    query: str = ""
    found: list[T] = field(default_factory=list)
    """The server's matches for `found_query`, rows not loaded yet included."""
    found_query: str | None = None
    unread: set[int] = field(default_factory=set)
    """Ids that arrived live and have not been looked at yet."""
    version: int = 0
    """Bumped on every change, so cached lines know they are out of date."""
    _view: list[T] | None = None

    # ---- reading ------------------------------------------------------------------------------

    @property
    def view(self) -> list[T]:
        """The items the list shows: all of them, or those matching the query (the loaded rows
        that match, and whatever the server found for it beyond them)."""
        if not self.query:
            return self.items
        if self._view is None:
            view = {self.key(i): i for i in self.items if self.matches(i, self.query)}
            if self.found_query == self.query:
                for item in self.found:
                    view.setdefault(self.key(item), item)
            self._view = sorted(view.values(), key=self.order, reverse=True)
        return self._view

    @property
    def searching(self) -> bool:
        """A query whose server matches have not arrived yet (the list has unread pages)."""
        return bool(self.query) and self.has_more and self.found_query != self.query

    def set_found(self, query: str, items: Iterable[T]) -> None:
        """The server's answer for `query`; kept only while that is still the query."""
        if query != self.query:
            return
        self.found = list(items)
        self.found_query = query
        self._changed()

    @property
    def has_more(self) -> bool:
        return not self.exhausted

    def count_label(self) -> str:
        """How many: exact once every page is read, else "100+"."""
        if not self.started:
            return ""
        return f"{len(self.items)}{'' if self.exhausted else '+'}"

    def find(self, item_id: int) -> T | None:
        for item in self.items:
            if self.key(item) == item_id:
                return item
        return None

    def view_index(self, item_id: int) -> int | None:
        for index, item in enumerate(self.view):
            if self.key(item) == item_id:
                return index
        return None

    # ---- changing -----------------------------------------------------------------------------

    def _changed(self) -> None:
        self._view = None
        self.version += 1

    def reset(self) -> None:
        """Forget every page (a stale stream, a reload)."""
        self.items = []
        self.next_before = None
        self.started = self.exhausted = self.loading = False
        self.error = None
        self._changed()

    def add_page(self, items: Iterable[T], next_before: int | str | None) -> None:
        """Append a page read from the backend; rows that arrived live meanwhile are kept once."""
        known = {self.key(i) for i in self.items}
        self.items.extend(i for i in items if self.key(i) not in known)
        self.next_before = next_before
        self.exhausted = next_before is None
        self.started = True
        self.loading = False
        self.error = None
        self._changed()

    def replace(self, items: Iterable[T], next_before: int | str | None) -> None:
        """Start over from a freshly read first page (rows beyond it are read again on demand)."""
        self.items = []
        self.add_page(items, next_before)
        self.unread &= {self.key(i) for i in self.items}

    def upsert(self, item: T, *, unread: bool = False) -> bool:
        """Put `item` in its place (replacing an older copy). Returns whether it was new.

        An item older than every loaded row of an unfinished list is left for its page.
        """
        item_id = self.key(item)
        existing = next((n for n, i in enumerate(self.items) if self.key(i) == item_id), None)
        if existing is not None:
            del self.items[existing]
        elif self.items and self.has_more and self.order(item) < self.order(self.items[-1]):
            return False
        position = 0
        target = self.order(item)
        while position < len(self.items) and self.order(self.items[position]) > target:
            position += 1
        self.items.insert(position, item)
        if unread and existing is None:
            self.unread.add(item_id)
        self._changed()
        return existing is None

    def remove(self, item_id: int) -> T | None:
        for index, item in enumerate(self.items):
            if self.key(item) == item_id:
                del self.items[index]
                self.unread.discard(item_id)
                self._changed()
                return item
        return None

    def set_query(self, query: str) -> None:
        """Filter by what was typed, folded (no case, no accents: `sfterm.core.text_fold`) as
        the server folds what it searches."""
        self.query = fold(query)
        self._changed()

    def mark_read(self, item_id: int) -> bool:
        if item_id in self.unread:
            self.unread.discard(item_id)
            self._changed()
            return True
        return False
