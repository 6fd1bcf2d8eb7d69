"""The Textual app: the screen stack, the app-wide keys, and the worker that follows events."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Mapping
from functools import partial
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen

from sfterm.client.link import LinkState
from sfterm.core.models import Event
from sfterm.tui.commands import MainCommands
from sfterm.tui.keys import APP_BINDINGS, keymap_from_config
from sfterm.tui.messages import BackendEvent, LinkChanged, OutboxFlushed
from sfterm.tui.session import Session
from sfterm.tui.terminal_keys import AltChords
from sfterm.tui.text import counted, one_line

StreamFactory = Callable[[Session, int], AsyncIterable[Event | LinkState]]
"""Builds the event stream for a session, resuming after an event id (tests pass a fake)."""


OUTBOX_RETRY_SECONDS = 5.0
"""How often texts left waiting while the link is live are tried again."""

FROM_NOW = 2**62
"""Asking to resume after an id beyond the log makes the server answer `stale` with its newest
id: the stream then follows from now on (and the screens read their lists again)."""


def default_stream(session: Session, last_event_id: int) -> AsyncIterable[Event | LinkState]:
    """Resume after the last event applied; at first, after the log's head when the associate
    signed in (`me`): the lists are read after that, so nothing falls between them and the
    stream. A server that does not say follows from now on."""
    from sfterm.client.events import EventStream  # with httpx: after the first frame

    start = last_event_id or session.me.last_event_id
    if start is None:
        start = FROM_NOW
    return EventStream(session.client, last_event_id=start, clock=session.clock)


class SftermApp(AltChords):
    """One associate's terminal. Screens get a `Session`; backend news reaches every screen on the
    stack as `BackendEvent` and `LinkChanged` messages."""

    TITLE = "sfterm"
    CSS_PATH = "sfterm.tcss"
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)
    COMMANDS = App.COMMANDS | {MainCommands}

    def __init__(
        self,
        session: Session,
        *,
        config: Mapping[str, Any] | None = None,
        stream: StreamFactory | None = None,
        follow_events: bool = True,
        on_first_frame: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.config: Mapping[str, Any] = config or {}
        ui = self.config.get("ui", {})
        self.bell_on_lead: bool = bool(ui.get("bell", False)) if isinstance(ui, Mapping) else False
        """`[ui] bell = true`: ring the terminal bell when a new lead arrives."""
        self._stream_factory = stream or default_stream
        self._follow = follow_events
        self._on_first_frame = on_first_frame
        """Called once the first frame is on screen (where the `sfterm` command collects garbage
        again)."""
        self.last_event_id = 0
        """The newest event applied; a restarted stream resumes after it."""
        self.user_keymap, self.keymap_problems = keymap_from_config(self.config)
        """The `[keys]` table of the config file, as applied (help and hints show these keys)."""
        self.set_keymap(self.user_keymap)

    def get_default_screen(self) -> Screen[Any]:
        """The main screen is the bottom of the stack: no blank screen lies under it (Textual
        repaints every screen below the current one, whole, each time one of them is touched)."""
        from sfterm.tui.screens.main import MainScreen

        return MainScreen(self.session)

    def on_mount(self) -> None:
        for problem in self.keymap_problems:
            self.notify(problem, title="Config file", severity="warning")
        outbox = self.session.outbox
        if outbox.problem:
            self.notify(outbox.problem, title="Outbox", severity="error", markup=False)
        if len(outbox):
            n = len(outbox)
            waiting = f"{counted(n, 'text')} written offline " + ("waits" if n == 1 else "wait")
            self.notify(f"{waiting} to be sent: sent once the connection is live.")
        self.set_interval(OUTBOX_RETRY_SECONDS, self._retry_outbox)
        self.call_after_refresh(self._first_frame_shown)

    def _first_frame_shown(self) -> None:
        if self._on_first_frame is not None:
            self._on_first_frame()
        if self._follow:  # connecting loads the HTTP library (~0.1 s): after the first frame
            self.follow_events()

    # ---- the event stream ---------------------------------------------------------------------

    @work(exclusive=True, group="events", exit_on_error=False)
    async def follow_events(self) -> None:
        """Read the stream for as long as the app runs; every item goes to every screen."""
        async for item in self._stream_factory(self.session, self.last_event_id):
            if isinstance(item, LinkState):
                self.session.link = item
                self.broadcast(partial(LinkChanged, item))
                if self.session.online and len(self.session.outbox):
                    self.flush_outbox()
            else:
                self.last_event_id = max(self.last_event_id, item.id)
                self.broadcast(partial(BackendEvent, item))

    def restart_events(self) -> None:
        """Drop the current connection and follow again from the last event id."""
        self.follow_events()

    # ---- the outbox ---------------------------------------------------------------------------

    @work(group="outbox", exit_on_error=False)
    async def flush_outbox(self) -> None:
        """Send every text waiting in the outbox; each screen hears what became of them. Not
        exclusive: the outbox's lock orders flushes (a text is never in flight twice)."""
        results = await self.session.outbox.flush(self.session.client)
        if not results:
            return
        self.broadcast(partial(OutboxFlushed, results))
        shown = {getattr(screen, "thread_id", None) for screen in self.screen_stack}
        for result in results:
            if result.error is not None and result.text.thread_id not in shown:
                text = f"{one_line(result.text.body, 40)}: {result.error.message}"
                self.notify(text, title="Not sent", severity="error", markup=False)

    def _retry_outbox(self) -> None:
        """Texts whose send found the server out of reach while the link still looked live (the
        stream had not noticed yet) are tried again."""
        flushing = any(w.group == "outbox" and not w.is_finished for w in self.workers)
        if self.session.online and len(self.session.outbox) and not flushing:
            self.flush_outbox()

    def broadcast(self, make: Callable[[], Message]) -> None:
        """Post a fresh message (one per screen) to every screen on the stack."""
        for screen in self.screen_stack:
            screen.post_message(make())

    # ---- app-wide actions ---------------------------------------------------------------------

    def action_help(self) -> None:
        from sfterm.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))
