"""The demo shop: one retailer, two stores, four associates with relay numbers and tokens."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from sfterm.core.routing import Mode
from sfterm.server.auth import hash_token, new_token
from sfterm.server.db import Database, associates, retailers, stores

RETAILER_NAME = "Maison Laurier"


@dataclass(frozen=True)
class DemoStore:
    handle: str
    name: str
    timezone: str
    region: str
    phone: str


@dataclass(frozen=True)
class DemoAssociate:
    handle: str
    name: str
    store: str
    relay_number: str


STORES = (
    DemoStore("montreal", "Montréal — Sainte-Catherine", "America/Toronto", "CA", "+15145550100"),
    DemoStore("toronto", "Toronto — Queen West", "America/Toronto", "CA", "+14165550100"),
)

ASSOCIATES = (
    DemoAssociate("camille", "Camille Roy", "montreal", "+15145550111"),
    DemoAssociate("mathieu", "Mathieu Tremblay", "montreal", "+14385550112"),
    DemoAssociate("elodie", "Élodie Gagnon", "montreal", "+15145550113"),
    DemoAssociate("priya", "Priya Sharma", "toronto", "+14165550114"),
)
"""Relay numbers carry a local area code of their store (514/438 in Montréal, 416 in Toronto)."""

DEFAULT_HANDLE = "camille"


async def seed_demo(db: Database, *, team_mode: bool = False) -> dict[str, str]:
    """Create the demo shop if the database has none, and hand out fresh tokens.

    Returns each associate's handle → bearer token. Tokens are stored hashed, so a database
    that already holds the shop gets new tokens (the old ones stop working).
    """
    mode = Mode.TEAM if team_mode else Mode.REP
    tokens = {a.handle: new_token() for a in ASSOCIATES}
    async with db.write() as conn:
        retailer_id = (
            await conn.execute(select(retailers.c.id).where(retailers.c.name == RETAILER_NAME))
        ).scalar()
        if retailer_id is None:
            result = await conn.execute(
                retailers.insert().values(name=RETAILER_NAME, text_messaging=True, mode=mode.value)
            )
            assert result.inserted_primary_key is not None
            retailer_id = result.inserted_primary_key[0]
            store_ids: dict[str, int] = {}
            for s in STORES:
                res = await conn.execute(
                    stores.insert().values(
                        retailer_id=retailer_id,
                        handle=s.handle,
                        name=s.name,
                        timezone=s.timezone,
                        region=s.region,
                        phone=s.phone,
                    )
                )
                assert res.inserted_primary_key is not None
                store_ids[s.handle] = res.inserted_primary_key[0]
            for a in ASSOCIATES:
                await conn.execute(
                    associates.insert().values(
                        store_id=store_ids[a.store],
                        handle=a.handle,
                        name=a.name,
                        level="associate",
                        relay_number=a.relay_number,
                        token_hash=hash_token(tokens[a.handle]),
                        storefront_url=f"https://maisonlaurier.example/storefront/{a.handle}",
                    )
                )
        else:
            await conn.execute(
                retailers.update().where(retailers.c.id == retailer_id).values(mode=mode.value)
            )
            for a in ASSOCIATES:
                await conn.execute(
                    associates.update()
                    .where(associates.c.handle == a.handle)
                    .values(token_hash=hash_token(tokens[a.handle]))
                )
    return tokens
