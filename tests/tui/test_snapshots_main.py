"""SVG snapshots of the main screen (each folder), a request's detail, and help: 120×36, fixed
data and clock. Update with `pytest tests/tui/test_snapshots_main.py --snapshot-update`."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import SIZE, settle
from tests.tui.main_data import fixed_app


async def _ready(pilot: Any) -> None:
    await settle(pilot)


def test_new_leads(snap_compare: Any) -> None:
    assert snap_compare(fixed_app(), terminal_size=SIZE, run_before=_ready)


def test_customer_requests(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(fixed_app(), terminal_size=SIZE, run_before=run_before)


def test_text_messages(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)

    assert snap_compare(fixed_app(), terminal_size=SIZE, run_before=run_before)


def test_request_detail_of_an_email_request_with_a_long_message(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("G", "enter")
        await settle(pilot)

    assert snap_compare(fixed_app(), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(fixed_app(), terminal_size=SIZE, run_before=run_before)
