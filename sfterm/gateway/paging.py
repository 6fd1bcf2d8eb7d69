"""Twilio-style paging of a list: ``PageSize``, ``Page`` and ``PageToken`` (``PA``/``PB`` + SID)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sfterm.gateway.errors import TwilioError

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and the tokens that reach its neighbours."""

    items: Sequence[T]
    number: int
    size: int
    token: str | None
    """The ``PageToken`` this page was asked with."""
    next_token: str | None
    previous_token: str | None


def _int_param(params: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise TwilioError(20001, f"Invalid {name}: {raw!r} is not a whole number") from None
    if value < minimum:
        raise TwilioError(20001, f"Invalid {name}: must be {minimum} or more")
    return value


def paginate(
    records: Sequence[T], params: Mapping[str, str], sid_of: Callable[[T], str]
) -> Page[T]:
    """The page of ``records`` (already filtered and ordered) that ``params`` ask for.

    ``PageToken`` ``PA<sid>`` starts after that record, ``PB<sid>`` ends before it; without a
    token, ``Page`` counts pages from the start.
    """
    size = min(_int_param(params, "PageSize", DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
    number = _int_param(params, "Page", 0, 0)
    token = params.get("PageToken") or None
    start = number * size
    if token is not None:
        index = next((i for i, r in enumerate(records) if sid_of(r) == token[2:]), None)
        if token[:2] not in ("PA", "PB") or index is None:
            raise TwilioError(20001, f"Invalid PageToken: {token!r}")
        start = index + 1 if token.startswith("PA") else max(index - size, 0)
    items = records[start : start + size]
    more = start + size < len(records)
    return Page(
        items=items,
        number=number,
        size=size,
        token=token,
        next_token=f"PA{sid_of(items[-1])}" if items and more else None,
        previous_token=f"PB{sid_of(items[0])}" if items and start > 0 else None,
    )
