"""The public request form: what the Connect Widget, a Storefront or the Footer posts."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sfterm.core.models import ErrorBody, RequestSubmission, SubmissionReceipt
from sfterm.server.auth import DatabaseDep
from sfterm.server.deps import ClockDep
from sfterm.server.service_requests import receive_submission

router = APIRouter(prefix="/api/v1/public", tags=["public"])


@router.post(
    "/requests",
    status_code=201,
    response_model=SubmissionReceipt,
    responses={422: {"model": ErrorBody}},
)
async def submit_request(
    form: RequestSubmission, request: Request, db: DatabaseDep, clock: ClockDep
) -> SubmissionReceipt:
    async with db.write() as conn:
        created = await receive_submission(conn, form, clock())
    for hook in request.app.state.after_submission:
        await hook(created)
    return SubmissionReceipt(id=created.id, folder=created.folder)
