"""Run the backend with the bundled gateway mounted, under uvicorn, on a chosen or free port.

The composition root of `sfterm serve`: the one module that puts server and gateway together.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from sfterm.config import ServerSettings
from sfterm.server.app import create_app
from sfterm.server_file import ServerInfo, remove_server_file, write_server_file

Seeder = Callable[[FastAPI], Awaitable[dict[str, str]]]


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind now, so that port 0 becomes a real port before the app is built.

    The protocol is named (IPPROTO_TCP, not 0): accepted connections inherit it, and asyncio
    turns Nagle's algorithm off (TCP_NODELAY) only on sockets that say they are TCP. Without
    it every answer after the first on a kept-alive connection waited ~40 ms for the client's
    delayed ACK.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)  # connections wait in the backlog until uvicorn starts accepting
    sock.set_inheritable(True)
    return sock


def mount_gateway(app: FastAPI, settings: ServerSettings) -> None:
    """The bundled simulated carrier under `/gateway`, with the backend's Twilio credentials."""
    from sfterm.gateway.app import create_gateway_app, gateway_services
    from sfterm.gateway.config import DeliveryDelays, GatewayConfig

    config = GatewayConfig(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
        delays=DeliveryDelays(*settings.gateway_delays),
        # Message SIDs must differ from one run to the next: the backend takes a SID it has
        # seen (a server restarted on a kept data directory) for a replayed webhook and drops it.
        seed=secrets.randbits(63),
    )
    gateway = create_gateway_app(config)
    app.mount("/gateway", gateway)
    app.state.gateway_app = gateway  # tests await `gateway_state(...).wait_idle()` on it

    async def close_gateway(_app: FastAPI) -> None:  # a mounted app's lifespan does not run
        await gateway_services(gateway).webhooks.aclose()

    app.state.on_shutdown.append(close_gateway)


@dataclass
class RunningServer:
    """A backend built and bound, ready to serve; `info` is what server.json says."""

    app: FastAPI
    settings: ServerSettings
    sock: socket.socket
    info: ServerInfo

    uvicorn_server: uvicorn.Server | None = None

    async def serve(self) -> None:
        """Serve until `stop()` (or a signal); server.json is removed on the way out."""
        config = uvicorn.Config(
            self.app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
        )
        self.uvicorn_server = uvicorn.Server(config)
        try:
            await self.uvicorn_server.serve(sockets=[self.sock])
        finally:
            remove_server_file(self.settings.data_dir, self.info.pid)

    def stop(self) -> None:
        if self.uvicorn_server is not None:
            self.uvicorn_server.should_exit = True

    @property
    def started(self) -> bool:
        return self.uvicorn_server is not None and self.uvicorn_server.started


def build_server(
    settings: ServerSettings,
    *,
    seeder: Seeder | None = None,
    on_ready: Callable[[ServerInfo], None] | None = None,
) -> RunningServer:
    """Bind, build the app, and arrange for server.json to be written once the data is ready."""
    sock = bind_socket(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown_host = f"[{host}]" if ":" in host else host
    settings.port = port
    settings.public_url = settings.public_url or f"http://{shown_host}:{port}"
    if settings.bundled_gateway and not settings.gateway_url:
        settings.gateway_url = f"{settings.public_url}/gateway"
    app = create_app(settings)
    if settings.bundled_gateway:
        mount_gateway(app, settings)
    info = ServerInfo(
        url=settings.public_url,
        gateway_url=settings.gateway_url or "",
        pid=os.getpid(),
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
    )

    async def announce(app: FastAPI) -> None:
        if seeder is not None:
            info.associates = await seeder(app)
        write_server_file(settings.data_dir, info)
        if on_ready is not None:
            on_ready(info)

    app.state.on_startup.append(announce)
    return RunningServer(app=app, settings=settings, sock=sock, info=info)


def run_server(settings: ServerSettings, **kwargs: object) -> None:
    running = build_server(settings, **kwargs)  # type: ignore[arg-type]
    asyncio.run(running.serve())
