"""How a value is printed, the same in every output (Word, workbook text, web page)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xxgk.model import Count


def number(value: Count) -> str:
    """A count as printed: digits, or empty for a blank (None) cell."""
    return "" if value is None else str(value)


def amount(value: Decimal | None) -> str:
    """A 万元 amount as printed in every output: plain digits without trailing zeros or an
    exponent (0, 1.2, 1.2345, 100), never -0; empty when blank.

    The same as a spreadsheet's General format shows the number, so the Word report, the web
    page and the workbook (AMOUNT_FORMAT = General) print one fee the same way.
    """
    if value is None:
        return ""
    if value.is_zero():
        return "0"
    text = format(value.normalize(), "f")  # normalize: 1.2000 → 1.2; "f": 1E+2 → 100
    return text


def chinese_date(value: dt.date) -> str:
    """成文日期 in Chinese form: 2022年1月20日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"
