"""The texts of a ruled table's cells, a number wrapped inside a narrow cell joined again.

A count too wide for its cell is broken by Word, WPS and LibreOffice where the line is full:
「1354」 prints as 「135」 over 「4」. A reader reads 1354, and so does this module — but only when
the page proves the break is a wrap: every line of the cell is digits, and every line but the
last is full — it holds as many digits as any line of its column does, and the next digit could
not have stood on it. "Could not" is measured against the cell's own width less the padding
the table's cells show (cell margins are the table's; a label set flush left starts right at
it, and two lines at least must show it), so two numbers stacked in a cell with room to spare
(「5」 over 「3」) are never read as 53: they stay as printed, two numbers, which the table
readers leave blank as unreadable.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

_DIGITS = re.compile(r"[0-9.]+")
Box = tuple[float, float, float, float]
_SAME = 0.5  # points: two lines this close to their cells' sides stand at the same padding


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
    numbers: dict[tuple[int, int], list[_Line]] = {}
    columns: dict[tuple[int, int], list[_Line]] = defaultdict(list)
    offsets: list[float] = []  # how far each line stands from its cell's left side
    for r, row in enumerate(rows):
        if not any(text and "\n" in text for text in grid[r]):
            continue  # no cell of this row holds a second line
        in_row = [ch for ch in table.page.chars if _inside(ch, row.bbox)]
        for c, box in enumerate(row.cells):
            text = grid[r][c]
            if box is None or not text:
                continue
            found = _lines([ch for ch in in_row if _inside(ch, box)])
            offsets += [line.x0 - box[0] for line in found]
            if all(_DIGITS.fullmatch(line.text) for line in found):
                numbers[(r, c)] = found
                columns[(round(box[0]), round(box[2]))] += found
    padding = _padding(offsets)
    for (r, c), found in numbers.items():
        box = rows[r].cells[c]
        assert box is not None
        column = columns[(round(box[0]), round(box[2]))]
        if len(found) > 1 and _wrapped(box, found, column, padding):
            grid[r][c] = "".join(line.text for line in found)
    return grid


def _padding(offsets: list[float]) -> float:
    """The cells' padding: the least distance two lines keep from their cells' left sides (text
    set flush left starts right at it — a line's end may hang a bracket or a comma into the
    padding, its start not — and one bracket whose box reaches past its advance is no rule)."""
    ordered = sorted(offsets)
    shared = [a for a, b in itertools.pairwise(ordered) if b - a <= _SAME]
    return max(shared[0] if shared else (ordered[0] if ordered else 0.0), 0.0)


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


def _wrapped(box: Box, lines: list[_Line], column: list[_Line], padding: float) -> bool:
    """True when every line but the last is full: as many digits as any line of the column
    holds (two at least), and the space the cell leaves beside it — less the least padding
    the table's cells show — cannot hold the next line's first digit."""
    if not all(_DIGITS.fullmatch(line.text) for line in lines):
        return False
    capacity = max(len(line.text) for line in column)
    width = box[2] - box[0]
    for line, after in itertools.pairwise(lines):
        if len(line.text) < max(capacity, 2):
            return False
        room = width - (line.x1 - line.x0) - 2 * padding
        if room >= after.next_width:
            return False
    return True
