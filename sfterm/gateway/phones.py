"""Reading phone numbers as the carrier does: anything that parses is turned into E.164."""

from __future__ import annotations

import phonenumbers


def parse_e164(value: str, default_region: str | None = None) -> str | None:
    """``value`` in E.164 (``+15145550100``), or None when it is not a possible number.

    Without a leading ``+`` the number is read in ``default_region``, or, with no region, as if
    the ``+`` were there (a form-encoded ``+`` that arrives as a space is forgiven that way).
    """
    text = value.strip()
    if not text or len(text) > 32:
        return None
    if not text.startswith("+") and default_region is None:
        text = f"+{text}"
    try:
        parsed = phonenumbers.parse(text, None if text.startswith("+") else default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def region_of(e164: str) -> str | None:
    """The ISO country code of an E.164 number, if known."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None


def friendly_name(e164: str) -> str:
    """The number written as people of its country write it (``(514) 555-0100``)."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
