"""What the folder screens share: the folder column on the left, the status line and the key bar
below, the folder keys, Tab between panes, and network calls in workers.

The main screen (folders 1–3) is at the bottom of the stack; Contacts (4) and Reports (5) are
screens above it. A folder key on one of those goes back down and shows that folder there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from sfterm.client.errors import complaint
from sfterm.tui.messages import LinkChanged
from sfterm.tui.session import Session
from sfterm.tui.widgets.folder_column import FolderColumn, FolderInfo
from sfterm.tui.widgets.key_bar import KeyBar
from sfterm.tui.widgets.status_line import StatusLine
from sfterm.tui.widgets.virtual_list import VirtualList


def list_pane(search_placeholder: str) -> Vertical:
    """A folder's list: its title, a search field and the virtual list of its rows."""
    return Vertical(
        Static(id="list-title"),
        Input(placeholder=search_placeholder, id="search"),
        VirtualList(id="list"),
        id="list-pane",
    )


class FolderScreen(Screen[None]):
    """A screen with the folder column. `FOLDER` is the folder it shows; `folders` is the main
    screen's folder counts (the same dict, so they stay current on the screens above it)."""

    FOLDER: ClassVar[str]

    def __init__(self, session: Session, folders: Mapping[str, FolderInfo] | None = None) -> None:
        super().__init__()
        self.session = session
        self.folders = folders

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FolderColumn(id="folders")
            yield from self.compose_panes()
        yield StatusLine(self.session.me, self.session.link, id="status")
        yield KeyBar()

    def compose_panes(self) -> ComposeResult:
        """What stands right of the folder column."""
        raise NotImplementedError

    def show_folder_column(self) -> None:
        """The column shows the main screen's counts, with this screen's folder as current."""
        column = self.query_one(FolderColumn)
        if isinstance(self.folders, dict):
            column.infos = self.folders
        column.current = self.FOLDER

    # ---- folders ------------------------------------------------------------------------------

    @on(FolderColumn.Chosen)
    def _chosen(self, message: FolderColumn.Chosen) -> None:
        self.folder_chosen(message.key)

    def folder_chosen(self, folder: str) -> None:
        """A folder picked in the column (moving through it, or a click)."""
        self.action_folder(folder)

    def action_folder(self, folder: str) -> None:
        """This screen's own folder stays; another is shown by the screen below."""
        if folder == self.FOLDER:
            self.folder_again()
            return
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        self.app.pop_screen()
        action = getattr(below, "action_folder", None)
        if action is not None:
            action(folder)

    def folder_again(self) -> None:
        """This screen's folder key pressed here."""

    # ---- panes --------------------------------------------------------------------------------

    def panes(self) -> list[Widget]:
        """What Tab moves through, in order."""
        return [self.query_one(FolderColumn)]

    def _cycle(self, step: int) -> None:
        panes = self.panes()
        focused = self.focused
        index = panes.index(focused) if focused in panes else 0
        panes[(index + step) % len(panes)].focus()

    def action_next_pane(self) -> None:
        self._cycle(1)

    def action_previous_pane(self) -> None:
        self._cycle(-1)

    # ---- the backend --------------------------------------------------------------------------

    def call(self, group: str, job: Callable[..., Awaitable[None]], *args: Any) -> None:
        """Run `job(*args)` (a network call) in a worker; its failure becomes a notification.

        The worker builds the coroutine itself, so a call replaced before it starts is simply
        dropped (exclusive groups: the newest detail read or page wins).
        """
        self.run_worker(partial(job, *args), group=group, exclusive=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(complaint(event.worker.error), title="Error", severity="error")

    @on(LinkChanged)
    def _link_changed(self, message: LinkChanged) -> None:
        self.query_one(StatusLine).set_link(message.state)
