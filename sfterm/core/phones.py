"""Phone numbers as carriers see them: parsed in the store region, kept E.164, shown nationally."""

from __future__ import annotations

import re

import phonenumbers

_DIGITS = re.compile(r"\d")
_NANP = re.compile(r"\+1([2-9]\d\d)([2-9]\d\d)(\d{4})")
"""A number of the North American plan: area code, exchange, line."""
_NANP_REGIONS = frozenset(phonenumbers.region_codes_for_country_code(1))


class InvalidPhone(ValueError):
    """A number that cannot be texted; the message quotes what was typed."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"{raw!r} {reason}")
        self.raw = raw
        self.reason = reason


def parse_phone(raw: str, region: str = "CA") -> str:
    """Return the E.164 form of `raw`, read as a number of `region` when it has no `+`.

    Only numbers of the region's country calling code are accepted: a store's relay number texts
    within its own numbering plan (for CA and US stores, every +1 number).
    """
    text = raw.strip()
    if not text:
        raise InvalidPhone(raw, "is empty")
    if len(text) > 40:
        raise InvalidPhone(raw[:40] + "…", "is too long to be a phone number")
    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        raise InvalidPhone(raw, "is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw, "is not a valid phone number")
    home = phonenumbers.country_code_for_region(region.upper())
    if number.country_code != home:
        raise InvalidPhone(
            raw, f"is not a +{home} number; this store can text only numbers of +{home}"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str, region: str = "CA") -> str:
    """The number as people of `region` write it: `(514) 555-0123` at home, international abroad."""
    if region.upper() in _NANP_REGIONS and (nanp := _NANP.fullmatch(e164)):
        return f"({nanp[1]}) {nanp[2]}-{nanp[3]}"  # what phonenumbers says, 100 times sooner
    try:
        number = phonenumbers.parse(e164, region.upper())
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) in {region.upper()} or (
        number.country_code == phonenumbers.country_code_for_region(region.upper())
    ):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_digits(text: str) -> str:
    """Only the digits of what a user typed, for searching numbers by any fragment."""
    return "".join(_DIGITS.findall(text))


def is_e164(text: str) -> bool:
    """Whether `text` is already in E.164 form (`+` then 8 to 15 digits)."""
    return bool(re.fullmatch(r"\+[1-9]\d{7,14}", text))
