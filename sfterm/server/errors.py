"""4xx answers as JSON that names the field or the reason; nothing escapes as a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Raise from anywhere in a request: it becomes `{"error", "message", "field", ...}`."""

    def __init__(
        self, status: int, error: str, message: str, field: str | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.field = field
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "message": self.message, "field": self.field, **self.extra}


def not_found(what: str, ident: object) -> ApiError:
    return ApiError(404, "not_found", f"no {what} {ident} is visible to you", field=None)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation_message(exc: RequestValidationError) -> tuple[str, str]:
    first = exc.errors()[0]
    field = _field_path(first.get("loc", ()))
    kind = first.get("type", "")
    if kind == "json_invalid":
        return "body", "body: not valid JSON"
    if kind == "extra_forbidden":
        return field, f"{field}: unknown field"
    if kind == "missing":
        return field, f"{field}: required"
    msg = str(first.get("msg", "invalid"))
    msg = msg.removeprefix("Value error, ")
    return field, f"{field}: {msg}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        field, message = _validation_message(exc)
        return JSONResponse(
            {"error": "invalid", "message": message, "field": field}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            {"error": error, "message": str(exc.detail), "field": None},
            status_code=exc.status_code,
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(
            {"error": "internal", "message": "the server failed; see its log", "field": None},
            status_code=500,
        )
