"""Folding names for search: case- and accent-insensitive keys (`Élodie` → `elodie`)."""

from __future__ import annotations

import unicodedata

_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
    }
)
"""Letters that Unicode does not decompose into a base letter and a mark."""

_LATIN_END = "\u0250"
"""Accents are dropped from Latin letters only (below IPA Extensions)."""


def fold(text: str) -> str:
    """The search key of `text`: lower case, no accents, single spaces, no outer spaces.

    The same function folds what is stored and what is typed, so a query matches a name
    whatever case or accents either was written with.
    """
    lowered = text.casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", lowered)
    kept: list[str] = []
    base = ""
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base >= _LATIN_END:
                kept.append(ch)  # a mark on a non-Latin letter is part of it (й, ё)
            continue
        base = ch
        kept.append(ch)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())
