"""The demo's past: imported contacts, and about forty requests of the last thirty days.

Written once, into a fresh database, straight through the backend's own service functions
with past timestamps, so that lists, threads and reports are not empty when the app opens:
some leads still wait, some requests were answered by text (confirmation, card, the
associate's text, the customer's answer) or by email, some were resolved. A seed gives the
same history.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.core.models import (
    AttachmentIn,
    AttachmentKind,
    Channel,
    DeliveryStatus,
    Direction,
    EmailReply,
    Kind,
    MessageKind,
    MessageSend,
    RequestOut,
    RequestStatus,
    RequestSubmission,
)
from sfterm.core.phones import phone_digits
from sfterm.core.routing import Folder, Source
from sfterm.core.text_fold import fold
from sfterm.demo import replies
from sfterm.demo.personas import BY_KEY, PERSONAS, SHARED_NUMBERS, Persona, associates_of
from sfterm.demo.seed import ASSOCIATES, STORES
from sfterm.gateway.carrier import delivery_failure
from sfterm.server.auth import Viewer, load_viewer
from sfterm.server.db import Database, contact_phones, contacts, messages, requests
from sfterm.server.email_replies import send_email_reply
from sfterm.server.errors import ApiError
from sfterm.server.messaging import error_text
from sfterm.server.replies import start_reply
from sfterm.server.sending import record_confirmation, store_outgoing
from sfterm.server.service_requests import accept_lead, receive_submission, set_status
from sfterm.server.threads import add_message, announce_message, announce_thread

HISTORY_REQUESTS = 40
HISTORY_DAYS = 30
RECENT = 6
"""The newest requests of the history arrived in the last ten hours."""
OPEN_HOURS = (10, 21)
"""Customers write between 10:00 and 21:00 store time."""

_ASSOCIATE_TEXTS = (
    "Hi {first}, it's {me} from Maison Laurier. We have it in {size}: when would you like to "
    "come in to try it?",
    "Bonjour {first}! C'est {me} de Maison Laurier. Quand aimeriez-vous passer l'essayer?",
    "Hi {first}, {me} here. Here is the piece I mentioned, it's in stock in {size}:",
    "Thanks for your request, {first}! I can hold it for you until Saturday.",
)

Step = Callable[[AsyncConnection], Awaitable[None]]


@dataclass(order=True)
class _Planned:
    at: datetime
    seq: int
    step: Step


async def is_fresh(db: Database) -> bool:
    """No request has ever been received: the history may be written."""
    async with db.read() as conn:
        return not (await conn.execute(select(func.count()).select_from(requests))).scalar()


async def seed_contacts(db: Database, viewers: dict[str, Viewer], now: datetime) -> int:
    """Put the personas that associates already know into their books (as imports)."""
    created = 0
    when = now - timedelta(days=90)
    async with db.write() as conn:
        for persona in PERSONAS:
            if persona.book is None:
                continue
            viewer = viewers[persona.book]
            await _import_contact(conn, viewer, persona.name, persona.email, persona.phone, when)
            created += 1
        for shared in SHARED_NUMBERS:
            persona = BY_KEY[shared.persona]
            viewer = viewers[persona.book or associates_of(persona.store)[0]]
            await _import_contact(conn, viewer, shared.name, shared.email, persona.phone, when)
            created += 1
    return created


async def _import_contact(
    conn: AsyncConnection,
    viewer: Viewer,
    name: str,
    email: str | None,
    phone: str,
    when: datetime,
) -> None:
    result = await conn.execute(
        contacts.insert().values(
            store_id=viewer.store_id,
            associate_id=None if viewer.team_mode else viewer.id,
            name=name,
            name_key=fold(name),
            email=email,
            notes="",
            origin="import",
            created_at=when,
            updated_at=when,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    await conn.execute(
        contact_phones.insert().values(
            contact_id=int(key[0]), phone=phone, digits=phone_digits(phone), label="mobile"
        )
    )


async def load_viewers(db: Database, tokens: dict[str, str]) -> dict[str, Viewer]:
    found: dict[str, Viewer] = {}
    for handle, token in tokens.items():
        viewer = await load_viewer(db, token)
        if viewer is not None:
            found[handle] = viewer
    return found


class HistoryWriter:
    """Plans the past as dated steps, then writes them in the order they happened."""

    def __init__(
        self, db: Database, viewers: dict[str, Viewer], *, seed: int, now: datetime, base: str
    ) -> None:
        self.db = db
        self.viewers = viewers
        self.now = now
        self.base = base
        self.rng = random.Random(f"{seed}:history")
        self._plan: list[_Planned] = []
        self._count = HISTORY_REQUESTS
        self._request_ids: dict[int, int] = {}
        """Planned request number → its id once received."""

    def _at(self, when: datetime, step: Step) -> None:
        self._plan.append(
            _Planned(min(when, self.now - timedelta(minutes=1)), len(self._plan), step)
        )

    async def write(self, count: int = HISTORY_REQUESTS) -> int:
        self._count = count
        for n in range(count):
            self._plan_request(n)
        async with self.db.write() as conn:  # one transaction: all of the past, or none
            for planned in sorted(self._plan):
                await planned.step(conn)
        return count

    def _moment(self, recent: bool) -> datetime:
        if recent:  # the newest few came in today: some still wait when the app opens
            return self.now - timedelta(minutes=self.rng.uniform(10, 600))
        zone = ZoneInfo(STORES[0].timezone)
        day = self.rng.randrange(HISTORY_DAYS)
        local_now = self.now.astimezone(zone)
        hour = self.rng.uniform(*OPEN_HOURS)
        local = (local_now - timedelta(days=day)).replace(
            hour=int(hour), minute=int(hour % 1 * 60), second=self.rng.randrange(60), microsecond=0
        )
        if local >= local_now - timedelta(minutes=20):
            local -= timedelta(days=1)
        return local.astimezone(self.now.tzinfo)

    def _plan_request(self, n: int) -> None:
        rng = self.rng
        persona = rng.choice(PERSONAS)
        source = rng.choices(
            [Source.CONNECT_WIDGET, Source.STOREFRONT, Source.FOOTER], weights=[65, 25, 10]
        )[0]
        recent = n >= self._count - RECENT
        if recent and n % 3:
            source = Source.CONNECT_WIDGET  # New Leads waiting (in rep mode)
        kind = rng.choices(
            [Kind.CONTACT_ME, Kind.APPOINTMENT, Kind.PERSONAL_SHOPPER], weights=[55, 30, 15]
        )[0]
        channel = Channel.TEXT if rng.random() < 0.6 else Channel.EMAIL
        topic = replies.new_topic(rng, kind)
        handle = rng.choice(associates_of(persona.store))
        form = RequestSubmission(
            source=source,
            store=persona.store if source is Source.CONNECT_WIDGET else None,
            associate=None if source is Source.CONNECT_WIDGET else handle,
            kind=kind,
            name=persona.name,
            email=persona.email,
            phone=persona.form_phone if channel is Channel.TEXT or rng.random() < 0.5 else None,
            channel=channel,
            message=replies.request_message(rng, topic, persona.lang),
        )
        created = self._moment(recent)
        age = self.now - created
        accepted = created + timedelta(minutes=rng.uniform(4, 150))
        waits = age < timedelta(hours=30) and rng.random() < 0.8
        answered = not waits and rng.random() < 0.8
        answer_at = accepted + timedelta(minutes=rng.uniform(3, 300))
        resolved = answered and age > timedelta(days=2) and rng.random() < 0.65
        resolve_at = answer_at + timedelta(hours=rng.uniform(1, 48))
        viewer = self.viewers[handle]
        with_link = rng.random() < 0.4
        customer_answers = rng.random() < 0.7
        words = (rng.choice(_ASSOCIATE_TEXTS), replies.answer(rng, "time", topic, persona.lang))

        async def receive(conn: AsyncConnection) -> None:
            request = await receive_submission(conn, form, created)
            self._request_ids[n] = request.id
            await self._confirm(conn, request, persona, created)

        self._at(created, receive)
        if waits:
            return

        async def accept(conn: AsyncConnection) -> None:
            rid = self._request_ids[n]
            row = (await conn.execute(select(requests.c.folder).where(requests.c.id == rid))).one()
            if row.folder == Folder.NEW_LEADS.value:
                await accept_lead(conn, viewer, rid, accepted)

        self._at(accepted, accept)
        if answered and channel is Channel.TEXT:

            async def answer_by_text(conn: AsyncConnection) -> None:
                await self._text_answer(
                    conn,
                    viewer,
                    self._request_ids[n],
                    persona,
                    topic,
                    words,
                    with_link,
                    customer_answers,
                    answer_at,
                )

            self._at(answer_at, answer_by_text)
        elif answered:

            async def answer_by_email(conn: AsyncConnection) -> None:
                reply = EmailReply(
                    subject=f"Your request at {viewer.store.name}",
                    body=f"Hello {persona.first_name},\n\nThank you for writing to us. "
                    f"{viewer.associate.name}",
                )
                await send_email_reply(conn, viewer, self._request_ids[n], reply, answer_at)

            self._at(answer_at, answer_by_email)
        if resolved:

            async def resolve(conn: AsyncConnection) -> None:
                await set_status(
                    conn, viewer, self._request_ids[n], RequestStatus.RESOLVED, resolve_at
                )

            self._at(resolve_at, resolve)

    async def _confirm(
        self, conn: AsyncConnection, request: RequestOut, persona: Persona, at: datetime
    ) -> None:
        """The confirmation as the gateway left it: delivered, or failed on a failing handset."""
        message_id = await record_confirmation(conn, request, at)
        if message_id is None:
            return
        failure = delivery_failure(persona.phone)
        values: dict[str, object] = {"status": DeliveryStatus.DELIVERED.value}
        if failure is not None:
            values = {
                "status": failure.status,
                "error_code": failure.error_code,
                "error_message": error_text(failure.error_code),
            }
        await conn.execute(
            messages.update()
            .where(messages.c.id == message_id)
            .values(updated_at=at + timedelta(seconds=2), **values)
        )

    async def _text_answer(
        self,
        conn: AsyncConnection,
        viewer: Viewer,
        request_id: int,
        persona: Persona,
        topic: replies.Topic,
        words: tuple[str, str],
        with_link: bool,
        customer_answers: bool,
        at: datetime,
    ) -> None:
        """The reply flow: the card in the thread, the associate's text, the customer's answer."""
        try:
            result = await start_reply(conn, viewer, request_id, "existing", at)
        except ApiError:  # no thread yet with that number: a new one
            result = await start_reply(conn, viewer, request_id, "new", at)
        thread_id = result.thread.id
        text, answer = words
        body = text.format(
            first=persona.first_name, me=viewer.associate.name.split()[0], size=topic.size
        )
        attachments = []
        if with_link:
            product = self.rng.choice(("wool-coat-camel", "silk-blouse-ivory", "tote-leather-tan"))
            attachments = [AttachmentIn(kind=AttachmentKind.PRODUCT, product_id=product, url=None)]
        payload = MessageSend(body=body, attachments=attachments)
        message_id, _ = await store_outgoing(
            conn, viewer, thread_id, payload, None, base=self.base, now=at
        )
        failure = delivery_failure(persona.phone)
        values: dict[str, object] = {"status": DeliveryStatus.DELIVERED.value}
        if failure is not None:
            values = {
                "status": failure.status,
                "error_code": failure.error_code,
                "error_message": error_text(failure.error_code),
            }
        await conn.execute(messages.update().where(messages.c.id == message_id).values(**values))
        later = min(
            at + timedelta(minutes=self.rng.uniform(2, 90)), self.now - timedelta(seconds=30)
        )
        if failure is not None or not customer_answers or later <= at:
            return
        reply_id = await add_message(
            conn,
            thread_id,
            kind=MessageKind.TEXT,
            direction=Direction.INBOUND,
            body=answer,
            now=later,
            status=DeliveryStatus.RECEIVED,
        )
        await announce_message(conn, reply_id, later, created=True)
        await announce_thread(conn, thread_id, later)


async def seed_history(
    db: Database,
    tokens: dict[str, str],
    *,
    seed: int,
    now: datetime,
    base: str,
    count: int = HISTORY_REQUESTS,
) -> bool:
    """Write the contacts and the history into a database that has never had a request.

    Returns whether anything was written (an existing demo database is left as it is).
    """
    if not await is_fresh(db):
        return False
    viewers = await load_viewers(db, tokens)
    if set(viewers) != {a.handle for a in ASSOCIATES}:
        return False
    await seed_contacts(db, viewers, now)
    await HistoryWriter(db, viewers, seed=seed, now=now, base=base).write(count)
    return True
