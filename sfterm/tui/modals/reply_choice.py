"""Replying to a text request: open the thread that exists with that number, or start a new one.

`ReplyChoiceModal` asks ("existing" | "new" | None); `begin_reply` runs the whole flow from a
screen: the modal, then `client.reply`, then the thread with the request's card selected.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from sfterm.client.errors import ApiError, Unreachable, complaint
from sfterm.core.models import RequestOut, ThreadOut
from sfterm.tui.keys import MOVE, bind
from sfterm.tui.session import Session
from sfterm.tui.text import counted, safe_text
from sfterm.tui.widgets.message_list import store_timezone, when

REPLY = "Reply by text"


def ago(then: datetime, now: datetime) -> str:
    """`just now`, `5 min ago`, `3 h ago`, `2 days ago`."""
    delta = max(now - then, timedelta(0))
    if delta < timedelta(minutes=1):
        return "just now"
    if delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)} min ago"
    if delta < timedelta(days=1):
        return f"{int(delta.total_seconds() // 3600)} h ago"
    days = delta.days
    return f"{days} day{'s' if days != 1 else ''} ago"


async def find_thread(client: Any, request: RequestOut) -> ThreadOut | None:
    """The associate's newest thread with the request's number, if there is one."""
    if request.thread_id is not None:
        thread: ThreadOut = await client.thread(request.thread_id)
        return thread
    if not request.phone:
        return None
    page = await client.threads(phone=request.phone, limit=1)
    return page.items[0] if page.items else None


class ReplyChoiceModal(ModalScreen[str | None]):
    """Asks how to answer a text request: "existing" thread, "new" thread, or None (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("e", "choose('existing')", "Open existing thread", id="reply_existing", group=REPLY),
        bind("n", "choose('new')", "New thread", id="reply_new", group=REPLY),
        bind("escape", "cancel", "Cancel", id="back", group=MOVE, key_display="Esc"),
    ]

    DEFAULT_CSS = """
    ReplyChoiceModal { align: center middle; }
    ReplyChoiceModal > #dialog {
        width: 72; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    ReplyChoiceModal #title { text-style: bold; margin-bottom: 1; }
    ReplyChoiceModal #existing { margin: 1 0; color: $text-secondary; }
    ReplyChoiceModal #buttons { height: auto; align-horizontal: center; }
    ReplyChoiceModal Button { margin: 0 1; min-width: 16; }
    """

    def __init__(self, session: Session, request: RequestOut) -> None:
        super().__init__()
        self.session = session
        self.request = request
        self.thread: ThreadOut | None = None
        self.looked = False

    def compose(self) -> ComposeResult:
        request = self.request
        who = Text(f"Reply to {safe_text(request.name)} by text")
        number = Text(f"at {safe_text(request.phone_display or request.phone or '?')}")
        with Vertical(id="dialog"):
            yield Static(who, id="title")
            yield Static(number, id="number")
            yield Static(Text("Looking for a thread with this number…"), id="existing")
            with Horizontal(id="buttons"):
                yield Button("Open existing (e)", id="existing-button", disabled=True)
                yield Button("New thread (n)", id="new-button", variant="primary")
                yield Button("Cancel (Esc)", id="cancel-button")

    def on_mount(self) -> None:
        self.query_one("#new-button", Button).focus()
        self.look_up()

    @work(exclusive=True, group="reply-lookup", exit_on_error=False)
    async def look_up(self) -> None:
        label = self.query_one("#existing", Static)
        try:
            thread = await find_thread(self.session.client, self.request)
        except (ApiError, Unreachable) as exc:
            reason = exc.message if isinstance(exc, ApiError) else "the server cannot be reached"
            label.update(Text(f"Could not look for a thread: {reason}"))
            self.query_one("#existing-button", Button).disabled = False
            self.looked = True
            return
        self.thread, self.looked = thread, True
        if thread is None:
            label.update(Text("No thread with this number yet: a new one will be started."))
            return
        text = Text("A thread with this number exists: ")
        text.append(counted(thread.message_count, "message"), "bold")
        if thread.last_message_at is not None:
            now = self.session.clock()
            at = when(thread.last_message_at, now, store_timezone(self.session))
            text.append(f", the last {'at' if len(at) <= 5 else 'on'} {at} ")
            text.append(f"({ago(thread.last_message_at, now)})", "dim")
        text.append(".")
        label.update(text)
        existing = self.query_one("#existing-button", Button)
        existing.disabled = False
        existing.variant = "primary"
        self.query_one("#new-button", Button).variant = "default"
        existing.focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = {"existing-button": "existing", "new-button": "new"}.get(event.button.id or "")
        if choice is None:
            self.dismiss(None)
        else:
            self.action_choose(choice)

    def action_choose(self, choice: str) -> None:
        if choice == "existing" and self.query_one("#existing-button", Button).disabled:
            message = "Still looking…" if not self.looked else "There is no thread to open."
            self.notify(message, severity="warning", markup=False)
            return
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


def begin_reply(screen: Screen[Any], session: Session, request: RequestOut) -> None:
    """The reply flow for a text request, from `screen`: ask, reply, open the thread.

    The thread opens with the request's card selected (`x` resolves it). Errors are notified
    with the backend's message; Esc in the modal does nothing.
    """
    from sfterm.tui.screens.thread import ThreadScreen

    async def reply(choice: str) -> None:
        try:
            result = await session.client.reply(request.id, choice)
        except (ApiError, Unreachable) as exc:
            screen.notify(complaint(exc), title="Reply", severity="error", markup=False)
            return
        screen.app.push_screen(ThreadScreen(session, result.thread.id, card_request_id=request.id))

    def chosen(choice: str | None) -> None:
        if choice is not None:
            screen.run_worker(reply(choice), group="reply", exclusive=True, exit_on_error=False)

    screen.app.push_screen(ReplyChoiceModal(session, request), chosen)
