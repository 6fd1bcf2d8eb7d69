"""Phone numbers: parsed in the store's region, kept in E.164, shown nationally."""

import pytest

from sfterm.core.phones import InvalidPhone, display_phone, is_e164, parse_phone, phone_digits


@pytest.mark.parametrize(
    "typed",
    [
        "514 555 0123",
        "(514) 555-0123",
        "514-555-0123",
        "1 514 555 0123",
        "+1 514 555 0123",
        "+15145550123",
        "5145550123",
    ],
)
def test_national_and_international_input_give_one_e164(typed: str) -> None:
    assert parse_phone(typed, "CA") == "+15145550123"


def test_a_us_number_is_a_plus_one_number_for_a_canadian_store() -> None:
    assert parse_phone("+1 212 555 0123", "CA") == "+12125550123"


@pytest.mark.parametrize("typed", ["555", "12345", "514 555 012", "hello", "+1 999 555 0123"])
def test_invalid_numbers_are_refused_quoting_what_was_typed(typed: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        parse_phone(typed, "CA")
    assert repr(typed) in str(info.value)


def test_empty_number_is_refused() -> None:
    with pytest.raises(InvalidPhone, match="empty"):
        parse_phone("   ", "CA")


def test_a_foreign_number_is_refused_naming_the_plan() -> None:
    with pytest.raises(InvalidPhone, match=r"not a \+1 number"):
        parse_phone("+33 6 12 34 56 78", "CA")


def test_display_is_national_at_home_and_international_abroad() -> None:
    assert display_phone("+15145550123", "CA") == "(514) 555-0123"
    assert display_phone("+33612345678", "CA") == "+33 6 12 34 56 78"


def test_digits_and_e164_shape() -> None:
    assert phone_digits("(514) 555-01") == "51455501"
    assert is_e164("+15145550123")
    assert not is_e164("5145550123")
