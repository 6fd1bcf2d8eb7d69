"""The contact book: creating, reading, editing, adding numbers, and who may see which book."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from sfterm.server.db import contact_phones, contacts, events
from tests.support.backend import Backend


async def _count(backend: Backend, table: Any) -> int:
    async with backend.app.state.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def _create(backend: Backend, handle: str, **body: Any) -> dict[str, Any]:
    body.setdefault("name", "Élodie Gagnon")
    async with backend.http(handle) as http:
        response = await http.post("/api/v1/contacts", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_a_contact_is_created_with_its_numbers_in_e164(backend: Backend) -> None:
    made = await _create(
        backend,
        "camille",
        name="  Élodie Gagnon ",
        email="elodie@example.com",
        notes="prefers texts",
        phones=[{"phone": "(514) 555-0123"}, {"phone": "+1 438 555 0199", "label": "work"}],
    )
    assert made["name"] == "Élodie Gagnon"
    assert [(p["phone"], p["phone_display"], p["label"]) for p in made["phones"]] == [
        ("+15145550123", "(514) 555-0123", "mobile"),
        ("+14385550199", "(438) 555-0199", "work"),
    ]
    async with backend.client("camille") as c:
        again = await c.contact(made["id"])
    assert again.email == "elodie@example.com" and again.notes == "prefers texts"
    async with backend.app.state.db.read() as conn:
        row = (await conn.execute(select(contacts))).one()
    assert row.name_key == "elodie gagnon" and row.origin == "manual"


async def test_patch_changes_only_the_fields_given(backend: Backend) -> None:
    made = await _create(backend, "camille", email="a@example.com", notes="n")
    async with backend.http("camille") as http:
        response = await http.patch(f"/api/v1/contacts/{made['id']}", json={"name": "Élodie Roy"})
        cleared = await http.patch(f"/api/v1/contacts/{made['id']}", json={"email": None})
    assert response.status_code == 200
    assert response.json()["name"] == "Élodie Roy"
    assert response.json()["email"] == "a@example.com" and response.json()["notes"] == "n"
    assert cleared.json()["email"] is None
    async with backend.http("camille") as http:
        found = (await http.get("/api/v1/contacts", params={"q": "roy"})).json()["items"]
    assert [c["name"] for c in found] == ["Élodie Roy"]


async def test_adding_a_number_and_adding_it_again(backend: Backend) -> None:
    made = await _create(backend, "camille", phones=[{"phone": "514 555 0123"}])
    async with backend.http("camille") as http:
        added = await http.post(
            f"/api/v1/contacts/{made['id']}/phones", json={"phone": "438-555-0188", "label": "home"}
        )
        twice = await http.post(
            f"/api/v1/contacts/{made['id']}/phones", json={"phone": "+1 514 555 0123"}
        )
    assert added.status_code == 201
    assert [p["phone"] for p in added.json()["phones"]] == ["+15145550123", "+14385550188"]
    assert twice.status_code == 409
    assert twice.json()["field"] == "phone" and "+15145550123" in twice.json()["message"]
    assert await _count(backend, contact_phones) == 2


async def test_detail_lists_the_requests_with_its_numbers(backend: Backend) -> None:
    async with backend.http() as http:
        form = {
            "source": "storefront",
            "associate": "camille",
            "name": "Élodie",
            "phone": "514 555 0123",
            "channel": "text",
        }
        rid = (await http.post("/api/v1/public/requests", json=form)).json()["id"]
    made = await _create(backend, "camille", phones=[{"phone": "5145550123"}])
    async with backend.client("camille") as c:
        detail = await c.contact(made["id"])
        listed = await c.contacts()
    assert detail.request_ids == [rid]
    assert listed.items[0].request_ids == []  # lists stay cheap: ids only in the detail


async def test_the_book_is_listed_in_name_order_by_keyset_pages(backend: Backend) -> None:
    names = ["Zoé Roy", "amélie Fortin", "Béatrice Côté", "Anne Dubé", "bruno Caron"]
    for name in names:
        await _create(backend, "camille", name=name)
    seen: list[str] = []
    before = None
    async with backend.client("camille") as c:
        while True:
            page = await c.contacts(before=before, limit=2)
            seen += [item.name for item in page.items]
            if page.next_before is None:
                break
            before = page.next_before
    assert seen == ["amélie Fortin", "Anne Dubé", "Béatrice Côté", "bruno Caron", "Zoé Roy"]


# ---- whose book -------------------------------------------------------------------------------


async def test_rep_mode_books_are_private(backend: Backend) -> None:
    theirs = await _create(backend, "mathieu", name="Mathieu's client")
    async with backend.http("camille") as http:
        listed = (await http.get("/api/v1/contacts")).json()["items"]
        searched = (await http.get("/api/v1/contacts", params={"q": "client"})).json()["items"]
        read = await http.get(f"/api/v1/contacts/{theirs['id']}")
        patched = await http.patch(f"/api/v1/contacts/{theirs['id']}", json={"name": "Mine"})
        added = await http.post(
            f"/api/v1/contacts/{theirs['id']}/phones", json={"phone": "514 555 0123"}
        )
    assert listed == [] and searched == []
    assert read.status_code == patched.status_code == added.status_code == 404
    assert read.json()["error"] == "not_found"
    async with backend.client("mathieu") as c:
        assert (await c.contact(theirs["id"])).name == "Mathieu's client"
        assert (await c.contact(theirs["id"])).phones == []


async def test_team_mode_shares_the_store_book(team_backend: Backend) -> None:
    made = await _create(team_backend, "camille", name="Shared Client")
    async with team_backend.http("mathieu") as http:
        found = (await http.get("/api/v1/contacts", params={"q": "shared"})).json()["items"]
        patched = await http.patch(f"/api/v1/contacts/{made['id']}", json={"notes": "VIP"})
    assert [c["id"] for c in found] == [made["id"]]
    assert patched.status_code == 200 and patched.json()["notes"] == "VIP"
    async with team_backend.http("priya") as http:  # another store
        assert (await http.get("/api/v1/contacts")).json()["items"] == []
        assert (await http.get(f"/api/v1/contacts/{made['id']}")).status_code == 404
    async with team_backend.app.state.db.read() as conn:
        assert (await conn.execute(select(contacts.c.associate_id))).scalar_one() is None


async def test_contacts_need_a_token(backend: Backend) -> None:
    async with backend.http() as http:
        assert (await http.get("/api/v1/contacts")).status_code == 401
        assert (await http.post("/api/v1/contacts", json={"name": "X"})).status_code == 401


# ---- bad input --------------------------------------------------------------------------------

BAD_CREATES = [
    ({"name": ""}, "name", ""),
    ({"name": "   "}, "name", ""),
    ({"name": "x" * 201}, "name", "200"),
    ({"name": "A", "email": "not-an-email"}, "email", "not-an-email"),
    ({"name": "A", "phones": [{"phone": "555"}]}, "phones.0.phone", "'555'"),
    (
        {"name": "A", "phones": [{"phone": "5145550123"}, {"phone": "hello"}]},
        "phones.1.phone",
        "'hello'",
    ),
    ({"name": "A", "phones": [{"phone": "+33 6 12 34 56 78"}]}, "phones.0.phone", "+1"),
    (
        {"name": "A", "phones": [{"phone": "5145550123"}, {"phone": "+15145550123"}]},
        "phones.1.phone",
        "twice",
    ),
    ({"name": "A", "phones": [{"phone": "5145550123", "label": " "}]}, "phones.0.label", "label"),
    ({"name": "A", "colour": "red"}, "colour", "unknown"),
    ({"name": "A", "notes": "x" * 2001}, "notes", "2000"),
]


@pytest.mark.parametrize(("body", "field", "fragment"), BAD_CREATES)
async def test_bad_contacts_are_refused_naming_the_field_and_write_nothing(
    backend: Backend, body: dict[str, Any], field: str, fragment: str
) -> None:
    async with backend.http("camille") as http:
        response = await http.post("/api/v1/contacts", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert fragment in response.json()["message"]
    assert await _count(backend, contacts) == 0
    assert await _count(backend, contact_phones) == 0
    assert await _count(backend, events) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": None}, "name"), ({"name": ""}, "name"), ({"email": "nope"}, "email")],
)
async def test_bad_patches_are_refused_and_change_nothing(
    backend: Backend, body: dict[str, Any], field: str
) -> None:
    made = await _create(backend, "camille", email="a@example.com")
    async with backend.http("camille") as http:
        response = await http.patch(f"/api/v1/contacts/{made['id']}", json=body)
        after = (await http.get(f"/api/v1/contacts/{made['id']}")).json()
    assert response.status_code == 422 and response.json()["field"] == field
    assert after["name"] == made["name"] and after["email"] == "a@example.com"


async def test_a_bad_number_added_is_refused_quoting_it(backend: Backend) -> None:
    made = await _create(backend, "camille")
    async with backend.http("camille") as http:
        response = await http.post(f"/api/v1/contacts/{made['id']}/phones", json={"phone": "12"})
    assert response.status_code == 422
    assert response.json()["field"] == "phone" and "'12'" in response.json()["message"]
    assert await _count(backend, contact_phones) == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"phone": "55"}, "phone"),
        ({"phone": "abc"}, "phone"),
        ({"before": "garbage"}, "before"),
        ({"limit": "0"}, "limit"),
        ({"q": "x" * 201}, "q"),
    ],
)
async def test_bad_searches_are_4xx_naming_the_parameter(
    backend: Backend, params: dict[str, str], field: str
) -> None:
    async with backend.http("camille") as http:
        response = await http.get("/api/v1/contacts", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


async def test_an_unknown_contact_is_404(backend: Backend) -> None:
    async with backend.http("camille") as http:
        response = await http.get("/api/v1/contacts/999")
    assert response.status_code == 404 and "999" in response.json()["message"]


async def test_the_client_methods_speak_the_contacts_api(backend: Backend) -> None:
    from sfterm.core.models import ContactCreate, ContactPatch, ContactPhoneIn

    async with backend.client("camille") as c:
        made = await c.create_contact(
            ContactCreate(name="Élodie", phones=[ContactPhoneIn(phone="514 555 0123")])
        )
        renamed = await c.update_contact(made.id, ContactPatch(name="Élodie Gagnon"))
        added = await c.add_contact_phone(made.id, ContactPhoneIn(phone="438 555 0100"))
        found = await c.contacts(phone="+1514555")
    assert renamed.name == "Élodie Gagnon" and renamed.phones == made.phones
    assert [p.phone for p in added.phones] == ["+15145550123", "+14385550100"]
    assert [item.id for item in found.items] == [made.id]
