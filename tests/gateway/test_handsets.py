"""Handsets text relay numbers: the text reaches the SmsUrl signed; keywords are answered."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from starlette.responses import Response

from sfterm.core.twilio_signature import validate_signature
from sfterm.gateway.inbound import HELP_REPLY, START_REPLY, STOP_REPLY
from sfterm.gateway.store import GatewayState
from tests.gateway.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    NUMBERS,
    RELAY,
    SMS_URL,
    UNREACHABLE,
    FakeBackend,
    send,
    text_from_handset,
)

pytestmark = pytest.mark.usefixtures("relay")


async def handset_log(api: httpx.AsyncClient, phone: str = CUSTOMER) -> list[dict[str, Any]]:
    response = await api.get(f"/sim/handsets/{phone}/messages")
    assert response.status_code == 200
    return list(response.json()["messages"])


async def test_text_is_recorded_received_and_answered_201(
    api: httpx.AsyncClient, state: GatewayState
) -> None:
    response = await text_from_handset(api, "Is the coat in stock?")
    assert response.status_code == 201
    message = response.json()
    assert re.match(r"^SM[0-9a-f]{32}$", message["sid"])
    assert (message["direction"], message["status"]) == ("inbound", "received")
    assert (message["from"], message["to"]) == (CUSTOMER, RELAY)
    fetched = await api.get(message["uri"])
    assert fetched.json()["status"] == "received"


async def test_text_is_posted_to_the_sms_url_signed(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    sid = (await text_from_handset(api, "Is the coat in stock?")).json()["sid"]
    await state.wait_idle()
    [hit] = fake_backend.at("/sms")
    assert hit.url == SMS_URL
    assert hit.params == {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "Body": "Is the coat in stock?",
        "From": CUSTOMER,
        "FromCountry": "CA",
        "MessageSid": sid,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "SmsStatus": "received",
        "To": RELAY,
        "ToCountry": "CA",
    }
    assert validate_signature(AUTH_TOKEN, SMS_URL, hit.params, hit.signature)


async def test_media_is_listed_with_content_types(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    urls = ["https://cdn.example/a.jpg", "https://cdn.example/b.png?size=2"]
    response = await text_from_handset(api, "", media_urls=urls)
    assert response.json()["sid"].startswith("MM")
    await state.wait_idle()
    [hit] = fake_backend.at("/sms")
    assert hit.params["NumMedia"] == "2"
    assert (hit.params["MediaUrl0"], hit.params["MediaContentType0"]) == (urls[0], "image/jpeg")
    assert (hit.params["MediaUrl1"], hit.params["MediaContentType1"]) == (urls[1], "image/png")
    assert validate_signature(AUTH_TOKEN, SMS_URL, hit.params, hit.signature)


async def test_sms_method_get_sends_the_params_in_the_query(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    await api.post(NUMBERS, data={"PhoneNumber": RELAY, "SmsMethod": "GET"})
    await text_from_handset(api, "hi")
    await state.wait_idle()
    [hit] = fake_backend.at("/sms")
    assert hit.method == "GET"
    assert httpx.URL(hit.url).params["Body"] == "hi"
    assert validate_signature(AUTH_TOKEN, hit.url, {}, hit.signature)


async def test_unreachable_sms_url_is_retried_once_and_the_outcome_kept(
    api: httpx.AsyncClient, state: GatewayState
) -> None:
    await api.post(NUMBERS, data={"PhoneNumber": RELAY, "SmsUrl": UNREACHABLE})
    sid = (await text_from_handset(api, "anyone there?")).json()["sid"]
    await state.wait_idle()
    record = state.messages[sid]
    assert record.status == "received"
    assert [a.attempt for a in record.webhook_attempts] == [1, 2]
    assert all("ConnectError" in (a.error or "") for a in record.webhook_attempts)
    assert len(await handset_log(api)) == 1


async def test_server_error_is_retried_once(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    fake_backend.answers = [Response(status_code=503), Response(status_code=204)]
    sid = (await text_from_handset(api, "hello")).json()["sid"]
    await state.wait_idle()
    assert [a.status_code for a in state.messages[sid].webhook_attempts] == [503, 204]
    assert len(fake_backend.at("/sms")) == 2


async def test_client_error_is_not_retried(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    fake_backend.answers = [Response(status_code=403)]
    sid = (await text_from_handset(api, "hello")).json()["sid"]
    await state.wait_idle()
    assert [a.status_code for a in state.messages[sid].webhook_attempts] == [403]


async def test_handset_log_lists_both_ways_in_order_and_polls_with_after(
    api: httpx.AsyncClient, state: GatewayState
) -> None:
    await text_from_handset(api, "Is the coat in stock?")
    await send(api, Body="Yes, size M")
    await state.wait_idle()
    log = await handset_log(api)
    assert [(e["index"], e["direction"], e["number"], e["body"]) for e in log] == [
        (0, "outgoing", RELAY, "Is the coat in stock?"),
        (1, "incoming", RELAY, "Yes, size M"),
    ]
    assert [e["status"] for e in log] == ["received", "delivered"]
    assert log[0]["date"] == "2023-08-24T05:01:45+00:00"
    later = (await api.get(f"/sim/handsets/{CUSTOMER}/messages", params={"after": 0})).json()
    assert [e["index"] for e in later["messages"]] == [1]


async def test_handset_number_without_plus_or_percent_encoded_is_read(
    api: httpx.AsyncClient,
) -> None:
    await text_from_handset(api, "hi")
    assert len((await api.get("/sim/handsets/15145550142/messages")).json()["messages"]) == 1
    assert len((await api.get("/sim/handsets/%2B15145550142/messages")).json()["messages"]) == 1


@pytest.mark.parametrize(
    ("handset", "payload", "status", "mentions"),
    [
        (CUSTOMER, {"to": "+15145559999", "body": "hi"}, 404, "to"),
        (CUSTOMER, {"to": "nope", "body": "hi"}, 400, "to"),
        ("12", {"to": RELAY, "body": "hi"}, 400, "handset"),
        (CUSTOMER, {"to": RELAY, "body": ""}, 400, "body"),
        (CUSTOMER, {"to": RELAY, "body": "x" * 1601}, 400, "body"),
        (CUSTOMER, {"body": "hi"}, 400, "to"),
        (CUSTOMER, {"to": RELAY, "media_urls": ["file:///etc/passwd"]}, 400, "media_urls"),
    ],
)
async def test_bad_handset_texts_are_refused_with_a_reason(
    api: httpx.AsyncClient,
    state: GatewayState,
    handset: str,
    payload: dict[str, Any],
    status: int,
    mentions: str,
) -> None:
    response = await api.post(f"/sim/handsets/{handset}/messages", json=payload)
    assert response.status_code == status
    assert mentions in response.json()["detail"]
    assert not state.messages


async def test_stop_reaches_the_webhook_unsubscribes_and_replies(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    await text_from_handset(api, " Stop ")
    await state.wait_idle()
    assert [h.params["Body"] for h in fake_backend.at("/sms")] == [" Stop "]
    log = await handset_log(api)
    assert [(e["direction"], e["body"]) for e in log] == [
        ("outgoing", " Stop "),
        ("incoming", STOP_REPLY),
    ]
    reply = state.messages[log[1]["sid"]]
    assert (reply.direction, reply.from_, reply.status) == ("outbound-reply", RELAY, "delivered")
    refused = await send(api)
    assert (refused.status_code, refused.json()["code"]) == (400, 21610)


async def test_stop_only_applies_to_that_relay_number(
    api: httpx.AsyncClient, state: GatewayState
) -> None:
    await api.post(NUMBERS, data={"PhoneNumber": "+15145550101", "SmsUrl": SMS_URL})
    await text_from_handset(api, "STOP")
    assert (await send(api, From="+15145550101")).status_code == 201
    assert (await send(api, To="+15145550143")).status_code == 201


async def test_start_lifts_the_opt_out(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    await text_from_handset(api, "STOP")
    await text_from_handset(api, "start")
    await state.wait_idle()
    assert [h.params["Body"] for h in fake_backend.at("/sms")] == ["STOP", "start"]
    assert (await handset_log(api))[-1]["body"] == START_REPLY
    assert (await send(api)).status_code == 201


async def test_help_gets_the_help_reply_and_changes_nothing(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    await text_from_handset(api, "help")
    await state.wait_idle()
    assert [e["body"] for e in await handset_log(api)] == ["help", HELP_REPLY]
    assert len(fake_backend.at("/sms")) == 1
    assert (await send(api)).status_code == 201


async def test_keyword_replies_do_not_go_through_the_backend(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    await text_from_handset(api, "STOP")
    await state.wait_idle()
    assert [h.params["Body"] for h in fake_backend.hits] == ["STOP"]


async def test_twiml_message_in_the_answer_is_sent_back(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    twiml = (
        "<?xml version='1.0'?>"
        "<Response><Message>Thanks, an associate will reply soon</Message></Response>"
    )
    fake_backend.answers = [Response(twiml, media_type="text/xml")]
    await text_from_handset(api, "hello")
    await state.wait_idle()
    log = await handset_log(api)
    assert [(e["direction"], e["body"]) for e in log] == [
        ("outgoing", "hello"),
        ("incoming", "Thanks, an associate will reply soon"),
    ]
    assert state.messages[log[1]["sid"]].direction == "outbound-reply"


async def test_empty_twiml_response_sends_nothing(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    fake_backend.answers = [Response("<Response/>", media_type="application/xml")]
    await text_from_handset(api, "hello")
    await state.wait_idle()
    assert len(await handset_log(api)) == 1


async def test_known_handsets_are_listed(api: httpx.AsyncClient, state: GatewayState) -> None:
    await text_from_handset(api, "hello")
    handsets = (await api.get("/sim/handsets")).json()["handsets"]
    assert handsets == [{"phone": CUSTOMER, "messages": 1}]
