"""Year-over-year spikes in the key figures: what a supervisor asks an organ to explain.

A figure that grew or fell to a third or less (or three times or more) of last year's, by at
least ``MIN_CHANGE`` cases, is a spike; a few cases more or less never are (2 → 7 is not news).
"""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.figures import FIGURES, Figure

FACTOR = 3.0  # this year ≥ 3 × last year, or ≤ last year ÷ 3
MIN_CHANGE = 20  # cases (万元 for the fee)
# Figures whose change is policy, not a spike to explain (stock of documents in force).
_STEADY = {"规章现行有效", "规范性文件现行有效"}


def _number(value: Figure) -> float | None:
    if value is None:
        return None
    return float(value)


def _change(before: float, now: float) -> str:
    if not before:
        return "由零增加"
    return f"×{now / before:.1f}" if now > before else f"减少 {1 - now / before:.0%}"


def spikes(figures: Sequence[Figure], previous: Sequence[Figure]) -> list[str]:
    """Each spike in words: 「本年新收 12→85（×7.1）」, in FIGURES order."""
    if not figures or not previous:
        return []
    found = []
    for (name, _), now, before in zip(FIGURES, figures, previous, strict=True):
        a, b = _number(before), _number(now)
        if a is None or b is None or name in _STEADY or abs(b - a) < MIN_CHANGE:
            continue
        if b >= FACTOR * a or a >= FACTOR * b:
            found.append(f"{name} {before}→{now}（{_change(a, b)}）")
    return found
