"""The event stream: Server-Sent Events from the persisted log, resumable with Last-Event-ID."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from sfterm.core.models import Event, EventType
from sfterm.server.auth import DatabaseDep, Viewer, ViewerDep
from sfterm.server.db import Database
from sfterm.server.errors import ApiError
from sfterm.server.events import events_after, last_event_id

router = APIRouter(prefix="/api/v1", tags=["events"])

BATCH = 500


def _start_id(header: str | None, after: int | None) -> int:
    if header is None or header == "":
        return after or 0
    try:
        value = int(header)
    except ValueError:
        raise ApiError(
            422, "invalid", f"Last-Event-ID: {header!r} is not an event id", "Last-Event-ID"
        ) from None
    if value < 0:
        raise ApiError(422, "invalid", "Last-Event-ID: must not be negative", "Last-Event-ID")
    return value


def _sse(event: Event) -> ServerSentEvent:
    return ServerSentEvent(data=event.model_dump_json(), event=event.type, id=str(event.id))


async def _follow(db: Database, viewer: Viewer, after: int) -> AsyncIterator[ServerSentEvent]:
    async with db.read() as conn:
        newest = await last_event_id(conn)
    if after > newest:
        # The log does not reach that far (another database?): tell the client to reload.
        yield ServerSentEvent(
            data=f'{{"id": {newest}, "type": "stale", "data": {{}}, "created_at": null}}',
            event=EventType.STALE.value,
            id=str(newest),
        )
        after = newest
    while True:
        changed = db.next_change()
        async with db.read() as conn:
            batch = await events_after(conn, viewer, after, BATCH)
        for event in batch:
            yield _sse(event)
            after = event.id
        if len(batch) < BATCH:
            await changed.wait()


@router.get("/events", response_class=EventSourceResponse)
async def event_stream(
    request: Request,
    viewer: ViewerDep,
    db: DatabaseDep,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    after: Annotated[int | None, Query(ge=0, description="resume after this id")] = None,
) -> EventSourceResponse:
    start = _start_id(last_event_id_header, after)
    heartbeat: float = request.app.state.settings.heartbeat_seconds
    return EventSourceResponse(_follow(db, viewer, start), ping=heartbeat)
