"""Where the app's event stream starts: after the log's head at sign-in, not `stale`-and-reload."""

from __future__ import annotations

from typing import Any

from sfterm.client.events import EventStream
from sfterm.tui.app import FROM_NOW, default_stream
from sfterm.tui.session import Session
from tests.tui.conftest import TuiHarness


def _start(session: Session, last_applied: int) -> int:
    stream: Any = default_stream(session, last_applied)
    assert isinstance(stream, EventStream)
    return stream.last_event_id


async def test_the_stream_follows_from_the_head_named_at_sign_in(tui: TuiHarness) -> None:
    me = tui.session.me
    session = Session(client=tui.session.client, me=me.model_copy(update={"last_event_id": 41}))
    assert _start(session, 0) == 41  # the lists are read after sign-in: nothing falls between
    assert _start(session, 57) == 57  # a restart resumes after the last event applied
    empty_log = Session(client=session.client, me=me.model_copy(update={"last_event_id": 0}))
    assert _start(empty_log, 0) == 0
    older_server = Session(client=session.client, me=me.model_copy(update={"last_event_id": None}))
    assert _start(older_server, 0) == FROM_NOW
