"""What the main screen's workers report back: each network result arrives as one message."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from sfterm.core.models import ReplyResult, RequestOut, ThreadOut


class SearchFound(Message):
    """The server's matches for a search of one folder (beyond the loaded rows)."""

    def __init__(self, folder: str, query: str, items: list[Any], generation: int) -> None:
        super().__init__()
        self.folder = folder
        self.query = query
        self.items = items
        self.generation = generation


class PageLoaded(Message):
    """A keyset page of one folder; `generation` drops pages asked for before a reload."""

    def __init__(
        self,
        folder: str,
        items: list[Any],
        next_before: int | str | None,
        generation: int,
        replace: bool = False,
    ) -> None:
        super().__init__()
        self.replace = replace
        """The first page read anew: it replaces every loaded row."""
        self.folder = folder
        self.items = items
        self.next_before = next_before
        self.generation = generation


class PageFailed(Message):
    def __init__(self, folder: str, error: str, generation: int) -> None:
        super().__init__()
        self.folder = folder
        self.error = error
        self.generation = generation


class RequestChanged(Message):
    """A request as the backend now has it (after accept, resolve, reopen, or a detail read)."""

    def __init__(self, item: RequestOut, note: str | None = None) -> None:
        super().__init__()
        self.item = item
        self.note = note


class LeadGone(Message):
    """Accepting failed because another associate was first."""

    def __init__(self, request_id: int, taken_by: str) -> None:
        super().__init__()
        self.request_id = request_id
        self.taken_by = taken_by


class ThreadChanged(Message):
    def __init__(self, thread: ThreadOut) -> None:
        super().__init__()
        self.thread = thread


class ReplyReady(Message):
    """The reply flow chose or made the thread: open it with the request's card."""

    def __init__(self, request_id: int, result: ReplyResult) -> None:
        super().__init__()
        self.request_id = request_id
        self.result = result
