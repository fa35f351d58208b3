"""表三 rows whose label a PDF → markdown converter detached from their numbers.

Converters turn a tall merged label cell into loose text lines and leave its row as a pipe row of
numbers only (「| 0 | 0 | 0 | 0 | 0 | 0 | 0 |」), or with a piece of the label
(「| 行政机关不再处理其政府信息公 | 40 | … |」). Such a row is given its label only when everything
about it is certain:

- it stands between two rows read by their own labels (anchors), in the national order, and the
  national format has exactly as many rows between those two as there are such rows (a converter
  writes a table's rows top to bottom, so the n-th is the n-th missing row);
- each such row's cells read as seven one way only (an empty cell keeps its place, and one that
  may be a blank number or the table's padding leaves the row unread), its 总计 printed and the
  sum of the numbers printed before it;
- the text on the row, if any, is a piece of that very row's label (or of a merged group cell),
  and the label itself is printed in the table's loose lines (or rows without numbers) or on
  the row;
- where the table can be added up, the 办理结果 rows sum to （七）总计 column by column
  (the relations only confirm: a sum cannot tell rows apart, order and count place them).

Otherwise the rows stay as they are (blank, each with a finding naming the rows it might be).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from xxgk import labels
from xxgk.importers.cells import CellStatus, is_number_like, normalize, parse_count
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row
from xxgk.importers.tables import GROUP, ROW, TOTAL, match_label

DETACHED_LABEL = "import/detached-label"
T3 = "表三"
_TOTAL_ID = "results_total"
# The national order of 表三's printed rows: the 24 entered rows with （七）总计 before 四.
_ORDER = (*(r.id for r in labels.TABLE3_ROWS[:-1]), _TOTAL_ID, labels.TABLE3_ROWS[-1].id)
_PLACE = {row_id: i for i, row_id in enumerate(_ORDER)}
_SIX = [r.id for r in labels.TABLE3_RESULT_ROWS if r.group == labels.TABLE3_GROUPS[-1].label]
_EVIDENCE = 8  # characters of a label's start that must be printed somewhere in the table
_WIDTH = len(labels.TABLE3_COLUMNS) + 1
# What merged group cells leave on a row: pieces of 「三、本年度办理结果」「（三）不予公开」 ….
_MERGED = "".join(
    normalize(t) for t in (labels.TABLE3_RESULTS, *(g.label for g in labels.TABLE3_GROUPS))
)


def _label(row_id: str) -> str:
    if row_id == _TOTAL_ID:
        return labels.TABLE3_RESULTS_TOTAL
    return labels.TABLE3_ROW_BY_ID[row_id].label


@dataclass(frozen=True)
class _Anchor:
    at: int  # index among the rows
    first: int  # its place in the national order (a one-row （六） covers three)
    last: int
    values: Values | None  # its seven cells, when they can be read


Values = tuple[int | None, ...]  # seven cells, None where the cell is empty


def _window(cells: Sequence[str]) -> tuple[str, ...] | None:
    """The seven cells, numbers or empty, when the row's cells can be read as them one way only:
    empty cells of a wider table around them dropped, but an empty cell that may be either a
    blank number or the padding of the table (「|  | 5 |  | 3 |  |  | 8 |  |」) leaves it unread."""
    filled = [i for i, c in enumerate(cells) if c.strip()]
    if not filled or filled[-1] - filled[0] >= _WIDTH:
        return None
    readings = set()
    # only windows holding every filled cell: at most seven, however wide the row
    for front in range(max(0, filled[-1] - _WIDTH + 1), min(filled[0], len(cells) - _WIDTH) + 1):
        window = tuple(cells[front : front + _WIDTH])
        if any(parse_count(c)[1] is CellStatus.UNREADABLE for c in window):
            return None
        readings.add(tuple(c.strip() for c in window))
    return readings.pop() if len(readings) == 1 else None


def _numbers(cells: Sequence[str]) -> Values | None:
    """The seven cells' numbers (None where empty), when the cells can be read one way only."""
    window = _window(cells)
    return None if window is None else tuple(parse_count(c)[0] for c in window)


def _anchor(index: int, row: Row) -> _Anchor | None:
    """A row read by its own label: its last label cell names a 表三 row, numbers follow."""
    found: tuple[int, str, str] | None = None
    for i, cell in enumerate(row.cells):
        norm = normalize(cell)
        if not norm or is_number_like(cell):
            continue
        entry = match_label(norm)
        if entry is None or entry[0] not in (ROW, TOTAL, GROUP):
            if found is not None:
                return None  # text after the label: not a row read by its label
            continue  # a merged cell's piece before it (「三、」「（三）不」)
        found = (i, *entry)
    if found is None:
        return None
    i, kind, row_id = found
    if kind == GROUP and row_id != "other_handling":
        return None
    values = _numbers(row.cells[i + 1 :])
    if kind == GROUP:  # （六）其他处理 printed as one row (or as a subtotal): it stands for 1–3
        return _Anchor(index, _PLACE[_SIX[0]], _PLACE[_SIX[-1]], values)
    place = _PLACE[_TOTAL_ID if kind == TOTAL else row_id]
    return _Anchor(index, place, place, values)


def _has_numbers(row: Row) -> bool:
    return any(c.strip() and is_number_like(c) for c in row.cells)


def _texts(row: Row) -> list[str]:
    return [normalize(c) for c in row.cells if c.strip() and not is_number_like(c)]


def _after_text(row: Row) -> tuple[str, ...]:
    """The cells after the row's last text cell (all of them on a row of numbers only)."""
    texts = [i for i, c in enumerate(row.cells) if c.strip() and not is_number_like(c)]
    return row.cells[texts[-1] + 1 :] if texts else row.cells


def _values(row: Row) -> Values | None:
    """The seven numbers after the row's last text cell, or None."""
    return _numbers(_after_text(row))


_LABELS = "".join(normalize(_label(row_id)) + "|" for row_id in _ORDER)


def _label_pieces(row: Row) -> bool:
    """True when the row's text (if any) is only pieces of 表三 labels: what a converter left."""
    return all(t in _LABELS or t in _MERGED for t in _texts(row))


def _fits(row: Row, row_id: str, loose: str) -> bool:
    """True when the row's own text is pieces of this row's label (or of merged group cells),
    its seven cells end in a 总计 that is the sum of the numbers before it (a cell printed empty
    counts nothing: zero, or the sum fails), and the label is printed in the table."""
    values = _values(row)
    if values is None or values[-1] is None:
        return False
    if sum(v for v in values[:-1] if v is not None) != values[-1]:
        return False
    label = normalize(_label(row_id))
    texts = _texts(row)
    if any(t not in label and t not in _MERGED for t in texts):
        return False
    return label[:_EVIDENCE] in loose or label[:_EVIDENCE] in "".join(texts)


def restore(rows: Sequence[Row], out: Collector) -> list[Row]:
    """The rows with detached 表三 labels put back where they are certain (see the module)."""
    anchors = [a for i, r in enumerate(rows) if r.in_table and (a := _anchor(i, r)) is not None]
    if len(anchors) < 2:
        return list(rows)
    if any(b.first <= a.last for a, b in itertools.pairwise(anchors)):
        return list(rows)  # not one table in the national order (two copies, a 2019 table …)
    start, end = anchors[0].at, anchors[-1].at
    # the table's loose lines and rows without numbers, a label's number cut off on a line of
    # its own (「3」「.其他」) too
    loose = "".join(
        normalize(r.text) for r in rows[start:end] if not (r.in_table and _has_numbers(r))
    )
    placed: dict[int, str] = {}  # row index → the row id it is given
    strays: dict[int, list[int]] = {}  # gap (its anchor) → loose lines of numbers inside it
    for a, b in itertools.pairwise(anchors):
        between = range(a.at + 1, b.at)
        gap = [i for i in between if rows[i].in_table and _has_numbers(rows[i])]
        if not gap:
            continue
        if any(not _label_pieces(rows[i]) for i in gap):
            continue  # a row with a label of its own (a misprint): the table reader's to judge
        missing = list(_ORDER[a.last + 1 : b.first])
        names = "」「".join(_label(m) for m in missing) or "无"
        where = f"在「{_label(_ORDER[a.last])}」与「{_label(_ORDER[b.first])}」之间"
        if len(gap) != len(missing) or not all(
            _fits(rows[i], m, loose) for i, m in zip(gap, missing, strict=True)
        ):
            out.warn(
                DETACHED_LABEL,
                (T3,),
                f"{where}有 {len(gap)} 行数字没有完整的行标签，按国家格式该处应为「{names}」"
                f"（{len(missing)} 行）；无法按行序确定各行数字属于哪一行，未补上行标签",
                rows[gap[0]].line,
            )
            continue
        placed.update(zip(gap, missing, strict=True))
        strays[a.at] = [i for i in between if not rows[i].in_table and _has_numbers(rows[i])]
    if not placed:
        return list(rows)
    if _adds_up(rows, anchors, placed) is False:
        out.warn(
            DETACHED_LABEL,
            (T3,),
            "表三有几行数字与行标签分开，按行序可以对应，但办理结果各行之和与（七）总计不符；"
            "无法确认，这些行导入为空值",
            rows[min(placed)].line,
        )
        return list(rows)
    return _rewritten(rows, placed, strays, anchors, out)


def _adds_up(rows: Sequence[Row], anchors: list[_Anchor], placed: dict[int, str]) -> bool | None:
    """Whether the 办理结果 rows sum to （七）总计 in every column; None when not all are there."""
    values: dict[str, Values | None] = {}
    for a in anchors:
        for place in range(a.first, a.last + 1):
            values[_ORDER[place]] = a.values if a.first == a.last else None
        if a.first != a.last and a.values is not None:
            values["six"] = a.values
    for i, row_id in placed.items():
        values[row_id] = _values(rows[i])
    total = values.get(_TOTAL_ID)
    results = [r.id for r in labels.TABLE3_RESULT_ROWS]
    if "six" in values:
        results = [r for r in results if r not in _SIX] + ["six"]
    parts = [values.get(r) for r in results]
    known = [p for p in parts if p is not None and None not in p]
    if total is None or None in total or len(known) != len(parts):
        return None  # a blank cell: the table cannot be added up
    sums = tuple(sum(p[c] or 0 for p in known) for c in range(_WIDTH))
    return sums == total


def _rewritten(
    rows: Sequence[Row],
    placed: dict[int, str],
    strays: dict[int, list[int]],
    anchors: list[_Anchor],
    out: Collector,
) -> list[Row]:
    confirmed = _adds_up(rows, anchors, placed) is True
    result = list(rows)
    for a in anchors:
        lines = strays.get(a.at, [])
        if not lines:
            continue
        gap = [i for i in placed if a.at < i < next(b.at for b in anchors if b.at > a.at)]
        if not confirmed:  # a loose number might be one of these rows' cells: none is placed
            for i in gap:
                del placed[i]
            out.warn(
                DETACHED_LABEL,
                (T3,),
                f"与行标签分开的几行数字之间另有单独的数字「{rows[lines[0]].text}」，"
                "且表三无法加总核对；无法确定各行数字属于哪一行，导入为空值",
                rows[lines[0]].line,
            )
            continue
        for i in lines:
            out.warn(
                DETACHED_LABEL,
                (T3,),
                f"表格外单独的数字「{rows[i].text}」不属于表三的任何一行（各行数字齐全，"
                "办理结果各行之和与（七）总计相符），已跳过",
                rows[i].line,
            )
            result[i] = Row(("",), "", rows[i].line)
    for i, row_id in placed.items():
        row = rows[i]
        numbers = _window(_after_text(row)) or ()  # placed rows have their seven cells
        label = _label(row_id)
        out.warn(
            DETACHED_LABEL,
            (T3, *(labels.TABLE3_ROW_BY_ID[row_id].path if row_id != _TOTAL_ID else (label,))),
            "转换后的表格中这一行的数字与行标签分开了；按国家格式的行序（上下两行的标签之间"
            f"恰缺这一行）和表格旁印出的标签「{label}」导入"
            + ("，办理结果各行之和与（七）总计相符" if confirmed else ""),
            row.line,
        )
        result[i] = Row((label, *numbers), row.text, row.line, in_table=True)
    return result
