"""Removing a number from a contact: `DELETE /api/v1/contacts/{id}/phones/{phone_id}`.

The contact answered without the number, the number no longer found by a search, a request with
it no longer matched, `contact.changed` naming it, all in one transaction; and the refusals
(another book, a number not the contact's, a bad id) as JSON naming what is wrong.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from sfterm.core.models import Event
from sfterm.server.auth import load_viewer
from sfterm.server.db import contact_phones
from sfterm.server.events import events_after
from tests.support.backend import BASE, Backend
from tests.support.forms import storefront_form

KEPT = "+15145550123"
REMOVED = "+14385550188"


async def _create(backend: Backend, handle: str, name: str, *phones: str) -> dict[str, Any]:
    body = {"name": name, "phones": [{"phone": p} for p in phones]}
    async with backend.http(handle) as http:
        response = await http.post("/api/v1/contacts", json=body)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def _phone_id(contact: dict[str, Any], e164: str) -> int:
    return int(next(p["id"] for p in contact["phones"] if p["phone"] == e164))


async def _remove(backend: Backend, handle: str, contact_id: int, phone_id: Any) -> httpx.Response:
    async with backend.http(handle) as http:
        return await http.delete(f"/api/v1/contacts/{contact_id}/phones/{phone_id}")


async def _found_by(backend: Backend, handle: str, phone: str) -> list[str]:
    async with backend.http(handle) as http:
        response = await http.get("/api/v1/contacts", params={"phone": phone})
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["items"]]


async def _changes(backend: Backend, handle: str) -> list[Event]:
    db = backend.app.state.db
    viewer = await load_viewer(db, backend.tokens[handle])
    assert viewer is not None
    async with db.read() as conn:
        return [e for e in await events_after(conn, viewer, 0) if e.type == "contact.changed"]


async def _phone_rows(backend: Backend) -> list[str]:
    async with backend.app.state.db.read() as conn:
        return [r.phone for r in await conn.execute(select(contact_phones))]


async def _phone_grams(backend: Backend, phone_id: int) -> int:
    async with backend.app.state.db.read() as conn:
        rows = await conn.exec_driver_sql(
            "SELECT count(*) FROM contact_phone_grams WHERE phone_id = ?", (phone_id,)
        )
        return int(rows.scalar_one())


# ---- removing ---------------------------------------------------------------------------------


async def test_removing_a_number_answers_the_contact_without_it(backend: Backend) -> None:
    made = await _create(backend, "camille", "Élodie Gagnon", "514 555 0123", "438 555 0188")
    response = await _remove(backend, "camille", made["id"], _phone_id(made, REMOVED))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == made["id"] and body["name"] == "Élodie Gagnon"
    assert [p["phone"] for p in body["phones"]] == [KEPT]
    async with backend.client("camille") as c:
        again = await c.contact(made["id"])
    assert [p.phone for p in again.phones] == [KEPT]
    assert await _phone_rows(backend) == [KEPT]


async def test_the_removed_number_no_longer_finds_the_contact(backend: Backend) -> None:
    made = await _create(backend, "camille", "Élodie Gagnon", "514 555 0123", "438 555 0188")
    await _create(backend, "camille", "Marc Roy", "438 555 0199")
    assert await _found_by(backend, "camille", "438 555 018") == ["Élodie Gagnon"]
    phone_id = _phone_id(made, REMOVED)
    assert await _phone_grams(backend, phone_id) > 0
    assert (await _remove(backend, "camille", made["id"], phone_id)).status_code == 200
    for typed in ("438 555 0188", "(438) 555-018", "5550188", "0188"):
        assert await _found_by(backend, "camille", typed) == [], typed
    assert await _found_by(backend, "camille", "438 555") == ["Marc Roy"]  # shared grams kept
    assert await _found_by(backend, "camille", "514 555 0123") == ["Élodie Gagnon"]
    assert await _phone_grams(backend, phone_id) == 0


async def test_gram_counts_follow_the_removal(backend: Backend) -> None:
    """The rarest-gram choice reads `contact_gram_counts`: a gram only the removed number had
    is counted zero afterwards, so a later search for it reads nothing."""
    made = await _create(backend, "camille", "Élodie Gagnon", "514 555 0123", "438 555 0188")
    removed = await _remove(backend, "camille", made["id"], _phone_id(made, REMOVED))
    assert removed.status_code == 200
    async with backend.app.state.db.read() as conn:
        rows = await conn.exec_driver_sql(
            "SELECT coalesce(sum(n), 0) FROM contact_gram_counts "
            "WHERE source = 'phone' AND gram IN ('438', '188')"
        )
        assert int(rows.scalar_one()) == 0


async def test_a_request_with_the_number_is_no_longer_matched(backend: Backend) -> None:
    async with backend.http() as http:
        form = storefront_form("camille", phone="438 555 0188")
        rid = (await http.post("/api/v1/public/requests", json=form)).json()["id"]
    made = await _create(backend, "camille", "Élodie Gagnon", "514 555 0123", "438 555 0188")
    async with backend.http("camille") as http:
        before = (await http.get(f"/api/v1/requests/{rid}")).json()["contact_match"]
        await http.delete(f"/api/v1/contacts/{made['id']}/phones/{_phone_id(made, REMOVED)}")
        after = (await http.get(f"/api/v1/requests/{rid}")).json()["contact_match"]
    assert before["state"] == "one"
    assert after == {"state": "none", "contacts": []}


async def test_the_last_number_may_be_removed_like_a_contact_created_without_one(
    backend: Backend,
) -> None:
    made = await _create(backend, "camille", "Élodie Gagnon", "438 555 0188")
    response = await _remove(backend, "camille", made["id"], _phone_id(made, REMOVED))
    assert response.status_code == 200, response.text
    assert response.json()["phones"] == []
    assert await _found_by(backend, "camille", "438 555 0188") == []
    async with backend.http("camille") as http:
        listed = (await http.get("/api/v1/contacts", params={"q": "elodie"})).json()["items"]
    assert [(c["name"], c["phones"]) for c in listed] == [("Élodie Gagnon", [])]


# ---- the event, in the same transaction -------------------------------------------------------


async def test_contact_changed_names_the_removed_number(backend: Backend) -> None:
    made = await _create(backend, "camille", "Élodie Gagnon", "514 555 0123", "438 555 0188")
    logged = len(await _changes(backend, "camille"))
    await _remove(backend, "camille", made["id"], _phone_id(made, REMOVED))
    [event] = (await _changes(backend, "camille"))[logged:]
    assert event.data["phones"] == [REMOVED]
    assert event.data["contact"]["id"] == made["id"]
    assert [p["phone"] for p in event.data["contact"]["phones"]] == [KEPT]
    assert await _changes(backend, "mathieu") == []  # rep mode: the book's owner only


async def test_a_removal_whose_event_fails_leaves_the_number_in_place(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delete, the grams and the event commit together or not at all."""
    made = await _create(backend, "camille", "Élodie Gagnon", "514 555 0123", "438 555 0188")
    logged = len(await _changes(backend, "camille"))

    async def failing(*_args: Any, **_kw: Any) -> None:
        raise RuntimeError("the event log is full")

    monkeypatch.setattr("sfterm.server.contacts.append_event", failing)
    transport = httpx.ASGITransport(app=backend.app, raise_app_exceptions=False)
    headers = {"Authorization": f"Bearer {backend.tokens['camille']}"}
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as http:
        response = await http.delete(
            f"/api/v1/contacts/{made['id']}/phones/{_phone_id(made, REMOVED)}"
        )
    monkeypatch.undo()
    assert response.status_code == 500 and response.json()["error"] == "internal"
    assert sorted(await _phone_rows(backend)) == sorted([KEPT, REMOVED])
    assert await _found_by(backend, "camille", "438 555 0188") == ["Élodie Gagnon"]
    assert len(await _changes(backend, "camille")) == logged


# ---- refusals ---------------------------------------------------------------------------------


async def test_a_contact_of_another_book_is_404_and_keeps_its_number(backend: Backend) -> None:
    theirs = await _create(backend, "mathieu", "Mathieu's client", "438 555 0188")
    logged = len(await _changes(backend, "mathieu"))
    response = await _remove(backend, "camille", theirs["id"], _phone_id(theirs, REMOVED))
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found" and f"contact {theirs['id']}" in body["message"]
    assert await _found_by(backend, "mathieu", "438 555 0188") == ["Mathieu's client"]
    assert len(await _changes(backend, "mathieu")) == logged


async def test_another_stores_team_book_is_404(team_backend: Backend) -> None:
    made = await _create(team_backend, "camille", "Shared Client", "438 555 0188")
    response = await _remove(team_backend, "priya", made["id"], _phone_id(made, REMOVED))
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    shared = await _remove(team_backend, "mathieu", made["id"], _phone_id(made, REMOVED))
    assert shared.status_code == 200 and shared.json()["phones"] == []  # the same store's book


@pytest.mark.parametrize("whose", ["unknown", "another contact's"])
async def test_a_number_not_the_contacts_is_404_naming_phone_id(
    backend: Backend, whose: str
) -> None:
    made = await _create(backend, "camille", "Élodie Gagnon", "514 555 0123")
    other = await _create(backend, "camille", "Marc Roy", "438 555 0188")
    phone_id = 9999 if whose == "unknown" else _phone_id(other, REMOVED)
    logged = len(await _changes(backend, "camille"))
    response = await _remove(backend, "camille", made["id"], phone_id)
    assert response.status_code == 404
    assert response.json() == {
        "error": "not_found",
        "message": f"phone_id: contact {made['id']} has no number {phone_id}",
        "field": "phone_id",
    }
    assert sorted(await _phone_rows(backend)) == sorted([KEPT, REMOVED])
    assert len(await _changes(backend, "camille")) == logged


async def test_an_unknown_contact_is_404(backend: Backend) -> None:
    response = await _remove(backend, "camille", 999, 1)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found" and "999" in response.json()["message"]


@pytest.mark.parametrize(
    ("contact_id", "phone_id", "field"), [("1", "abc", "phone_id"), ("x", "1", "contact_id")]
)
async def test_ids_that_are_not_numbers_are_422_naming_them(
    backend: Backend, contact_id: str, phone_id: str, field: str
) -> None:
    response = await _remove(backend, "camille", contact_id, phone_id)
    assert response.status_code == 422
    assert response.json()["field"] == field


async def test_removing_needs_a_token(backend: Backend) -> None:
    made = await _create(backend, "camille", "Élodie Gagnon", "438 555 0188")
    async with backend.http() as http:
        response = await http.delete(f"/api/v1/contacts/{made['id']}/phones/1")
    assert response.status_code == 401
    assert await _phone_rows(backend) == [REMOVED]


# ---- the client -------------------------------------------------------------------------------


async def test_the_client_removes_a_number_and_reports_a_refusal(backend: Backend) -> None:
    from sfterm.client.errors import ApiError
    from sfterm.core.models import ContactCreate, ContactPhoneIn

    async with backend.client("camille") as c:
        made = await c.create_contact(
            ContactCreate(
                name="Élodie",
                phones=[ContactPhoneIn(phone="514 555 0123"), ContactPhoneIn(phone="438 555 0188")],
            )
        )
        removed = made.phones[1]
        after = await c.remove_contact_phone(made.id, removed.id)
        with pytest.raises(ApiError) as refused:
            await c.remove_contact_phone(made.id, removed.id)
    assert [p.phone for p in after.phones] == [KEPT]
    assert refused.value.status == 404 and refused.value.field == "phone_id"
    assert f"no number {removed.id}" in refused.value.message
