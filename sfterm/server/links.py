"""Tracked links: `{public_url}/r/{code}` stands for a target URL and counts its clicks."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sfterm.server.db import links

CODE_BYTES = 6
LINK_PATTERN = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def tracked_url(base: str, code: str) -> str:
    return f"{base}/r/{code}"


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def links_in(body: str) -> list[tuple[int, int, str]]:
    """Each http(s) link in `body` as (start, end, url), trailing punctuation left out."""
    found = []
    for match in LINK_PATTERN.finditer(body):
        url = match.group(0).rstrip(_TRAILING)
        if len(url) > len("https://"):
            found.append((match.start(), match.start() + len(url), url))
    return found


async def add_link(conn: AsyncConnection, message_id: int, code: str, url: str) -> None:
    await conn.execute(links.insert().values(code=code, message_id=message_id, url=url, clicks=0))


async def record_click(
    conn: AsyncConnection, code: str, now: datetime
) -> tuple[str, int | None] | None:
    """Count one click; (target URL, message id), or None for an unknown code."""
    row = (
        await conn.execute(
            select(links.c.id, links.c.url, links.c.message_id).where(links.c.code == code)
        )
    ).first()
    if row is None:
        return None
    await conn.execute(
        links.update()
        .where(links.c.id == row.id)
        .values(clicks=links.c.clicks + 1, last_clicked_at=now)
    )
    return str(row.url), row.message_id
