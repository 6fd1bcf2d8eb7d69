"""Email replies: the simulated outbox, the first reply time, refusals that name the reason."""

from __future__ import annotations

from sqlalchemy import select

from sfterm.server.db import associates, email_outbox, events, requests
from tests.support.backend import Backend
from tests.support.forms import storefront_form, widget_form


async def _submit(backend: Backend, **form: object) -> int:
    async with backend.http() as http:
        response = await http.post("/api/v1/public/requests", json=storefront_form(**form))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _email_request(backend: Backend) -> int:
    return await _submit(backend, channel="email", phone=None)


async def test_an_email_reply_is_kept_and_answers_the_request(backend: Backend) -> None:
    rid = await _email_request(backend)
    sent_at = backend.clock.advance(minutes=25)
    async with backend.http("camille") as http:
        response = await http.post(
            f"/api/v1/requests/{rid}/email",
            json={"subject": "Your coat", "body": "We have it in M."},
        )
    assert response.status_code == 201, response.text
    email = response.json()
    assert email["to_email"] == "amelie@example.com"
    assert email["associate"]["handle"] == "camille"
    assert email["subject"] == "Your coat"
    async with backend.client("camille") as client:
        request = await client.request(rid)
        listed = await client.emails(rid)
    assert request.first_reply_at == sent_at
    assert [e.id for e in listed] == [email["id"]]


async def test_the_first_reply_time_is_kept_by_a_second_email(backend: Backend) -> None:
    rid = await _email_request(backend)
    first = backend.clock.advance(minutes=10)
    async with backend.client("camille") as client:
        await client.send_email(rid, "One", "First")
        backend.clock.advance(hours=2)
        await client.send_email(rid, "Two", "Second")
        request = await client.request(rid)
        listed = await client.emails(rid)
    assert request.first_reply_at == first
    assert [e.subject for e in listed] == ["One", "Two"]


async def test_the_reply_is_an_event_for_the_owner(backend: Backend) -> None:
    rid = await _email_request(backend)
    async with backend.client("camille") as client:
        await client.send_email(rid, "Hello", "Body")
    async with backend.app.state.db.read() as conn:
        row = (await conn.execute(select(events).order_by(events.c.id.desc()).limit(1))).one()
        camille = (
            await conn.execute(select(associates.c.id).where(associates.c.handle == "camille"))
        ).scalar_one()
    assert row.type == "request.updated"
    assert row.associate_id == camille
    assert row.data["request"]["first_reply_at"] is not None
    assert row.data["email"]["subject"] == "Hello"


async def test_the_reply_counts_in_the_reply_time_kpi(backend: Backend) -> None:
    rid = await _email_request(backend)
    backend.clock.advance(minutes=30)
    async with backend.client("camille") as client:
        await client.send_email(rid, "Hello", "Body")
        report = await client.kpis(period="today")
    assert report.reply_time.answered == 1
    assert report.reply_time.mean_seconds == 1800
    assert report.preference is not None and report.preference.email == 1


async def test_a_text_request_is_refused_naming_the_channel(backend: Backend) -> None:
    rid = await _submit(backend)
    async with backend.http("camille") as http:
        response = await http.post(
            f"/api/v1/requests/{rid}/email", json={"subject": "Hi", "body": "Hello"}
        )
    assert response.status_code == 409
    assert response.json()["error"] == "text_request"
    assert "text" in response.json()["message"]
    assert await _outbox_size(backend) == 0


async def test_a_request_without_email_is_refused_naming_the_email(backend: Backend) -> None:
    rid = await _email_request(backend)
    async with backend.app.state.db.write() as conn:
        await conn.execute(requests.update().where(requests.c.id == rid).values(email=None))
    async with backend.http("camille") as http:
        response = await http.post(
            f"/api/v1/requests/{rid}/email", json={"subject": "Hi", "body": "Hello"}
        )
    assert response.status_code == 422
    assert response.json()["field"] == "email"
    assert await _outbox_size(backend) == 0


async def test_a_new_lead_must_be_accepted_first(backend: Backend) -> None:
    async with backend.http() as http:
        response = await http.post(
            "/api/v1/public/requests", json=widget_form(channel="email", phone=None)
        )
    rid = response.json()["id"]
    async with backend.http("camille") as http:
        refused = await http.post(
            f"/api/v1/requests/{rid}/email", json={"subject": "Hi", "body": "Hello"}
        )
    assert refused.status_code == 409
    assert "accept" in refused.json()["message"]


async def test_someone_elses_request_is_not_found(backend: Backend) -> None:
    rid = await _email_request(backend)
    async with backend.http("mathieu") as http:
        posted = await http.post(
            f"/api/v1/requests/{rid}/email", json={"subject": "Hi", "body": "Hello"}
        )
        listed = await http.get(f"/api/v1/requests/{rid}/emails")
    assert posted.status_code == listed.status_code == 404


async def test_managers_cannot_write(backend: Backend) -> None:
    rid = await _email_request(backend)
    async with backend.app.state.db.write() as conn:
        await conn.execute(
            associates.update().where(associates.c.handle == "mathieu").values(level="manager")
        )
    async with backend.http("mathieu") as http:
        posted = await http.post(
            f"/api/v1/requests/{rid}/email", json={"subject": "Hi", "body": "Hello"}
        )
        listed = await http.get(f"/api/v1/requests/{rid}/emails")
    assert posted.status_code == 403
    assert listed.status_code == 200 and listed.json() == []


async def test_empty_or_unknown_fields_are_422_naming_them(backend: Backend) -> None:
    rid = await _email_request(backend)
    async with backend.http("camille") as http:
        for body, field in (
            ({"subject": "", "body": "x"}, "subject"),
            ({"subject": "x"}, "body"),
            ({"subject": "x", "body": "y", "cc": "z"}, "cc"),
            ({"subject": "x" * 301, "body": "y"}, "subject"),
        ):
            response = await http.post(f"/api/v1/requests/{rid}/email", json=body)
            assert response.status_code == 422, body
            assert response.json()["field"] == field
    assert await _outbox_size(backend) == 0


async def test_team_mode_replies_are_store_events(team_backend: Backend) -> None:
    async with team_backend.http() as http:
        response = await http.post(
            "/api/v1/public/requests", json=widget_form(channel="email", phone=None)
        )
    rid = response.json()["id"]
    async with team_backend.client("elodie") as client:
        await client.send_email(rid, "Hello", "Body")
    async with team_backend.client("mathieu") as client:
        assert len(await client.emails(rid)) == 1
    async with team_backend.app.state.db.read() as conn:
        row = (await conn.execute(select(events).order_by(events.c.id.desc()).limit(1))).one()
    assert row.type == "request.updated" and row.associate_id is None


async def _outbox_size(backend: Backend) -> int:
    async with backend.app.state.db.read() as conn:
        return len((await conn.execute(select(email_outbox.c.id))).all())
