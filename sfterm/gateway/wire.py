"""Twilio's JSON shapes: a message, a number, a page of either, and RFC 2822 dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from sfterm.gateway.paging import Page
from sfterm.gateway.records import MessageRecord, NumberRecord

API_VERSION = "2010-04-01"


def rfc2822(moment: datetime | None) -> str | None:
    """``Thu, 24 Aug 2023 05:01:45 +0000``, as Twilio writes dates (always GMT)."""
    if moment is None:
        return None
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0))


def account_path(account_sid: str) -> str:
    return f"/{API_VERSION}/Accounts/{account_sid}"


def message_uri(record: MessageRecord) -> str:
    return f"{account_path(record.account_sid)}/Messages/{record.sid}.json"


def number_uri(record: NumberRecord) -> str:
    return f"{account_path(record.account_sid)}/IncomingPhoneNumbers/{record.sid}.json"


def message_json(record: MessageRecord) -> dict[str, Any]:
    """The message as Twilio's Messages resource shows it."""
    base = message_uri(record).removesuffix(".json")
    return {
        "account_sid": record.account_sid,
        "api_version": API_VERSION,
        "body": record.body,
        "date_created": rfc2822(record.date_created),
        "date_sent": rfc2822(record.date_sent),
        "date_updated": rfc2822(record.date_updated),
        "direction": record.direction,
        "error_code": record.error_code,
        "error_message": record.error_message,
        "from": record.from_,
        "messaging_service_sid": None,
        "num_media": str(len(record.media_urls)),
        "num_segments": str(record.num_segments),
        "price": record.price,
        "price_unit": record.price_unit,
        "sid": record.sid,
        "status": record.status,
        "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
        "to": record.to,
        "uri": message_uri(record),
    }


def number_json(record: NumberRecord) -> dict[str, Any]:
    """The number as Twilio's IncomingPhoneNumbers resource shows it (SMS fields filled)."""
    return {
        "account_sid": record.account_sid,
        "address_requirements": "none",
        "api_version": API_VERSION,
        "beta": False,
        "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
        "date_created": rfc2822(record.date_created),
        "date_updated": rfc2822(record.date_updated),
        "friendly_name": record.friendly_name,
        "origin": "twilio",
        "phone_number": record.phone_number,
        "sid": record.sid,
        "sms_application_sid": "",
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": record.sms_method,
        "sms_url": record.sms_url,
        "status": "in-use",
        "status_callback": "",
        "status_callback_method": "POST",
        "uri": number_uri(record),
        "voice_method": "POST",
        "voice_url": "",
    }


def page_json(
    *,
    key: str,
    path: str,
    items: Sequence[dict[str, Any]],
    filters: dict[str, str],
    page: Page,
) -> dict[str, Any]:
    """Twilio's list envelope around one page of ``items`` under ``key``."""

    def uri(page_number: int, token: str | None = None) -> str:
        query = {**filters, "PageSize": str(page.size), "Page": str(page_number)}
        if token is not None:
            query["PageToken"] = token
        return f"{path}?{urlencode(query)}"

    start = page.number * page.size
    return {
        key: list(items),
        "end": start + max(len(items) - 1, 0),
        "first_page_uri": uri(0),
        "next_page_uri": uri(page.number + 1, page.next_token) if page.next_token else None,
        "page": page.number,
        "page_size": page.size,
        "previous_page_uri": (
            uri(max(page.number - 1, 0), page.previous_token) if page.previous_token else None
        ),
        "start": start,
        "uri": uri(page.number, page.token),
    }
