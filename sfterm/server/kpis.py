"""The KPI report's queries: which requests and contacts are in scope, and when each was answered.

A text request's first response is the first text an associate sent to the customer's number
from the request's store, in any thread, at or after the submission: outbound `text` messages
with an associate (not cards, not the automatic confirmation, not a text canceled before it
left). An email request's is its first row in the email outbox. The arithmetic lives in
`sfterm.core.kpis`.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core import kpis
from sfterm.core.models import (
    Channel,
    DeliveryStatus,
    Direction,
    Kind,
    KpiReport,
    KpiScope,
    Level,
    MessageKind,
)
from sfterm.core.routing import Source
from sfterm.server.auth import Viewer
from sfterm.server.db import contacts, email_outbox, messages, requests, stores, threads
from sfterm.server.errors import ApiError

RETAILER_LEVELS = frozenset({Level.REGIONAL, Level.ADMIN})
"""Who may see the whole retailer's figures."""

NOT_A_RESPONSE = (DeliveryStatus.CANCELED.value,)
"""Statuses of associate texts that never left: canceled while queued. A text that failed on
the way still counts: the associate answered (as `requests.first_reply_at` has it too)."""

TEXT_OFF_REASON = "the retailer does not offer text messaging, so there is no text preference"


def default_scope(viewer: Viewer) -> KpiScope:
    if viewer.associate.level in RETAILER_LEVELS:
        return KpiScope.RETAILER
    if viewer.is_manager:
        return KpiScope.STORE
    return KpiScope.ASSOCIATE


def check_scope(viewer: Viewer, scope: KpiScope) -> None:
    """Associates and store managers see their own and their store's; regional and admin
    levels also the retailer's."""
    if scope is KpiScope.RETAILER and viewer.associate.level not in RETAILER_LEVELS:
        raise ApiError(
            403,
            "scope_forbidden",
            f"scope: 'retailer' needs the regional or admin level "
            f"(you are {viewer.associate.level.value}); use 'associate' or 'store'",
            field="scope",
        )


def scope_label(viewer: Viewer, scope: KpiScope) -> str:
    if scope is KpiScope.RETAILER:
        return viewer.retailer.name
    if scope is KpiScope.STORE:
        return viewer.store.name
    if viewer.team_mode:
        return f"{viewer.store.name} (store team)"
    return viewer.associate.name


def _retailer_stores(viewer: Viewer) -> Any:
    return select(stores.c.id).where(stores.c.retailer_id == viewer.retailer.id)


def _in_scope(
    viewer: Viewer,
    scope: KpiScope,
    store_col: ColumnElement[int],
    associate_col: ColumnElement[int | None],
) -> ColumnElement[bool]:
    """Rows of the scope: the viewer's own (rep mode; the store team's in team mode), the
    store's, or every store of the retailer."""
    if scope is KpiScope.RETAILER:
        return store_col.in_(_retailer_stores(viewer))
    if scope is KpiScope.STORE:
        return store_col == viewer.store_id
    if viewer.team_mode:
        return store_col == viewer.store_id
    return and_(store_col == viewer.store_id, associate_col == viewer.id)


def _associate_text() -> ColumnElement[bool]:
    """An outbound text written by an associate (the confirmation is automatic, or has none)."""
    return and_(
        messages.c.direction == Direction.OUTBOUND.value,
        messages.c.kind == MessageKind.TEXT.value,
        messages.c.associate_id.is_not(None),
        messages.c.automatic.is_(False),
        or_(messages.c.status.is_(None), messages.c.status.not_in(NOT_A_RESPONSE)),
    )


def first_text_reply() -> Any:
    """Per request: the first associate text to its number from its store, after submission."""
    return (
        select(func.min(messages.c.created_at))
        .select_from(messages.join(threads, threads.c.id == messages.c.thread_id))
        .where(
            threads.c.phone == requests.c.phone,
            # `+ 0` keeps SQLite on the phone index (the store's index scans the whole store)
            (threads.c.store_id + 0) == requests.c.store_id,
            messages.c.created_at >= requests.c.created_at,
            _associate_text(),
        )
        .correlate(requests)
        .scalar_subquery()
    )


def first_email_reply() -> Any:
    return (
        select(func.min(email_outbox.c.created_at))
        .where(email_outbox.c.request_id == requests.c.id)
        .correlate(requests)
        .scalar_subquery()
    )


async def request_facts(
    conn: AsyncConnection, viewer: Viewer, scope: KpiScope, period: kpis.Period
) -> list[kpis.RequestFact]:
    """The requests of the scope submitted in the period, each with its first response."""
    query = (
        select(
            requests.c.created_at,
            requests.c.channel,
            requests.c.source,
            requests.c.kind,
            stores.c.timezone,
            first_text_reply().label("first_text"),
            first_email_reply().label("first_email"),
        )
        .select_from(requests.join(stores, stores.c.id == requests.c.store_id))
        .where(
            _in_scope(viewer, scope, requests.c.store_id, requests.c.associate_id),
            requests.c.created_at >= period.start,
            requests.c.created_at < period.end,
        )
        .order_by(requests.c.id)
    )
    zones: dict[str, ZoneInfo] = {}
    facts = []
    for row in await conn.execute(query):
        channel = Channel(row.channel)
        replied = row.first_text if channel is Channel.TEXT else row.first_email
        tz = zones.setdefault(row.timezone, ZoneInfo(row.timezone))
        facts.append(
            kpis.RequestFact(
                created_at=row.created_at,
                channel=channel,
                source=Source(row.source),
                kind=Kind(row.kind),
                replied_at=replied,
                tz=tz,
            )
        )
    return facts


async def contacts_added(
    conn: AsyncConnection, viewer: Viewer, scope: KpiScope, period: kpis.Period
) -> int:
    """Contacts created by hand in the period (imports and automatic ones are not counted)."""
    query = select(func.count()).where(
        _in_scope(viewer, scope, contacts.c.store_id, contacts.c.associate_id),
        contacts.c.origin == "manual",
        contacts.c.created_at >= period.start,
        contacts.c.created_at < period.end,
    )
    return int((await conn.execute(query)).scalar_one())


async def kpi_report(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    scope: KpiScope,
    period: kpis.Period,
    exclude_overnight: bool,
) -> KpiReport:
    check_scope(viewer, scope)
    facts = await request_facts(conn, viewer, scope, period)
    durations = kpis.reply_durations(facts, exclude_overnight=exclude_overnight)
    by_channel = kpis.count_by((f.channel.value for f in facts), (c.value for c in Channel))
    text_on = viewer.retailer.text_messaging
    return KpiReport(
        period=period.out(),
        scope=scope,
        scope_label=scope_label(viewer, scope),
        total_requests=len(facts),
        preference=(
            kpis.preference(by_channel[Channel.TEXT.value], by_channel[Channel.EMAIL.value])
            if text_on
            else None
        ),
        preference_unavailable=None if text_on else TEXT_OFF_REASON,
        reply_time=kpis.reply_time(durations, overnight_excluded=exclude_overnight),
        by_channel=by_channel,
        by_source=kpis.count_by((f.source.value for f in facts), (s.value for s in Source)),
        by_kind=kpis.count_by((f.kind.value for f in facts), (k.value for k in Kind)),
        contacts_added=await contacts_added(conn, viewer, scope, period),
        daily=kpis.daily_series(facts, durations, period),
    )


def store_zone(viewer: Viewer) -> ZoneInfo:
    return ZoneInfo(viewer.store.timezone)
