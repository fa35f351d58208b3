"""表三 as pdftotext's default mode prints it: every number on a line of its own, after the labels,
some rows' cells in row order and some rows' cells column by column → labelled rows.

pdftotext without ``-layout``/``-raw`` reads a ruled table as text blocks: a row whose cells fit one
line comes out row by row (「705 3 0 0 5 0 713」, or one number a line), while the rows of a tall
merged group such as （三）不予公开 come out column by column — the 自然人 cells of all its rows,
then the 商业企业 cells … then their 总计 — and the last rows of a page in bands of columns in any
order. The labels all come first, so nothing in the text says which number belongs to which row.

The numbers are read back by the table's structure and its 勾稽 relations only:

- the 25 printed rows are consecutive pieces, in printed order; a piece of one row is read row by
  row, a piece of several rows column by column, or (up to ``_BANDED_MAX`` rows) in bands of
  neighbouring columns, each band row by row or column by column;
- the last rows (（六）3.其他, （七）总计, 四、结转) may come in any order at all: the relations
  settle them from the rows above;
- every reading must satisfy every relation: each row's 总计 is the sum of its six columns, the
  办理结果 rows sum to （七）总计 column by column, and 一 + 二 = （七）总计 + 四 in every column.

A cell is taken when every reading gives it the same number; a cell the readings disagree on is
blank with a finding naming its candidates; with no reading at all (a report with its own arithmetic
error, cells left blank) or too many, the section is left as it was — 表三 blank, with a finding.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Sequence

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers.cells import normalize
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row
from xxgk.importers.tables import ROW, T3, TOTAL, match_label

TABLE3_SECTION = 2
_WIDTH = len(labels.TABLE3_COLUMNS) + 1  # six applicant columns and 总计
_TOTAL = "total"  # （七）总计, printed between the 办理结果 rows and 四、结转
# The printed rows, top to bottom, with the label each is given back under.
_ROWS: tuple[tuple[str, str], ...] = tuple(
    item
    for row in labels.TABLE3_ROWS
    for item in (
        ([(_TOTAL, labels.TABLE3_RESULTS_TOTAL)] if row.id == "carried_out" else [])
        + [(row.id, row.label)]
    )
)
_TAIL_FROM = len(_ROWS) - 3  # （六）3.其他, （七）总计, 四、结转下年度继续办理
_RESULT_IDS = tuple(r.id for r in labels.TABLE3_RESULT_ROWS)
_NUMBER = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# 「四、政府信息公开行政复议、行政诉讼情况」, often broken into single characters, and its headers
_TABLE4_WORDS = ("行政复议", "行政诉讼")
_BANDED_MAX = 8  # rows of a piece whose columns may be read partly row by row
_SHOWN = 3  # candidate numbers a finding names
_READINGS_MAX = 2000  # distinct tables kept per starting row before giving up: nothing is certain

Grid = tuple[tuple[int, ...], ...]


def _numbers(row: Row) -> list[int] | None:
    """The row's numbers when it holds nothing but whole numbers, else None."""
    if row.in_table or row.is_blank:
        return None
    pieces = row.text.split()
    if not all(_NUMBER.fullmatch(p) for p in pieces):
        return None
    return [int(p) for p in pieces]


def _starts_table4(row: Row) -> bool:
    """True for 表四's heading or headers, which pdftotext may leave inside 表三's section."""
    text = _SPACE.sub("", row.text)
    return any(word in text for word in _TABLE4_WORDS)


def _labels_lead(rows: Sequence[Row]) -> bool:
    """True when some row's numbers come right after its label (a paste one cell a line): the
    labels place the numbers, not this module."""
    previous: Row | None = None
    for row in rows:
        if row.is_blank:
            continue
        if previous is not None and _numbers(row) is not None:
            entry = match_label(normalize(previous.text))
            if entry is not None and entry[0] in (ROW, TOTAL):
                return True
        previous = row
    return False


def _adds_up(cells: Sequence[int]) -> bool:
    return sum(cells[:-1]) == cells[-1]


def _bands(width: int) -> list[tuple[tuple[int, int, bool], ...]]:
    """Every cut of the columns into bands, read alternately row by row and column by column
    (two neighbouring bands read the same way are one band)."""
    found = []
    for cuts in itertools.product((False, True), repeat=width - 1):
        edges = [0, *(c + 1 for c, cut in enumerate(cuts) if cut), width]
        for first in (False, True):
            found.append(
                tuple(
                    (edges[i], edges[i + 1], first != (i % 2 == 1))
                    for i in range(len(edges) - 1)
                )
            )
    return found


@functools.cache
def _orders(size: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The orders (row, column) in which a piece of ``size`` rows can print its cells."""
    if size == 1:
        return (tuple((0, c) for c in range(_WIDTH)),)
    patterns = _bands(_WIDTH) if size <= _BANDED_MAX else [((0, _WIDTH, True),)]
    orders = set()
    for pattern in patterns:
        order: list[tuple[int, int]] = []
        for start, stop, by_column in pattern:
            if by_column:
                order += [(r, c) for c in range(start, stop) for r in range(size)]
            else:
                order += [(r, c) for r in range(size) for c in range(start, stop)]
        orders.add(tuple(order))
    return tuple(sorted(orders))


def _pieces(numbers: Sequence[int], start: int, size: int) -> set[Grid]:
    """The rows start… start+size-1 as each order reads them, where every row adds up."""
    chunk = numbers[_WIDTH * start:_WIDTH * (start + size)]
    found: set[Grid] = set()
    for order in _orders(size):
        cells = [[0] * _WIDTH for _ in range(size)]
        for value, (r, c) in zip(chunk, order, strict=True):
            cells[r][c] = value
        if all(_adds_up(row) for row in cells):
            found.add(tuple(tuple(row) for row in cells))
    return found


def _readings(numbers: Sequence[int]) -> list[Grid] | None:
    """Every distinct table the numbers can be read as, or None when there are too many to tell."""
    count = len(_ROWS)
    # heads[s]: the distinct readings of the rows before s; a reading is one table, not one order
    empty: Grid = ()
    heads: list[set[Grid] | None] = [{empty}] + [None] * count
    for stop in range(1, count + 1):
        found: set[Grid] = set()
        for size in range(1, stop + 1):
            before = heads[stop - size]
            if before is None:
                return None
            if not before:
                continue
            for piece in _pieces(numbers, stop - size, size):
                found.update(head + piece for head in before)
            if len(found) > _READINGS_MAX:
                return None
        heads[stop] = found
    tables = set(heads[count] or set())
    # The rows from （六）3.其他 on, printed in any order: the relations settle them from the rest.
    for start in range(_TAIL_FROM, count - 1):
        for head in heads[start] or set():
            tables.update(_unordered_tail(head, numbers[_WIDTH * start:]))
        if len(tables) > _READINGS_MAX:
            return None
    return sorted(g for g in tables if _relations_hold(g))


def _unordered_tail(head: Grid, rest: Sequence[int]) -> list[Grid]:
    """The tables whose rows after ``head`` are ``rest`` in some order, found by the relations:
    （七）总计 is the sum of the 办理结果 rows and 四 = 一 + 二 − （七）总计, column by column."""
    start = len(head)
    ids = [row_id for row_id, _ in _ROWS]
    before = {ids[i]: head[i] for i in range(start)}
    open_results = [r for r in _RESULT_IDS if r not in before]  # at most （六）3.其他
    if len(open_results) > 1 or any(k not in before for k in ("new", "carried_in")):
        return []
    pool = Counter(rest)
    found: list[Grid] = []

    def column(c: int, chosen: list[int], left: Counter[int]) -> None:
        if c == _WIDTH:
            if open_results and not _adds_up(chosen):
                return
            found.append(_tail_grid(head, before, open_results, chosen))
            return
        known = sum(before[r][c] for r in _RESULT_IDS if r in before)
        income = before["new"][c] + before["carried_in"][c]
        for x in sorted(left) if open_results else [0]:
            total = known + x
            values = ([x] if open_results else []) + [total, income - total]
            need = Counter(values)
            if values[-1] >= 0 and all(left[v] >= n for v, n in need.items()):
                column(c + 1, [*chosen, x], left - need)

    column(0, [], pool)
    return found


def _tail_grid(
    head: Grid, before: dict[str, tuple[int, ...]], open_results: list[str], chosen: list[int]
) -> Grid:
    rows = list(head)
    if open_results:
        rows.append(tuple(chosen))
        before = {**before, open_results[0]: tuple(chosen)}
    total = tuple(sum(before[r][c] for r in _RESULT_IDS) for c in range(_WIDTH))
    income = tuple(before["new"][c] + before["carried_in"][c] for c in range(_WIDTH))
    rows.append(total)
    rows.append(tuple(i - t for i, t in zip(income, total, strict=True)))
    return tuple(rows)


def _relations_hold(grid: Grid) -> bool:
    """True when the 办理结果 rows sum to （七）总计 and 一 + 二 = （七）总计 + 四, by column."""
    values = {row_id: grid[i] for i, (row_id, _) in enumerate(_ROWS)}
    for c in range(_WIDTH):
        if sum(values[r][c] for r in _RESULT_IDS) != values[_TOTAL][c]:
            return False
        income = values["new"][c] + values["carried_in"][c]
        if income != values[_TOTAL][c] + values["carried_out"][c]:
            return False
    return True


def regroup(section: int, rows: Sequence[Row], out: Collector) -> list[Row]:
    """表三's rows, its numbers given back to their rows where only one table fits them."""
    if section != TABLE3_SECTION:
        return list(rows)
    end = next((i for i, row in enumerate(rows) if _starts_table4(row)), len(rows))
    numbers: list[int] = []
    kept: list[Row] = []
    first_line: int | None = None
    for row in rows[:end]:
        found = _numbers(row)
        if found is None:
            kept.append(row)
            continue
        numbers += found
        first_line = first_line if first_line is not None else row.line
    if len(numbers) != len(_ROWS) * _WIDTH or _labels_lead(rows[:end]):
        return list(rows)  # not this kind of text (or cells missing): the other readers decide
    readings = _readings(numbers)
    if readings:
        return kept + _agreed_rows(readings, first_line, out) + list(rows[end:])
    why = (
        "没有一种读法满足勾稽关系（报告本身可能有计算错误）"
        if readings == []
        else "满足勾稽关系的读法太多"
    )
    out.error(
        codes.COLUMN_ORDER,
        (T3,),
        f"表三的数字与行名分开、部分按列排列（pdftotext 默认模式的输出）：{why}，"
        "无法确定各数字属于哪一行；表三导入为空值。"
        "请改用 PDF 原件或 pdftotext -layout / -raw 的输出",
        first_line,
    )
    return list(rows)


def _agreed_rows(readings: list[Grid], line: int | None, out: Collector) -> list[Row]:
    """表三's rows with the numbers every reading agrees on; the others blank, with a finding."""
    result: list[Row] = []
    names = (*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL)
    for i, (row_id, label) in enumerate(_ROWS):
        options = [sorted({g[i][c] for g in readings}) for c in range(_WIDTH)]
        cells = tuple(str(o[0]) if len(o) == 1 else "" for o in options)
        open_columns = [c for c in range(_WIDTH) if len(options[c]) > 1]
        if open_columns:
            shown = "；".join(
                f"{names[c]} {'或'.join(map(str, options[c][:_SHOWN]))}"
                + ("等" if len(options[c]) > _SHOWN else "")
                for c in open_columns
            )
            out.error(
                codes.COLUMN_ORDER,
                _path(row_id),
                f"表三的数字与行名分开、部分按列排列（pdftotext 默认模式的输出），这一行有 "
                f"{len(open_columns)} 个数字按勾稽关系有多种读法（{shown}），导入为空值",
                line,
            )
        text = "\t".join((label, *cells))
        result.append(Row((label, *cells), text, line, values_dropped=bool(open_columns)))
    return result


def _path(row_id: str) -> tuple[str, ...]:
    if row_id == _TOTAL:
        return (T3, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
    return (T3, *labels.TABLE3_ROW_BY_ID[row_id].path)
