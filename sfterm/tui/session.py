"""What every screen of the app shares: the API client, who is signed in, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from sfterm.client.api import SftermClient
from sfterm.client.events import Link, LinkState
from sfterm.client.prefetch import Prefetch
from sfterm.core.models import Me, Page, RequestOut, ThreadOut

FIRST_PAGE_MODELS: dict[str, type[Page[Any]]] = {
    "new_leads": Page[RequestOut],
    "customer_requests": Page[RequestOut],
    "threads": Page[ThreadOut],
}


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Session:
    """Handed to every screen. `link` is the latest connection state (the app keeps it current);
    `clock` is fixed in tests and snapshots."""

    client: SftermClient
    me: Me
    clock: Callable[[], datetime] = _now
    link: LinkState = field(default_factory=lambda: LinkState(Link.LIVE, _now()))
    first_pages: dict[str, Page[Any]] = field(default_factory=dict)
    """Folders' first pages read with the sign-in (the main screen takes them once)."""

    @property
    def online(self) -> bool:
        return self.link.link is Link.LIVE


def prefetched(prefetch: Prefetch) -> tuple[Me | None, dict[str, Page[Any]]]:
    """The sign-in and first pages the prefetch brought, as the API client would read them;
    (None, {}) without a sign-in. A page that does not parse is left for the screen to read."""
    body = prefetch.take("me")
    if body is None:
        return None, {}
    try:
        me = Me.model_validate_json(body)
    except ValidationError:
        return None, {}
    pages: dict[str, Page[Any]] = {}
    for folder, model in FIRST_PAGE_MODELS.items():
        page = prefetch.take(folder)
        if page is None:
            continue
        try:
            pages[folder] = model.model_validate_json(page)
        except ValidationError:
            continue
    return me, pages
