"""One text thread: who it is with, consent, the messages as they change, and the composer."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from typing import ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from sfterm.client.errors import ApiError, Unreachable, complaint
from sfterm.core.models import (
    AttachmentIn,
    AttachmentKind,
    Consent,
    Direction,
    MatchState,
    MessageOut,
    RequestOut,
    RequestStatus,
    ThreadOut,
)
from sfterm.core.phones import display_phone
from sfterm.tui.keys import ACTIONS, MOVE, bind, key_for
from sfterm.tui.messages import BackendEvent, OutboxFlushed
from sfterm.tui.outbox import FlushResult, new_key
from sfterm.tui.session import Session
from sfterm.tui.text import counted, safe_text
from sfterm.tui.widgets.composer import Composer
from sfterm.tui.widgets.contact_indicator import (
    ContactChange,
    change_in,
    keeping_match,
    offers_add,
    patched,
)
from sfterm.tui.widgets.key_bar import KeyBar
from sfterm.tui.widgets.message_list import FAILED, MessageList, store_timezone

THREAD = "Thread"
PAGE = 50

CONSENT_NAMES = {
    Consent.ONE_TO_ONE: "1-to-1 texts only",
    Consent.SUBSCRIBED: "subscribed to marketing",
    Consent.UNSUBSCRIBED: "unsubscribed from all",
}

UNSUBSCRIBED_REASON = (
    "Nothing can be sent: this number is unsubscribed from all texts (the customer texted STOP). "
    "Only the customer can lift it, by texting START or by submitting a new request."
)


def contact_label(thread: ThreadOut) -> str:
    match = thread.contact_match
    if match is None or match.state is MatchState.NONE:
        return "not a contact"
    if match.state is MatchState.ONE and match.contacts:
        return f"contact: {safe_text(match.contacts[0].name)}"
    return f"number on {len(match.contacts)} contacts"


def resend_attachments(message: MessageOut) -> list[AttachmentIn]:
    """The attachments of a failed text as they can be sent again (links typed in the body are
    in the body already)."""
    out = []
    for item in message.attachments:
        if item.kind is AttachmentKind.PRODUCT and item.product_id:
            out.append(AttachmentIn(kind=item.kind, product_id=item.product_id, url=None))
        elif item.kind is AttachmentKind.STOREFRONT:
            out.append(AttachmentIn(kind=item.kind, url=None))
        elif item.kind is AttachmentKind.IMAGE:
            out.append(AttachmentIn(kind=item.kind, url=item.image_url or item.target_url))
    return out


class ThreadScreen(Screen[None]):
    """The thread `thread_id`. With `card_request_id` (the reply flow), that request's card is
    selected so that `x` resolves it at once. Texts written while the link is down wait in the
    session's outbox and go out when it returns (the app sends them: `OutboxFlushed`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("escape", "back", "Back", id="back", group=MOVE),
        bind("R,alt+r", "retry", "Retry failed", id="retry", group=THREAD, key_display="R"),
        bind("x,alt+x", "resolve", "Resolve request", id="resolve", group=ACTIONS, key_display="x"),
        bind("a,alt+a", "attach", "Attach", id="attach", group=THREAD, key_display="a"),
        bind(
            "c,alt+c",
            "add_contact",
            "Add to contacts",
            id="add_contact",
            group=ACTIONS,
            key_display="c",
        ),
    ]

    DEFAULT_CSS = """
    ThreadScreen #thread-header { height: auto; padding: 0 1; background: $boost;
        border-bottom: solid $primary-muted; }
    ThreadScreen MessageList { height: 1fr; }
    ThreadScreen MessageList:focus { background-tint: $foreground 2%; }
    """

    def __init__(
        self,
        session: Session,
        thread_id: int,
        *,
        card_request_id: int | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.thread_id = thread_id
        self.card_request_id = card_request_id
        self.outbox = session.outbox
        self.thread: ThreadOut | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…"), id="thread-header")
        yield MessageList(tz=store_timezone(self.session), clock=self.session.clock)
        yield Composer(id="composer")
        yield KeyBar()

    @property
    def messages(self) -> MessageList:
        return self.query_one(MessageList)

    @property
    def composer(self) -> Composer:
        return self.query_one(Composer)

    def on_mount(self) -> None:
        self.composer.input.focus()
        self.load_thread()
        self.load_latest()
        self.mark_read()
        self.messages.set_pending(self.outbox.pending(self.thread_id))

    # ---- loading ------------------------------------------------------------------------------

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def load_thread(self) -> None:
        try:
            thread = await self.session.client.thread(self.thread_id)
        except (ApiError, Unreachable) as exc:
            self.notify(complaint(exc), title="Thread", severity="error", markup=False)
            return
        self.show_thread(thread)

    def show_thread(self, thread: ThreadOut) -> None:
        self.thread = thread
        head = Text()
        head.append(safe_text(thread.phone_display), "bold")
        head.append(f"  ·  {contact_label(thread)}")
        if offers_add(thread.contact_match):
            keymap = getattr(self.app, "user_keymap", {})
            head.append(f" · {key_for('add_contact', keymap)} add", "dim")
        head.append("  ·  consent: ")
        blocked = thread.consent is Consent.UNSUBSCRIBED
        head.append(
            CONSENT_NAMES.get(thread.consent, thread.consent.value), "bold red" if blocked else ""
        )
        relay = display_phone(thread.relay_number, self.session.me.store.region)
        head.append(f"\nfrom your number {safe_text(relay)}", "dim")
        head.append(f"  ·  {counted(thread.message_count, 'message')}", "dim")
        self.query_one("#thread-header", Static).update(head)
        self.composer.disable(UNSUBSCRIBED_REASON if blocked else None)

    @work(exclusive=True, group="messages", exit_on_error=False)
    async def load_latest(self) -> None:
        try:
            page = await self.session.client.messages(self.thread_id, limit=PAGE)
        except (ApiError, Unreachable) as exc:
            self.notify(complaint(exc), title="Messages", severity="error", markup=False)
            return
        self.messages.set_messages(page.items, page.next_before)
        if self.card_request_id is not None:
            wanted = self.card_request_id
            self.messages.select_where(lambda m: m.card is not None and m.card.request_id == wanted)

    @on(MessageList.NeedOlder)
    def _need_older(self, event: MessageList.NeedOlder) -> None:
        self.load_older(event.before)

    @work(exclusive=True, group="older", exit_on_error=False)
    async def load_older(self, before: int | str) -> None:
        try:
            page = await self.session.client.messages(
                self.thread_id, before=int(before), limit=PAGE
            )
        except (ApiError, Unreachable) as exc:
            self.messages.older_failed()
            self.notify(complaint(exc), title="Older messages", severity="error", markup=False)
            return
        self.messages.prepend(page.items, page.next_before)

    @work(exclusive=True, group="read", exit_on_error=False)
    async def mark_read(self) -> None:
        with suppress(ApiError, Unreachable):  # the unread mark stays; nothing to act on
            await self.session.client.mark_read(self.thread_id)

    # ---- live ---------------------------------------------------------------------------------

    def on_backend_event(self, message: BackendEvent) -> None:
        event = message.event
        data = event.data
        try:
            if event.type in ("message.created", "message.updated") and "message" in data:
                item = MessageOut.model_validate(data["message"])
                if item.thread_id == self.thread_id:
                    self.messages.upsert(item)
                    if item.direction is Direction.INBOUND and self.is_current:
                        self.mark_read()
            elif event.type == "request.updated" and "request" in data:
                request = RequestOut.model_validate(data["request"])
                self.messages.update_card(request.id, request.status)
            elif event.type == "thread.updated" and "thread" in data:
                thread = ThreadOut.model_validate(data["thread"])
                if thread.id == self.thread_id:
                    self.show_thread(keeping_match(thread, self.thread))
            elif event.type == "contact.changed":
                change = change_in(data)
                if change is not None and self.thread is not None:
                    self.show_contact_change(change)
            elif event.type == "stale":
                self.load_thread()
                self.load_latest()
        except ValidationError:
            return  # an event of a newer backend: nothing this screen can show

    # ---- sending ------------------------------------------------------------------------------

    @on(Composer.Submitted)
    def _submitted(self, event: Composer.Submitted) -> None:
        self.outbox.add(
            self.thread_id, event.body, event.attachments, now=self.session.clock(), key=new_key()
        )
        self.messages.set_pending(self.outbox.pending(self.thread_id))
        self.messages.action_last()
        if self.session.online:
            self.flush_outbox()
        else:
            self.notify(
                "Offline: the text waits and is sent when the connection returns.", markup=False
            )

    @work(group="outbox", exit_on_error=False)
    async def flush_outbox(self) -> None:
        """Send this thread's waiting texts. Not exclusive: the outbox's lock orders flushes, and
        cancelling one mid-request would only leave its text to the next flush."""
        self.show_flushed(await self.outbox.flush(self.session.client, self.thread_id))

    @on(OutboxFlushed)
    def _flushed(self, message: OutboxFlushed) -> None:
        self.show_flushed(message.results)

    def show_flushed(self, results: Sequence[FlushResult]) -> None:
        """Texts of this thread sent from the outbox shown as sent; a refused one back in the
        composer, with the backend's reason."""
        for result in results:
            if result.text.thread_id != self.thread_id:
                continue
            if result.message is not None:
                self.messages.upsert(result.message)
            elif result.error is not None:
                self.notify(result.error.message, title="Not sent", severity="error", markup=False)
                self.composer.restore(result.text.body, result.text.attachments)
        self.messages.set_pending(self.outbox.pending(self.thread_id))

    def action_retry(self) -> None:
        row = self.messages.selected_row
        if not (
            isinstance(row, MessageOut)
            and row.direction is Direction.OUTBOUND
            and row.status in FAILED
        ):
            self.notify(
                "Select a failed text (✗) to send it again.", severity="warning", markup=False
            )
            return
        self.outbox.add(self.thread_id, row.body, resend_attachments(row), now=self.session.clock())
        self.messages.set_pending(self.outbox.pending(self.thread_id))
        if self.session.online:
            self.flush_outbox()

    # ---- the request card ---------------------------------------------------------------------

    def _card_request(self) -> int | None:
        row = self.messages.selected_row
        if isinstance(row, MessageOut) and row.card is not None:
            return row.card.request_id
        if self.card_request_id is not None:
            return self.card_request_id
        for message in reversed(self.messages.rows):
            if message.card is not None and message.card.status is RequestStatus.OPEN:
                return message.card.request_id
        return None

    def action_resolve(self) -> None:
        request_id = self._card_request()
        if request_id is None:
            self.notify("No request card in this thread.", severity="warning", markup=False)
            return
        self.resolve(request_id)

    @work(exclusive=True, group="resolve", exit_on_error=False)
    async def resolve(self, request_id: int) -> None:
        try:
            request = await self.session.client.resolve(request_id)
        except (ApiError, Unreachable) as exc:
            self.notify(complaint(exc), title="Resolve", severity="error", markup=False)
            return
        self.messages.update_card(request.id, request.status)
        self.notify(f"Request of {safe_text(request.name)} resolved.", markup=False)

    # ---- contacts -----------------------------------------------------------------------------

    def show_contact_change(self, change: ContactChange) -> None:
        """The header's indicator after a contact gained (or changed) this number."""
        if self.thread is not None:
            thread = patched(self.thread, change)
            if thread is not self.thread:
                self.show_thread(thread)

    def action_add_contact(self) -> None:
        from sfterm.tui.modals.add_contact import ContactSaved, Customer, begin_add_contact

        thread = self.thread
        if thread is None:
            return
        cards = [m.card for m in self.messages.rows if m.card is not None]
        customer = Customer.of_thread(thread, name=cards[-1].name if cards else "")

        def saved(result: ContactSaved) -> None:
            self.show_contact_change(result.change)

        begin_add_contact(self, self.session, customer, saved)

    # ---- attachments and leaving --------------------------------------------------------------

    def action_attach(self) -> None:
        from sfterm.tui.modals.attachments import AttachmentPicker

        if self.composer.reason is not None:
            self.notify(self.composer.reason, severity="warning", markup=False)
            return

        def chosen(result: list[AttachmentIn] | None) -> None:
            if result is not None:
                self.composer.set_attachments(result)
            self.composer.input.focus()

        self.app.push_screen(
            AttachmentPicker(self.session, current=self.composer.attachments), chosen
        )

    def action_back(self) -> None:
        self.dismiss(None)
