"""The workbook's row heights count full-width characters exactly as unicodedata classes them."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from xxgk.render.xlsx.style import wide_count

EVERY_CHARACTER = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def _by_character(text: str) -> int:
    return sum(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


def test_every_code_point_is_counted_by_its_class() -> None:
    for start in range(0, len(EVERY_CHARACTER), 4096):
        chunk = EVERY_CHARACTER[start : start + 4096]
        assert wide_count(chunk) == _by_character(chunk), hex(ord(chunk[0]))


@given(st.text())
def test_any_text(text: str) -> None:
    assert wide_count(text) == _by_character(text)


def test_examples() -> None:
    assert wide_count("") == 0
    assert wide_count("abc") == 0
    assert wide_count("政府信息公开") == 6
    assert wide_count("ＡＢ１") == 3  # fullwidth forms
    assert wide_count("ｱｲ") == 0  # halfwidth katakana
    assert wide_count("😀𠀀a") == 2  # wide outside the BMP
