"""create_app(settings): the backend's FastAPI application, with the bundled gateway mounted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sfterm.config import ServerSettings
from sfterm.core.models import RequestOut
from sfterm.server.db import Database
from sfterm.server.errors import install_error_handlers
from sfterm.server.routes import email, events, kpis, leads, me, public, requests

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
        try:
            yield
        finally:
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
    app.state.after_submission = []  # list[SubmissionHook]: run after a request is stored
    app.state.on_startup = []  # list[StartupHook]: run once the database is open
    install_error_handlers(app)
    for module in (public, me, leads, requests, events, email, kpis):
        app.include_router(module.router)
    return app
