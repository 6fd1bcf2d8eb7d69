"""The customers inside a real server (uvicorn on loopback), and the handset stream."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sfterm.client.api import SftermClient
from sfterm.client.handset import HandsetClient
from sfterm.demo.customers import Simulation
from sfterm.demo.run import start_simulation, stop_simulation
from tests.support.live import live_server


async def test_customers_started_in_the_server_post_requests_and_get_confirmations(
    tmp_path: Path,
) -> None:
    async with live_server(tmp_path, gateway_delays=(0.0, 0.0, 0.0)) as running:
        simulation = start_simulation(running.app, seed=4, speed=100.0)
        assert isinstance(simulation, Simulation)
        try:
            await asyncio.wait_for(
                simulation.wait_until(
                    lambda events: (
                        any(e.kind == "received" for e in events)
                        and sum(e.kind == "request" for e in events) >= 3
                    )
                ),
                60,
            )
        finally:
            await stop_simulation(running.app)
        assert simulation.errors == []
        async with SftermClient(running.info.url, running.info.associates["camille"]) as client:
            leads = (await client.leads()).items
            mine = (await client.requests()).items
        posted = {e.phone for e in simulation.events if e.kind == "request"}
        assert {r.phone for r in leads + mine if r.phone} & posted


async def test_no_customers_at_speed_zero(tmp_path: Path) -> None:
    async with live_server(tmp_path) as running:
        assert start_simulation(running.app, seed=4, speed=0) is None


async def test_the_handset_stream_follows_a_conversation(tmp_path: Path) -> None:
    async with live_server(tmp_path, gateway_delays=(0.0, 0.0, 0.0)) as running:
        await running.app.state.registration
        handset = "+14385550122"
        async with HandsetClient(running.info.gateway_url) as phone:
            numbers = [n.phone_number for n in await phone.numbers()]
            assert "+15145550111" in numbers
            stream = phone.follow(handset)
            await phone.send(handset, "+15145550111", "Bonjour, [b]vous[/b] êtes là?")
            first = await asyncio.wait_for(anext(stream), 20)
            assert (first.index, first.direction, first.body) == (
                0,
                "outgoing",
                "Bonjour, [b]vous[/b] êtes là?",
            )
            await phone.send(handset, "+15145550111", "STOP")
            stop = await asyncio.wait_for(anext(stream), 20)
            carrier = await asyncio.wait_for(anext(stream), 20)
            assert (stop.body, carrier.direction) == ("STOP", "incoming")
            assert "unsubscribed" in carrier.body
            await stream.aclose()
            log = await phone.messages(handset, after=0)
            assert [e.index for e in log] == [1, 2]
