"""The Messages resource answers as Twilio does: shapes, SIDs, dates, auth, errors, paging."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from sfterm.gateway.app import create_gateway_app, gateway_state
from sfterm.gateway.config import DeliveryDelays, GatewayConfig
from sfterm.gateway.store import GatewayState
from tests.gateway.support import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CUSTOMER,
    GATEWAY,
    MESSAGES,
    RELAY,
    STATUS_URL,
    send,
)

SID = re.compile(r"^SM[0-9a-f]{32}$")
MMS_SID = re.compile(r"^MM[0-9a-f]{32}$")
RFC2822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$")
ERROR_KEYS = {"code", "message", "more_info", "status"}

pytestmark = pytest.mark.usefixtures("relay")


def assert_twilio_error(response: httpx.Response, code: int, status: int = 400) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == code
    assert body["status"] == status
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    assert body["message"]


async def test_create_answers_201_with_twilios_message_json(api: httpx.AsyncClient) -> None:
    response = await send(api, Body="Your coat is in")
    assert response.status_code == 201
    message = response.json()
    assert SID.match(message["sid"])
    assert message["account_sid"] == ACCOUNT_SID
    assert message["api_version"] == "2010-04-01"
    assert (message["to"], message["from"], message["body"]) == (CUSTOMER, RELAY, "Your coat is in")
    assert (message["status"], message["direction"]) == ("queued", "outbound-api")
    assert (message["num_segments"], message["num_media"]) == ("1", "0")
    assert message["error_code"] is None and message["error_message"] is None
    assert message["price"] is None and message["price_unit"] == "USD"
    assert message["messaging_service_sid"] is None
    assert message["date_created"] == "Thu, 24 Aug 2023 05:01:45 +0000"
    assert RFC2822.match(message["date_updated"])
    assert message["date_sent"] is None
    assert message["uri"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{message['sid']}.json"
    assert message["subresource_uris"]["media"].endswith(f"/Messages/{message['sid']}/Media.json")


async def test_segments_are_counted_as_strings(api: httpx.AsyncClient) -> None:
    response = await send(api, Body="a" * 161)
    assert response.json()["num_segments"] == "2"


async def test_media_makes_an_mm_sid_and_needs_no_body(api: httpx.AsyncClient) -> None:
    urls = ["https://cdn.example/coat.jpg", "https://cdn.example/scarf.png"]
    response = await send(api, Body=None, MediaUrl=urls)
    assert response.status_code == 201, response.text
    message = response.json()
    assert MMS_SID.match(message["sid"])
    assert (message["num_media"], message["num_segments"], message["body"]) == ("2", "1", "")


async def test_sids_are_reproducible_with_a_seed(config: GatewayConfig) -> None:
    def sids(seed: int) -> list[str]:
        config.seed = seed
        state = gateway_state(create_gateway_app(config))
        return [state.new_sid("SM") for _ in range(3)]

    assert sids(7) == sids(7)
    assert sids(7) != sids(8)


async def test_fetch_returns_the_message_and_unknown_sid_is_20404(api: httpx.AsyncClient) -> None:
    created = (await send(api)).json()
    fetched = await api.get(created["uri"])
    assert fetched.status_code == 200
    assert fetched.json()["sid"] == created["sid"]
    missing = await api.get(f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/SM{'0' * 32}.json")
    assert_twilio_error(missing, 20404, 404)


@pytest.mark.parametrize(
    "auth",
    [None, (ACCOUNT_SID, "wrong"), ("AC" + "f" * 32, AUTH_TOKEN), (ACCOUNT_SID, "")],
    ids=["none", "bad-token", "other-account", "empty-token"],
)
async def test_bad_credentials_are_20003(gateway_app: Any, auth: Any) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway_app), base_url=GATEWAY, auth=auth
    ) as client:
        response = await send(client)
        listing = await client.get(MESSAGES)
    assert_twilio_error(response, 20003, 401)
    assert_twilio_error(listing, 20003, 401)
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_account_in_path_must_be_the_callers(api: httpx.AsyncClient) -> None:
    other = "AC" + "f" * 32
    response = await api.get(f"/2010-04-01/Accounts/{other}/Messages.json")
    assert_twilio_error(response, 20003, 401)


async def test_garbled_basic_auth_is_20003(api: httpx.AsyncClient) -> None:
    response = await api.get(MESSAGES, headers={"Authorization": "Basic !!!not-base64"}, auth=None)
    assert_twilio_error(response, 20003, 401)


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"To": None}, 21604),
        ({"From": None}, 21603),
        ({"Body": None}, 21602),
        ({"Body": ""}, 21602),
        ({"Body": "x" * 1601}, 21617),
        ({"To": "not a number"}, 21211),
        ({"To": "+1"}, 21211),
        ({"To": "+15005550001"}, 21211),
        ({"To": "+15005550004"}, 21610),
        ({"To": "+15005550009"}, 21614),
        ({"From": "+15145559999"}, 21606),
        ({"From": "garbage"}, 21606),
        ({"MediaUrl": [f"https://cdn.example/{i}.jpg" for i in range(11)]}, 21623),
        ({"StatusCallback": "not-a-url"}, 21609),
    ],
    ids=lambda v: str(v)[:40],
)
async def test_refused_messages_carry_twilios_code(
    api: httpx.AsyncClient, state: GatewayState, form: dict[str, Any], code: int
) -> None:
    response = await send(api, **form)
    assert_twilio_error(response, code)
    assert not state.messages


async def test_body_of_exactly_1600_characters_is_accepted(api: httpx.AsyncClient) -> None:
    response = await send(api, Body="x" * 1600)
    assert response.status_code == 201


async def test_twilio_test_from_number_needs_no_registration(api: httpx.AsyncClient) -> None:
    response = await send(api, From="+15005550006")
    assert response.status_code == 201


async def test_to_in_national_form_is_read_in_the_from_numbers_country(
    api: httpx.AsyncClient,
) -> None:
    response = await send(api, To="(514) 555-0142")
    assert response.json()["to"] == CUSTOMER


async def test_list_pages_newest_first_and_ends_with_null_next(api: httpx.AsyncClient) -> None:
    sids = [(await send(api, Body=f"text {i}")).json()["sid"] for i in range(5)]
    seen: list[str] = []
    page = (await api.get(MESSAGES, params={"PageSize": 2})).json()
    assert page["previous_page_uri"] is None
    pages = 0
    while True:
        pages += 1
        assert page["page_size"] == 2
        assert page["start"] == (page["page"]) * 2
        assert page["end"] == page["start"] + len(page["messages"]) - 1
        assert page["first_page_uri"].startswith(f"{MESSAGES}?")
        assert page["uri"].startswith(f"{MESSAGES}?")
        seen += [m["sid"] for m in page["messages"]]
        if page["next_page_uri"] is None:
            break
        assert page["next_page_uri"].startswith("/2010-04-01/")
        page = (await api.get(page["next_page_uri"])).json()
        assert page["previous_page_uri"] is not None
    assert pages == 3
    assert seen == list(reversed(sids))


async def test_previous_page_uri_leads_back(api: httpx.AsyncClient) -> None:
    for i in range(4):
        await send(api, Body=f"text {i}")
    first = (await api.get(MESSAGES, params={"PageSize": 2})).json()
    second = (await api.get(first["next_page_uri"])).json()
    back = (await api.get(second["previous_page_uri"])).json()
    assert [m["sid"] for m in back["messages"]] == [m["sid"] for m in first["messages"]]


async def test_list_filters_by_to_and_from(api: httpx.AsyncClient) -> None:
    await send(api, To=CUSTOMER)
    await send(api, To="+15145550143")
    listed = (await api.get(MESSAGES, params={"To": "+15145550143"})).json()
    assert [m["to"] for m in listed["messages"]] == ["+15145550143"]
    assert "To=%2B15145550143" in listed["uri"]
    from_other = (await api.get(MESSAGES, params={"From": "+15005550006"})).json()
    assert from_other["messages"] == []
    assert from_other["next_page_uri"] is None


async def test_empty_list_has_the_envelope(api: httpx.AsyncClient) -> None:
    page = (await api.get(MESSAGES)).json()
    assert page["messages"] == [] and page["next_page_uri"] is None
    assert (page["page"], page["page_size"], page["start"], page["end"]) == (0, 50, 0, 0)


async def test_bad_page_size_or_token_is_a_twilio_error(api: httpx.AsyncClient) -> None:
    assert_twilio_error(await api.get(MESSAGES, params={"PageSize": "x"}), 20001)
    assert_twilio_error(await api.get(MESSAGES, params={"PageToken": "PAnope"}), 20001)


async def test_cancel_a_queued_message(
    api: httpx.AsyncClient, state: GatewayState, fake_backend: Any
) -> None:
    state.config.delays = DeliveryDelays(sending=3600, sent=0, delivered=0)
    created = (await send(api, StatusCallback=STATUS_URL)).json()
    response = await api.post(created["uri"], data={"Status": "canceled"})
    assert response.status_code == 200
    assert response.json()["status"] == "canceled"
    await state.wait_idle()
    assert state.messages[created["sid"]].status == "canceled"
    assert [h.params["MessageStatus"] for h in fake_backend.hits] == ["canceled"]


async def test_cancel_after_queued_is_30409(api: httpx.AsyncClient, state: GatewayState) -> None:
    created = (await send(api)).json()
    await state.wait_idle()
    response = await api.post(created["uri"], data={"Status": "canceled"})
    assert_twilio_error(response, 30409)
    assert state.messages[created["sid"]].status == "delivered"


async def test_update_other_than_cancel_is_refused(api: httpx.AsyncClient) -> None:
    created = (await send(api)).json()
    assert_twilio_error(await api.post(created["uri"], data={"Status": "sent"}), 30400)
    missing = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/SM{'1' * 32}.json"
    assert_twilio_error(await api.post(missing, data={"Status": "canceled"}), 20404, 404)


async def test_unknown_twilio_path_is_20404(api: httpx.AsyncClient) -> None:
    response = await api.get(f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json")
    assert_twilio_error(response, 20404, 404)


async def test_media_subresource_lists_each_media(api: httpx.AsyncClient) -> None:
    urls = ["https://cdn.example/coat.jpg", "https://cdn.example/look.png"]
    message = (await send(api, MediaUrl=urls)).json()
    listing = await api.get(message["subresource_uris"]["media"])
    assert listing.status_code == 200
    media = listing.json()["media_list"]
    assert [(m["content_type"], m["parent_sid"]) for m in media] == [
        ("image/jpeg", message["sid"]),
        ("image/png", message["sid"]),
    ]
    assert all(re.match(r"^ME[0-9a-f]{32}$", m["sid"]) for m in media)
    one = await api.get(media[1]["uri"])
    assert one.json()["sid"] == media[1]["sid"]
    missing = await api.get(media[1]["uri"].replace(media[1]["sid"], "ME" + "0" * 32))
    assert_twilio_error(missing, 20404, 404)
