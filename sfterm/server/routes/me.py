"""Who the token belongs to: the associate, their store and the retailer's settings."""

from __future__ import annotations

from fastapi import APIRouter

from sfterm.core.models import Me
from sfterm.server.auth import DatabaseDep, ViewerDep

router = APIRouter(prefix="/api/v1", tags=["me"])


@router.get("/me", response_model=Me)
async def me(viewer: ViewerDep, db: DatabaseDep) -> Me:
    return viewer.me().model_copy(update={"last_event_id": db.recent_events.newest})
