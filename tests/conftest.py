"""Fixtures shared by every suite: a fixed clock and a seeded backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.backend import Backend, running_backend
from tests.support.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def backend(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Backend]:
    async with running_backend(tmp_path, clock=clock) as b:
        yield b


@pytest.fixture
async def team_backend(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Backend]:
    async with running_backend(tmp_path, team_mode=True, clock=clock) as b:
        yield b
