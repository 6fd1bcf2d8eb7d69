"""The simulated network's fixed behaviour: Twilio's test numbers and handsets that fail.

Failing handsets: any number whose last seven digits are one of the keys of
``FAILING_HANDSETS`` accepts the API request (201, ``queued``) and then fails at delivery,
going ``queued`` → ``sending`` → ``failed`` or ``undelivered`` with the error code below:

============  =======  ==============  =====================================
last digits   code     final status    meaning
============  =======  ==============  =====================================
``5550196``   30003    undelivered     unreachable destination handset
``5550197``   30005    undelivered     unknown destination handset
``5550198``   30006    failed          landline or unreachable carrier
``5550199``   30007    undelivered     filtered by the carrier
============  =======  ==============  =====================================

So ``+15145550196`` or ``+442075550198`` fail, whatever the country.

Twilio's magic test numbers are honoured too: ``+15005550006`` may be used as ``From`` without
being registered; ``To`` ``+15005550001`` is invalid (21211), ``+15005550004`` has unsubscribed
(21610) and ``+15005550009`` is not a mobile number (21614).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class DeliveryFailure:
    """How delivery to a failing handset ends."""

    status: Literal["failed", "undelivered"]
    error_code: int
    error_message: str


FAILING_HANDSETS: dict[str, DeliveryFailure] = {
    "5550196": DeliveryFailure("undelivered", 30003, "Unreachable destination handset"),
    "5550197": DeliveryFailure("undelivered", 30005, "Unknown destination handset"),
    "5550198": DeliveryFailure("failed", 30006, "Landline or unreachable carrier"),
    "5550199": DeliveryFailure("undelivered", 30007, "Message filtered by the carrier"),
}
"""Failing handsets, by the last seven digits of their number."""

TEST_FROM_OK = "+15005550006"
"""Twilio's test ``From`` number that always succeeds."""

TEST_TO_INVALID = "+15005550001"
TEST_TO_UNSUBSCRIBED = "+15005550004"
TEST_TO_NOT_MOBILE = "+15005550009"


def delivery_failure(phone: str) -> DeliveryFailure | None:
    """How delivery to ``phone`` fails, or None when the handset receives it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return FAILING_HANDSETS.get(digits[-7:])
