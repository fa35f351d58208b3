"""How a value is printed, the same in every output (Word, workbook text, web page)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xxgk.model import Count


def number(value: Count) -> str:
    """A count as printed: digits, or empty for a blank (None) cell."""
    return "" if value is None else str(value)


def amount(value: Decimal | None) -> str:
    """A 万元 amount as entered (0, 1.2345), never in exponent form; empty when blank."""
    return "" if value is None else format(value, "f")


def chinese_date(value: dt.date) -> str:
    """成文日期 in Chinese form: 2022年1月20日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"
