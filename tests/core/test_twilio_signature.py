"""X-Twilio-Signature: Twilio's published test vector and the rules around it."""

from __future__ import annotations

from sfterm.core.twilio_signature import compute_signature, signed_text, validate_signature

URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
EXPECTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_published_test_vector() -> None:
    assert compute_signature("12345", URL, PARAMS) == EXPECTED


def test_validate_accepts_the_right_signature() -> None:
    assert validate_signature("12345", URL, PARAMS, EXPECTED)


def test_validate_refuses_a_changed_param_url_token_or_missing_signature() -> None:
    assert not validate_signature("12345", URL, {**PARAMS, "Digits": "1235"}, EXPECTED)
    assert not validate_signature("12345", URL + "&x=1", PARAMS, EXPECTED)
    assert not validate_signature("54321", URL, PARAMS, EXPECTED)
    assert not validate_signature("12345", URL, PARAMS, None)
    assert not validate_signature("12345", URL, PARAMS, "")


def test_validate_accepts_the_url_with_or_without_its_default_port() -> None:
    with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
    assert validate_signature("12345", with_port, PARAMS, EXPECTED)
    signed_with_port = compute_signature("12345", with_port, PARAMS)
    assert validate_signature("12345", URL, PARAMS, signed_with_port)


def test_params_are_sorted_by_name_and_repeated_values_each_appended() -> None:
    params = {"To": "+1", "MediaUrl": ["https://b.example/2", "https://a.example/1"], "Body": "x"}
    assert signed_text("https://h/p", params) == (
        "https://h/pBodyxMediaUrlhttps://a.example/1MediaUrlhttps://b.example/2To+1"
    )


def test_utf8_bodies_are_signed_as_utf8() -> None:
    signature = compute_signature("tok", "https://h/p", {"Body": "Ça va? 😜"})
    assert validate_signature("tok", "https://h/p", {"Body": "Ça va? 😜"}, signature)
