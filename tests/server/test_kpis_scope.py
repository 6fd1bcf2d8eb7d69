"""KPI scope rules, the retailer's text setting, bad parameters and the typed client call."""

from __future__ import annotations

import pytest

from sfterm.server.db import retailers
from tests.server.test_kpis import HOUR, Shop, at, report, seed_fixture, set_level
from tests.support.backend import Backend

# ---- scope rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["associate", "manager"])
async def test_retailer_scope_is_refused_below_regional_naming_the_scope(
    backend: Backend, level: str
) -> None:
    await set_level(backend, "camille", level)
    async with backend.http("camille") as http:
        response = await http.get("/api/v1/kpis", params={"scope": "retailer"})
    assert response.status_code == 403
    assert response.json()["field"] == "scope"
    assert "retailer" in response.json()["message"]


@pytest.mark.parametrize("level", ["regional", "admin"])
async def test_regional_and_admin_see_the_whole_retailer(backend: Backend, level: str) -> None:
    await seed_fixture(backend)
    await set_level(backend, "camille", level)
    body = await report(backend, period="7d", scope="retailer")
    assert body["preference"] == {"text": 5, "email": 3, "total": 8, "ratio": 5 / 8}
    assert body["reply_time"]["answered"] == 6
    assert body["contacts_added"] == 3
    assert body["scope_label"] == "Maison Laurier"
    assert (await report(backend, period="7d"))["scope"] == "retailer"


async def test_default_scope_follows_the_level(backend: Backend) -> None:
    assert (await report(backend))["scope"] == "associate"
    await set_level(backend, "camille", "manager")
    assert (await report(backend))["scope"] == "store"


async def test_an_associate_sees_only_their_own_in_associate_scope(backend: Backend) -> None:
    await seed_fixture(backend)
    body = await report(backend, "mathieu", period="7d", scope="associate")
    assert body["total_requests"] == 1
    assert body["reply_time"]["mean_seconds"] == HOUR


async def test_team_mode_associate_scope_is_the_store_team(team_backend: Backend) -> None:
    async with team_backend.app.state.db.write() as conn:
        shop = Shop(conn)
        await shop.request(at(11, 1, 12), channel="email", owner=None)
        await shop.request(at(11, 1, 13), channel="text", owner=None, phone="+15145550301")
        await shop.request(at(11, 1, 13), channel="text", owner=None, store="toronto")
    mine = await report(team_backend, "mathieu", period="7d", scope="associate")
    store = await report(team_backend, "mathieu", period="7d", scope="store")
    assert (
        mine["preference"]
        == store["preference"]
        == {
            "text": 1,
            "email": 1,
            "total": 2,
            "ratio": 0.5,
        }
    )
    assert "team" in mine["scope_label"]


async def test_preference_is_withheld_with_a_reason_when_text_is_off(backend: Backend) -> None:
    await seed_fixture(backend)
    async with backend.app.state.db.write() as conn:
        await conn.execute(retailers.update().values(text_messaging=False))
    body = await report(backend, period="7d")
    assert body["preference"] is None
    assert "text messaging" in body["preference_unavailable"]
    assert body["by_channel"] == {"email": 2, "text": 3}


# ---- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "fortnight"}, "period"),
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-10-02", "to": "2026-10-01"}, "to"),
        ({"to": "2026-10-01"}, "from"),
        ({"period": "7d", "from": "2026-10-01"}, "period"),
        ({"scope": "galaxy"}, "scope"),
        ({"overnight": "sometimes"}, "overnight"),
    ],
)
async def test_bad_parameters_are_422_naming_the_field(
    backend: Backend, params: dict[str, str], field: str
) -> None:
    async with backend.http("camille") as http:
        response = await http.get("/api/v1/kpis", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert field in response.json()["message"]


async def test_kpis_need_a_token(backend: Backend) -> None:
    async with backend.http() as http:
        response = await http.get("/api/v1/kpis")
    assert response.status_code == 401


async def test_the_client_returns_the_typed_report(backend: Backend) -> None:
    await seed_fixture(backend)
    async with backend.client("camille") as client:
        typed = await client.kpis(period="7d", overnight="exclude")
    assert typed.model_dump(mode="json") == await report(backend, period="7d", overnight="exclude")
    assert typed.preference is not None and typed.preference.ratio == 0.6
