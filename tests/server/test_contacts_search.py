"""Searching the book: by name (prefix and substring, any case or accent) and by any digits."""

from __future__ import annotations

import random
from typing import Any

import phonenumbers
import pytest

from sfterm.core.phones import display_phone
from sfterm.server import contact_search
from tests.support.backend import Backend

BOOK = [
    ("Élodie Gagnon", "+15145550123"),
    ("Lodovica Gabrielli", "+14385550177"),
    ("Hélène Côté", "+14165550142"),
    ("Mélodie Tremblay", "+15145559876"),
    ("Noah Gagné", "+14505550100"),
]


@pytest.fixture
async def book(backend: Backend) -> Backend:
    async with backend.http("camille") as http:
        for name, phone in BOOK:
            response = await http.post(
                "/api/v1/contacts", json={"name": name, "phones": [{"phone": phone}]}
            )
            assert response.status_code == 201, response.text
    return backend


async def _names(backend: Backend, **params: Any) -> list[str]:
    async with backend.http("camille") as http:
        response = await http.get("/api/v1/contacts", params=params)
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("elo", ["Élodie Gagnon", "Mélodie Tremblay"]),
        ("ÉLO", ["Élodie Gagnon", "Mélodie Tremblay"]),
        ("GAGN", ["Élodie Gagnon", "Noah Gagné"]),
        ("gagné", ["Élodie Gagnon", "Noah Gagné"][1:]),
        ("lodi", ["Élodie Gagnon", "Mélodie Tremblay"]),
        ("helene cote", ["Hélène Côté"]),
        ("  Hélène   Côté ", ["Hélène Côté"]),
        ("xyz", []),
    ],
)
async def test_name_search_ignores_case_and_accents(
    book: Backend, typed: str, expected: list[str]
) -> None:
    assert await _names(book, q=typed) == expected


async def test_names_starting_with_the_query_come_first(book: Backend) -> None:
    assert await _names(book, q="lod") == [
        "Lodovica Gabrielli",
        "Élodie Gagnon",
        "Mélodie Tremblay",
    ]
    assert await _names(book, q="lo") == ["Lodovica Gabrielli"]  # short: prefix only


async def test_short_queries_match_name_prefixes(book: Backend) -> None:
    assert await _names(book, q="é") == ["Élodie Gagnon"]
    assert await _names(book, q="m") == ["Mélodie Tremblay"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("514 555", ["Élodie Gagnon", "Mélodie Tremblay"]),
        ("(514) 555-01", ["Élodie Gagnon"]),
        ("+1514555", ["Élodie Gagnon", "Mélodie Tremblay"]),
        ("5550123", ["Élodie Gagnon"]),
        ("+1 514 555 0123", ["Élodie Gagnon"]),
        ("555-01", ["Élodie Gagnon", "Hélène Côté", "Lodovica Gabrielli", "Noah Gagné"]),
        ("0177", ["Lodovica Gabrielli"]),
        ("999 999", []),
    ],
)
async def test_phone_search_finds_numbers_containing_the_digits(
    book: Backend, typed: str, expected: list[str]
) -> None:
    assert await _names(book, phone=typed) == expected


async def test_a_contact_with_two_matching_numbers_is_listed_once(book: Backend) -> None:
    async with book.http("camille") as http:
        first = (await http.get("/api/v1/contacts", params={"q": "elodie"})).json()["items"][0]
        await http.post(f"/api/v1/contacts/{first['id']}/phones", json={"phone": "514 555 0124"})
    assert await _names(book, phone="514 555 012") == ["Élodie Gagnon"]


async def test_renaming_updates_the_name_index(book: Backend) -> None:
    async with book.http("camille") as http:
        first = (await http.get("/api/v1/contacts", params={"q": "noah"})).json()["items"][0]
        await http.patch(f"/api/v1/contacts/{first['id']}", json={"name": "Noé Bergeron"})
    assert await _names(book, q="noah") == []
    assert await _names(book, q="bergé") == ["Noé Bergeron"]


async def test_search_results_are_paged_across_both_tiers(book: Backend) -> None:
    seen: list[str] = []
    before = None
    async with book.client("camille") as c:
        while True:
            page = await c.contacts(q="lod", before=before, limit=1)
            seen += [item.name for item in page.items]
            if page.next_before is None:
                break
            before = page.next_before
    assert seen == ["Lodovica Gabrielli", "Élodie Gagnon", "Mélodie Tremblay"]


async def test_the_adapted_connection_answers_like_the_database_thread(
    book: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a driver other than aiosqlite the page runs through SQLAlchemy's DB-API adapter."""
    monkeypatch.setattr(contact_search, "_aiosqlite_thread", lambda driver: None)
    assert await _names(book, q="lod") == [
        "Lodovica Gabrielli",
        "Élodie Gagnon",
        "Mélodie Tremblay",
    ]
    assert await _names(book, phone="+1514555") == ["Élodie Gagnon", "Mélodie Tremblay"]
    assert len(await _names(book)) == len(BOOK)


async def test_percent_and_quotes_in_queries_are_plain_text(book: Backend) -> None:
    assert await _names(book, q='%"_') == []
    assert await _names(book, q="o'neil") == []


async def test_search_stays_in_the_viewers_book(book: Backend) -> None:
    async with book.http("mathieu") as http:
        response = await http.get("/api/v1/contacts", params={"q": "elo"})
        by_phone = await http.get("/api/v1/contacts", params={"phone": "514 555"})
    assert response.json()["items"] == [] and by_phone.json()["items"] == []


def test_north_american_numbers_are_shown_as_phonenumbers_shows_them() -> None:
    """`display_phone` formats +1 numbers itself (a page shows ~80): the same text."""
    rng = random.Random(7)
    for area in range(200, 1000, 3):
        e164 = f"+1{area}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        for region in ("CA", "US", "JM"):
            number = phonenumbers.parse(e164, region)
            national = phonenumbers.PhoneNumberFormat.NATIONAL
            assert display_phone(e164, region) == phonenumbers.format_number(number, national)
    assert display_phone("+33612345678", "CA") == "+33 6 12 34 56 78"
    assert display_phone("+15145550123", "FR") == "+1 514-555-0123"
