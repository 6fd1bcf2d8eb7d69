"""Threads and texts through the API: open, list, page, send (idempotent), consent, links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sfterm.client.api import ApiError
from sfterm.core.models import AttachmentIn, AttachmentKind
from sfterm.server.db import events
from tests.support.backend import Backend
from tests.support.fake_twilio import FakeTwilio, attach, inbound, post_webhook
from tests.support.forms import storefront_form

CUSTOMER = "+15145550142"
CAMILLE = "+15145550111"


@pytest.fixture
def fake(backend: Backend) -> FakeTwilio:
    fake = FakeTwilio()
    attach(backend, fake)
    return fake


async def _thread(backend: Backend, phone: str = "514 555 0142", handle: str = "camille") -> int:
    async with backend.client(handle) as c:
        return (await c.open_thread(phone)).id


async def test_opening_a_thread_by_phone_creates_it_once(
    backend: Backend, fake: FakeTwilio
) -> None:
    async with backend.http("camille") as http:
        first = await http.post("/api/v1/threads", json={"phone": "(514) 555-0142"})
        again = await http.post("/api/v1/threads", json={"phone": "+1 514 555 0142"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["phone"] == CUSTOMER
    assert first.json()["relay_number"] == CAMILLE
    assert first.json()["phone_display"] == "(514) 555-0142"


@pytest.mark.parametrize("phone", ["555", "+33 6 12 34 56 78", ""])
async def test_a_bad_number_is_refused_naming_phone(
    backend: Backend, fake: FakeTwilio, phone: str
) -> None:
    async with backend.http("camille") as http:
        response = await http.post("/api/v1/threads", json={"phone": phone})
    assert response.status_code == 422
    assert response.json()["field"] == "phone"


async def test_threads_list_most_recent_activity_first_in_keyset_pages(
    backend: Backend, fake: FakeTwilio
) -> None:
    ids = []
    for last in ("0101", "0102", "0103"):
        backend.clock.advance(minutes=1)
        ids.append(await _thread(backend, f"514 555 {last}"))
    backend.clock.advance(minutes=1)
    async with backend.client("camille") as c:
        await c.send_message(ids[0], "Your coat is in")
        first = await c.threads(limit=2)
        assert isinstance(first.next_before, str)
        rest = await c.threads(before=first.next_before, limit=2)
    assert [t.id for t in first.items] == [ids[0], ids[2]]
    assert [t.id for t in rest.items] == [ids[1]] and rest.next_before is None
    async with backend.http("camille") as http:
        bad = await http.get("/api/v1/threads", params={"before": "nonsense!"})
    assert bad.status_code == 422 and bad.json()["field"] == "before"


async def test_threads_of_another_associate_are_not_visible(
    backend: Backend, fake: FakeTwilio
) -> None:
    thread_id = await _thread(backend)
    async with backend.http("mathieu") as http:
        for response in (
            await http.get(f"/api/v1/threads/{thread_id}"),
            await http.get(f"/api/v1/threads/{thread_id}/messages"),
            await http.post(f"/api/v1/threads/{thread_id}/messages", json={"body": "hi"}),
        ):
            assert response.status_code == 404
    assert fake.sent == []


async def test_a_text_is_sent_from_the_relay_number_and_stored_queued_with_its_sid(
    backend: Backend, fake: FakeTwilio
) -> None:
    thread_id = await _thread(backend)
    async with backend.client("camille") as c:
        message = await c.send_message(thread_id, "Hello Amélie")
        thread = await c.thread(thread_id)
    assert message.status == "queued" and message.sid == f"SM{1:032x}"
    assert message.direction == "outbound" and not message.automatic
    assert (fake.last("From"), fake.last("To"), fake.last("Body")) == (
        CAMILLE,
        CUSTOMER,
        "Hello Amélie",
    )
    assert thread.message_count == 1 and thread.last_message is not None
    assert thread.last_message.id == message.id


async def test_the_same_idempotency_key_twice_sends_one_text(
    backend: Backend, fake: FakeTwilio
) -> None:
    thread_id = await _thread(backend)
    async with backend.http("camille") as http:
        headers = {"Idempotency-Key": "key-1"}
        first = await http.post(
            f"/api/v1/threads/{thread_id}/messages", json={"body": "once"}, headers=headers
        )
        second = await http.post(
            f"/api/v1/threads/{thread_id}/messages", json={"body": "once"}, headers=headers
        )
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert len(fake.sent) == 1


async def test_sending_to_an_unsubscribed_number_is_refused_before_anything_leaves(
    backend: Backend, fake: FakeTwilio
) -> None:
    await post_webhook(
        backend, "/webhooks/twilio/sms", inbound("SM" + "1" * 32, CUSTOMER, CAMILLE, "STOP")
    )
    thread_id = await _thread(backend)
    async with backend.client("camille") as c:
        with pytest.raises(ApiError) as refused:
            await c.send_message(thread_id, "Still there?")
        page = await c.messages(thread_id)
    assert refused.value.status == 409 and refused.value.error == "unsubscribed"
    assert "STOP" in refused.value.message
    assert fake.sent == [] and [m.body for m in page.items] == ["STOP"]


@pytest.mark.parametrize(
    ("refusal", "code", "fragment"),
    [((400, 21610, "unsubscribed"), 21610, "START"), ((400, 21211, "bad To"), 21211, "valid")],
)
async def test_a_gateway_refusal_is_stored_failed_with_its_code(
    backend: Backend, fake: FakeTwilio, refusal: tuple[int, int, str], code: int, fragment: str
) -> None:
    thread_id = await _thread(backend)
    fake.refuse = refusal
    async with backend.client("camille") as c:
        message = await c.send_message(thread_id, "hi")
        [stored] = (await c.messages(thread_id)).items
    assert message.status == "failed" and message.error_code == code
    assert fragment in (message.error_message or "")
    assert stored == message


async def test_an_unreachable_gateway_is_a_failed_message_not_a_500(
    backend: Backend, fake: FakeTwilio
) -> None:
    thread_id = await _thread(backend)
    fake.down = True
    async with backend.client("camille") as c:
        message = await c.send_message(thread_id, "hi")
    assert message.status == "failed" and message.error_code is None
    assert "could not be reached" in (message.error_message or "")


async def test_messages_come_in_keyset_pages_newest_first(
    backend: Backend, fake: FakeTwilio
) -> None:
    thread_id = await _thread(backend)
    async with backend.client("camille") as c:
        sent = [(await c.send_message(thread_id, f"text {i}")).id for i in range(5)]
        first = await c.messages(thread_id, limit=3)
        rest = await c.messages(thread_id, before=first.next_before, limit=3)
    assert [m.id for m in first.items] == sent[:1:-1]
    assert [m.id for m in rest.items] == sent[1::-1] and rest.next_before is None


async def test_mark_read_clears_the_unread_count(backend: Backend, fake: FakeTwilio) -> None:
    await post_webhook(
        backend, "/webhooks/twilio/sms", inbound("SM" + "2" * 32, CUSTOMER, CAMILLE, "Hi")
    )
    async with backend.client("camille") as c:
        [thread] = (await c.threads()).items
        assert thread.unread_count == 1
        assert (await c.mark_read(thread.id)).unread_count == 0


async def test_the_first_associate_text_sets_first_reply_and_the_confirmation_does_not(
    backend: Backend, fake: FakeTwilio
) -> None:
    async with backend.http() as http:
        rid = (await http.post("/api/v1/public/requests", json=storefront_form("camille"))).json()[
            "id"
        ]
    async with backend.client("camille") as c:
        assert (await c.request(rid)).first_reply_at is None
        [thread] = (await c.threads()).items
        backend.clock.advance(minutes=7)
        first_at = backend.clock.now
        await c.send_message(thread.id, "Yes, we have it")
        backend.clock.advance(minutes=1)
        await c.send_message(thread.id, "Shall I hold it?")
        assert (await c.request(rid)).first_reply_at == first_at


async def test_first_reply_counts_from_any_thread_with_that_number(
    backend: Backend, fake: FakeTwilio
) -> None:
    async with backend.http() as http:
        rid = (await http.post("/api/v1/public/requests", json=storefront_form("camille"))).json()[
            "id"
        ]
    async with backend.client("camille") as c:
        reply = await c.reply(rid, "new")
        await c.send_message(reply.thread.id, "Hello!")
        assert (await c.request(rid)).first_reply_at == backend.clock.now


# ---- attachments and tracked links --------------------------------------------------------------


async def test_products_can_be_searched(backend: Backend) -> None:
    async with backend.client("camille") as c:
        everything = await c.products()
        coats = await c.products("wool coat")
    assert 25 <= len(everything) <= 40
    assert {p.id for p in coats} == {"wool-coat-camel", "wool-coat-navy"}
    assert all(p.url.startswith("https://maisonlaurier.example/") for p in everything)


async def test_attachments_become_tracked_links_and_media(
    backend: Backend, fake: FakeTwilio
) -> None:
    thread_id = await _thread(backend)
    attachments = [
        AttachmentIn(kind=AttachmentKind.PRODUCT, product_id="wool-coat-camel"),
        AttachmentIn(kind=AttachmentKind.STOREFRONT),
        AttachmentIn(kind=AttachmentKind.IMAGE, url="https://img.example/fit.jpg"),
    ]
    async with backend.client("camille") as c:
        message = await c.send_message(
            thread_id, "See https://maisonlaurier.example/sale.", attachments
        )
    kinds = [a.kind for a in message.attachments]
    assert kinds == ["link", "product", "storefront", "image"]
    link, coat, storefront, image = message.attachments
    assert link.target_url == "https://maisonlaurier.example/sale"
    assert message.body == f"See {link.url}."
    assert coat.url.startswith("http://backend.test/r/") and coat.price == "$349.00"
    assert coat.product_id == "wool-coat-camel" and storefront.product_id is None
    assert storefront.target_url == "https://maisonlaurier.example/storefront/camille"
    assert image.url == image.target_url == "https://img.example/fit.jpg"
    sent = fake.sent[-1]
    assert coat.url in sent["Body"][0] and storefront.url in sent["Body"][0]
    assert "maisonlaurier.example/products" not in sent["Body"][0]
    assert sent["MediaUrl"] == [
        "https://maisonlaurier.example/images/wool-coat-camel.jpg",
        "https://img.example/fit.jpg",
    ]


@pytest.mark.parametrize(
    ("attachment", "field"),
    [
        ({"kind": "product", "product_id": "unicorn"}, "attachments.0.product_id"),
        ({"kind": "image", "url": "ftp://img.example/a.jpg"}, "attachments.0.url"),
        ({"kind": "image", "url": "javascript:alert(1)"}, "attachments.0.url"),
        ({"kind": "image"}, "attachments.0.url"),
    ],
)
async def test_bad_attachments_are_refused_naming_them(
    backend: Backend, fake: FakeTwilio, attachment: dict, field: str
) -> None:
    thread_id = await _thread(backend)
    async with backend.http("camille") as http:
        response = await http.post(
            f"/api/v1/threads/{thread_id}/messages",
            json={"body": "look", "attachments": [attachment]},
        )
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert fake.sent == []


async def test_a_click_on_a_tracked_link_redirects_and_is_counted(
    backend: Backend, fake: FakeTwilio
) -> None:
    thread_id = await _thread(backend)
    product = AttachmentIn(kind=AttachmentKind.PRODUCT, product_id="loafers-cognac")
    async with backend.client("camille") as c:
        message = await c.send_message(thread_id, "", [product])
    path = message.attachments[0].url.removeprefix("http://backend.test")
    async with backend.http() as http:
        response = await http.get(path)
        missing = await http.get("/r/nope")
    assert response.status_code == 302
    assert response.headers["location"] == "https://maisonlaurier.example/products/loafers-cognac"
    assert missing.status_code == 404
    async with backend.client("camille") as c:
        [seen] = (await c.messages(thread_id)).items
    assert seen.attachments[0].clicks == 1
    async with backend.app.state.db.read() as conn:
        last = (await conn.execute(select(events).order_by(events.c.id.desc()).limit(1))).one()
    assert last.type == "message.updated"
    assert last.data["message"]["attachments"][0]["clicks"] == 1


async def test_a_text_too_long_with_its_links_is_refused(
    backend: Backend, fake: FakeTwilio
) -> None:
    thread_id = await _thread(backend)
    async with backend.http("camille") as http:
        response = await http.post(
            f"/api/v1/threads/{thread_id}/messages",
            json={"body": "x" * 1590, "attachments": [{"kind": "storefront"}]},
        )
    assert response.status_code == 422 and response.json()["field"] == "body"
    assert "1600" in response.json()["message"]


async def test_an_empty_text_is_refused(backend: Backend, fake: FakeTwilio) -> None:
    thread_id = await _thread(backend)
    async with backend.http("camille") as http:
        response = await http.post(f"/api/v1/threads/{thread_id}/messages", json={"body": " "})
    assert response.status_code == 422 and response.json()["field"] == "body"


async def test_threads_can_be_filtered_by_number_in_any_form(backend: Backend) -> None:
    async with backend.client("camille") as c:
        wanted = await c.open_thread("514 555 0177")
        await c.open_thread("514 555 0178")
        page = await c.threads(phone="(514) 555-0177")
        none = await c.threads(phone="+1 514 555 0179")
    assert [t.id for t in page.items] == [wanted.id]
    assert none.items == []


async def test_a_bad_number_filter_is_refused_naming_phone(backend: Backend) -> None:
    async with backend.http("camille") as http:
        response = await http.get("/api/v1/threads", params={"phone": "12"})
    assert response.status_code == 422
    assert response.json()["field"] == "phone"
