"""Segment counting and opt-out keywords, checked against Twilio's segment calculator."""

from __future__ import annotations

import pytest

from sfterm.core.sms import classify_keyword, segment_info

DIGITS = "1234567890" * 40
EMOJI = "😜"  # outside the BMP: a surrogate pair, two UTF-16 units


@pytest.mark.parametrize(
    ("body", "encoding", "segments", "units"),
    [
        # TwilioDevEd/message-segment-calculator, tests/index.test.js
        (DIGITS[:160], "GSM-7", 1, 160),
        (DIGITS[:161], "GSM-7", 2, 161),
        (DIGITS[:306], "GSM-7", 2, 306),
        (DIGITS[:307], "GSM-7", 3, 307),
        (EMOJI + DIGITS[1:69], "UCS-2", 1, 70),
        (EMOJI + DIGITS[1:70], "UCS-2", 2, 71),
        (EMOJI + DIGITS[1:134], "UCS-2", 3, 135),
        ("{" + DIGITS[1:159], "GSM-7", 1, 160),
        ("{" + DIGITS[1:160], "GSM-7", 2, 161),
        ("😀" + "]" * 68, "UCS-2", 1, 70),
        ("😀" + "]" * 69, "UCS-2", 2, 71),
        ("\rabcde\r\n123", "GSM-7", 1, 11),
    ],
)
def test_segments_match_twilios_calculator(
    body: str, encoding: str, segments: int, units: int
) -> None:
    info = segment_info(body)
    assert (info.encoding, info.segments, info.units) == (encoding, segments, units)


@pytest.mark.parametrize(("count", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_boundaries_count_utf16_units(count: int, segments: int) -> None:
    info = segment_info("ó" * count)  # ó is outside GSM-7 (the calculator agrees)
    assert info.encoding == "UCS-2"
    assert info.segments == segments


def test_accented_lowercase_c_makes_the_text_ucs2() -> None:
    assert segment_info("ç").encoding == "UCS-2"
    assert segment_info("Ç").encoding == "GSM-7"


@pytest.mark.parametrize("char", list("^{}\\[]~|€"))
def test_extension_characters_take_two_septets(char: str) -> None:
    info = segment_info(char)
    assert (info.encoding, info.units, info.remaining) == ("GSM-7", 2, 158)


def test_euro_at_position_160_splits_the_text() -> None:
    assert segment_info("a" * 158 + "€").segments == 1  # 160 septets
    assert segment_info("a" * 159 + "€").segments == 2  # 161 septets


def test_escape_pair_is_not_split_at_a_segment_boundary() -> None:
    # 152 septets then an escape pair: the pair does not fit in 153, it moves on whole.
    info = segment_info("a" * 152 + "€" + "a" * 10)
    assert info.segments == 2
    assert info.remaining == 153 - 12
    # Without the pair-keeping rule 306 septets would fit in two segments; here they need three.
    assert segment_info("a" * 152 + "€" + "a" * 152).segments == 3


def test_surrogate_pair_is_not_split_at_a_segment_boundary() -> None:
    # 66 UCS-2 units then an emoji: 68 units, but the pair moves to the second segment.
    info = segment_info("ó" * 66 + EMOJI + "ó" * 10)
    assert info.units == 78
    assert info.segments == 2
    assert info.remaining == 67 - 12
    assert segment_info("ó" * 66 + EMOJI + "ó" * 66).segments == 3  # 134 units, not 2


def test_single_segment_reports_the_single_capacity() -> None:
    info = segment_info("hello")
    assert (info.segments, info.per_segment, info.remaining) == (1, 160, 155)
    multi = segment_info("a" * 200)
    assert (multi.segments, multi.per_segment, multi.remaining) == (2, 153, 153 - 47)


def test_empty_body_counts_as_one_segment() -> None:
    info = segment_info("")
    assert (info.segments, info.units, info.remaining) == (1, 0, 160)


@pytest.mark.parametrize(
    ("body", "keyword"),
    [
        ("STOP", "stop"),
        ("  stop \n", "stop"),
        ("StopAll", "stop"),
        ("unsubscribe", "stop"),
        ("cancel", "stop"),
        ("END", "stop"),
        ("quit", "stop"),
        ("REVOKE", "stop"),
        ("optout", "stop"),
        ("start", "start"),
        ("Yes", "start"),
        ("UNSTOP", "start"),
        ("help", "help"),
        (" INFO ", "help"),
        ("stop please", None),
        ("opt out", None),
        ("", None),
        ("Hello", None),
    ],
)
def test_keywords_match_whole_bodies_only(body: str, keyword: str | None) -> None:
    assert classify_keyword(body) == keyword
