"""Customer-supplied text made safe to show: never read as markup, control characters visible."""

from __future__ import annotations

import re

from rich.text import Text

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Control characters, C1 controls and bidi/zero-width marks that could move or hide text."""

_PICTURES = {i: chr(0x2400 + i) for i in range(0x20)} | {0x7F: "\u2421"}
"""Unicode Control Pictures: \\x1b shows as ␛, \\x00 as ␀, DEL as ␡."""


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    picture = _PICTURES.get(code)
    if picture is not None:
        return picture
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def safe_text(value: str | None, *, newlines: bool = False) -> str:
    """`value` with every control character replaced by a visible stand-in (\\x1b → ␛).

    Tabs become a space. Newlines stay only when `newlines` is true (multi-line message bodies);
    otherwise they show as ⏎ so a one-line row can never spill onto the next.
    """
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\t", " ")
    if not newlines:
        text = text.replace("\n", "\u23ce")
    return _CONTROL.sub(_visible, text)


def literal(value: str | None, style: str = "", *, newlines: bool = False) -> Text:
    """A Rich `Text` showing `value` literally: `[bold]` stays `[bold]`, controls are visible."""
    return Text(safe_text(value, newlines=newlines), style=style, no_wrap=not newlines)


def one_line(value: str | None, width: int) -> str:
    """`value` on one line, cut to `width` cells with an ellipsis when longer."""
    text = " ".join(safe_text(value, newlines=True).split())
    if width <= 0:
        return ""
    if Text(text).cell_len <= width:
        return text
    cut = Text(text)
    cut.truncate(width - 1)
    return cut.plain + "…"


def counted(n: int, noun: str) -> str:
    """`1 message`, `3 messages`: a count with its noun, plural when it is not one."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
