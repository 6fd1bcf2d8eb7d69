"""Builds the gateway's FastAPI app: Twilio's Messaging subset plus the handset simulation.

Run it alone (``uvicorn`` on ``create_gateway_app(config)``) or mount it inside another app::

    gateway = create_gateway_app(config)
    backend.mount("/gateway", gateway)
    # ... clients then use http://127.0.0.1:PORT/gateway as the Twilio base URL

Nothing relies on start-up hooks (a mounted app's lifespan does not run): background work starts
with the requests that cause it. ``gateway_state(app).wait_idle()`` returns once no delivery step
or webhook is pending; ``gateway_services(app).webhooks.aclose()`` releases the webhook
connections (the app's own lifespan does it when it runs standalone).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sfterm.gateway.config import GatewayConfig
from sfterm.gateway.errors import TwilioError, not_found, twilio_error_handler
from sfterm.gateway.routes import media, messages, numbers, sim
from sfterm.gateway.services import GatewayServices
from sfterm.gateway.store import GatewayState
from sfterm.gateway.wire import API_VERSION


def gateway_services(app: FastAPI) -> GatewayServices:
    """The running parts of a gateway app."""
    found: GatewayServices = app.state.services
    return found


def gateway_state(app: FastAPI) -> GatewayState:
    """The in-memory state of a gateway app (``wait_idle``, messages, numbers, handset logs)."""
    return gateway_services(app).state


async def _sim_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, sim.SimError)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    reasons = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        reasons.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return JSONResponse({"detail": "; ".join(reasons) or "invalid request"}, status_code=400)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and f"/{API_VERSION}/" in request.url.path:
        return await twilio_error_handler(request, not_found(request.url.path))
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


def create_gateway_app(config: GatewayConfig) -> FastAPI:
    """A new simulated carrier with its own in-memory state."""
    parts = GatewayServices.build(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await parts.webhooks.aclose()

    app = FastAPI(
        title="sfterm gateway",
        summary="A simulated SMS carrier speaking a subset of Twilio's Messaging API.",
        lifespan=lifespan,
        docs_url="/sim/docs",
        redoc_url=None,
        openapi_url="/sim/openapi.json",
    )
    app.state.services = parts
    app.state.gateway = parts.state
    app.add_exception_handler(TwilioError, twilio_error_handler)
    app.add_exception_handler(sim.SimError, _sim_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.include_router(messages.router)
    app.include_router(media.router)
    app.include_router(numbers.router)
    app.include_router(sim.router)
    return app
