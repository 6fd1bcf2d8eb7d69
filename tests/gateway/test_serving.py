"""The gateway served for real: mounted under a prefix, and streaming a handset over HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from httpx_sse import aconnect_sse

from sfterm.gateway.app import create_gateway_app, gateway_state
from sfterm.gateway.config import GatewayConfig
from tests.gateway.support import ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, RELAY, SMS_URL


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """``app`` on a free loopback port; the socket listens before the server starts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
        sock.close()


def mounted(config: GatewayConfig) -> tuple[FastAPI, FastAPI]:
    backend = FastAPI()
    gateway = create_gateway_app(config)
    backend.mount("/gateway", gateway)
    return backend, gateway


async def test_mounted_gateway_answers_under_its_prefix_with_relative_uris(
    config: GatewayConfig,
) -> None:
    backend, gateway = mounted(config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=backend),
        base_url="http://127.0.0.1:8765/gateway",
        auth=(ACCOUNT_SID, AUTH_TOKEN),
    ) as api:
        accounts = f"/2010-04-01/Accounts/{ACCOUNT_SID}"
        number = await api.post(
            f"{accounts}/IncomingPhoneNumbers.json", data={"PhoneNumber": RELAY, "SmsUrl": SMS_URL}
        )
        assert number.status_code == 201
        created = await api.post(
            f"{accounts}/Messages.json", data={"From": RELAY, "To": CUSTOMER, "Body": "hi"}
        )
        assert created.status_code == 201
        uri = created.json()["uri"]
        assert uri.startswith("/2010-04-01/")
        await gateway_state(gateway).wait_idle()
        fetched = await api.get(uri)
        assert fetched.json()["status"] == "delivered"
        listing = (await api.get(f"{accounts}/Messages.json", params={"PageSize": 1})).json()
        assert listing["next_page_uri"] is None
        missing = await api.get(f"{accounts}/Nothing.json")
        assert (missing.status_code, missing.json()["code"]) == (404, 20404)


async def read_events(url: str, count: int, **kwargs: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    async with (
        httpx.AsyncClient(timeout=10) as client,
        aconnect_sse(client, "GET", url, **kwargs) as source,
    ):
        async for event in source.aiter_sse():
            if event.event == "message":
                events.append({"id": event.id, **json.loads(event.data)})
            if len(events) == count:
                break
    return events


@pytest.mark.usefixtures("relay")
async def test_handset_stream_replays_then_follows_new_messages(
    gateway_app: FastAPI, api: httpx.AsyncClient
) -> None:
    await api.post(f"/sim/handsets/{CUSTOMER}/messages", json={"to": RELAY, "body": "hello"})
    async with served(gateway_app) as base:
        stream = f"{base}/sim/handsets/{CUSTOMER}/stream"
        reader = asyncio.create_task(read_events(stream, 2))
        async with httpx.AsyncClient(base_url=base, auth=(ACCOUNT_SID, AUTH_TOKEN)) as live:
            reply = await live.post(
                f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
                data={"From": RELAY, "To": CUSTOMER, "Body": "Hi! How can I help?"},
            )
            assert reply.status_code == 201
        events = await asyncio.wait_for(reader, 10)
        assert [(e["id"], e["direction"], e["body"]) for e in events] == [
            ("0", "outgoing", "hello"),
            ("1", "incoming", "Hi! How can I help?"),
        ]
        resumed = await asyncio.wait_for(read_events(stream, 1, headers={"Last-Event-ID": "0"}), 10)
        assert [e["index"] for e in resumed] == [1]
        after = await asyncio.wait_for(read_events(f"{stream}?after=0", 1), 10)
        assert [e["index"] for e in after] == [1]
        await gateway_state(gateway_app).wait_idle()
