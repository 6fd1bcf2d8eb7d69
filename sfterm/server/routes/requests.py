"""Customer Requests: the list (keyset pages, status filter), one request, resolve and reopen."""

from __future__ import annotations

from fastapi import APIRouter

from sfterm.core.models import ErrorBody, Page, RequestOut, RequestStatus
from sfterm.server.auth import DatabaseDep, ViewerDep
from sfterm.server.deps import BeforeQuery, ClockDep, LimitQuery, SearchQuery
from sfterm.server.service_requests import get_request, list_requests, set_status

router = APIRouter(prefix="/api/v1/requests", tags=["requests"])


@router.get("", response_model=Page[RequestOut])
async def requests_page(
    viewer: ViewerDep,
    db: DatabaseDep,
    status: RequestStatus | None = None,
    before: BeforeQuery = None,
    limit: LimitQuery = 50,
    q: SearchQuery = None,
) -> Page[RequestOut]:
    async with db.read() as conn:
        items, next_before = await list_requests(
            conn, viewer, status=status, before=before, limit=limit, q=q
        )
    return Page[RequestOut](items=items, next_before=next_before)


@router.get("/{request_id}", response_model=RequestOut, responses={404: {"model": ErrorBody}})
async def request_detail(request_id: int, viewer: ViewerDep, db: DatabaseDep) -> RequestOut:
    async with db.read() as conn:
        return await get_request(conn, viewer, request_id)


@router.post("/{request_id}/resolve", response_model=RequestOut)
async def resolve(
    request_id: int, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> RequestOut:
    async with db.write() as conn:
        return await set_status(conn, viewer, request_id, RequestStatus.RESOLVED, clock())


@router.post("/{request_id}/reopen", response_model=RequestOut)
async def reopen(
    request_id: int, viewer: ViewerDep, db: DatabaseDep, clock: ClockDep
) -> RequestOut:
    async with db.write() as conn:
        return await set_status(conn, viewer, request_id, RequestStatus.OPEN, clock())
