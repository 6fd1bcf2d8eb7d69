"""New Leads: the store's unclaimed requests, and accepting one (first to accept wins)."""

from __future__ import annotations

from fastapi import APIRouter

from sfterm.core.models import ErrorBody, Page, RequestOut
from sfterm.server.auth import DatabaseDep, ViewerDep
from sfterm.server.deps import BeforeQuery, ClockDep, LimitQuery, SearchQuery
from sfterm.server.service_requests import accept_lead, list_leads

router = APIRouter(prefix="/api/v1/leads", tags=["leads"])


@router.get("", response_model=Page[RequestOut])
async def leads(
    viewer: ViewerDep,
    db: DatabaseDep,
    before: BeforeQuery = None,
    limit: LimitQuery = 50,
    q: SearchQuery = None,
) -> Page[RequestOut]:
    async with db.read() as conn:
        items, next_before = await list_leads(conn, viewer, before=before, limit=limit, q=q)
    return Page[RequestOut](items=items, next_before=next_before)


@router.post(
    "/{lead_id}/accept",
    response_model=RequestOut,
    responses={409: {"model": ErrorBody}, 404: {"model": ErrorBody}},
)
async def accept(lead_id: int, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep) -> RequestOut:
    async with db.write() as conn:
        return await accept_lead(conn, viewer, lead_id, clock())
