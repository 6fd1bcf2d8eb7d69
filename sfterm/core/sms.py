"""SMS text rules: how many segments a body costs, and the carrier's opt-out keywords.

Segments follow Twilio's message segment calculator (``TwilioDevEd/message-segment-calculator``):

- A body made only of GSM-7 characters is sent as GSM-7, counted in septets. The characters of
  the extension table (``^ { } \\ [ ] ~ | €``) are sent as an escape plus the character, so they
  take two septets. 160 septets fit in a single segment; once split, each segment holds 153.
- Any other character makes the whole body UCS-2, counted in UTF-16 code units (an emoji outside
  the Basic Multilingual Plane takes two). 70 units fit in a single segment; 67 per segment once
  split.
- An escape pair or a surrogate pair is never split across two segments, so a split body is
  packed character by character, not divided.

An empty body counts as one segment (Twilio bills a media-only message as one segment).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]
Keyword = Literal["stop", "start", "help"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""Characters of the GSM 03.38 default alphabet (one septet each)."""

GSM7_EXTENSION = frozenset("^{}\\[]~|€")
"""Characters of the GSM 03.38 extension table (an escape septet plus one: two each)."""

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67

STOP_KEYWORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
START_KEYWORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})


@dataclass(frozen=True)
class SegmentInfo:
    """What a body costs on the air.

    ``units`` are septets for GSM-7 (extension characters count two) and UTF-16 code units for
    UCS-2. ``per_segment`` is the capacity of one segment as the body is sent (160/70 when it fits
    in one, 153/67 once split); ``remaining`` is what is left in the last segment.
    """

    encoding: Encoding
    segments: int
    units: int
    per_segment: int
    remaining: int


def is_gsm7(body: str) -> bool:
    """Whether every character of ``body`` has a GSM-7 encoding."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in body)


def _char_units(ch: str, encoding: Encoding) -> int:
    if encoding == "GSM-7":
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def segment_info(body: str) -> SegmentInfo:
    """Count the segments, units and room left for ``body`` as Twilio would send it."""
    encoding: Encoding = "GSM-7" if is_gsm7(body) else "UCS-2"
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if encoding == "GSM-7" else (UCS2_SINGLE, UCS2_MULTI)
    sizes = [_char_units(ch, encoding) for ch in body]
    units = sum(sizes)
    if units <= single:
        return SegmentInfo(encoding, 1, units, single, single - units)
    segments, used = 1, 0
    for size in sizes:
        if used + size > multi:
            segments += 1
            used = 0
        used += size
    return SegmentInfo(encoding, segments, units, multi, multi - used)


def classify_keyword(body: str) -> Keyword | None:
    """The opt-out keyword that ``body`` is, if it is exactly one (any case, spaces ignored)."""
    word = body.strip().upper()
    if word in STOP_KEYWORDS:
        return "stop"
    if word in START_KEYWORDS:
        return "start"
    if word in HELP_KEYWORDS:
        return "help"
    return None
