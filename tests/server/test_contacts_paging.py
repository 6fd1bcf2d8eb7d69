"""Paging through searches: every match exactly once, in the documented order, in any book."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from sfterm.core.phones import phone_digits
from sfterm.core.text_fold import fold
from tests.support.backend import Backend

NAMES = [
    "Anne Roy",
    "Anna Hannah",
    "Jeanne Côté",
    "Joanne Ann",
    "Marianne Annand",
    "Hannah Lévesque",
    "Ann",
    "Dianne Gagnon",
    "Ànnie Bédard",
    "Anne Roy",  # the same name twice: the id breaks the tie
    "Léo Tremblay",
    "Zoé Hanna",
]


def _phones(i: int) -> list[dict[str, str]]:
    """Numbers that share digits in different places; some contacts have two that match."""
    numbers = [{"phone": f"+15145550{i:02d}{i % 10}"}]
    if i % 3 == 0:
        numbers.append({"phone": f"+14385550{i:02d}{(i + 1) % 10}", "label": "work"})
    return numbers


@pytest.fixture
async def many(backend: Backend) -> list[dict[str, Any]]:
    return await _fill(backend, "camille")


async def _fill(backend: Backend, handle: str) -> list[dict[str, Any]]:
    made = []
    async with backend.http(handle) as http:
        for i, name in enumerate(NAMES):
            response = await http.post(
                "/api/v1/contacts", json={"name": name, "phones": _phones(i)}
            )
            assert response.status_code == 201, response.text
            made.append(response.json())
    return made


async def _all_pages(backend: Backend, handle: str, limit: int, **params: Any) -> list[int]:
    seen: list[int] = []
    before = None
    async with backend.http(handle) as http:
        for _ in range(100):
            query = {**params, "limit": limit, **({"before": before} if before else {})}
            response = await http.get("/api/v1/contacts", params=query)
            assert response.status_code == 200, response.text
            page = response.json()
            assert len(page["items"]) <= limit
            seen += [item["id"] for item in page["items"]]
            before = page["next_before"]
            if before is None:
                return seen
    raise AssertionError("the pages never ended")


def _by_name(made: list[dict[str, Any]], typed: str) -> list[int]:
    """Names starting with the key in name order, then names containing it elsewhere."""
    key = fold(typed)
    keyed = sorted((fold(c["name"]), c["id"]) for c in made)
    first = [i for k, i in keyed if k.startswith(key)]
    rest = [i for k, i in keyed if key in k and not k.startswith(key)]
    return first + rest


def _by_phone(made: list[dict[str, Any]], typed: str) -> list[int]:
    digits = phone_digits(typed)
    keyed = sorted((fold(c["name"]), c["id"]) for c in made)
    numbers = {c["id"]: [phone_digits(p["phone"]) for p in c["phones"]] for c in made}
    return [i for _, i in keyed if any(digits in d for d in numbers[i])]


@pytest.mark.parametrize("limit", [1, 2, 3, 50])
@pytest.mark.parametrize("typed", ["ann", "ANNE", "anne r", "han", "nn", "a", "zzz"])
async def test_paging_a_name_search_lists_every_match_once_in_order(
    backend: Backend, many: list[dict[str, Any]], limit: int, typed: str
) -> None:
    expected = (
        _by_name(many, typed)
        if len(fold(typed)) >= 3
        else [i for i in _by_name(many, typed) if fold(_name(many, i)).startswith(fold(typed))]
    )
    assert await _all_pages(backend, "camille", limit, q=typed) == expected


def _name(made: list[dict[str, Any]], ident: int) -> str:
    return next(str(c["name"]) for c in made if c["id"] == ident)


@pytest.mark.parametrize("limit", [1, 4, 50])
@pytest.mark.parametrize("typed", ["5550", "555 01", "(438) 555-0", "+1514555000", "0033", "999"])
async def test_paging_a_phone_search_lists_every_contact_once_in_name_order(
    backend: Backend, many: list[dict[str, Any]], limit: int, typed: str
) -> None:
    expected = _by_phone(many, typed)
    assert await _all_pages(backend, "camille", limit, phone=typed) == expected


async def test_paging_the_book_lists_everyone_once(
    backend: Backend, many: list[dict[str, Any]]
) -> None:
    expected = [i for _, i in sorted((fold(c["name"]), c["id"]) for c in many)]
    assert await _all_pages(backend, "camille", 5) == expected


async def test_the_store_book_is_searched_by_substring_and_number_in_team_mode(
    team_backend: Backend,
) -> None:
    made = await _fill(team_backend, "camille")
    assert await _all_pages(team_backend, "mathieu", 3, q="ann") == _by_name(made, "ann")
    assert await _all_pages(team_backend, "mathieu", 3, phone="555 01") == _by_phone(made, "555 01")
    assert await _all_pages(team_backend, "priya", 3, q="ann") == []  # another store


async def test_a_rename_moves_the_contact_in_both_searches(
    backend: Backend, many: list[dict[str, Any]]
) -> None:
    first = many[0]
    async with backend.http("camille") as http:
        response = await http.patch(f"/api/v1/contacts/{first['id']}", json={"name": "Yves Zan"})
        assert response.status_code == 200
        await http.post(f"/api/v1/contacts/{first['id']}/phones", json={"phone": "819 555 0101"})
    renamed = [
        {**c, "name": "Yves Zan", "phones": [*c["phones"], {"phone": "+18195550101"}]}
        if c["id"] == first["id"]
        else c
        for c in many
    ]
    assert await _all_pages(backend, "camille", 2, q="anne") == _by_name(renamed, "anne")
    assert await _all_pages(backend, "camille", 2, q="s za") == [first["id"]]
    assert await _all_pages(backend, "camille", 3, phone="555 01") == _by_phone(renamed, "555 01")
    assert await _all_pages(backend, "camille", 3, phone="819") == [first["id"]]


async def test_the_gram_counts_match_the_gram_rows(
    backend: Backend, many: list[dict[str, Any]]
) -> None:
    async with backend.http("camille") as http:
        await http.patch(f"/api/v1/contacts/{many[1]['id']}", json={"name": "Anna Hannah II"})
        await http.post(f"/api/v1/contacts/{many[2]['id']}/phones", json={"phone": "450 555 0000"})
    async with backend.app.state.db.read() as conn:
        for source in ("name", "phone"):
            counted = await conn.execute(
                text(
                    "SELECT gram, store_id, owner, n FROM contact_gram_counts "
                    "WHERE source = :source AND n > 0 ORDER BY 1, 2, 3"
                ),
                {"source": source},
            )
            recounted = await conn.execute(
                text(
                    f"SELECT gram, store_id, owner, count(*) FROM contact_{source}_grams "
                    "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
                )
            )
            assert counted.all() == recounted.all()
