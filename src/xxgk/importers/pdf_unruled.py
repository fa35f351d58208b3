"""The lines of PDF pages without ruling lines, table rows given their columns by alignment.

Without rulings a reader tells a table's columns by alignment: each number stands under its
column's heading. Laid out as text, a row with blank cells loses that — 「规章  6」 cannot say which
of 本年制发件数, 本年废止件数 and 现行有效件数 the 6 is. Here a row keeps its columns only when the
page establishes them for every cell:

- the columns are the headings printed above the rows, each heading's pieces stacked in one
  column (「自然」 over 「人」; a heading spanning several, 「法人或其他组织」, is no column), and
  they must be one of the national format's rows of column headings, whole and in order
  (表二's three blocks, 表三's seven columns, 表四's fifteen);
- every number of the line stands under exactly one of them (its middle inside the heading's
  extent: a number and its heading both stand in the same cell), no two under one;
- the row is all on this line: the lines just above and below hold no number — or, when this
  line begins with a whole row label, they begin with one of their own. A number wrapped in its
  cell or set lower in a taller row puts a piece of it on a line beside, and then the line is
  left as it was printed (a line holding a piece of a label, 「法提供」 of 「（四）无法提供」, or
  no label, is placed only between lines without numbers; the text readers give it its row).

A row so established is given as tab-separated cells, blank cells in their places; every other
line as printed, cells apart by two spaces, for the text readers to take as they take text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from xxgk import labels
from xxgk.importers.cells import is_number_like, normalize
from xxgk.importers.tables import GROUP, HEADER, match_label, misprinted_label

_CELL_GAP = 0.6  # of the character size: a wider gap between two characters parts two cells
_WORD_GAP = 0.15  # a narrower one is no gap at all (CJK text is set without spaces)
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ALIGNED = 2.0  # points two pieces of one heading may stand apart (centred or left-aligned)
_WIDE = 0.5  # of the widest line: a number-free line this wide is prose, no table heading

_TABLE4 = tuple(
    heading
    for _ in labels.TABLE4_BLOCKS
    for heading in (*(h for _, h in labels.TABLE4_OUTCOMES), labels.TABLE4_TOTAL)
)
# The national rows of column headings, each left to right.
COLUMN_ROWS = tuple(
    tuple(normalize(h) for h in row)
    for row in (
        labels.TABLE2_DOCUMENT_COLUMNS,
        (labels.TABLE2_DECISION_COLUMN,),
        (labels.TABLE2_FEE_COLUMN,),
        (*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL),
        _TABLE4,
    )
)
_HEADING_WORDS = frozenset(
    {h for row in COLUMN_ROWS for h in row}
    | {normalize(w) for w in (labels.TABLE2_CONTENT_HEADING, labels.TABLE3_APPLICANTS,
                              labels.TABLE3_ORGANISATIONS, labels.TABLE4_REVIEW,
                              labels.TABLE4_LITIGATION)}
)
_TABLE2_ROWS = frozenset(normalize(label) for label in labels.TABLE2_ROW_LABELS.values())


@dataclass
class _Piece:
    """Characters of one line without a wide gap between them: one cell's text on that line."""

    text: str
    x0: float
    x1: float

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def number(self) -> bool:
        return bool(_NUMBER.fullmatch(self.text))


@dataclass
class _Column:
    x0: float
    x1: float
    pieces: list[tuple[float, str]]  # (top, text) of the heading's pieces

    @property
    def heading(self) -> str:
        return normalize("".join(text for _, text in sorted(self.pieces)))


def laid_out_lines(text_lines: list[dict[str, Any]]) -> list[str]:
    """Each pdfplumber text line (with its characters) as a line of text, in order."""
    lines = [_pieces(line) for line in text_lines]
    tops = [float(line.get("top", 0.0)) for line in text_lines]
    widest = max((p[-1].x1 - p[0].x0 for p in lines if p), default=0.0)
    out = [_plain(pieces) for pieces in lines]
    columns: list[_Column] | None = None
    heading_run: list[int] = []
    for i, pieces in enumerate(lines):
        if not any(p.number for p in pieces):
            if pieces and len(pieces) == 1 and pieces[0].x1 - pieces[0].x0 > _WIDE * widest:
                columns, heading_run = None, []  # prose: whatever table was above has ended
            elif pieces:
                heading_run.append(i)
            continue
        if heading_run:
            run = [(tops[j], lines[j]) for j in heading_run]
            # the run may begin with lines over the headings (a caption, 「申请人情况」 centred
            # over one column's heading): the headings are the lines nearest the rows
            found = next((c for k in range(len(run)) if (c := _columns(run[k:]))), None)
            if found is not None or _names_headings(run):
                columns = found  # another table's headings, or ones not in columns: none
            heading_run = []
        if columns is not None and _alone(lines, i):
            placed = _placed(pieces, columns)
            if placed is not None:
                out[i] = "\t".join(placed)
    return out


def _pieces(line: dict[str, Any]) -> list[_Piece]:
    chars = [c for c in line["chars"] if not c["text"].isspace()]
    pieces: list[_Piece] = []
    for i, c in enumerate(chars):
        if i:
            before = chars[i - 1]
            gap = (c["x0"] - before["x1"]) / max(min(before["size"], c["size"]), 1.0)
            if gap >= _CELL_GAP:
                pieces.append(_Piece(c["text"], c["x0"], c["x1"]))
                continue
            if gap >= _WORD_GAP and not (_CJK.match(before["text"]) and _CJK.match(c["text"])):
                pieces[-1].text += " "
            pieces[-1].text += c["text"]
            pieces[-1].x1 = max(pieces[-1].x1, c["x1"])
        else:
            pieces.append(_Piece(c["text"], c["x0"], c["x1"]))
    return pieces


def _plain(pieces: list[_Piece]) -> str:
    return "  ".join(p.text for p in pieces)


def _columns(run: list[tuple[float, list[_Piece]]]) -> list[_Column] | None:
    """The columns the heading lines above a table's rows print, or None when they are not one
    of the national rows of column headings. Narrow pieces first: a heading spanning several
    columns (「法人或其他组织」, 「行政诉讼」) then touches two of them and is no column."""
    found: list[_Column] = []
    for top, piece in sorted(
        ((top, p) for top, pieces in run for p in pieces), key=lambda tp: tp[1].x1 - tp[1].x0
    ):
        touched = [c for c in found if piece.x0 < c.x1 and c.x0 < piece.x1]
        if not touched:
            found.append(_Column(piece.x0, piece.x1, [(top, piece.text)]))
        elif len(touched) == 1 and _stacked(piece, touched[0]):
            column = touched[0]
            column.x0, column.x1 = min(column.x0, piece.x0), max(column.x1, piece.x1)
            column.pieces.append((top, piece.text))
            others = [c for c in found if c is not column]
            if any(column.x0 < c.x1 and c.x0 < column.x1 for c in others):
                return None  # two columns now overlap: the headings do not stand in columns
    found.sort(key=lambda c: c.x0)
    headings = [c.heading for c in found]
    for row in COLUMN_ROWS:
        for start in range(len(headings) - len(row) + 1):
            if tuple(headings[start : start + len(row)]) == row and start + len(row) == len(found):
                return found[start:]  # the columns before are the label's
    return None


def _names_headings(run: list[tuple[float, list[_Piece]]]) -> bool:
    """True when the lines name a table's headings (a new table begins under them)."""
    return any(normalize(p.text) in _HEADING_WORDS for _, pieces in run for p in pieces)


def _stacked(piece: _Piece, column: _Column) -> bool:
    """True when the piece stands in the column as its heading's pieces do: centred on the same
    middle, or starting at the same left (a heading over more columns is centred elsewhere)."""
    return (
        abs(piece.middle - (column.x0 + column.x1) / 2) <= _ALIGNED
        or abs(piece.x0 - column.x0) <= _ALIGNED
    )


def _own_row(pieces: list[_Piece]) -> bool:
    """True when the line holds a whole row label, or a misprint of one (its numbers are that
    row's: rows do not overlap on the page). The beginning or the end of a label wrapped in
    its cell (「2.其他法律行政法规禁止公」, 「开」) or a piece of a group cell (「（三）不」) is
    none."""
    texts = [p.text for p in pieces if not p.number]
    if not texts:
        return False
    norm = normalize(texts[-1])
    found = match_label(norm)
    if found is not None:
        return found[0] not in (GROUP, HEADER)
    return norm in _TABLE2_ROWS or misprinted_label(norm) is not None  # 「5.属于三类内部事物信息」


def _alone(lines: list[list[_Piece]], i: int) -> bool:
    """True when no piece of this line's row can stand on the lines beside it: they hold no
    number, or — for a line beginning with a whole row label — begin with one of their own (a
    row's pieces set above and below its label hold numbers but no whole label)."""
    own = _own_row(lines[i])
    for j in (i - 1, i + 1):
        beside = lines[j] if 0 <= j < len(lines) else []
        if any(p.number for p in beside) and not (own and _own_row(beside)):
            return False
    return True


def _placed(pieces: list[_Piece], columns: list[_Column]) -> list[str] | None:
    """The line's label pieces and one cell per column, or None when a number stands under no
    column, under two, or two under one, or a label piece stands among the columns."""
    label = list(itertools.takewhile(lambda p: not p.number, pieces))
    numbers = pieces[len(label) :]
    if not numbers or any(not p.number for p in numbers):
        return None
    if any(p.x1 > columns[0].x0 for p in label):
        return None
    if not label and len(numbers) < 2:
        return None  # a lone number (a page number) is no row
    cells = [""] * len(columns)
    for p in numbers:
        under = [k for k, c in enumerate(columns) if c.x0 <= p.middle <= c.x1]
        if len(under) != 1 or cells[under[0]] or not is_number_like(p.text):
            return None
        k = under[0]
        if any(p.x0 < c.x1 and c.x0 < p.x1 for n, c in enumerate(columns) if n != k):
            return None  # the number reaches under a neighbouring heading
        cells[k] = p.text
    return [p.text for p in label] + cells
