"""A request's contact match follows the book at once, and each change says which numbers moved."""

from __future__ import annotations

from typing import Any

from sfterm.core.models import Event
from sfterm.server.auth import load_viewer
from sfterm.server.events import events_after
from tests.support.backend import Backend
from tests.support.forms import storefront_form


async def _events(backend: Backend, handle: str, type: str) -> list[Event]:
    db = backend.app.state.db
    viewer = await load_viewer(db, backend.tokens[handle])
    assert viewer is not None
    async with db.read() as conn:
        return [e for e in await events_after(conn, viewer, 0) if e.type == type]


async def _match(backend: Backend, handle: str, request_id: int) -> dict[str, Any]:
    async with backend.http(handle) as http:
        match: dict[str, Any] = (await http.get(f"/api/v1/requests/{request_id}")).json()[
            "contact_match"
        ]
    return match


async def _post(backend: Backend, handle: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with backend.http(handle) as http:
        response = await http.post(path, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_match_goes_none_one_many_with_an_event_each_time(backend: Backend) -> None:
    async with backend.http() as http:
        form = storefront_form("camille", phone="514 555 0142")
        rid = (await http.post("/api/v1/public/requests", json=form)).json()["id"]
    assert await _match(backend, "camille", rid) == {"state": "none", "contacts": []}

    amelie = await _post(
        backend,
        "camille",
        "/api/v1/contacts",
        {"name": "Amélie Fortin", "phones": [{"phone": "(514) 555-0142"}]},
    )
    one = await _match(backend, "camille", rid)
    assert one["state"] == "one"
    assert [c["name"] for c in one["contacts"]] == ["Amélie Fortin"]

    other = await _post(backend, "camille", "/api/v1/contacts", {"name": "Marc Fortin"})
    assert (await _match(backend, "camille", rid))["state"] == "one"  # no number yet
    await _post(
        backend, "camille", f"/api/v1/contacts/{other['id']}/phones", {"phone": "+15145550142"}
    )
    many = await _match(backend, "camille", rid)
    assert many["state"] == "many"
    assert [c["name"] for c in many["contacts"]] == ["Amélie Fortin", "Marc Fortin"]

    changed = await _events(backend, "camille", "contact.changed")
    assert [(e.data["contact"]["name"], e.data["phones"]) for e in changed] == [
        ("Amélie Fortin", ["+15145550142"]),
        ("Marc Fortin", []),
        ("Marc Fortin", ["+15145550142"]),
    ]
    assert changed[0].data["contact"]["id"] == amelie["id"]


async def test_renaming_a_contact_renames_its_matches_with_an_event(backend: Backend) -> None:
    async with backend.http() as http:
        form = storefront_form("camille", phone="514 555 0142")
        rid = (await http.post("/api/v1/public/requests", json=form)).json()["id"]
    made = await _post(
        backend,
        "camille",
        "/api/v1/contacts",
        {"name": "Amelie", "phones": [{"phone": "5145550142"}, {"phone": "4385550100"}]},
    )
    async with backend.http("camille") as http:
        await http.patch(f"/api/v1/contacts/{made['id']}", json={"name": "Amélie Fortin"})
    assert (await _match(backend, "camille", rid))["contacts"][0]["name"] == "Amélie Fortin"
    last = (await _events(backend, "camille", "contact.changed"))[-1]
    assert last.data["phones"] == ["+15145550142", "+14385550100"]
    assert last.data["contact"]["name"] == "Amélie Fortin"


async def test_rep_mode_events_and_matches_stay_with_the_books_owner(backend: Backend) -> None:
    async with backend.http() as http:
        form = storefront_form("mathieu", phone="514 555 0142")
        rid = (await http.post("/api/v1/public/requests", json=form)).json()["id"]
    await _post(
        backend,
        "camille",
        "/api/v1/contacts",
        {"name": "Camille's Amélie", "phones": [{"phone": "5145550142"}]},
    )
    assert (await _match(backend, "mathieu", rid))["state"] == "none"
    assert len(await _events(backend, "camille", "contact.changed")) == 1
    assert await _events(backend, "mathieu", "contact.changed") == []


async def test_team_mode_events_go_to_the_whole_store(team_backend: Backend) -> None:
    async with team_backend.http() as http:
        form = storefront_form("mathieu", phone="514 555 0142")
        rid = (await http.post("/api/v1/public/requests", json=form)).json()["id"]
    await _post(
        team_backend,
        "camille",
        "/api/v1/contacts",
        {"name": "Amélie Fortin", "phones": [{"phone": "5145550142"}]},
    )
    assert (await _match(team_backend, "elodie", rid))["state"] == "one"
    for handle in ("camille", "mathieu", "elodie"):
        assert len(await _events(team_backend, handle, "contact.changed")) == 1
    assert await _events(team_backend, "priya", "contact.changed") == []


async def test_a_refused_change_logs_no_event(backend: Backend) -> None:
    made = await _post(
        backend, "camille", "/api/v1/contacts", {"name": "A", "phones": [{"phone": "5145550142"}]}
    )
    async with backend.http("camille") as http:
        dup = await http.post(f"/api/v1/contacts/{made['id']}/phones", json={"phone": "5145550142"})
        bad = await http.patch(f"/api/v1/contacts/{made['id']}", json={"email": "x"})
    assert dup.status_code == 409 and bad.status_code == 422
    assert len(await _events(backend, "camille", "contact.changed")) == 1
