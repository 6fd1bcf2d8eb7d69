"""Customer Requests: paging, status filter, detail, resolve and reopen, and who may see what."""

from __future__ import annotations

import pytest

from sfterm.server.auth import load_viewer
from sfterm.server.events import events_after
from tests.support.backend import Backend
from tests.support.forms import storefront_form, widget_form


async def _request(backend: Backend, associate: str = "camille", **overrides: object) -> int:
    async with backend.client() as c:
        return (await c.submit_request(storefront_form(associate, **overrides))).id


async def test_resolve_then_reopen(backend: Backend) -> None:
    rid = await _request(backend)
    async with backend.client("camille") as c:
        backend.clock.advance(minutes=5)
        resolved = await c.resolve(rid)
        assert resolved.status == "resolved"
        assert resolved.resolved_at == backend.clock.now
        assert (await c.resolve(rid)).status == "resolved"  # twice is harmless
        reopened = await c.reopen(rid)
        assert reopened.status == "open" and reopened.resolved_at is None


async def test_status_filter_and_paging(backend: Backend) -> None:
    ids = [await _request(backend, name=f"Client {i}") for i in range(6)]
    async with backend.client("camille") as c:
        for rid in ids[:2]:
            await c.resolve(rid)
        open_page = await c.requests(status="open", limit=3)
        rest = await c.requests(status="open", limit=3, before=open_page.next_before)  # type: ignore[arg-type]
        resolved = await c.requests(status="resolved")
    assert [r.id for r in open_page.items] == ids[:1:-1][:3]
    assert [r.id for r in rest.items] == [ids[2]]
    assert rest.next_before is None
    assert [r.id for r in resolved.items] == ids[1::-1]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=pending", "status"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("before=-4", "before"),
        ("before=x", "before"),
    ],
)
async def test_bad_list_parameters_name_the_field(backend: Backend, query: str, field: str) -> None:
    async with backend.http("camille") as http:
        response = await http.get(f"/api/v1/requests?{query}")
    assert response.status_code == 422
    assert response.json()["field"] == field


async def test_an_associate_never_sees_anothers_requests(backend: Backend) -> None:
    rid = await _request(backend, "elodie")
    async with backend.http("camille") as http:
        detail = await http.get(f"/api/v1/requests/{rid}")
        resolve = await http.post(f"/api/v1/requests/{rid}/resolve")
        listing = await http.get("/api/v1/requests")
    assert detail.status_code == 404
    assert resolve.status_code == 404
    assert listing.json()["items"] == []
    async with backend.client("elodie") as c:
        assert (await c.request(rid)).status == "open"


async def test_detail_carries_the_contact_match(backend: Backend) -> None:
    rid = await _request(backend)
    async with backend.client("camille") as c:
        detail = await c.request(rid)
    assert detail.contact_match is not None
    assert detail.contact_match.state == "none"


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer nope", "Basic Y2FtaWxsZTpwdw==", "bearer  "]
)
async def test_a_missing_or_wrong_token_is_401(backend: Backend, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    async with backend.http() as http:
        for path in ("/api/v1/me", "/api/v1/leads", "/api/v1/requests", "/api/v1/events"):
            response = await http.get(path, headers=headers)
            assert response.status_code == 401
            assert response.json()["message"].startswith("Authorization")


async def test_me_says_who_where_and_how(backend: Backend) -> None:
    async with backend.client("elodie") as c:
        me = await c.me()
    assert me.associate.name == "Élodie Gagnon"
    assert me.store.handle == "montreal" and me.store.timezone == "America/Toronto"
    assert me.retailer.mode == "rep" and me.retailer.text_messaging
    assert me.associate.relay_number == "+15145550113"


async def test_me_names_the_head_of_the_event_log_to_follow_from(backend: Backend) -> None:
    """Lists read after `me`, with the stream followed after its `last_event_id`, miss nothing:
    whatever happens after `me` comes as events after that id."""
    async with backend.client("camille") as c:
        before = (await c.me()).last_event_id
        assert before is not None
        rid = await _request(backend)
        after = (await c.me()).last_event_id
        assert after is not None and after > before
    viewer = await load_viewer(backend.app.state.db, backend.tokens["camille"])
    assert viewer is not None
    async with backend.app.state.db.read() as conn:
        news = await events_after(conn, viewer, before)
        assert [e.data["request"]["id"] for e in news if e.type == "request.created"] == [rid]


async def test_a_change_of_settings_is_seen_by_the_next_request(backend: Backend) -> None:
    from sfterm.server.db import retailers

    async with backend.client("camille") as c:
        assert (await c.me()).retailer.mode == "rep"
        async with backend.app.state.db.write() as conn:
            await conn.execute(retailers.update().values(mode="team"))
        assert (await c.me()).retailer.mode == "team"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("zoé", ["Zoé Martin"]),
        ("ZOÉ", ["Zoé Martin"]),
        ("martin", ["Zoé Martin"]),
        ("wool", ["Noah Côté"]),
        ("514 555 0199", ["Noah Côté"]),
        ("(514) 555-01", ["Noah Côté", "Zoé Martin"]),
        ("example.com", ["Noah Côté", "Zoé Martin"]),
        ("100%", []),
        ("a_b", []),
        ("back\\slash", []),
        ("zoe", ["Zoé Martin"]),
        ("ZOE", ["Zoé Martin"]),
        ("elodie", ["Élodie Lavoie"]),
        ("ÉLODIE", ["Élodie Lavoie"]),
        ("Elodie", ["Élodie Lavoie"]),
        ("élodie", ["Élodie Lavoie"]),
        ("  élodie   lavoie ", ["Élodie Lavoie"]),
        ("cote", ["Noah Côté", "Élodie Lavoie"]),
        ("CÔTÉ", ["Noah Côté", "Élodie Lavoie"]),
        ("elodie.l@", ["Élodie Lavoie"]),
        ("ELODIE.L@EXAMPLE", ["Élodie Lavoie"]),
        ("lavoie côté", []),
        ("\u0301", ["Noah Côté", "Zoé Martin", "Élodie Lavoie"]),
    ],
)
async def test_lists_can_be_searched_by_name_email_message_and_number(
    backend: Backend, q: str, expected: list[str]
) -> None:
    """Whatever the case and accents of the query or of the request (`cote` finds "Côté" in a
    name and in a message); a query never spans two fields; one folding to nothing finds all."""
    await _request(backend, name="Zoé Martin", phone="514 555 0123", message="Hello")
    await _request(backend, name="Noah Côté", phone="514 555 0199", message="The wool coat?")
    await _request(
        backend,
        name="Élodie Lavoie",
        email="Élodie.L@Example.org",
        phone="438 555 0177",
        message="Côté\nMont-Royal: the scarf",
    )
    async with backend.client("camille") as c:
        found = await c.requests(q=q)
    assert sorted(r.name for r in found.items) == sorted(expected)


async def test_leads_can_be_searched_too(backend: Backend) -> None:
    async with backend.client() as public:
        for name in ("Léa Roy", "Marc Roy", "Anne Caron"):
            await public.submit_request(widget_form(name=name))
    async with backend.client("mathieu") as c:
        found = await c.leads(q="roy")
    assert [r.name for r in found.items] == ["Marc Roy", "Léa Roy"]


@pytest.mark.parametrize("q", ["lea", "LÉA", "Lea Roy", "léa"])
async def test_leads_are_searched_whatever_the_case_and_accents(backend: Backend, q: str) -> None:
    async with backend.client() as public:
        for name in ("Léa Roy", "LÉANDRE Caron", "Marc Roy"):
            await public.submit_request(widget_form(name=name))
    async with backend.client("mathieu") as c:
        found = await c.leads(q=q)
    expected = ["Léa Roy"] if "roy" in q.lower() else ["LÉANDRE Caron", "Léa Roy"]
    assert [r.name for r in found.items] == expected


@pytest.mark.parametrize(
    "q", ["%", "_", "\\", "'", '"', "\x00", "\u0301\u0301", "💐", "ﬃ" * 100, "ß" * 100]
)
async def test_odd_searches_are_answered_never_a_server_error(backend: Backend, q: str) -> None:
    """Wildcards, quotes, marks alone, and queries that folding makes longer (`ﬃ` → `ffi`)."""
    await _request(backend, name="Zoé Martin")
    async with backend.http("camille") as http:
        for path in ("/api/v1/requests", "/api/v1/leads"):
            response = await http.get(path, params={"q": q})
            assert response.status_code == 200, (path, response.text)


async def test_a_search_too_long_names_the_field(backend: Backend) -> None:
    async with backend.http("camille") as http:
        response = await http.get("/api/v1/requests", params={"q": "é" * 101})
    assert response.status_code == 422
    assert response.json()["field"] == "q"
