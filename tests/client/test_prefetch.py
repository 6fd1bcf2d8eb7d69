"""The prefetch: sign-in and first pages asked on a thread while the app loads, against a real
uvicorn on 127.0.0.1; anything that does not come is left to the app's own client."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from sfterm.client.api import SftermClient
from sfterm.client.prefetch import Prefetch
from sfterm.tui.session import prefetched
from tests.support.forms import storefront_form, widget_form
from tests.support.live import live_server


async def test_the_sign_in_and_first_pages_read_as_the_client_reads_them(tmp_path: Path) -> None:
    async with live_server(tmp_path, bundled_gateway=False) as server:
        url, token = server.info.url, server.info.associates["camille"]
        async with SftermClient(url) as public:
            await public.submit_request(widget_form(name="Lead Before"))
            await public.submit_request(storefront_form("camille", name="Request Before"))
        prefetch = Prefetch(url, token)
        me, pages = await asyncio.to_thread(prefetched, prefetch)
        async with SftermClient(url, token) as client:
            assert me == (await client.me())
            assert pages["new_leads"] == await client.leads(limit=100)
            assert pages["customer_requests"] == await client.requests(limit=100)
            assert pages["threads"] == await client.threads(limit=100)
        assert me is not None and me.last_event_id is not None and me.last_event_id > 0
        assert pages["new_leads"].items[0].name == "Lead Before"


async def test_a_refused_token_brings_nothing(tmp_path: Path) -> None:
    async with live_server(tmp_path, bundled_gateway=False) as server:
        prefetch = Prefetch(server.info.url, "not-a-token")
        assert await asyncio.to_thread(prefetched, prefetch) == (None, {})


async def test_no_server_brings_nothing() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    prefetch = Prefetch(f"http://127.0.0.1:{port}", "token", timeout=2)
    assert await asyncio.to_thread(prefetched, prefetch) == (None, {})
    assert await asyncio.to_thread(prefetch.take, "me") is None


async def test_a_url_that_is_not_http_brings_nothing() -> None:
    prefetch = Prefetch("ftp://127.0.0.1/", "token")
    assert await asyncio.to_thread(prefetch.take, "me") is None
