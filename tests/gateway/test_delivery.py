"""Outbound messages walk queued → sending → sent → delivered, with signed status callbacks."""

from __future__ import annotations

import httpx
import pytest

from sfterm.core.twilio_signature import validate_signature
from sfterm.gateway.carrier import FAILING_HANDSETS
from sfterm.gateway.store import GatewayState
from tests.gateway.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    RELAY,
    STATUS_URL,
    UNREACHABLE,
    FakeBackend,
    send,
)

pytestmark = pytest.mark.usefixtures("relay")


async def test_status_callbacks_come_in_order_after_queued(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    sid = (await send(api, StatusCallback=STATUS_URL)).json()["sid"]
    await state.wait_idle()
    hits = fake_backend.at("/status")
    assert [h.params["MessageStatus"] for h in hits] == ["sending", "sent", "delivered"]
    for hit in hits:
        assert hit.method == "POST"
        assert hit.url == STATUS_URL
        assert hit.params == {
            "AccountSid": ACCOUNT_SID,
            "ApiVersion": "2010-04-01",
            "From": RELAY,
            "MessageSid": sid,
            "MessageStatus": hit.params["MessageStatus"],
            "SmsSid": sid,
            "SmsStatus": hit.params["MessageStatus"],
            "To": CUSTOMER,
        }


async def test_status_callbacks_are_signed_with_the_auth_token(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    callback = f"{STATUS_URL}?thread=42&kind=sms"
    await send(api, StatusCallback=callback)
    await state.wait_idle()
    hits = fake_backend.at("/status")
    assert len(hits) == 3
    for hit in hits:
        assert validate_signature(AUTH_TOKEN, callback, hit.params, hit.signature)
        assert not validate_signature("other-token", callback, hit.params, hit.signature)


async def test_delivered_message_is_complete_and_reaches_the_handset(
    api: httpx.AsyncClient, state: GatewayState
) -> None:
    created = (await send(api, Body="Your coat is ready")).json()
    await state.wait_idle()
    message = (await api.get(created["uri"])).json()
    assert message["status"] == "delivered"
    assert message["date_sent"] == "Thu, 24 Aug 2023 05:01:45 +0000"
    assert message["price"] == "-0.00790"
    log = (await api.get(f"/sim/handsets/{CUSTOMER}/messages")).json()["messages"]
    assert [(e["direction"], e["number"], e["body"], e["sid"]) for e in log] == [
        ("incoming", RELAY, "Your coat is ready", created["sid"])
    ]


async def test_without_status_callback_nothing_is_posted(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: FakeBackend
) -> None:
    await send(api)
    await state.wait_idle()
    assert fake_backend.hits == []


@pytest.mark.parametrize(
    ("digits", "status", "code"),
    [
        ("5550196", "undelivered", 30003),
        ("5550197", "undelivered", 30005),
        ("5550198", "failed", 30006),
        ("5550199", "undelivered", 30007),
    ],
)
async def test_failing_handsets_end_with_their_error(
    api: httpx.AsyncClient,
    state: GatewayState,
    fake_backend: FakeBackend,
    digits: str,
    status: str,
    code: int,
) -> None:
    assert FAILING_HANDSETS[digits].error_code == code
    to = f"+1438{digits}"
    created = (await send(api, To=to, StatusCallback=STATUS_URL)).json()
    assert created["status"] == "queued"
    await state.wait_idle()
    message = (await api.get(created["uri"])).json()
    assert (message["status"], message["error_code"]) == (status, code)
    assert message["error_message"]
    hits = fake_backend.at("/status")
    assert [h.params["MessageStatus"] for h in hits] == ["sending", status]
    assert "ErrorCode" not in hits[0].params
    assert hits[1].params["ErrorCode"] == str(code)
    assert (await api.get(f"/sim/handsets/{to}/messages")).json()["messages"] == []


async def test_unreachable_status_callback_is_retried_once_and_delivery_goes_on(
    api: httpx.AsyncClient, state: GatewayState
) -> None:
    created = (await send(api, StatusCallback=UNREACHABLE)).json()
    await state.wait_idle()
    record = state.messages[created["sid"]]
    assert record.status == "delivered"
    assert [(a.params["MessageStatus"], a.attempt) for a in record.webhook_attempts] == [
        ("sending", 1),
        ("sending", 2),
        ("sent", 1),
        ("sent", 2),
        ("delivered", 1),
        ("delivered", 2),
    ]
    assert all(a.error and a.status_code is None for a in record.webhook_attempts)


async def test_wait_idle_returns_at_once_when_nothing_is_pending(state: GatewayState) -> None:
    await state.wait_idle()
    assert not state.busy
