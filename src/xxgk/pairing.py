"""One organ across years: organ names compared by what they mean, and last year's report found.

Supervisors receive the same organ's reports spelt differently from year to year (「永和镇」,
「永和镇人民政府」, full-width brackets, a no-break space pasted from a web page). ``organ_key``
reduces a name to what identifies the organ, so that pairing and the 汇总 never take one organ
for two, nor two for one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

# Suffixes that name the same organ (「某镇人民政府」 is 「某镇」): longest first.
_GOVERNMENT_SUFFIXES = ("人民政府", "政府")

T = TypeVar("T")

# An administrative unit at the head of a name: 「江苏省」「淮安市」「洪泽区」「沛县」「永和镇」.
_UNIT = r"(?:省|自治区|自治州|地区|市|州|盟|区|县|旗|镇|乡|街道)"
_LEADING_UNIT = re.compile(rf"^(?:[\u4e00-\u9fff]{{2,6}}?{_UNIT}|[\u4e00-\u9fff][县区])")
# What may stand after a removed prefix: again a place (a county, a district, a town, a city),
# so that 「淮安市教育局」 never becomes 「教育局」 — every city has one.
_PLACE_AFTER = re.compile(rf"^(?:[\u4e00-\u9fff]{{2,6}}?{_UNIT}|[\u4e00-\u9fff][县区])")


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


def shorter_keys(key: str) -> list[str]:
    """The key without its leading province, city or county, one level at a time, as long as a
    place name remains at its head: 「江苏省淮安市洪泽区」 → 「淮安市洪泽区」, 「洪泽区」."""
    found: list[str] = []
    while True:
        head = _LEADING_UNIT.match(key)
        if head is None:
            return found
        rest = key[head.end():]
        if len(rest) < 2 or not _PLACE_AFTER.match(rest):
            return found
        found.append(rest)
        key = rest


def near_keys(key: str, known: Iterable[str]) -> set[str]:
    """The known keys that are this key with a province/city/county prefix added or removed
    (never two names that differ in their prefixes: 南京市鼓楼区 and 福州市鼓楼区 stay apart)."""
    shorter = set(shorter_keys(key))
    return {k for k in known if k != key and (k in shorter or key in shorter_keys(k))}


def same_organ(a: str, b: str) -> bool:
    """True when two names are one organ: the same key, or one is the other with a province,
    city or county prefix (淮安市洪泽区人民政府 and 洪泽区人民政府)."""
    ka, kb = organ_key(a), organ_key(b)
    return ka == kb or ka in shorter_keys(kb) or kb in shorter_keys(ka)


@dataclass
class YearIndex(Generic[T]):
    """Items (last year's reports, or anything carrying an organ and a year) by organ and year."""

    items: dict[tuple[str, int], list[T]] = field(default_factory=dict)
    shorter: dict[tuple[str, int], set[str]] = field(default_factory=dict)  # short key → keys

    def add(self, organ: str, year: int, item: T) -> None:
        """Index one item under its organ's key and year."""
        key = organ_key(organ)
        self.items.setdefault((key, year), []).append(item)
        for short in shorter_keys(key):
            self.shorter.setdefault((short, year), set()).add(key)

    def find(self, organ: str, year: int) -> list[T]:
        """Every item of this organ (by key) and year; empty when none."""
        return self.items.get((organ_key(organ), year), [])

    def find_near(self, organ: str, year: int) -> tuple[list[T], str | None]:
        """The items of this organ, else of the one organ whose name differs only by a province,
        city or county prefix (淮安市洪泽区人民政府 = 洪泽区人民政府), with that organ's key;
        nothing when no organ, or more than one, is that near."""
        key = organ_key(organ)
        exact = self.items.get((key, year))
        if exact:
            return exact, None
        near = set(self.shorter.get((key, year), set()))
        near |= {k for k in shorter_keys(key) if (k, year) in self.items}
        if len(near) != 1:
            return [], None
        (other,) = near
        return self.items[(other, year)], other

    def __len__(self) -> int:
        return sum(len(v) for v in self.items.values())


def index_by_organ(entries: Iterable[tuple[str, int, T]]) -> YearIndex[T]:
    """A YearIndex of (organ, year, item) triples."""
    index: YearIndex[T] = YearIndex()
    for organ, year, item in entries:
        index.add(organ, year, item)
    return index


@dataclass
class NameIndex:
    """Names of a list (a roster) found by organ: exactly by organ_key, else through a
    province/city/county prefix when only one name of the list is that near."""

    names: Sequence[str]
    exact: dict[str, int] = field(default_factory=dict)
    shorter: dict[str, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, name in enumerate(self.names):
            key = organ_key(name)
            self.exact.setdefault(key, i)
            for short in shorter_keys(key):
                self.shorter.setdefault(short, set()).add(i)

    def position(self, organ: str) -> int | None:
        """The list position of this organ's name; None when it is not on the list."""
        key = organ_key(organ)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        near = set(self.shorter.get(key, set()))
        near |= {self.exact[k] for k in shorter_keys(key) if k in self.exact}
        return next(iter(near)) if len(near) == 1 else None
