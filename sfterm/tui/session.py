"""What every screen of the app shares: the API client, who is signed in, the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from sfterm.client.link import Link, LinkState
from sfterm.core.models import Me, Page, RequestOut, ThreadOut
from sfterm.tui.outbox import Outbox

if TYPE_CHECKING:  # the client (and httpx) load after the first frame: see `Session.client`
    from sfterm.client.api import SftermClient
    from sfterm.client.prefetch import Prefetch

FIRST_PAGE_MODELS: dict[str, type[Page[Any]]] = {
    "new_leads": Page[RequestOut],
    "customer_requests": Page[RequestOut],
    "threads": Page[ThreadOut],
}


def _now() -> datetime:
    return datetime.now(UTC)


class Session:
    """Handed to every screen: the API client, who is signed in (`me`), the latest connection
    state (`link`, kept current by the app) and the clock (fixed in tests and snapshots).

    The client is given (`client=`) or made on first use by `connect`: the `sfterm` command
    paints its first frame from `first_pages`, read without it, and loads the HTTP library
    after."""

    def __init__(
        self,
        *,
        me: Me,
        client: SftermClient | None = None,
        connect: Callable[[], SftermClient] | None = None,
        clock: Callable[[], datetime] = _now,
        link: LinkState | None = None,
        first_pages: dict[str, Page[Any]] | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        if client is None and connect is None:
            raise TypeError("Session needs a client or a way to connect")
        self._client = client
        self._connect = connect
        self.me = me
        self.clock = clock
        self.link = link or LinkState(Link.LIVE, _now())
        self.first_pages: dict[str, Page[Any]] = first_pages or {}
        """Folders' first pages read with the sign-in (the main screen takes them once)."""
        self.outbox = outbox if outbox is not None else Outbox()  # empty is falsy
        """Texts waiting to be sent: they outlive the thread screen that queued them, and the
        app sends them when the link is live."""

    @property
    def client(self) -> SftermClient:
        if self._client is None:
            assert self._connect is not None
            self._client = self._connect()
        return self._client

    @property
    def connected(self) -> bool:
        """Whether the client was made (and so has a connection to close)."""
        return self._client is not None

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
