"""Where the associate writes a text: Enter sends, Alt+Enter or Ctrl+J starts a new line.

Below the text a live counter shows what it costs on the air: characters, segments and the
encoding (GSM-7, or UCS-2 as soon as one character needs it). The composer can be disabled with
a reason (an unsubscribed number), which it shows in place of the counter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, TextArea

from sfterm.core.models import MAX_SMS_CHARS, AttachmentIn
from sfterm.core.sms import segment_info
from sfterm.tui.keys import bind
from sfterm.tui.text import counted, safe_text

COMPOSER = "Compose a text"


class AttachmentChoice(AttachmentIn):
    """An attachment as the picker returns it: what the API takes, plus a label to show."""

    label: str = Field("", exclude=True)


def attachment_label(item: AttachmentIn) -> str:
    if isinstance(item, AttachmentChoice) and item.label:
        return item.label
    return item.product_id or item.url or item.kind.value


def counter_text(body: str) -> Text:
    """`42 chars · 1 segment · GSM-7`, in warning colours past one segment or the size limit."""
    info = segment_info(body)
    chars = len(body)
    segments = counted(info.segments, "segment")
    text = Text(f"{chars} chars · ")
    text.append(segments, "bold" if info.segments > 1 else "")
    text.append(" · ")
    text.append(info.encoding, "bold yellow" if info.encoding == "UCS-2" else "")
    text.append(f" · {info.remaining} left in this segment", "dim")
    if chars > MAX_SMS_CHARS:
        text.append(f" · over the {MAX_SMS_CHARS}-character limit", "bold red")
    return text


class ComposerInput(TextArea):
    """The text itself. Enter is a send key here, not a newline.

    The send and new-line keys act where the characters go in, in the order they were typed:
    as bindings they would run ahead of the characters still waiting for the text area, and a
    fast "ok⏎" (or a pasted line) would send "o" and leave "k" behind.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("enter", "send", "Send", id="send", group=COMPOSER),
        bind(
            "alt+enter,ctrl+j",
            "newline",
            "New line",
            id="newline",
            group=COMPOSER,
            key_display="Alt+Enter",
        ),
    ]
    IN_TURN = ("send", "newline")
    """The actions run in turn with the typing (see the class)."""

    DEFAULT_CSS = """
    ComposerInput { height: auto; min-height: 3; max-height: 8; }
    """

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            return
        action = self._action_for(event.key)
        if action in self.IN_TURN:
            event.prevent_default()  # not the text area's own handling of the key (a newline)
            event.stop()
            await self.run_action(action)

    def _action_for(self, key: str) -> str | None:
        """What this widget's bindings, with the user's `[keys]` applied, do with `key`."""
        for node, bindings in self.screen._binding_chain:
            if node is self:
                found = bindings.key_to_bindings.get(key)
                return found[0].action if found else None
        return None

    def action_send(self) -> None:
        composer = self.parent
        if isinstance(composer, Composer):
            composer.submit()

    def action_newline(self) -> None:
        self.insert("\n")


class Composer(Vertical):
    """The text box, its pending attachments, and the counter (or why nothing can be sent)."""

    DEFAULT_CSS = """
    Composer { height: auto; max-height: 12; padding: 0 1; }
    Composer > #attachments { color: $text-secondary; height: auto; display: none; }
    Composer > #attachments.-shown { display: block; }
    Composer > #counter { color: $foreground-muted; height: 1; }
    Composer.-disabled > #counter { color: $error; height: auto; }
    """

    class Submitted(Message):
        """The associate pressed the send key on a text (or attachments) worth sending."""

        def __init__(self, body: str, attachments: list[AttachmentIn]) -> None:
            super().__init__()
            self.body = body
            self.attachments = attachments

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.attachments: list[AttachmentIn] = []
        self.reason: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="attachments")
        yield ComposerInput(id="body", soft_wrap=True, show_line_numbers=False)
        yield Static(counter_text(""), id="counter")

    @property
    def input(self) -> ComposerInput:
        return self.query_one(ComposerInput)

    @property
    def text(self) -> str:
        return self.input.text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._show_counter()

    def _show_counter(self) -> None:
        counter = self.query_one("#counter", Static)
        if self.reason is not None:
            counter.update(Text(self.reason))
        else:
            counter.update(counter_text(self.text))

    def submit(self) -> None:
        """Hand the text to the screen (Submitted) and clear the box; nothing when it is empty
        or too long (the counter says so)."""
        body = self.text.strip("\n")
        if self.reason is not None or (not body.strip() and not self.attachments):
            return
        if len(body) > MAX_SMS_CHARS:
            self.notify(
                f"A text holds at most {MAX_SMS_CHARS} characters; this one has {len(body)}.",
                severity="warning",
                markup=False,
            )
            return
        self.post_message(self.Submitted(body, list(self.attachments)))
        self.input.clear()
        self.set_attachments([])

    def restore(self, body: str, attachments: Sequence[AttachmentIn] = ()) -> None:
        """Put back a text that could not be sent, unless the associate already wrote another."""
        if not self.text.strip():
            self.input.load_text(body)
            self.input.move_cursor(self.input.document.end)
            self.set_attachments(list(attachments))

    def set_attachments(self, attachments: list[AttachmentIn]) -> None:
        self.attachments = list(attachments)
        line = self.query_one("#attachments", Static)
        line.set_class(bool(attachments), "-shown")
        labels = " · ".join(safe_text(attachment_label(a)) for a in attachments)
        line.update(Text(f"Attached: {labels}  (a: change)") if attachments else "")

    def disable(self, reason: str | None) -> None:
        """Refuse input with `reason` shown (None enables it again)."""
        self.reason = reason
        self.set_class(reason is not None, "-disabled")
        self.input.disabled = reason is not None
        self._show_counter()
