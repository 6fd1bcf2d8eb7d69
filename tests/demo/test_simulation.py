"""The simulated customers against the whole stack, in virtual time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sfterm.demo.personas import BY_PHONE
from sfterm.server.db import links, messages, threads
from tests.demo.stack import (
    DemoStack,
    associates_answer,
    associates_follow_up,
    blank_codes,
    demo_stack,
)


async def _shop_floor(stack: DemoStack, minutes: float) -> None:
    """Customers for `minutes` simulated minutes; associates do a round every 20 s."""
    for round_no in range(int(minutes * 3)):
        await stack.run_for(20.0)
        await associates_answer(stack, round_no)
        await associates_follow_up(stack)
        await stack.settle()


async def _record(tmp_path: Path, seed: int) -> tuple[list[tuple[str, str, str]], list]:
    async with demo_stack(tmp_path, seed=seed, speed=10.0) as stack:
        await _shop_floor(stack, 1)
        sim = [(e.kind, e.phone, blank_codes(e.detail)) for e in stack.simulation.events]
        return sim, await stack.event_log()


async def test_one_seed_gives_the_same_customers_requests_and_texts(tmp_path: Path) -> None:
    first_sim, first_log = await _record(tmp_path / "a", seed=11)
    second_sim, second_log = await _record(tmp_path / "b", seed=11)
    assert [k for k, _, _ in first_sim].count("request") >= 15
    assert {"received", "text"} <= {k for k, _, _ in first_sim}
    assert first_sim == second_sim
    assert first_log == second_log


async def test_another_seed_gives_other_customers(tmp_path: Path) -> None:
    requests = []
    for seed in (11, 12):
        async with demo_stack(tmp_path / str(seed), seed=seed, speed=10.0) as stack:
            await stack.run_for(15.0)
            requests.append([e for e in stack.simulation.events if e.kind == "request"])
    assert len(requests[0]) >= 3
    assert requests[0] != requests[1]


async def test_minutes_of_shop_floor_lose_no_text_either_way(tmp_path: Path) -> None:
    async with demo_stack(tmp_path, seed=3, speed=10.0) as stack:
        start = stack.clock()
        await _shop_floor(stack, 2)
        await stack.settle()
        sim = stack.simulation
        assert sim.errors == []
        assert stack.carrier.task_errors == []
        kinds = [e.kind for e in sim.events]
        assert kinds.count("request") >= 30
        assert kinds.count("text") >= 5

        async with stack.app.state.db.read() as conn:
            rows = list(
                await conn.execute(
                    select(
                        messages.c.direction,
                        messages.c.body,
                        messages.c.sid,
                        messages.c.status,
                        messages.c.automatic,
                        messages.c.associate_id,
                        threads.c.phone,
                    )
                    .join(threads, threads.c.id == messages.c.thread_id)
                    .where(messages.c.kind == "text", messages.c.created_at >= start)
                )
            )
        in_threads = {(r.phone, r.body) for r in rows if r.direction == "inbound"}
        customer_texts = [
            (phone, entry.body)
            for phone, log in stack.carrier.handset_logs.items()
            for entry in log
            if entry.direction == "outgoing"
        ]
        assert customer_texts
        assert [t for t in customer_texts if t not in in_threads] == []

        associate_texts = [r for r in rows if r.direction == "outbound" and not r.automatic]
        assert len(associate_texts) >= 10
        for text in associate_texts:
            received = {e.sid for e in stack.carrier.handset_log(text.phone)}
            if BY_PHONE[text.phone].fails:
                assert text.status in {"failed", "undelivered"}
            else:
                assert text.status == "delivered", text
                assert text.sid in received


async def test_customers_answer_what_they_were_asked(tmp_path: Path) -> None:
    async with demo_stack(tmp_path, seed=5, speed=10.0, second_text_chance=0.0) as stack:
        await _shop_floor(stack, 1)
        answers = [e for e in stack.simulation.events if e.kind == "text"]
        assert answers
        times = ("Thursday", "Saturday", "Tomorrow", "Jeudi", "Samedi", "Demain")
        asked_when = [e for e in answers if any(t in e.detail for t in times)]
        assert asked_when, answers


async def test_customers_click_the_links_they_are_sent(tmp_path: Path) -> None:
    async with demo_stack(tmp_path, seed=5, speed=10.0, click_chance=1.0) as stack:
        await _shop_floor(stack, 1)
        clicks = [e for e in stack.simulation.events if e.kind == "click"]
        assert clicks
        assert all(e.detail.endswith(("302", "303", "307")) for e in clicks), clicks
        async with stack.app.state.db.read() as conn:
            counted = (await conn.execute(select(links.c.clicks))).scalars().all()
        assert sum(counted) >= len(clicks)


async def test_a_customer_may_stop_ask_for_help_and_start_again(tmp_path: Path) -> None:
    async with demo_stack(
        tmp_path, seed=5, speed=10.0, stop_chance=1.0, second_text_chance=0.0
    ) as stack:
        await _shop_floor(stack, 1)
        sent = [
            (e.phone, e.detail.split(": ", 1)[1])
            for e in stack.simulation.events
            if e.kind == "text"
        ]
        stoppers = {phone for phone, body in sent if body == "STOP"}
        assert stoppers
        phone = sorted(stoppers)[0]
        words = [body for p, body in sent if p == phone]
        assert words[:3] == ["STOP", "HELP", "START"]
        assert stack.simulation.errors == []
