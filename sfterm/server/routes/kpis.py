"""`GET /api/v1/kpis`: the KPI report for a period and a scope."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from sfterm.core.kpis import PeriodError, resolve_period
from sfterm.core.models import ErrorBody, KpiPeriodName, KpiReport, KpiScope
from sfterm.server.auth import DatabaseDep, ViewerDep
from sfterm.server.deps import ClockDep
from sfterm.server.errors import ApiError
from sfterm.server.kpis import default_scope, kpi_report, store_zone

router = APIRouter(prefix="/api/v1/kpis", tags=["kpis"])


@router.get(
    "",
    response_model=KpiReport,
    responses={403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
async def kpis(
    viewer: ViewerDep,
    db: DatabaseDep,
    clock: ClockDep,
    period: Annotated[
        KpiPeriodName | None, Query(description="today, 7d or 30d (default), ending today")
    ] = None,
    first: Annotated[
        date | None, Query(alias="from", description="first day (store-local), inclusive")
    ] = None,
    last: Annotated[
        date | None, Query(alias="to", description="last day (store-local), inclusive")
    ] = None,
    scope: Annotated[
        KpiScope | None,
        Query(description="associate, store or retailer; default by the viewer's level"),
    ] = None,
    overnight: Annotated[
        Literal["include", "exclude"],
        Query(description="exclude: leave 22:00-10:00 store time out of reply times"),
    ] = "include",
) -> KpiReport:
    try:
        span = resolve_period(period, first, last, now=clock(), tz=store_zone(viewer))
    except PeriodError as exc:
        raise ApiError(422, "invalid_period", str(exc), field=exc.field) from None
    async with db.read() as conn:
        return await kpi_report(
            conn,
            viewer,
            scope=scope or default_scope(viewer),
            period=span,
            exclude_overnight=overnight == "exclude",
        )
