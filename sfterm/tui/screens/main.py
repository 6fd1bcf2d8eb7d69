"""The main screen: folders, the chosen folder's list, the selected item's detail, status."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from sfterm.tui.session import Session


class MainScreen(Screen[None]):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static("New Leads")
