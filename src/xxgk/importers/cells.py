"""Cell texts as published → normalised labels and numbers (counts and 万元 amounts).

Real pages print the same label with full- or half-width brackets, curly or straight quotes, and
spaces or line breaks inside it; numbers come with full-width digits, 〇 or a dash for zero, and
units. Everything here is a pure function of one cell's text, cached or precompiled, so importing
stays linear in the size of the source.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

_WHITESPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# Quotes are dropped and bracket shapes unified so that “三安全一稳定” matches "三安全一稳定".
_LABEL_TABLE = str.maketrans(
    {
        "“": None,
        "”": None,
        '"': None,
        "'": None,
        "‘": None,
        "’": None,
        "「": None,
        "」": None,
        "『": None,
        "』": None,
        "、": ".",
        "〔": "(",
        "〕": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "﹙": "(",
        "﹚": ")",
        "。": ".",
        "；": ";",
        "–": "-",
        "—": "-",
        "―": "-",
    }
)
_UNITS = re.compile(r"[(（][^()（）]*[)）]")
# What evaluators find in number cells that means zero: dashes, slashes, 无, 〇.
_ZERO_TOKENS = frozenset(
    {"-", "--", "---", "/", "\\", "无", "〇", "○", "零", "0", "—", "——", "－", "–", "―"}
)
_INTEGER = re.compile(r"\d+")
# 「5 0 713」: numbers of neighbouring cells a layout put one space apart — never one number.
_SPACED_DIGITS = re.compile(r"\d[\s\u3000\u00a0]+\d")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_COUNT_UNITS = ("件次", "人次", "件", "个", "项", "条", "次", "宗")
_AMOUNT_UNITS = ("万元", "元")
YUAN_PER_WAN = 10_000


class CellStatus(str, Enum):
    """How a number cell read: a number, blank, or text that is not a number."""

    NUMBER = "number"
    BLANK = "blank"
    UNREADABLE = "unreadable"


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The comparable form of a label: NFKC, no whitespace, quotes dropped, brackets unified."""
    folded = unicodedata.normalize("NFKC", text)
    return _WHITESPACE.sub("", folded).translate(_LABEL_TABLE)


@lru_cache(maxsize=4096)
def label_core(text: str) -> str:
    """A header label without its parenthesised units: 「结果维持（件）」 → 「结果维持」."""
    return _UNITS.sub("", normalize(text))


def _number_text(text: str) -> str:
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).replace(",", "")


@lru_cache(maxsize=4096)
def parse_count(text: str) -> tuple[int | None, CellStatus]:
    """A count cell: (value, NUMBER), (None, BLANK) or (None, UNREADABLE); never a silent 0."""
    raw = _number_text(text)
    if not raw:
        return None, CellStatus.BLANK
    if _SPACED_DIGITS.search(text):
        return None, CellStatus.UNREADABLE
    if raw in _ZERO_TOKENS:
        return 0, CellStatus.NUMBER
    for unit in _COUNT_UNITS:
        if raw.endswith(unit) and len(raw) > len(unit):
            raw = raw[: -len(unit)]
            break
    if _INTEGER.fullmatch(raw):
        return int(raw), CellStatus.NUMBER
    # Word exports sometimes print counts as 3.0; anything else with a point is not a count.
    if _DECIMAL.fullmatch(raw) and Decimal(raw) == int(Decimal(raw)):
        return int(Decimal(raw)), CellStatus.NUMBER
    return None, CellStatus.UNREADABLE


def parse_amount(text: str, divisor: int = 1) -> tuple[Decimal | None, CellStatus]:
    """An amount cell in 万元 (divided by ``divisor`` when the source printed 元)."""
    raw = _number_text(text)
    if not raw:
        return None, CellStatus.BLANK
    if _SPACED_DIGITS.search(text):
        return None, CellStatus.UNREADABLE
    if raw in _ZERO_TOKENS:
        return Decimal(0), CellStatus.NUMBER
    for unit in _AMOUNT_UNITS:
        if raw.endswith(unit) and len(raw) > len(unit):
            raw = raw[: -len(unit)]
            # The cell's own unit is certain: 「1200元」 under a 万元 heading is 0.12 万元, and
            # 「0.5万元」 under a 元 heading is 0.5 万元 (never 1200 万元).
            divisor = YUAN_PER_WAN if unit == "元" else 1
            break
    if not _DECIMAL.fullmatch(raw):
        return None, CellStatus.UNREADABLE
    try:
        value = Decimal(raw) / divisor
    except InvalidOperation:
        return None, CellStatus.UNREADABLE
    return (value.normalize() if divisor != 1 else value), CellStatus.NUMBER


def as_printed_note(text: str) -> str | None:
    """How a number cell printed its value when not as plain digits (a unit, a dash meaning 0):
    the words of a finding, or None for plain digits."""
    raw = _number_text(text)
    if not raw or _DECIMAL.fullmatch(raw):
        return None
    if raw in _ZERO_TOKENS:
        return f"报告印为「{text.strip()}」，按 0 导入"
    return f"报告印为「{text.strip()}」（带单位），按其中的数字导入"


@lru_cache(maxsize=8192)
def is_number_like(text: str) -> bool:
    """True when the cell reads as a number (or a zero mark): it is a value, not a label."""
    return parse_count(text)[1] is CellStatus.NUMBER or parse_amount(text)[1] is CellStatus.NUMBER
