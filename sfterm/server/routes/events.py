"""The event stream: Server-Sent Events from the event log, resumable with Last-Event-ID."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse

from sfterm.server.auth import DatabaseDep, ViewerDep
from sfterm.server.errors import ApiError
from sfterm.server.events import follow

router = APIRouter(prefix="/api/v1", tags=["events"])


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
    return EventSourceResponse(follow(db, viewer, start), ping=heartbeat)
