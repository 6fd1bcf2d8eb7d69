"""New Leads: shared by the store until one associate accepts; the first to accept wins."""

from __future__ import annotations

import asyncio

from tests.support.backend import Backend
from tests.support.forms import widget_form


async def _lead(backend: Backend, **overrides: object) -> int:
    async with backend.client() as c:
        receipt = await c.submit_request(widget_form(**overrides))
    assert receipt.folder == "new_leads"
    return receipt.id


async def test_twenty_concurrent_accepts_one_winner_nineteen_told_who(backend: Backend) -> None:
    lead_id = await _lead(backend)
    handles = ["camille", "mathieu", "elodie"]
    clients = [backend.http(handles[i % 3]) for i in range(20)]
    try:
        responses = await asyncio.gather(
            *(c.post(f"/api/v1/leads/{lead_id}/accept") for c in clients)
        )
    finally:
        for c in clients:
            await c.aclose()
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 19
    winner = next(r for r in responses if r.status_code == 200).json()["associate"]
    for r in responses:
        if r.status_code == 409:
            body = r.json()
            assert body["error"] == "lead_taken"
            assert body["taken_by"]["id"] == winner["id"]
            assert winner["name"] in body["message"] or "you" in body["message"]


async def test_accepted_lead_leaves_everyones_new_leads_and_joins_the_winners_requests(
    backend: Backend,
) -> None:
    lead_id = await _lead(backend)
    async with backend.client("mathieu") as c:
        accepted = await c.accept_lead(lead_id)
    assert accepted.folder == "customer_requests"
    assert accepted.accepted_at == backend.clock.now
    for handle in ("camille", "mathieu", "elodie"):
        async with backend.client(handle) as c:
            assert (await c.leads()).items == []
    async with backend.client("mathieu") as c:
        assert [r.id for r in (await c.requests()).items] == [lead_id]
    async with backend.client("camille") as c:
        assert (await c.requests()).items == []


async def test_the_loser_is_told_who_took_it(backend: Backend) -> None:
    lead_id = await _lead(backend)
    async with backend.http("camille") as http:
        await http.post(f"/api/v1/leads/{lead_id}/accept")
    async with backend.http("elodie") as http:
        response = await http.post(f"/api/v1/leads/{lead_id}/accept")
    assert response.status_code == 409
    assert response.json()["message"] == f"lead {lead_id} was already accepted by Camille Roy"
    assert response.json()["taken_by"]["handle"] == "camille"


async def test_a_store_never_sees_another_stores_leads(backend: Backend) -> None:
    lead_id = await _lead(backend)
    async with backend.client("priya") as c:
        assert (await c.leads()).items == []
    async with backend.http("priya") as http:
        accept = await http.post(f"/api/v1/leads/{lead_id}/accept")
        detail = await http.get(f"/api/v1/requests/{lead_id}")
    assert accept.status_code == 404
    assert detail.status_code == 404


async def test_accepting_something_that_is_not_a_lead(backend: Backend) -> None:
    async with backend.http("camille") as http:
        missing = await http.post("/api/v1/leads/999/accept")
        word = await http.post("/api/v1/leads/abc/accept")
    assert missing.status_code == 404
    assert word.status_code == 422
    assert word.json()["field"] == "lead_id"


async def test_leads_are_keyset_paged_newest_first(backend: Backend) -> None:
    ids = [await _lead(backend, name=f"Client {i}") for i in range(5)]
    async with backend.client("camille") as c:
        first = await c.leads(limit=2)
        second = await c.leads(limit=2, before=first.next_before)  # type: ignore[arg-type]
        third = await c.leads(limit=2, before=second.next_before)  # type: ignore[arg-type]
    assert [r.id for r in first.items] == ids[::-1][:2]
    assert [r.id for r in second.items] == ids[::-1][2:4]
    assert [r.id for r in third.items] == ids[:1]
    assert third.next_before is None
