"""What a reader of a workbook cannot see: hidden or zero-size rows and columns, and a cell whose
text is painted in the colour of what lies under it (white on white, a fill's own colour, a
number format's ``[White]``).

Read-only openpyxl keeps neither row nor column dimensions, so the sheet's XML is streamed once
more, only as far as the rows we read, for the ``<col>`` and ``<row>`` attributes; the colours come
from the cells openpyxl already gives us. A colour we cannot resolve (a theme colour other than
the light background, an indexed colour outside the default palette) counts as visible: this
module may only ever turn a reading into a blank, so it errs towards reading.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TRUE = {"1", "true"}
_WHITE = (255, 255, 255)
# Indexed colours 1 and 9 are white in Excel's default palette (64 is the system foreground).
_INDEXED_WHITE = {1, 9}
# Below this contrast ratio (WCAG's, 1 to 21) text is lost in what lies under it: white on the
# pale yellow of our entry cells is 1.1, #DDDDDD on white (faint, but read) 1.4.
_INDISTINCT = 1.25
_FORMAT_COLOUR = re.compile(r"\[(White|Color2)\]", re.IGNORECASE)


@dataclass(frozen=True)
class SheetVisibility:
    """The rows and columns (1-based) of one sheet a reader does not see."""

    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()

    def hides(self, row: int, col: int) -> str | None:
        """Why the cell at (row, col) is out of sight, or None."""
        if row in self.hidden_rows:
            return "所在行被隐藏（或行高为 0）"
        if col in self.hidden_cols:
            return "所在列被隐藏（或列宽为 0）"
        return None


def sheet_visibility(source: IO[bytes], last_row: int) -> SheetVisibility:
    """Hidden rows up to ``last_row`` and hidden columns of the sheet XML in ``source``."""
    rows: set[int] = set()
    cols: set[int] = set()
    row_number = 0
    for event, element in _events(source):
        if event == "start" and element.tag == f"{_MAIN}col":
            if _hidden(element, "width"):
                first, last = _int(element.get("min")), _int(element.get("max"))
                if first is not None and last is not None and 1 <= first <= last:
                    cols.update(range(first, min(last, 16_384) + 1))
        elif event == "start" and element.tag == f"{_MAIN}row":
            stated = _int(element.get("r"))
            row_number = stated if stated is not None else row_number + 1
            if row_number > last_row:
                break
            if _hidden(element, "ht"):
                rows.add(row_number)
        elif event == "end" and element.tag in (f"{_MAIN}row", f"{_MAIN}cols"):
            element.clear()  # a sheet of a million rows is streamed, never kept
        elif event == "end" and element.tag == f"{_MAIN}sheetData":
            break
    return SheetVisibility(frozenset(rows), frozenset(cols))


def _events(source: IO[bytes]) -> Iterator[tuple[str, Any]]:
    try:
        yield from ET.iterparse(source, events=("start", "end"))
    except ET.ParseError:
        return  # openpyxl has already read this XML; what it could read, it has


def _hidden(element: Any, size: str) -> bool:
    """hidden="1", or a stated size of zero (a row's custom height, a column's width)."""
    if str(element.get("hidden", "")).lower() in _TRUE:
        return True
    value = element.get(size)
    try:
        return value is not None and float(value) <= 0.0
    except ValueError:
        return False


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def unseen_colour(cell: Any, number_format: str) -> str | None:
    """Why a read-only openpyxl cell's text cannot be seen for its colours, or None."""
    background = _WHITE
    fill = getattr(cell, "fill", None)
    if fill is not None and getattr(fill, "fill_type", None) == "solid":
        colour = _rgb(getattr(fill, "fgColor", None))
        if colour is None:
            return None  # a fill of a colour we cannot resolve: assume the text shows on it
        background = colour
    if _FORMAT_COLOUR.search(number_format or ""):
        painted: tuple[int, int, int] | None = _WHITE
        how = "数字格式把它显示为白色"
    else:
        font = getattr(cell, "font", None)
        painted = _rgb(getattr(font, "color", None)) if font is not None else None
        how = "字体颜色"
    if painted is None or _contrast(painted, background) >= _INDISTINCT:
        return None
    under = "白色背景" if background == _WHITE else "单元格底色"
    return f"{how}与{under}相同，读者看不到"


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2's contrast ratio of two sRGB colours."""
    def luminance(rgb: tuple[int, int, int]) -> float:
        linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rgb(colour: Any) -> tuple[int, int, int] | None:
    """An openpyxl Color as (r, g, b), or None when it does not resolve to one we know."""
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    if kind == "rgb":
        value = str(getattr(colour, "rgb", ""))
        if re.fullmatch(r"[0-9A-Fa-f]{8}", value):
            if value[:2] == "00" and value[2:].upper() == "000000":
                return None  # openpyxl's default "no colour" (automatic)
            return (int(value[2:4], 16), int(value[4:6], 16), int(value[6:8], 16))
        return None
    if kind == "theme":
        # Theme colour 0 is the light background (lt1: white in every shipped theme); a dark
        # tint of it is a grey a reader sees.
        tint = float(getattr(colour, "tint", 0.0) or 0.0)
        return _WHITE if getattr(colour, "theme", None) == 0 and tint > -0.1 else None
    if kind == "indexed":
        return _WHITE if getattr(colour, "indexed", None) in _INDEXED_WHITE else None
    return None
