"""The event stream against a real uvicorn on a loopback port: live, resumable, heartbeats."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from sfterm.client.api import SftermClient
from sfterm.client.events import EventStream, Link, LinkState
from sfterm.core.models import Event
from sfterm.server.db import events
from tests.support.forms import storefront_form, widget_form
from tests.support.live import live_server

TIMEOUT = 10


async def _next_event(stream: AsyncIterator[Event | LinkState]) -> Event:
    while True:
        item = await asyncio.wait_for(anext(stream), TIMEOUT)
        if isinstance(item, Event):
            return item


async def test_resume_with_last_event_id_misses_nothing_and_repeats_nothing(
    tmp_path: Path,
) -> None:
    async with live_server(tmp_path, bundled_gateway=False, heartbeat_seconds=0.5) as server:
        url, tokens = server.info.url, server.info.associates
        public = SftermClient(url)
        camille = SftermClient(url, tokens["camille"])
        mathieu = SftermClient(url, tokens["mathieu"])
        try:
            first = EventStream(camille).__aiter__()
            state = await asyncio.wait_for(anext(first), TIMEOUT)
            assert isinstance(state, LinkState) and state.link is Link.LIVE
            lead = await public.submit_request(widget_form())
            seen = await _next_event(first)
            assert seen.type == "lead.created"
            assert seen.data["request"]["id"] == lead.id
            await first.aclose()  # the connection drops

            # While camille is away: two leads, one taken by mathieu, one request of hers,
            # and one of Élodie's that camille must never see.
            second_lead = await public.submit_request(widget_form(name="Zoé Martin"))
            await public.submit_request(widget_form(name="Noah Côté"))
            await mathieu.accept_lead(second_lead.id)
            mine = await public.submit_request(storefront_form("camille"))
            await public.submit_request(storefront_form("elodie"))

            async with server.app.state.db.read() as conn:
                rows = (await conn.execute(events.select().order_by(events.c.id))).all()
            expected = [
                (r.id, r.type)
                for r in rows
                if r.id > seen.id and r.associate_id in (None, camille_id(server, rows, mine.id))
            ]
            resumed = EventStream(camille, last_event_id=seen.id).__aiter__()
            got = [await _next_event(resumed) for _ in expected]
            await resumed.aclose()
        finally:
            for c in (public, camille, mathieu):
                await c.aclose()
    assert [(e.id, e.type) for e in got] == expected
    # Besides the confirmation texts' thread and message events, camille saw exactly these:
    assert [t for _, t in expected if t.startswith(("lead.", "request."))] == [
        "lead.created",
        "lead.created",
        "lead.taken",
        "request.created",
    ]
    assert len({e.id for e in got}) == len(got)


def camille_id(server, rows, request_id: int) -> int:  # type: ignore[no-untyped-def]
    """Camille's associate id, read from her own request's event."""
    for r in rows:
        if r.type == "request.created" and r.data["request"]["id"] == request_id:
            return int(r.associate_id)
    raise AssertionError("camille's request has no event")


async def test_heartbeats_flow_while_nothing_happens(tmp_path: Path) -> None:
    async with live_server(tmp_path, bundled_gateway=False, heartbeat_seconds=0.2) as server:
        token = server.info.associates["camille"]
        async with (
            httpx.AsyncClient(base_url=server.info.url) as http,
            http.stream(
                "GET", "/api/v1/events", headers={"Authorization": f"Bearer {token}"}
            ) as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            chunks = response.aiter_text()
            received = ""
            while "ping" not in received:
                received += await asyncio.wait_for(anext(chunks), TIMEOUT)
    assert received.startswith(":")


async def test_a_silent_connection_is_taken_as_dead_and_replaced() -> None:
    connections = 0

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        await writer.drain()
        await asyncio.sleep(30)  # says nothing, not even a ping

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = SftermClient(f"http://127.0.0.1:{port}", "token")
    stream = EventStream(client, dead_after=0.2, backoff=[0.0]).__aiter__()
    try:
        states = [await asyncio.wait_for(anext(stream), TIMEOUT) for _ in range(3)]
    finally:
        await stream.aclose()
        await client.aclose()
        server.close()
    assert [s.link for s in states if isinstance(s, LinkState)] == [
        Link.LIVE,
        Link.RECONNECTING,
        Link.LIVE,
    ]
    assert connections == 2


async def test_a_restarted_server_on_the_same_data_gets_new_message_sids(tmp_path: Path) -> None:
    """Otherwise the backend would take the new run's texts for replays of the old run's."""
    from sfterm.gateway.app import gateway_state

    sids = []
    for _ in range(2):
        async with live_server(tmp_path, gateway_delays=(0.0, 0.0, 0.0)) as server:
            await server.app.state.registration
            async with SftermClient(server.info.url) as public:
                await public.submit_request(widget_form())
            await gateway_state(server.app.state.gateway_app).wait_idle()
            sids.append(set(gateway_state(server.app.state.gateway_app).messages))
    assert sids[0] and sids[1] and not sids[0] & sids[1]
