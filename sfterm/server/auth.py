"""Who is asking: bearer tokens per associate, and what each may see (rep or team scope)."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import ColumnElement, and_, select

from sfterm.core.models import AssociateBrief, AssociateOut, Level, Me, RetailerOut, StoreOut
from sfterm.core.routing import Mode
from sfterm.server.db import Database, associates, retailers, stores
from sfterm.server.errors import ApiError


def new_token() -> str:
    return "sft_" + secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Viewer:
    """The signed-in associate with their store and retailer: the scope of every query."""

    associate: AssociateOut
    store: StoreOut
    retailer: RetailerOut

    @property
    def id(self) -> int:
        return self.associate.id

    @property
    def store_id(self) -> int:
        return self.store.id

    @property
    def team_mode(self) -> bool:
        return self.retailer.mode is Mode.TEAM

    @property
    def is_manager(self) -> bool:
        return self.associate.level is not Level.ASSOCIATE

    @property
    def brief(self) -> AssociateBrief:
        return AssociateBrief(
            id=self.associate.id, handle=self.associate.handle, name=self.associate.name
        )

    def me(self) -> Me:
        return Me(associate=self.associate, store=self.store, retailer=self.retailer)

    def owns(
        self, store_col: ColumnElement[int], associate_col: ColumnElement[int | None]
    ) -> ColumnElement[bool]:
        """The rows of a table that belong to this viewer's book: their own in rep mode, the
        store team's in team mode (where rows have no associate)."""
        if self.team_mode:
            return and_(store_col == self.store_id, associate_col.is_(None))
        return and_(store_col == self.store_id, associate_col == self.id)

    def require_actor(self) -> None:
        """Managers see their store read-only."""
        if self.is_manager:
            raise ApiError(403, "read_only", "managers see the store's requests read-only")


def _database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


DatabaseDep = Annotated[Database, Depends(_database)]


async def load_viewer(db: Database, token: str) -> Viewer | None:
    query = (
        select(associates, stores, retailers)
        .join(stores, stores.c.id == associates.c.store_id)
        .join(retailers, retailers.c.id == stores.c.retailer_id)
        .where(associates.c.token_hash == hash_token(token))
    )
    async with db.read() as conn:
        row = (await conn.execute(query)).first()
    if row is None:
        return None
    m = row._mapping
    return Viewer(
        associate=AssociateOut(
            id=m[associates.c.id],
            handle=m[associates.c.handle],
            name=m[associates.c.name],
            store_id=m[associates.c.store_id],
            level=Level(m[associates.c.level]),
            relay_number=m[associates.c.relay_number],
            storefront_url=m[associates.c.storefront_url],
        ),
        store=StoreOut(
            id=m[stores.c.id],
            handle=m[stores.c.handle],
            name=m[stores.c.name],
            timezone=m[stores.c.timezone],
            region=m[stores.c.region],
            phone=m[stores.c.phone],
        ),
        retailer=RetailerOut(
            id=m[retailers.c.id],
            name=m[retailers.c.name],
            text_messaging=m[retailers.c.text_messaging],
            mode=Mode(m[retailers.c.mode]),
        ),
    )


class ViewerCache:
    """Signed-in viewers by token, so that a burst of reads (a list page, its detail, a search
    as you type) looks up the associate, store and retailer once.

    An entry lasts `ttl` seconds and only while nothing has been written since: any committed
    write (a rotated token, a retailer's settings) makes every entry stale.
    """

    def __init__(self, ttl: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, tuple[float, int, Viewer]] = {}

    def get(self, token: str, generation: int) -> Viewer | None:
        entry = self._entries.get(token)
        if entry is None or entry[0] <= self.clock() or entry[1] != generation:
            return None
        return entry[2]

    def put(self, token: str, generation: int, viewer: Viewer) -> None:
        if len(self._entries) > 1000:
            self._entries.clear()
        self._entries[token] = (self.clock() + self.ttl, generation, viewer)


async def current_viewer(request: Request, db: DatabaseDep) -> Viewer:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthorized", "Authorization: a bearer token is required")
    cache: ViewerCache = request.app.state.viewers
    generation = db.generation
    viewer = cache.get(token, generation)
    if viewer is None:
        viewer = await load_viewer(db, token)
        if viewer is None:
            raise ApiError(401, "unauthorized", "Authorization: the token is not valid")
        cache.put(token, generation, viewer)
    return viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]
