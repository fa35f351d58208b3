"""One organ across years: organ names compared by what they mean, and last year's report found.

Supervisors receive the same organ's reports spelt differently from year to year (「永和镇」,
「永和镇人民政府」, full-width brackets, a no-break space pasted from a web page). ``organ_key``
reduces a name to what identifies the organ, so that pairing and the 汇总 never take one organ
for two, nor two for one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

# Suffixes that name the same organ (「某镇人民政府」 is 「某镇」): longest first.
_GOVERNMENT_SUFFIXES = ("人民政府", "政府")

T = TypeVar("T")


def _visible(ch: str) -> bool:
    # Cf: zero-width space/joiners, BOM, bidi controls; Z*: every kind of space (NBSP, U+3000);
    # C*: control characters. None of them can tell two organs apart.
    category = unicodedata.category(ch)
    return not (category.startswith(("C", "Z")) or ch.isspace())


def organ_key(name: str) -> str:
    """The name reduced to what identifies the organ: NFKC, no invisible characters or spaces,
    and without a trailing 「人民政府」/「政府」 (the organ and its government are one reporter)."""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", name) if _visible(ch))
    for suffix in _GOVERNMENT_SUFFIXES:
        if text.endswith(suffix):  # the longest suffix that fits, and never the whole name
            return text[: -len(suffix)] if len(text) > len(suffix) else text
    return text


@dataclass
class YearIndex(Generic[T]):
    """Items (last year's reports, or anything carrying an organ and a year) by organ and year."""

    items: dict[tuple[str, int], list[T]] = field(default_factory=dict)

    def add(self, organ: str, year: int, item: T) -> None:
        """Index one item under its organ's key and year."""
        self.items.setdefault((organ_key(organ), year), []).append(item)

    def find(self, organ: str, year: int) -> list[T]:
        """Every item of this organ (by key) and year; empty when none."""
        return self.items.get((organ_key(organ), year), [])

    def __len__(self) -> int:
        return sum(len(v) for v in self.items.values())


def index_by_organ(entries: Iterable[tuple[str, int, T]]) -> YearIndex[T]:
    """A YearIndex of (organ, year, item) triples."""
    index: YearIndex[T] = YearIndex()
    for organ, year, item in entries:
        index.add(organ, year, item)
    return index
