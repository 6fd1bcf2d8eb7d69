"""IncomingPhoneNumbers: a backend registers its relay numbers and where their texts go."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.gateway.support import ACCOUNT_SID, NUMBERS, RELAY, SMS_URL

PN_SID = re.compile(r"^PN[0-9a-f]{32}$")


async def test_register_answers_201_with_twilios_number_json(
    api: httpx.AsyncClient, relay: dict[str, Any]
) -> None:
    assert PN_SID.match(relay["sid"])
    assert relay["phone_number"] == RELAY
    assert relay["sms_url"] == SMS_URL
    assert relay["sms_method"] == "POST"
    assert relay["friendly_name"] == "(514) 555-0100"
    assert relay["account_sid"] == ACCOUNT_SID
    assert relay["date_created"] == "Thu, 24 Aug 2023 05:01:45 +0000"
    assert (
        relay["uri"]
        == f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers/{relay['sid']}.json"
    )
    assert relay["capabilities"]["sms"] is True


async def test_registering_again_updates_the_same_number(
    api: httpx.AsyncClient, relay: dict[str, Any]
) -> None:
    response = await api.post(
        NUMBERS, data={"PhoneNumber": "+1 514-555-0100", "SmsUrl": "http://new.test/sms"}
    )
    assert response.status_code == 200
    assert response.json()["sid"] == relay["sid"]
    assert response.json()["sms_url"] == "http://new.test/sms"
    listed = (await api.get(NUMBERS)).json()["incoming_phone_numbers"]
    assert len(listed) == 1


async def test_list_by_phone_number_then_update_by_sid(
    api: httpx.AsyncClient, relay: dict[str, Any]
) -> None:
    await api.post(NUMBERS, data={"PhoneNumber": "+15145550101", "SmsUrl": SMS_URL})
    found = (await api.get(NUMBERS, params={"PhoneNumber": RELAY})).json()
    assert [n["sid"] for n in found["incoming_phone_numbers"]] == [relay["sid"]]
    assert found["next_page_uri"] is None
    updated = await api.post(
        found["incoming_phone_numbers"][0]["uri"],
        data={"SmsUrl": "http://other.test/in", "SmsMethod": "get", "FriendlyName": "Camille"},
    )
    assert updated.status_code == 200
    number = (await api.get(relay["uri"])).json()
    assert (number["sms_url"], number["sms_method"], number["friendly_name"]) == (
        "http://other.test/in",
        "GET",
        "Camille",
    )


async def test_bad_numbers_and_urls_are_refused(api: httpx.AsyncClient) -> None:
    assert (await api.post(NUMBERS, data={})).json()["code"] == 21452
    assert (await api.post(NUMBERS, data={"PhoneNumber": "12"})).json()["code"] == 21421
    bad_url = await api.post(NUMBERS, data={"PhoneNumber": RELAY, "SmsUrl": "ftp://x"})
    assert (bad_url.status_code, bad_url.json()["code"]) == (400, 21502)
    bad_method = await api.post(NUMBERS, data={"PhoneNumber": RELAY, "SmsMethod": "PUT"})
    assert bad_method.status_code == 400
    assert (await api.get(NUMBERS)).json()["incoming_phone_numbers"] == []


async def test_refused_update_changes_nothing(
    api: httpx.AsyncClient, relay: dict[str, Any]
) -> None:
    response = await api.post(relay["uri"], data={"SmsUrl": "http://ok.test/", "SmsMethod": "PUT"})
    assert response.status_code == 400
    assert (await api.get(relay["uri"])).json()["sms_url"] == SMS_URL


async def test_release_number_then_it_is_not_found(
    api: httpx.AsyncClient, relay: dict[str, Any]
) -> None:
    assert (await api.delete(relay["uri"])).status_code == 204
    assert (await api.get(relay["uri"])).json()["code"] == 20404


async def test_numbers_need_credentials(gateway_app: Any) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway_app), base_url="http://gw.test"
    ) as anonymous:
        response = await anonymous.post(NUMBERS, data={"PhoneNumber": RELAY})
    assert (response.status_code, response.json()["code"]) == (401, 20003)


async def test_sim_lists_registered_numbers(api: httpx.AsyncClient, relay: dict[str, Any]) -> None:
    numbers = (await api.get("/sim/numbers", auth=None)).json()["numbers"]
    assert numbers == [
        {
            "sid": relay["sid"],
            "phone_number": RELAY,
            "friendly_name": "(514) 555-0100",
            "sms_url": SMS_URL,
        }
    ]
