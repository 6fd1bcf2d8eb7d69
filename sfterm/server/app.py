"""create_app(settings): the backend's FastAPI application, with the bundled gateway mounted."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sfterm.config import ServerSettings
from sfterm.core.models import RequestOut
from sfterm.server.auth import ViewerCache
from sfterm.server.db import Database
from sfterm.server.errors import install_error_handlers
from sfterm.server.messaging import start_registration, stop_registration
from sfterm.server.routes import contacts as contact_routes
from sfterm.server.routes import (
    email,
    events,
    kpis,
    leads,
    links,
    me,
    products,
    public,
    reply,
    requests,
)
from sfterm.server.routes import threads as thread_routes
from sfterm.server.routes import webhooks as webhook_routes
from sfterm.server.sending import confirmation_hook

SubmissionHook = Callable[[RequestOut], Awaitable[None]]
StartupHook = Callable[[FastAPI], Awaitable[None]]


def create_app(settings: ServerSettings, db: Database | None = None) -> FastAPI:
    """The backend. Its database opens (and its schema is created or upgraded) at start-up."""
    database = db or Database(settings.resolved_database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await database.start()
        for hook in app.state.on_startup:
            await hook(app)
        app.state.ready.set()
        try:
            yield
        finally:
            for stop in app.state.on_shutdown:
                await stop(app)
            await database.stop()

    app = FastAPI(
        title="sfterm backend",
        version="1",
        lifespan=lifespan,
        description="Service requests, New Leads, text threads and contacts for associates.",
    )
    app.state.settings = settings
    app.state.db = database
    app.state.clock = settings.clock
    app.state.viewers = ViewerCache()  # signed-in viewers, until the next write
    app.state.after_submission = []  # list[SubmissionHook]: run after a request is stored
    app.state.on_startup = []  # list[StartupHook]: run once the database is open
    app.state.on_shutdown = []  # list[StartupHook]: run before the database closes
    app.state.ready = asyncio.Event()  # set once every start-up hook has run
    app.state.gateway_transport = None  # an httpx transport to the gateway (for tests)
    app.state.after_submission.append(confirmation_hook(app))  # the confirmation text
    app.state.on_startup.append(start_registration)  # relay numbers → the gateway
    app.state.on_shutdown.append(stop_registration)
    install_error_handlers(app)
    for module in (public, me, leads, requests, events, email, kpis):
        app.include_router(module.router)
    app.include_router(contact_routes.router)
    for module in (reply, thread_routes, products, webhook_routes, links):
        app.include_router(module.router)
    return app
