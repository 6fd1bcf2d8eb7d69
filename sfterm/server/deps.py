"""Shared request dependencies: the clock, and the paging parameters every list takes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Request

MAX_PAGE = 200


def _clock(request: Request) -> Callable[[], datetime]:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock


ClockDep = Annotated[Callable[[], datetime], Depends(_clock)]
BeforeQuery = Annotated[
    int | None, Query(ge=1, description="keyset cursor: the `next_before` of the previous page")
]
SearchQuery = Annotated[
    str | None,
    Query(max_length=100, description="only items whose name, email, message or number match"),
]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]
