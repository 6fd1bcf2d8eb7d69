"""Pictures of the thread side at 120×36 with a fixed clock and fixed data (SVG snapshots)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from sfterm.tui.modals.attachments import AttachmentPicker
from sfterm.tui.modals.reply_choice import ReplyChoiceModal
from sfterm.tui.screens.thread import ThreadScreen
from tests.support.clock import FakeClock
from tests.tui.fakes import THREAD_ID, HostApp, request, seeded_client, session_for

SIZE = (120, 36)


async def settled(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for widget in pilot.app.screen.query(TextArea):
        widget.cursor_blink = False
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def thread_app() -> HostApp:
    clock = FakeClock()
    session = session_for(seeded_client(clock), clock)
    return HostApp(lambda: ThreadScreen(session, THREAD_ID, card_request_id=7))


def test_thread_view(snap_compare: Any) -> None:
    assert snap_compare(thread_app(), terminal_size=SIZE, run_before=settled)


def test_thread_view_with_typed_text_and_a_failed_message_selected(snap_compare: Any) -> None:
    async def typed(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        box = pilot.app.screen.query_one(TextArea)
        box.load_text("On hold until Saturday 🙂")
        box.move_cursor(box.document.end)
        await pilot.press("alt+enter", *"See you!")
        await pilot.press("shift+tab", "G", "k")
        await settled(pilot)

    assert snap_compare(thread_app(), terminal_size=SIZE, run_before=typed)


def test_reply_modal(snap_compare: Any) -> None:
    clock = FakeClock()
    client = seeded_client(clock)
    session = session_for(client, clock)
    app = HostApp(lambda: ReplyChoiceModal(session, request(8)))
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_attachment_picker(snap_compare: Any) -> None:
    clock = FakeClock()
    session = session_for(seeded_client(clock), clock)
    app = HostApp(lambda: AttachmentPicker(session))

    async def searched(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        await pilot.press(*"green", "enter", "alt+l")
        await settled(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=searched)
