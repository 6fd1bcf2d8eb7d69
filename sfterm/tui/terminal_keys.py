"""Alt chords as terminals send them, read as commands and never as text.

Most terminals (xterm, GNOME Terminal, Konsole, iTerm2 with Option as Meta, tmux) send Alt+key as
ESC followed by the key. Textual reads two of these in a way that hurts the composer:

- ESC `a` becomes the key `alt+a`, but keeps `a` as its character: a text field takes it as
  typing, so `alt+a` (attach, from the composer) types an `a` instead of attaching. The app
  drops the character of such a key (`AltChords`): it reaches the bindings instead.
- ESC CR (Alt+Enter, the composer's new-line key) has no name in Textual's table and is read as
  a plain Enter, which sends the text half-written. `teach_alt_enter` names it `alt+enter`, as
  terminals speaking the kitty keyboard protocol already send it.

A character typed with AltGr or macOS's Option (`@`, `é`) comes as the character itself, without
ESC, and is typed as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS  # Textual's table: no public hook
from textual.app import App

ALT_ENTER_SEQUENCES = ("\x1b\r", "\x1b\n")
"""Alt+Enter: ESC CR from most terminals, ESC LF from some (foot)."""


@dataclass(frozen=True)
class _KeyName:
    """What Textual's table holds for a sequence: something with the key's name as `value`."""

    value: str


def teach_alt_enter() -> None:
    """Make the terminal input parser read ESC CR and ESC LF as `alt+enter`."""
    table = ANSI_SEQUENCES_KEYS
    assert isinstance(table, dict)
    for sequence in ALT_ENTER_SEQUENCES:
        table.setdefault(sequence, (_KeyName("alt+enter"),))


def is_alt_chord(event: events.Key) -> bool:
    """An `alt+…` key that still carries a character (ESC then the key, from the terminal)."""
    return event.key.startswith("alt+") and event.character is not None


class AltChords(App[None]):
    """An app in which Alt chords are never typed into a text field (see the module)."""

    def __init__(self) -> None:
        teach_alt_enter()
        super().__init__()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and is_alt_chord(event):
            event.character = None
        await super().on_event(event)
