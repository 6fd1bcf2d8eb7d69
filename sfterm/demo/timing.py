"""Time for the simulation: the real event loop's, or a virtual one that tests move at will."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol


class SimClock(Protocol):
    """Seconds on some monotonic scale, and a way to wait until a moment of it."""

    def now(self) -> float: ...

    async def sleep_until(self, at: float) -> None: ...


class RealTime:
    """The event loop's clock: waiting really waits."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep_until(self, at: float) -> None:
        delay = at - self.now()
        if delay > 0:
            await asyncio.sleep(delay)


class VirtualTime:
    """Time that jumps: `sleep_until` returns at once, having moved the clock forward.

    `on_advance(seconds)` hears of each jump, so that a test's backend clock moves with it.
    """

    def __init__(self, start: float = 0.0, on_advance: Callable[[float], object] | None = None):
        self._now = start
        self._on_advance = on_advance

    def now(self) -> float:
        return self._now

    async def sleep_until(self, at: float) -> None:
        if at > self._now:
            delta = at - self._now
            self._now = at
            if self._on_advance is not None:
                self._on_advance(delta)
        await asyncio.sleep(0)
