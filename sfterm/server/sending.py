"""Texts that leave the backend: an associate's messages and the automatic confirmation.

Each text is stored first (`queued`, in one transaction with its events), then handed to the
gateway outside the write lock (the gateway's callbacks need that lock), then updated with the
gateway's SID, or marked failed with the gateway's code and a human text.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    MAX_SMS_CHARS,
    AttachmentIn,
    AttachmentKind,
    Channel,
    Consent,
    DeliveryStatus,
    Direction,
    EventType,
    MessageKind,
    MessageOut,
    MessageSend,
    RequestOut,
)
from sfterm.core.routing import Folder
from sfterm.server import catalogue
from sfterm.server.auth import Viewer
from sfterm.server.consent import consent_of, lift_opt_out, retailer_of_store
from sfterm.server.db import associates, messages, requests, retailers, stores, threads
from sfterm.server.errors import ApiError
from sfterm.server.events import append_event
from sfterm.server.links import add_link, links_in, new_code, tracked_url
from sfterm.server.messaging import (
    STATUS_WEBHOOK_PATH,
    GatewayRefused,
    GatewayUnreachable,
    error_text,
    messaging_for,
    moves_forward,
    public_base,
)
from sfterm.server.service_requests import get_request
from sfterm.server.threads import (
    add_message,
    announce_message,
    announce_thread,
    load_message,
    thread_for,
    thread_row,
)

log = logging.getLogger(__name__)

# ---- attachments and links ----------------------------------------------------------------------


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def resolve_attachments(viewer: Viewer, items: list[AttachmentIn]) -> list[dict[str, Any]]:
    """What each attachment stands for; 422 naming the attachment at fault."""
    resolved: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        where = f"attachments.{index}"
        if item.kind is AttachmentKind.PRODUCT:
            found = catalogue.product(item.product_id or "")
            if found is None:
                raise ApiError(
                    422,
                    "unknown_product",
                    f"{where}.product_id: no product {item.product_id!r} in the catalogue",
                    field=f"{where}.product_id",
                )
            resolved.append(
                {
                    "kind": item.kind.value,
                    "title": found.name,
                    "target_url": found.url,
                    "price": found.price,
                    "image_url": found.image_url,
                }
            )
        elif item.kind is AttachmentKind.STOREFRONT:
            url = viewer.associate.storefront_url
            if not url:
                raise ApiError(
                    422, "no_storefront", f"{where}: you have no storefront link", field=where
                )
            title = f"{viewer.associate.name.split()[0]}'s storefront"
            resolved.append({"kind": item.kind.value, "title": title, "target_url": url})
        elif item.kind is AttachmentKind.IMAGE:
            if not item.url or not _is_web_url(item.url):
                raise ApiError(
                    422,
                    "invalid_url",
                    f"{where}.url: an image must be an http or https URL",
                    field=f"{where}.url",
                )
            resolved.append(
                {
                    "kind": item.kind.value,
                    "title": "Picture",
                    "target_url": item.url,
                    "image_url": item.url,
                }
            )
        else:
            raise ApiError(
                422, "invalid", f"{where}.kind: links go in the body", field=f"{where}.kind"
            )
    return resolved


def track(base: str, body: str, attachments: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    """Give every link a tracked URL: the body's links (as `link` attachments), products and
    the storefront. Pictures go as media and are not tracked. Returns the body as the customer
    reads it and the attachments to store (each with its `url` and, when tracked, `code`)."""
    out_body, cursor = [], 0
    typed: list[dict[str, Any]] = []
    for start, end, url in links_in(body):
        code = new_code()
        short = tracked_url(base, code)
        out_body.extend([body[cursor:start], short])
        cursor = end
        typed.append(
            {
                "kind": AttachmentKind.LINK.value,
                "title": url,
                "target_url": url,
                "code": code,
                "url": short,
            }
        )
    out_body.append(body[cursor:])
    for item in attachments:
        if item["kind"] == AttachmentKind.IMAGE.value:
            item["url"] = item["target_url"]
        else:
            item["code"] = new_code()
            item["url"] = tracked_url(base, item["code"])
    return "".join(out_body), typed + attachments


def outgoing_text(body: str, attachments: list[dict[str, Any]]) -> str:
    """The text the handset receives: the body, then a line per product or storefront."""
    lines = [body] if body else []
    for item in attachments:
        if item["kind"] == AttachmentKind.PRODUCT.value:
            lines.append(f"{item['title']} ({item['price']}): {item['url']}")
        elif item["kind"] == AttachmentKind.STOREFRONT.value:
            lines.append(f"{item['title']}: {item['url']}")
    return "\n".join(lines)


def media_urls(attachments: list[dict[str, Any]]) -> list[str]:
    return [a["image_url"] for a in attachments if a.get("image_url")][:10]


# ---- an associate's text ------------------------------------------------------------------------


async def _by_key(conn: AsyncConnection, thread_id: int, key: str) -> int | None:
    value = (
        await conn.execute(
            select(messages.c.id).where(
                messages.c.thread_id == thread_id, messages.c.idempotency_key == key
            )
        )
    ).scalar()
    return int(value) if value is not None else None


async def mark_first_reply(
    conn: AsyncConnection, viewer: Viewer, thread: Any, now: Any
) -> list[int]:
    """The associate's first text to a number answers every open text request from it (of the
    thread's owner) that has no first reply yet; returns their ids."""
    owner = (
        requests.c.associate_id.is_(None)
        if thread.associate_id is None
        else requests.c.associate_id == thread.associate_id
    )
    scope = and_(
        requests.c.store_id == thread.store_id,
        owner,
        requests.c.folder == Folder.CUSTOMER_REQUESTS.value,
        requests.c.phone == thread.phone,
        requests.c.channel == Channel.TEXT.value,
        requests.c.status == "open",
        requests.c.first_reply_at.is_(None),
        requests.c.created_at <= now,
    )
    ids = [int(i) for (i,) in await conn.execute(select(requests.c.id).where(scope))]
    if ids:
        await conn.execute(
            requests.update().where(requests.c.id.in_(ids)).values(first_reply_at=now)
        )
    for rid in ids:
        await announce_request(conn, viewer, rid, now)
    return ids


async def announce_request(
    conn: AsyncConnection, viewer: Viewer, request_id: int, now: Any
) -> None:
    """Log `request.updated` for one of the viewer's requests, as it now is."""
    updated = await get_request(conn, viewer, request_id)
    data = updated.model_copy(update={"contact_match": None}).model_dump(mode="json")
    await append_event(
        conn,
        type=EventType.REQUEST_UPDATED.value,
        store_id=viewer.store_id,
        associate_id=None if viewer.team_mode else viewer.id,
        data={"request": data},
        at=now,
    )


async def store_outgoing(
    conn: AsyncConnection,
    viewer: Viewer,
    thread_id: int,
    payload: MessageSend,
    key: str | None,
    *,
    base: str,
    now: Any,
) -> tuple[int, bool]:
    """Check and store an associate's text as `queued`; (message id, newly created)."""
    thread = await thread_row(conn, viewer, thread_id)
    viewer.require_actor()
    if key:
        existing = await _by_key(conn, thread_id, key)
        if existing is not None:
            return existing, False
    if not payload.body and not payload.attachments:
        raise ApiError(422, "invalid", "body: a text needs a body or an attachment", "body")
    consent, reason = await consent_of(conn, thread.retailer_id, thread.phone)
    if consent is Consent.UNSUBSCRIBED:
        raise ApiError(
            409,
            "unsubscribed",
            f"consent: {thread.phone} is unsubscribed from all texts ({reason}); "
            "only the customer can lift it, by texting START or sending a new request",
            field="consent",
            reason=reason,
        )
    attachments = resolve_attachments(viewer, payload.attachments)
    body, stored = track(base, payload.body, attachments)
    text = outgoing_text(body, stored)
    if len(text) > MAX_SMS_CHARS:
        raise ApiError(
            422,
            "too_long",
            f"body: with its links and attachments the text is {len(text)} characters; "
            f"the limit is {MAX_SMS_CHARS}",
            field="body",
        )
    message_id = await add_message(
        conn,
        thread_id,
        kind=MessageKind.TEXT,
        direction=Direction.OUTBOUND,
        body=body,
        now=now,
        status=DeliveryStatus.QUEUED,
        associate_id=viewer.id,
        idempotency_key=key,
        attachments=stored,
    )
    for item in stored:
        if item.get("code"):
            await add_link(conn, message_id, item["code"], item["target_url"])
    await mark_first_reply(conn, viewer, thread, now)
    await announce_message(conn, message_id, now, created=True)
    await announce_thread(conn, thread_id, now)
    return message_id, True


async def send_text(
    app: FastAPI, viewer: Viewer, thread_id: int, payload: MessageSend, key: str | None
) -> tuple[MessageOut, bool]:
    """Store the associate's text, then hand it to the gateway; (message, newly created)."""
    base = public_base(app.state.settings)
    async with app.state.db.write() as conn:
        message_id, created = await store_outgoing(
            conn, viewer, thread_id, payload, key, base=base, now=app.state.clock()
        )
    if created:
        return await deliver(app, message_id), True
    async with app.state.db.read() as conn:
        return await load_message(conn, message_id), False


# ---- handing a stored text to the gateway -------------------------------------------------------


async def deliver(app: FastAPI, message_id: int) -> MessageOut:
    """Send a stored text through the gateway and record the SID, or the failure."""
    async with app.state.db.read() as conn:
        row = (
            await conn.execute(
                select(
                    messages.c.body,
                    messages.c.attachments,
                    threads.c.phone,
                    threads.c.relay_number,
                )
                .join(threads, threads.c.id == messages.c.thread_id)
                .where(messages.c.id == message_id)
            )
        ).one()
    attachments = row.attachments or []
    callback = f"{public_base(app.state.settings)}{STATUS_WEBHOOK_PATH}?m={message_id}"
    sid = status = None
    code: int | None = None
    failure: str | None = None
    try:
        sent = await messaging_for(app).send(
            to=row.phone,
            from_=row.relay_number,
            body=outgoing_text(row.body, attachments),
            media_urls=media_urls(attachments),
            status_callback=callback,
        )
        sid, status = sent.sid, sent.status
    except GatewayRefused as exc:
        code, failure = exc.code, error_text(exc.code, exc.message)
    except GatewayUnreachable as exc:
        failure = f"the SMS gateway could not be reached ({exc})"
    async with app.state.db.write() as conn:
        now = app.state.clock()
        current = (
            await conn.execute(
                select(messages.c.status, messages.c.sid).where(messages.c.id == message_id)
            )
        ).one()
        values: dict[str, Any] = {"updated_at": now}
        if sid is not None:
            values["sid"] = sid
            if status and moves_forward(current.status, status):
                values["status"] = status
        elif current.status == DeliveryStatus.QUEUED.value and current.sid is None:
            values.update(
                status=DeliveryStatus.FAILED.value, error_code=code, error_message=failure
            )
        await conn.execute(messages.update().where(messages.c.id == message_id).values(**values))
        out = await announce_message(conn, message_id, now, created=False)
    return out


# ---- the confirmation of a text request ---------------------------------------------------------


def confirmation_body(retailer: str, customer: str, associate: str | None, store: str) -> str:
    first = customer.split()[0] if customer.split() else customer
    who = (
        f"{associate} will text you from this number"
        if associate
        else (f"An associate at {store} will text you")
    )
    return f"{retailer}: Hi {first}, thanks for your request. {who} shortly. Reply STOP to opt out."


async def record_confirmation(conn: AsyncConnection, request: RequestOut, now: Any) -> int | None:
    """Store the confirmation of a text request in the thread of whoever will answer it.

    It leaves from the relay number of the associate the request went to, or from the store's
    number for New Leads and team-mode requests (the thread then belongs to the store). It is
    flagged `automatic`, so it never counts as the associate's first reply. A new request from
    the customer lifts their STOP.
    """
    if request.channel is not Channel.TEXT or not request.phone:
        return None
    store = (
        await conn.execute(
            select(stores, retailers.c.name.label("retailer_name"))
            .join(retailers, retailers.c.id == stores.c.retailer_id)
            .where(stores.c.id == request.store_id)
        )
    ).one()
    owner, number, speaker = None, store.phone, None
    if request.associate is not None:
        relay = (
            await conn.execute(
                select(associates.c.relay_number).where(associates.c.id == request.associate.id)
            )
        ).scalar()
        if relay:
            owner, number, speaker = request.associate.id, relay, request.associate.name
    if not number:
        return None
    retailer_id = await retailer_of_store(conn, request.store_id)
    await lift_opt_out(conn, retailer_id, request.phone, request.id, now)
    thread_id, _ = await thread_for(
        conn,
        store_id=request.store_id,
        owner=owner,
        phone=request.phone,
        relay_number=number,
        now=now,
    )
    body = confirmation_body(
        store.retailer_name, request.name, speaker.split()[0] if speaker else None, store.name
    )
    message_id = await add_message(
        conn,
        thread_id,
        kind=MessageKind.TEXT,
        direction=Direction.OUTBOUND,
        body=body,
        now=now,
        status=DeliveryStatus.QUEUED,
        request_id=request.id,
        automatic=True,
    )
    await announce_message(conn, message_id, now, created=True)
    await announce_thread(conn, thread_id, now)
    return message_id


def confirmation_hook(app: FastAPI) -> Any:
    """The `after_submission` hook: confirm a text request on the customer's handset."""

    async def confirm(request: RequestOut) -> None:
        try:
            async with app.state.db.write() as conn:
                message_id = await record_confirmation(conn, request, app.state.clock())
            if message_id is not None:
                await deliver(app, message_id)
        except Exception:  # the request is stored: a failed confirmation must not undo that
            log.exception("confirmation of request %s failed", request.id)

    return confirm
