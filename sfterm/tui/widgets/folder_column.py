"""The folder column: New Leads, Customer Requests, Text Messages, with counts and unread marks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from sfterm.tui.keys import LIST_BINDINGS


@dataclass(frozen=True)
class FolderInfo:
    key: str
    title: str
    count: str = ""
    unread: int = 0


FOLDERS = (
    ("new_leads", "New Leads"),
    ("customer_requests", "Customer Requests"),
    ("threads", "Text Messages"),
)
"""Folder keys and titles, in the order of the keys 1–3."""

SCREEN_FOLDERS = (("contacts", "Contacts", "4"), ("reports", "Reports", "5"))
"""Folders that open a screen of their own rather than a list: key, title, and number key."""


def all_folders() -> list[tuple[str, str, str]]:
    """Every folder of the column in order, as (number key, folder key, title)."""
    lists = [(str(n), key, title) for n, (key, title) in enumerate(FOLDERS, start=1)]
    return lists + [(number, key, title) for key, title, number in SCREEN_FOLDERS]


class FolderColumn(Widget, can_focus=True):
    """One line per folder; the chosen one is highlighted. j/k move, clicking chooses."""

    BINDINGS: ClassVar[list[BindingType]] = list(LIST_BINDINGS[:2])
    DEFAULT_CSS = """
    FolderColumn { width: 26; height: 1fr; padding: 1 0; }
    """

    current: reactive[str] = reactive("new_leads")

    class Chosen(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.infos = {key: FolderInfo(key, title) for _, key, title in all_folders()}

    def set_info(self, key: str, count: str, unread: int) -> None:
        info = self.infos[key]
        if (info.count, info.unread) != (count, unread):
            self.infos[key] = FolderInfo(key, info.title, count, unread)
            self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        inner = max(self.size.width, 10)
        entries = all_folders()
        for index, (number, key, _title) in enumerate(entries, start=1):
            info = self.infos[key]
            chosen = key == self.current
            style = "bold reverse" if chosen and self.has_focus else ("bold" if chosen else "")
            line = Text(style=style, end="")
            line.append(f" {number} ", "dim" if not chosen else "")
            line.append("● " if info.unread else "  ", "bold cyan")
            line.append(info.title)
            tail = f"{info.count} " if info.count else ""
            pad = inner - line.cell_len - len(tail)
            line.append(" " * max(pad, 1))
            line.append(tail, "" if chosen else "dim")
            line.truncate(inner)
            text.append_text(line)
            text.append("\n\n" if index < len(entries) else "")
        return text

    def watch_current(self) -> None:
        self.refresh()

    def _move(self, step: int) -> None:
        keys = [key for _, key, _ in all_folders()]
        index = (keys.index(self.current) + step) % len(keys)
        self.post_message(self.Chosen(keys[index]))

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def on_click(self, event: events.Click) -> None:
        index = (event.y - 1) // 2
        entries = all_folders()
        if 0 <= index < len(entries) and (event.y - 1) % 2 == 0:
            self.post_message(self.Chosen(entries[index][1]))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
