"""What a call to the backend can fail with. Kept apart from the client so the screens can catch
these without loading the HTTP library (which the app loads after its first frame)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ApiError(Exception):
    """A 4xx/5xx answer from the backend, with its `error` code, `message` and `field`."""

    def __init__(self, status: int, body: Mapping[str, Any]) -> None:
        self.status = status
        self.error = str(body.get("error", "http_error"))
        self.message = str(body.get("message", f"HTTP {status}"))
        self.field: str | None = body.get("field")
        self.body = dict(body)
        super().__init__(self.message)

    @property
    def taken_by(self) -> str | None:
        """For a lead another associate accepted: their name."""
        taken = self.body.get("taken_by")
        return str(taken["name"]) if isinstance(taken, Mapping) else None


class Unreachable(Exception):
    """The backend could not be reached (refused, timed out, dropped)."""


def complaint(exc: BaseException) -> str:
    """What to tell the associate about a failed call: the backend's own sentence, or that the
    server cannot be reached; never a traceback."""
    if isinstance(exc, ApiError):
        return exc.message
    if isinstance(exc, Unreachable):
        return "The server cannot be reached; try again when the connection is back."
    return f"{exc.__class__.__name__}: {exc}"
