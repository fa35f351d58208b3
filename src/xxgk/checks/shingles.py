"""Text as a copy detector sees it: widths folded, spaces dropped, every number one digit.

A paragraph copied with only its year and counts changed is still a copied paragraph, so digits
are folded to 「0」 before shingling. Shared by the per-paragraph check against last year
(checks/paragraphs.py) and the batch's cross-organ check (audit/crossorgan.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

SHINGLE = 5  # characters: long enough that shared words alone do not make a match
MIN_PARAGRAPH = 30  # normalised characters; shorter ones (「无。」, headings) are not compared
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


# Full-width ASCII (，；０１Ａ) as half-width: what NFKC does to report text, far more cheaply.
_WIDTHS = {0xFF01 + i: 0x21 + i for i in range(94)}


def normalized(text: str) -> str:
    """The text with widths folded, without whitespace, every number written 「0」."""
    return _DIGITS.sub("0", _SPACE.sub("", text.translate(_WIDTHS)))


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Every run of ``size`` characters of an already normalised text."""
    return {text[i : i + size] for i in range(max(len(text) - size + 1, 0))}


def containment(mine: set[str] | frozenset[str], theirs: set[str] | frozenset[str]) -> float:
    """The share of ``mine`` found in ``theirs`` (0 when ``mine`` is empty)."""
    return len(mine & theirs) / len(mine) if mine else 0.0


@lru_cache(maxsize=4096)
def paragraph_shingles(text: str) -> frozenset[str]:
    """The shingles of a paragraph's normalised text, empty when it is too short to compare.
    Cached: the check against last year and the audit's copied share read the same paragraphs."""
    folded = normalized(text)
    return frozenset(shingles(folded)) if len(folded) >= MIN_PARAGRAPH else frozenset()
