"""Searching requests: the folded text each request is found by, and the LIKE pattern of a query.

A request keeps `search_text`, its name, email and message folded (`sfterm.core.text_fold`: no
case, no accents) one per line, so a search is a single LIKE over one column that both sides
folded the same way: `elodie`, `ÉLODIE` and `Elodie` all find "Élodie Lavoie". Folding turns
every run of spaces and line breaks into one space, so a query never spans two fields.
"""

from __future__ import annotations

from sfterm.core.text_fold import fold

LIKE_ESCAPE = "\\"
"""The escape character of `search_pattern`'s wildcards (the LIKE's `ESCAPE`)."""


def request_search_text(name: str, email: str | None, message: str | None) -> str:
    """What a request is searched by: its name, email and message folded, one per line."""
    return "\n".join(fold(part or "") for part in (name, email, message))


def search_pattern(key: str) -> str:
    """The LIKE pattern of rows containing the folded `key`, its `%`, `_` and `\\` taken
    literally (escaped with `LIKE_ESCAPE`)."""
    escaped = (
        key.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"
