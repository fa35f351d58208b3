"""The texts of a ruled table's cells, a number wrapped inside a narrow cell joined again.

A count too wide for its cell is broken by Word, WPS and LibreOffice where the line is full:
「1354」 prints as 「135」 over 「4」. A reader reads 1354, and so does this module — but only when
the page proves the break is a wrap: every line of the cell is digits, and every line but the
last is full, so that the next digit could not have stood on it. "Full" is measured against the
cell's own width less the least padding any line of its column shows (cell margins are the
table's, the same in every cell of a column), so two numbers stacked in a cell with room to
spare (「5」 over 「3」) are never read as 53; they stay as printed, two numbers, which the
table readers refuse as one unreadable cell.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

_DIGITS = re.compile(r"[0-9.]+")
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    x1: float
    next_width: float  # the width of this line's first character (what the line above lacked)


def cell_texts(table: Any) -> list[list[str | None]]:
    """``table.extract()``, with numbers wrapped inside their cells joined where proven."""
    grid: list[list[str | None]] = table.extract()
    rows = table.rows
    chars = table.page.chars
    lines: dict[tuple[int, int], list[_Line]] = {}
    columns: dict[tuple[int, int], list[tuple[Box, list[_Line]]]] = defaultdict(list)
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            text = grid[r][c]
            if box is None or not text or not all(_DIGITS.fullmatch(t) for t in text.split()):
                continue
            found = _lines([ch for ch in chars if _inside(ch, box)])
            if not found:
                continue
            lines[(r, c)] = found
            columns[(round(box[0]), round(box[2]))].append((box, found))
    for (r, c), found in lines.items():
        box = rows[r].cells[c]
        assert box is not None
        if len(found) > 1 and _wrapped(box, found, columns[(round(box[0]), round(box[2]))]):
            grid[r][c] = "".join(line.text for line in found)
    return grid


def _inside(char: dict[str, Any], box: Box) -> bool:
    # as pdfplumber's own Table.extract assigns a character to a cell: by its middle
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bool(box[0] <= x < box[2] and box[1] <= y < box[3])


def _lines(chars: list[dict[str, Any]]) -> list[_Line]:
    """The cell's characters as lines, top to bottom (a line: characters overlapping in height)."""
    result: list[list[dict[str, Any]]] = []
    for ch in sorted(chars, key=lambda ch: (ch["top"], ch["x0"])):
        if ch["text"].isspace():
            continue
        middle = (ch["top"] + ch["bottom"]) / 2
        if result and result[-1][0]["top"] <= middle <= result[-1][0]["bottom"]:
            result[-1].append(ch)
        else:
            result.append([ch])
    lines = []
    for group in result:
        group.sort(key=lambda ch: ch["x0"])
        text = "".join(ch["text"] for ch in group)
        width = group[0]["x1"] - group[0]["x0"]
        lines.append(_Line(text, group[0]["x0"], group[-1]["x1"], width))
    return lines


def _wrapped(box: Box, lines: list[_Line], column: list[tuple[Box, list[_Line]]]) -> bool:
    """True when every line but the last is full: digits only, and the space the cell leaves
    beside it — less the least padding the column shows on either side — cannot hold the next
    line's first digit."""
    if not all(_DIGITS.fullmatch(line.text) for line in lines):
        return False
    padding = min(
        min(line.x0 - cell[0], cell[2] - line.x1) for cell, found in column for line in found
    )
    padding = max(padding, 0.0)
    width = box[2] - box[0]
    for line, after in itertools.pairwise(lines):
        room = width - (line.x1 - line.x0) - 2 * padding
        if room >= after.next_width:
            return False
    return True
