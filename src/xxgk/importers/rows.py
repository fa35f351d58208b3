"""The one shape every source is turned into: a sequence of rows of cell texts, in reading order.

A text line is a row (its cells split at tabs or runs of spaces); a paragraph of a web page or Word
file is a one-cell row; a table row is a row of its grid's cell texts, a merged cell's text in its
first slot and empty strings in the slots it covers (as a paste from Word flattens it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cells of a pasted table are separated by tabs, or by two or more spaces when tabs were lost.
_SPACE_RUN = re.compile(r"[ \u3000\u00a0]{2,}")
# A printed page's number, left in the text by pdftotext or a copy from a PDF viewer:
# 「— 3 —」「- 3 -」「第 3 页」「第3页 共12页」「3 / 12」.
_DASH = "[-—–－]"
PAGE_NUMBER = re.compile(
    rf"\s*(?:{_DASH}\s*\d{{1,3}}\s*{_DASH}"
    r"|第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?"
    r"|共\s*\d{1,3}\s*页\s*[/，,]?\s*第\s*\d{1,3}\s*页"
    r"|\d{1,3}\s*/\s*\d{1,3})\s*"
)


@dataclass(frozen=True)
class Row:
    """One line or table row: its cells, its whole text, its 1-based line (text sources)."""

    cells: tuple[str, ...]
    text: str
    line: int | None = None
    in_table: bool = False  # from a real table (html/docx), not a split text line
    leading_gap: bool = False  # leading cells were lost (a space-separated paste began indented)
    values_dropped: bool = False  # a one-cell-per-line row whose numbers did not fit (a finding)
    # laid-out text (pdftotext -layout): the character column of each number's middle, in the
    # order of the number cells, and the page (form feeds counted); empty when not known
    offsets: tuple[float, ...] = ()
    page: int = 0

    @property
    def is_blank(self) -> bool:
        """True when the row holds no text at all."""
        return not self.text.strip()


# A justified line of a PDF, as pdftotext -layout gives it: 「三   、    收   到   和   处」.
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_JUSTIFIED_PIECES = 5  # table rows have a label and numbers; a justified line many lone characters
_ONE_CJK = re.compile(rf"[{_CJK}]")


# Cells of a laid-out row a single space apart: 「5 0 713」 is three cells, not one.
_NUMBERS_ONE_SPACE = re.compile(r"\d+(?:\.\d+)?(?: \d+(?:\.\d+)?)+")


def _justified(line: str) -> bool:
    pieces = line.split()
    lone = sum(1 for p in pieces if _ONE_CJK.fullmatch(p))
    return len(pieces) >= _JUSTIFIED_PIECES and lone >= 0.7 * len(pieces)


def text_row(line: str, number: int | None = None) -> Row:
    """A row from one line of pasted text (a page number line is a blank row)."""
    stripped = line.strip()
    if PAGE_NUMBER.fullmatch(stripped):
        return Row(("",), "", number)
    if "\t" in line:
        cells = tuple(c.strip() for c in line.rstrip("\r\n").split("\t"))
        return Row(cells, stripped, number)
    if _SPACE_RUN.search(stripped) and _justified(stripped):
        stripped = _CJK_GAP.sub("", stripped)
    if _SPACE_RUN.search(stripped):
        cells = tuple(
            piece
            for c in _SPACE_RUN.split(stripped)
            for piece in (c.split() if _NUMBERS_ONE_SPACE.fullmatch(c.strip()) else [c.strip()])
        )
        gap = line[:1] in (" ", "\u3000", "\u00a0") and len(cells) > 1
        return Row(cells, stripped, number, leading_gap=gap)
    return Row((stripped,), stripped, number)


def paragraph_row(text: str) -> Row:
    """A row from one paragraph of a web page or Word file."""
    stripped = text.strip()
    return Row((stripped,), stripped)


def table_rows(grid: list[list[str]]) -> list[Row]:
    """Rows from a table's expanded grid (merged slots already empty)."""
    return [Row(tuple(cells), "\t".join(cells).strip(), in_table=True) for cells in grid]


def expand_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """A grid from rows of (text, rowspan, colspan) cells: text in a span's first slot."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}  # slots covered by rowspans from above
    for r, cells in enumerate(rows):
        line: list[str] = []
        col = 0
        for text, rowspan, colspan in cells:
            while (r, col) in pending:
                line.append(pending.pop((r, col)))
                col += 1
            for dc in range(max(colspan, 1)):
                line.append(text if dc == 0 else "")
                for dr in range(1, max(rowspan, 1)):
                    pending[(r + dr, col + dc)] = ""
            col += max(colspan, 1)
        while (r, col) in pending:
            line.append(pending.pop((r, col)))
            col += 1
        grid.append(line)
    return grid
