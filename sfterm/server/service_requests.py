"""Service requests: receiving them, routing them, and what associates do with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    AssociateBrief,
    Channel,
    EventType,
    Kind,
    RequestOut,
    RequestStatus,
    RequestSubmission,
)
from sfterm.core.phones import InvalidPhone, display_phone, parse_phone, phone_digits
from sfterm.core.routing import Folder, Mode, Source, needs_associate, route_request
from sfterm.core.text_fold import fold
from sfterm.server.auth import Viewer
from sfterm.server.contact_match import contact_matches
from sfterm.server.db import associates, requests, retailers, stores
from sfterm.server.errors import ApiError, not_found
from sfterm.server.events import append_event
from sfterm.server.request_search import LIKE_ESCAPE, request_search_text, search_pattern
from sfterm.server.threads import announce_cards


def _select_requests() -> Select[Any]:
    return select(
        requests,
        associates.c.handle.label("associate_handle"),
        associates.c.name.label("associate_name"),
        stores.c.region.label("store_region"),
    ).select_from(
        requests.outerjoin(associates, associates.c.id == requests.c.associate_id).join(
            stores, stores.c.id == requests.c.store_id
        )
    )


def to_request_out(row: Any) -> RequestOut:
    m = row._mapping
    brief = (
        AssociateBrief(id=m["associate_id"], handle=m["associate_handle"], name=m["associate_name"])
        if m["associate_id"] is not None
        else None
    )
    phone = m["phone"]
    return RequestOut(
        id=m["id"],
        folder=Folder(m["folder"]),
        status=RequestStatus(m["status"]),
        source=Source(m["source"]),
        kind=Kind(m["kind"]),
        channel=Channel(m["channel"]),
        name=m["name"],
        email=m["email"],
        phone=phone,
        phone_display=display_phone(phone, m["store_region"]) if phone else None,
        message=m["message"],
        store_id=m["store_id"],
        associate=brief,
        created_at=m["created_at"],
        accepted_at=m["accepted_at"],
        resolved_at=m["resolved_at"],
        first_reply_at=m["first_reply_at"],
        thread_id=m["thread_id"],
    )


def _requests_scope(viewer: Viewer) -> Any:
    """Customer Requests the viewer may see: their own (rep) or the store team's (team).
    Managers see the whole store's."""
    in_folder = requests.c.folder == Folder.CUSTOMER_REQUESTS.value
    if viewer.is_manager or viewer.team_mode:
        return and_(in_folder, requests.c.store_id == viewer.store_id)
    return and_(in_folder, requests.c.associate_id == viewer.id)


def _leads_scope(viewer: Viewer) -> Any:
    return and_(
        requests.c.folder == Folder.NEW_LEADS.value,
        requests.c.store_id == viewer.store_id,
    )


async def _with_matches(conn: AsyncConnection, viewer: Viewer, rows: list[Any]) -> list[RequestOut]:
    items = [to_request_out(r) for r in rows]
    matches = await contact_matches(conn, viewer, (i.phone for i in items))
    for item in items:
        if item.phone:
            item.contact_match = matches.get(item.phone)
    return items


async def list_requests(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    status: RequestStatus | None,
    before: int | None,
    limit: int,
    q: str | None = None,
) -> tuple[list[RequestOut], int | None]:
    """A keyset page of the viewer's Customer Requests, newest first (matching `q` if given)."""
    query = _select_requests().where(_requests_scope(viewer))
    if status is not None:
        query = query.where(requests.c.status == status.value)
    return await _page(conn, viewer, _matching(query, q), before, limit)


async def list_leads(
    conn: AsyncConnection,
    viewer: Viewer,
    *,
    before: int | None,
    limit: int,
    q: str | None = None,
) -> tuple[list[RequestOut], int | None]:
    """The store's New Leads that nobody has accepted, newest first (matching `q` if given)."""
    query = _select_requests().where(_leads_scope(viewer))
    return await _page(conn, viewer, _matching(query, q), before, limit)


def _matching(query: Select[Any], q: str | None) -> Select[Any]:
    """Requests whose name, email or message contains `q` whatever the case and accents of
    either (`cote` finds "Côté"), or whose number contains the digits typed (`514 555` finds
    +15145550123)."""
    if q is None or not (key := fold(q)):
        return query
    clauses = [requests.c.search_text.like(search_pattern(key), escape=LIKE_ESCAPE)]
    digits = phone_digits(q)
    if len(digits) >= 3:
        clauses.append(requests.c.phone.like(f"%{digits}%"))
    return query.where(or_(*clauses))


async def _page(
    conn: AsyncConnection, viewer: Viewer, query: Select[Any], before: int | None, limit: int
) -> tuple[list[RequestOut], int | None]:
    if before is not None:
        query = query.where(requests.c.id < before)
    rows = list(await conn.execute(query.order_by(requests.c.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = await _with_matches(conn, viewer, rows[:limit])
    return items, (items[-1].id if more and items else None)


async def get_request(conn: AsyncConnection, viewer: Viewer, request_id: int) -> RequestOut:
    query = _select_requests().where(
        requests.c.id == request_id, or_(_requests_scope(viewer), _leads_scope(viewer))
    )
    row = (await conn.execute(query)).first()
    if row is None:
        raise not_found("request", request_id)
    return (await _with_matches(conn, viewer, [row]))[0]


# ---- the public form --------------------------------------------------------------------------


async def receive_submission(
    conn: AsyncConnection, form: RequestSubmission, now: datetime
) -> RequestOut:
    """Validate a customer's request against the retailer's settings, route it, and log it."""
    store_row, associate_row = await _resolve_destination(conn, form)
    retailer = (
        await conn.execute(select(retailers).where(retailers.c.id == store_row.retailer_id))
    ).one()
    phone = _checked_phone(form, store_row.region, retailer.text_messaging)
    mode = Mode(retailer.mode)
    route = route_request(form.source, mode)
    owner = associate_row.id if (route.to_associate and associate_row is not None) else None
    result = await conn.execute(
        requests.insert().values(
            store_id=store_row.id,
            associate_id=owner,
            folder=route.folder.value,
            status=RequestStatus.OPEN.value,
            source=form.source.value,
            kind=form.kind.value,
            channel=form.channel.value,
            name=form.name,
            email=form.email,
            phone=phone,
            message=form.message,
            search_text=request_search_text(form.name, form.email, form.message),
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    created = await _fetch(conn, int(key[0]))
    event = (
        EventType.LEAD_CREATED if route.folder is Folder.NEW_LEADS else (EventType.REQUEST_CREATED)
    )
    await append_event(
        conn,
        type=event.value,
        store_id=created.store_id,
        associate_id=owner,
        data={"request": created.model_dump(mode="json")},
        at=now,
    )
    return created


async def _resolve_destination(conn: AsyncConnection, form: RequestSubmission) -> tuple[Any, Any]:
    store_row = None
    if form.store:
        store_row = (
            await conn.execute(select(stores).where(stores.c.handle == form.store))
        ).first()
        if store_row is None:
            raise ApiError(422, "unknown_store", f"store: no store {form.store!r}", field="store")
    associate_row = None
    if needs_associate(form.source) and not form.associate:
        raise ApiError(
            422,
            "invalid",
            f"associate: required for a {form.source.value} request",
            field="associate",
        )
    if form.associate:
        associate_row = (
            await conn.execute(select(associates).where(associates.c.handle == form.associate))
        ).first()
        if associate_row is None:
            raise ApiError(
                422,
                "unknown_associate",
                f"associate: no associate {form.associate!r}",
                field="associate",
            )
        if store_row is not None and associate_row.store_id != store_row.id:
            raise ApiError(
                422,
                "invalid",
                f"associate: {form.associate!r} does not work at store {form.store!r}",
                field="associate",
            )
        if store_row is None:
            store_row = (
                await conn.execute(select(stores).where(stores.c.id == associate_row.store_id))
            ).one()
    if store_row is None:
        raise ApiError(422, "invalid", "store: required for a connect_widget request", "store")
    return store_row, associate_row


def _checked_phone(form: RequestSubmission, region: str, text_messaging: bool) -> str | None:
    if form.channel is Channel.TEXT:
        if not text_messaging:
            raise ApiError(
                422,
                "text_messaging_off",
                "channel: this retailer does not answer by text; choose email",
                field="channel",
            )
        if not form.phone:
            raise ApiError(422, "invalid", "phone: required to be answered by text", "phone")
    elif not form.email:
        raise ApiError(422, "invalid", "email: required to be answered by email", "email")
    if not form.phone:
        return None
    try:
        return parse_phone(form.phone, region)
    except InvalidPhone as exc:
        raise ApiError(422, "invalid_phone", f"phone: {exc}", field="phone") from None


async def _fetch(conn: AsyncConnection, request_id: int) -> RequestOut:
    row = (await conn.execute(_select_requests().where(requests.c.id == request_id))).one()
    return to_request_out(row)


# ---- what associates do -----------------------------------------------------------------------


async def accept_lead(
    conn: AsyncConnection, viewer: Viewer, request_id: int, now: datetime
) -> RequestOut:
    """First to accept wins: one conditional UPDATE; everyone else learns who took it."""
    viewer.require_actor()
    won = await conn.execute(
        requests.update()
        .where(
            requests.c.id == request_id,
            requests.c.folder == Folder.NEW_LEADS.value,
            requests.c.store_id == viewer.store_id,
        )
        .values(
            folder=Folder.CUSTOMER_REQUESTS.value,
            associate_id=viewer.id,
            accepted_at=now,
        )
    )
    if won.rowcount != 1:
        row = (
            await conn.execute(
                _select_requests().where(
                    requests.c.id == request_id, requests.c.store_id == viewer.store_id
                )
            )
        ).first()
        if row is None:
            raise not_found("lead", request_id)
        taken = to_request_out(row)
        if taken.associate is None:
            raise ApiError(409, "not_a_lead", f"request {request_id} is not a New Lead")
        who = "you" if taken.associate.id == viewer.id else taken.associate.name
        raise ApiError(
            409,
            "lead_taken",
            f"lead {request_id} was already accepted by {who}",
            taken_by=taken.associate.model_dump(),
        )
    accepted = await _fetch(conn, request_id)
    await append_event(
        conn,
        type=EventType.LEAD_TAKEN.value,
        store_id=viewer.store_id,
        associate_id=None,
        data={"request_id": request_id, "taken_by": viewer.brief.model_dump()},
        at=now,
    )
    await _log_update(conn, accepted, now)
    return accepted


async def set_status(
    conn: AsyncConnection,
    viewer: Viewer,
    request_id: int,
    status: RequestStatus,
    now: datetime,
) -> RequestOut:
    """Resolve or reopen one of the viewer's Customer Requests (idempotent)."""
    viewer.require_actor()
    current = await get_request(conn, viewer, request_id)
    if current.folder is Folder.NEW_LEADS:
        raise ApiError(409, "not_accepted", f"request {request_id} is a New Lead: accept it first")
    if current.status is status:
        return current
    await conn.execute(
        requests.update()
        .where(requests.c.id == request_id)
        .values(
            status=status.value,
            resolved_at=now if status is RequestStatus.RESOLVED else None,
        )
    )
    updated = await get_request(conn, viewer, request_id)
    await _log_update(conn, updated, now)
    await announce_cards(conn, request_id, now)  # the request's cards show the new status
    return updated


async def _log_update(conn: AsyncConnection, item: RequestOut, now: datetime) -> None:
    data = item.model_copy(update={"contact_match": None}).model_dump(mode="json")
    owner = item.associate.id if item.associate is not None else None
    team = (
        await conn.execute(
            select(retailers.c.mode)
            .join(stores, stores.c.retailer_id == retailers.c.id)
            .where(stores.c.id == item.store_id)
        )
    ).scalar_one()
    await append_event(
        conn,
        type=EventType.REQUEST_UPDATED.value,
        store_id=item.store_id,
        associate_id=None if team == Mode.TEAM.value else owner,
        data={"request": data},
        at=now,
    )
