"""Answering an email request from the app: subject and body, kept in the server's outbox."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from sfterm.client.errors import ApiError, Unreachable
from sfterm.core.models import EmailOut, RequestOut
from sfterm.tui.keys import MOVE, bind
from sfterm.tui.session import Session
from sfterm.tui.text import literal, safe_text
from sfterm.tui.widgets.message_list import store_timezone, when

EMAIL = "Reply by email"


def default_subject(session: Session, request: RequestOut) -> str:
    return f"Your request at {session.me.store.name}"


def history_text(emails: list[EmailOut], session: Session) -> Text:
    """The replies already sent to this request, oldest first, one line each."""
    if not emails:
        return Text("No email sent yet for this request.", "dim")
    text = Text(f"Already sent ({len(emails)}):\n", "dim")
    now, tz = session.clock(), store_timezone(session)
    for email in emails:
        text.append(f"  {when(email.created_at, now, tz)}  ", "dim")
        text.append_text(literal(email.subject, "bold"))
        text.append(f"  by {safe_text(email.associate.name)}\n", "dim")
    return text


class EmailReplyModal(ModalScreen[EmailOut | None]):
    """Write and send an email answer; returns the stored email, or None when left with Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("ctrl+s", "send", "Send email", id="email_send", group=EMAIL),
        bind("escape", "cancel", "Cancel", id="back", group=MOVE, key_display="Esc"),
    ]

    DEFAULT_CSS = """
    EmailReplyModal { align: center middle; }
    EmailReplyModal > #dialog {
        width: 84; height: auto; max-height: 90%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    EmailReplyModal #title { text-style: bold; }
    EmailReplyModal #history { margin: 1 0; }
    EmailReplyModal #body { height: 10; }
    EmailReplyModal #error { color: $error; height: auto; }
    EmailReplyModal #buttons { height: auto; align-horizontal: center; margin-top: 1; }
    EmailReplyModal Button { margin: 0 1; min-width: 16; }
    """

    def __init__(self, session: Session, request: RequestOut) -> None:
        super().__init__()
        self.session = session
        self.request = request

    def compose(self) -> ComposeResult:
        request = self.request
        title = Text("Email ")
        title.append_text(literal(request.name, "bold"))
        title.append("  ")
        title.append_text(literal(request.email or "(no address)", "dim"))
        with Vertical(id="dialog"):
            yield Static(title, id="title")
            yield Static(Text("Looking for earlier replies…", "dim"), id="history")
            yield Input(default_subject(self.session, request), placeholder="Subject", id="subject")
            yield TextArea(id="body", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Send (Ctrl+S)", id="send-button", variant="primary")
                yield Button("Cancel (Esc)", id="cancel-button")

    def on_mount(self) -> None:
        self.query_one("#body", TextArea).focus()
        self.load_history()

    @work(exclusive=True, group="email-history", exit_on_error=False)
    async def load_history(self) -> None:
        label = self.query_one("#history", Static)
        try:
            emails = await self.session.client.emails(self.request.id)
        except (ApiError, Unreachable) as exc:
            label.update(Text(f"Earlier replies unknown: {_reason(exc)}", "dim"))
            return
        label.update(history_text(emails, self.session))

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(message))

    def action_send(self) -> None:
        subject = self.query_one("#subject", Input).value.strip()
        body = self.query_one("#body", TextArea).text.strip()
        if not subject:
            self._error("The subject is empty.")
            self.query_one("#subject", Input).focus()
            return
        if not body:
            self._error("The email is empty: write something first.")
            self.query_one("#body", TextArea).focus()
            return
        self._error("Sending…")
        self.query_one("#send-button", Button).disabled = True
        self.send(subject, body)

    @work(exclusive=True, group="email-send", exit_on_error=False)
    async def send(self, subject: str, body: str) -> None:
        try:
            email = await self.session.client.send_email(self.request.id, subject, body)
        except (ApiError, Unreachable) as exc:
            self._error(f"Not sent: {_reason(exc)}")
            self.query_one("#send-button", Button).disabled = False
            return
        self.dismiss(email)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#send-button")
    def _send_pressed(self) -> None:
        self.action_send()

    @on(Button.Pressed, "#cancel-button")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)


def _reason(exc: ApiError | Unreachable) -> str:
    return exc.message if isinstance(exc, ApiError) else "the server cannot be reached"
