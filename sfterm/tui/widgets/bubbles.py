"""How one message looks in a thread: a bubble (inbound left, outbound right) or a request card.

Lines are Rich-rendered `Strip`s; customer text goes through `safe_text` and into `Text`
objects, never through markup, so `[bold]` or an escape sequence shows as what it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from sfterm.core.models import (
    AttachmentKind,
    AttachmentOut,
    DeliveryStatus,
    Direction,
    MessageKind,
    MessageOut,
    RequestStatus,
)
from sfterm.tui.outbox import PendingText
from sfterm.tui.session import Session
from sfterm.tui.text import safe_text
from sfterm.tui.widgets.composer import attachment_label

Row = MessageOut | PendingText

MARKS: dict[DeliveryStatus, str] = {
    DeliveryStatus.QUEUED: "○",
    DeliveryStatus.SENDING: "…",
    DeliveryStatus.SENT: "✓",
    DeliveryStatus.DELIVERED: "✓✓",
    DeliveryStatus.FAILED: "✗",
    DeliveryStatus.UNDELIVERED: "✗",
    DeliveryStatus.CANCELED: "⊘",
}
"""The delivery mark beside an outbound text's time."""

FAILED = frozenset({DeliveryStatus.FAILED, DeliveryStatus.UNDELIVERED})
GUTTER = 2
KIND_NAMES = {"contact_me": "Contact me", "appointment": "Appointment"}


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.replace("_", " ").capitalize())


def when(at: datetime, now: datetime, tz: tzinfo) -> str:
    """A message's time as people read it: the hour today, the day this year, else the date."""
    local, today = at.astimezone(tz), now.astimezone(tz)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return f"{local.strftime('%b')} {local.day} {local.strftime('%H:%M')}"
    return local.strftime("%Y-%m-%d %H:%M")


def store_timezone(session: Session) -> tzinfo:
    """The store's timezone, in which every time is shown (UTC when it is unknown)."""
    try:
        return ZoneInfo(session.me.store.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def row_key(row: Row) -> tuple[str, int | str]:
    return ("m", row.id) if isinstance(row, MessageOut) else ("p", row.key)


@dataclass(frozen=True)
class Styles:
    """The component styles of the list, read once per theme."""

    inbound: Style
    outbound: Style
    meta: Style
    failed: Style
    card: Style
    selected: Style
    link: Style
    pending: Style


class Painter:
    """Turns one message into the lines of its bubble (or card), with a blank line after it."""

    def __init__(self, console: Console, styles: Styles, width: int) -> None:
        self.console = console
        self.styles = styles
        self.width = width
        self.bubble = max(20, min(width, width * 3 // 4))

    def paint(self, row: Row, now: datetime, tz: tzinfo) -> list[Strip]:
        if isinstance(row, PendingText):
            meta = Text.assemble(
                (when(row.created_at, now, tz), self.styles.meta),
                "  ",
                ("… waiting to send", self.styles.pending),
            )
            body = "\n".join([row.body, *(attachment_label(a) for a in row.attachments)])
            lines = self._bubble(body.strip("\n"), [], self.styles.outbound)
            return [*self._place(meta, lines, right=True), Strip.blank(self.width)]
        if row.kind is MessageKind.CARD and row.card is not None:
            return [*self._card(row, now, tz), Strip.blank(self.width)]
        inbound = row.direction is Direction.INBOUND
        meta = Text(when(row.created_at, now, tz), style=self.styles.meta)
        if not inbound and row.status is not None:
            failed = row.status in FAILED
            mark = MARKS.get(row.status, "")
            meta.append(
                f"  {mark} {row.status.value}" if failed else f"  {mark}",
                self.styles.failed if failed else self.styles.meta,
            )
        style = self.styles.inbound if inbound else self.styles.outbound
        lines = self._bubble(row.body, row.attachments, style)
        strips = self._place(meta, lines, right=not inbound)
        if not inbound and row.status in FAILED:
            strips += self._failure(row)
        return [*strips, Strip.blank(self.width)]

    def _wrap(self, text: Text, width: int) -> list[Text]:
        return list(text.wrap(self.console, max(1, width), overflow="fold"))

    def _bubble(self, body: str, attachments: list[AttachmentOut], style: Style) -> list[Text]:
        inner = self.bubble - 2
        lines: list[Text] = []
        for part in body.split("\n") if body else []:
            lines += (
                self._wrap(Text(safe_text(part), style=style), inner) if part else [Text("", style)]
            )
        for item in attachments:
            title = ("▣ " if item.kind is AttachmentKind.IMAGE else "↗ ") + safe_text(item.title)
            head = Text(title, style=style + Style(bold=True))
            if item.price:
                head.append(f" · {safe_text(item.price)}", style)
            lines += self._wrap(head, inner)
            opened = f"opened {item.clicks}×" if item.clicks else "not opened yet"
            link = Text(safe_text(item.target_url), style=style + self.styles.link)
            link.append(f" · {opened}", style + self.styles.meta)
            lines += self._wrap(link, inner)
        widest = max((line.cell_len for line in lines), default=0)
        size = min(inner, widest)
        out = []
        for line in lines:
            line = line.copy()
            line.rstrip()
            line.pad_right(size - line.cell_len)
            padded = Text(" ", style)
            padded.append_text(line)
            padded.append(" ", style)
            out.append(padded)
        return out

    def _strip(self, text: Text, left: int = 0) -> Strip:
        segments = list(text.render(self.console))
        if left:
            segments.insert(0, Segment(" " * left))
        return Strip(segments, left + text.cell_len).crop_extend(0, self.width, None)

    def _place(self, meta: Text, lines: list[Text], *, right: bool) -> list[Strip]:
        strips = []
        meta_left = self.width - meta.cell_len - 1 if right else 0
        strips.append(self._strip(meta, max(0, meta_left)))
        for line in lines:
            left = self.width - line.cell_len - 1 if right else 0
            strips.append(self._strip(line, max(0, left)))
        return strips

    def _failure(self, row: MessageOut) -> list[Strip]:
        detail = safe_text(row.error_message or "not delivered")
        code = f"{row.error_code} " if row.error_code else ""
        text = Text(f"✗ {code}{detail} · R retry", style=self.styles.failed)
        return [
            self._strip(line, max(0, self.width - line.cell_len - 1))
            for line in self._wrap(text, self.bubble)
        ]

    def _card(self, row: MessageOut, now: datetime, tz: tzinfo) -> list[Strip]:
        card = row.card
        assert card is not None
        width = min(self.width - 1, 64)
        inner = width - 4
        border = self.styles.card
        resolved = card.status is RequestStatus.RESOLVED
        title = f" Request · {kind_name(card.kind.value)} · {card.status.value} "
        top = Text("┌─" + title + "─" * max(0, width - len(title) - 3) + "┐", style=border)
        body: list[Text] = []
        who = Text(safe_text(card.name), style=Style(bold=True))
        who.append(f" · {when(card.created_at, now, tz)}", self.styles.meta)
        body += self._wrap(who, inner)
        for part in card.message.split("\n") if card.message else []:
            body += self._wrap(Text(safe_text(part)), inner) if part else [Text("")]
        action = "✓ resolved" if resolved else "x resolve"
        body.append(Text(action, style=self.styles.meta if resolved else self.styles.selected))
        strips = [self._strip(top)]
        for line in body:
            line = line.copy()
            line.rstrip()
            line.pad_right(inner - line.cell_len)
            framed = Text()
            framed.append("│ ", style=border)
            framed.append_text(line)
            framed.append(" │", style=border)
            strips.append(self._strip(framed))
        strips.append(self._strip(Text("└" + "─" * (width - 2) + "┘", style=border)))
        return strips
