"""The public request form: routing, the retailer's settings, and bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sfterm.server.db import events, requests, retailers
from tests.support.backend import Backend
from tests.support.forms import storefront_form, widget_form


async def _count(backend: Backend, table) -> int:  # type: ignore[no-untyped-def]
    async with backend.app.state.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def test_widget_request_lands_in_new_leads_in_rep_mode(backend: Backend) -> None:
    async with backend.http() as http:
        response = await http.post("/api/v1/public/requests", json=widget_form())
    assert response.status_code == 201
    assert response.json()["folder"] == "new_leads"
    async with backend.client("mathieu") as c:
        leads = await c.leads()
    assert [lead.name for lead in leads.items] == ["Amélie Fortin"]
    assert leads.items[0].phone == "+15145550142"
    assert leads.items[0].phone_display == "(514) 555-0142"


@pytest.mark.parametrize("source", ["storefront", "footer"])
async def test_associate_page_requests_go_to_that_associate(backend: Backend, source: str) -> None:
    async with backend.http() as http:
        response = await http.post(
            "/api/v1/public/requests", json=storefront_form("elodie", source=source)
        )
    assert response.status_code == 201, response.text
    assert response.json()["folder"] == "customer_requests"
    async with backend.client("elodie") as c:
        mine = await c.requests()
    async with backend.client("camille") as c:
        theirs = await c.requests()
    assert len(mine.items) == 1 and mine.items[0].associate is not None
    assert mine.items[0].associate.handle == "elodie"
    assert theirs.items == []


@pytest.mark.parametrize("source", ["connect_widget", "storefront", "footer"])
async def test_team_mode_sends_everything_to_the_store_team(
    team_backend: Backend, source: str
) -> None:
    form = (
        widget_form(source=source)
        if source == "connect_widget"
        else storefront_form("elodie", source=source)
    )
    async with team_backend.http() as http:
        response = await http.post("/api/v1/public/requests", json=form)
    assert response.json()["folder"] == "customer_requests"
    for handle in ("camille", "mathieu", "elodie"):
        async with team_backend.client(handle) as c:
            assert len((await c.requests()).items) == 1
            assert (await c.leads()).items == []
    async with team_backend.client("priya") as c:
        assert (await c.requests()).items == []


async def test_any_team_member_can_resolve_a_team_request(team_backend: Backend) -> None:
    async with team_backend.http() as http:
        rid = (await http.post("/api/v1/public/requests", json=widget_form())).json()["id"]
    async with team_backend.client("mathieu") as c:
        resolved = await c.resolve(rid)
    assert resolved.status == "resolved"
    async with team_backend.client("elodie") as c:
        assert (await c.request(rid)).status == "resolved"


async def test_text_is_refused_where_the_retailer_has_it_off(backend: Backend) -> None:
    async with backend.app.state.db.write() as conn:
        await conn.execute(retailers.update().values(text_messaging=False))
    async with backend.http() as http:
        response = await http.post("/api/v1/public/requests", json=widget_form())
        email_ok = await http.post(
            "/api/v1/public/requests", json=widget_form(channel="email", phone=None)
        )
    assert response.status_code == 422
    assert response.json()["field"] == "channel"
    assert "text" in response.json()["message"]
    assert email_ok.status_code == 201


BAD_FORMS = [
    (widget_form(phone="555"), "phone", "'555'"),
    (widget_form(phone="+33 6 12 34 56 78"), "phone", "+1"),
    (widget_form(phone=None), "phone", "required"),
    (widget_form(store="atlantis"), "store", "atlantis"),
    (widget_form(store=None), "store", "required"),
    (storefront_form("nobody"), "associate", "nobody"),
    (widget_form(source="storefront"), "associate", "required"),
    (widget_form(message="x" * 2001), "message", "2000"),
    (widget_form(channel="pigeon"), "channel", ""),
    (widget_form(kind="haircut"), "kind", ""),
    (widget_form(name=""), "name", ""),
    (widget_form(email="not-an-email"), "email", "not-an-email"),
    (widget_form(channel="email", email=None, phone=None), "email", "required"),
    (widget_form(colour="red"), "colour", "unknown"),
    (storefront_form("priya", store="montreal"), "associate", "does not work"),
]


@pytest.mark.parametrize(("form", "field", "fragment"), BAD_FORMS)
async def test_bad_forms_are_refused_naming_the_field_and_write_nothing(
    backend: Backend, form: dict, field: str, fragment: str
) -> None:
    async with backend.http() as http:
        response = await http.post("/api/v1/public/requests", json=form)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field
    assert fragment in body["message"]
    assert field in body["message"]
    assert await _count(backend, requests) == 0
    assert await _count(backend, events) == 0


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"text"', b"", b'{"source": null}'])
async def test_malformed_bodies_are_4xx_json(backend: Backend, raw: bytes) -> None:
    async with backend.http() as http:
        response = await http.post(
            "/api/v1/public/requests", content=raw, headers={"content-type": "application/json"}
        )
    assert 400 <= response.status_code < 500
    assert response.json()["message"]
    assert await _count(backend, requests) == 0
