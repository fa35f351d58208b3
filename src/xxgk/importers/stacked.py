"""Tables pasted one cell per line (from a browser or a PDF viewer) → rows of cells, by label.

Such a paste loses the row structure: every cell, label or number, is a line of its own, sometimes
with blank lines between and sometimes with a long label broken over two lines. Inside a table
section a run of one-cell lines holding numbers is regrouped here: a row starts at a known row label
and takes the numbers that follow; header words are dropped. Blank cells cannot be told from the
blank lines between cells, so a row whose count of numbers does not fit its columns is a finding
naming the row and is imported blank, never guessed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers.cells import is_number_like, label_core, normalize
from xxgk.importers.findings import Collector
from xxgk.importers.rows import PAGE_NUMBER, Row
from xxgk.importers.table2 import ALL_BLOCKS, CONTENT, ITEMS, ROW_LABELS, T2, default_columns
from xxgk.importers.table4 import T4, TABLE4_HEADERS
from xxgk.importers.tables import GROUP, HEADER, RESULTS, ROW, T3, TOTAL, match_label

TABLE2_SECTION, TABLE3_SECTION, TABLE4_SECTION = 1, 2, 3
_JOIN_MAX = 3  # pieces of one label broken over lines
_MARK_MAX = 2  # characters of a mark printed in a number's place (「—」「无」「/」)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MARK_HAN = frozenset("无空零〇一二三四五六七八九十两")  # a mark, or a number in words


def _is_mark(text: str) -> bool:
    """True for what may stand in a number's place (「—」「/」「无」「两」), not for a piece of a
    label or a heading (「业」 of 商业企业, printed amid the numbers by pdftotext)."""
    norm = normalize(text)
    return len(norm) <= _MARK_MAX and all(c in _MARK_HAN for c in _HAN.findall(norm))
_PAGE_NUMBER = PAGE_NUMBER
_T3_WIDTHS = (len(labels.TABLE3_COLUMNS), len(labels.TABLE3_COLUMNS) + 1)  # without / with 总计
_T4_WIDTHS = (3 * len(labels.TABLE4_OUTCOMES), 3 * (len(labels.TABLE4_OUTCOMES) + 1))
_T2_COLUMNS = frozenset(label_core(c) for b in ALL_BLOCKS for c in b.columns)


@dataclass(frozen=True)
class Token:
    """One non-blank line of the run: its text, 1-based line, and whether it reads as a number."""

    text: str
    line: int | None
    is_number: bool


def _token(text: str, line: int | None) -> Token:
    return Token(text, line, is_number_like(text))


def _tokens(text: str, line: int | None) -> list[Token]:
    """A line's tokens: itself, or a label and the numbers after it separated by single spaces.

    A PDF viewer often copies a table row as 「规章 3 1 12」 and a row of headings as
    「信息内容 本年制发件数 …」; its page numbers 「— 5 —」 are dropped.
    """
    if _PAGE_NUMBER.fullmatch(text):
        return []
    pieces = text.split()
    if len(pieces) < 2:
        return [_token(text, line)]
    if normalize(pieces[0]) == CONTENT:
        return [_token(p, line) for p in pieces]
    k = len(pieces)
    while k and is_number_like(pieces[k - 1]):
        k -= 1
    if k == len(pieces) or not any(c.isdigit() for p in pieces[k:] for c in p):
        return [_token(text, line)]
    head = [_token(" ".join(pieces[:k]), line)] if k else []
    return head + [_token(p, line) for p in pieces[k:]]


def regroup(section: int, rows: Sequence[Row], out: Collector) -> list[Row]:
    """The rows of a table section with its runs of one-cell lines regrouped into table rows."""
    regrouper = _REGROUPERS.get(section)
    if regrouper is None:
        return list(rows)
    result: list[Row] = []
    run: list[Row] = []
    for row in [*rows, None]:
        if row is not None and not row.in_table and sum(1 for c in row.cells if c) <= 1:
            run.append(row)
            continue
        tokens = [t for r in run if not r.is_blank for t in _tokens(r.text, r.line)]
        t4_at = _table4_start(tokens) if section == TABLE3_SECTION else None
        if t4_at is not None:
            # 表四 printed right after 表三 with its section heading lost (pdftotext's default
            # mode scatters a justified heading): its own headings say where it starts.
            result.extend(_regroup_run(regrouper, tokens[:t4_at], out))
            heading = tokens[t4_at]
            result.append(_cells_row([heading.text, ""], heading.line))  # hands over to 表四
            result.extend(_regroup_run(_regroup_table4, tokens[t4_at:], out))
        elif sum(1 for t in tokens if t.is_number) >= 2:
            result.extend(regrouper(tokens, out))
        else:
            result.extend(run)  # no numbers: notes or the halves of a broken label, as they were
        run = []
        if row is not None:
            result.append(row)
    return result


_T4_BLOCK_HEADINGS = frozenset(
    normalize(x)
    for x in (labels.TABLE4_REVIEW, labels.TABLE4_LITIGATION, labels.TABLE4_BLOCKS[1].label)
)


def _table4_start(tokens: list[Token]) -> int | None:
    """Where 表四's headings begin in a run of 表三's section, or None."""
    starts = (
        k
        for k, t in enumerate(tokens)
        if not t.is_number and normalize(t.text) in _T4_BLOCK_HEADINGS
    )
    return next(starts, None)


def _regroup_run(
    regrouper: Callable[[list[Token], Collector], list[Row]], tokens: list[Token], out: Collector
) -> list[Row]:
    if sum(1 for t in tokens if t.is_number) >= 2:
        return regrouper(tokens, out)
    return [_cells_row([t.text], t.line) for t in tokens]


def _joined(tokens: list[Token], is_label: Callable[[str], bool]) -> list[Token]:
    """The tokens with a label broken over two or three lines put back together."""
    merged: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.is_number and not is_label(token.text):
            for size in range(_JOIN_MAX, 1, -1):
                pieces = tokens[i : i + size]
                if len(pieces) == size and not any(p.is_number for p in pieces):
                    text = "".join(p.text for p in pieces)
                    if is_label(text):
                        token = _token(text, token.line)
                        i += size - 1
                        break
        merged.append(token)
        i += 1
    return merged


def _cells_row(
    cells: Sequence[str], line: int | None, dropped: bool = False, text: str = ""
) -> Row:
    return Row(tuple(cells), text or "\t".join(cells).strip(), line, values_dropped=dropped)


# ---------------------------------------------------------------- 表三


def _t3_entry(text: str) -> tuple[str, str] | None:
    return match_label(normalize(text)) if normalize(text) else None


def _t3_is_label(text: str) -> bool:
    return _t3_entry(text) is not None


def _t3_row_label(entry: tuple[str, str]) -> bool:
    return entry[0] in (ROW, TOTAL, GROUP, RESULTS)


@dataclass
class _Pending:
    """The row being gathered: its label cells, then its value cells."""

    texts: list[Token] = field(default_factory=list)
    values: list[Token] = field(default_factory=list)
    heading_after: bool = False  # a column heading came after some of the values
    interrupted: bool = False  # … and more values after it


def _regroup_table3(tokens: list[Token], out: Collector) -> list[Row]:
    tokens = _joined(tokens, _t3_is_label)
    gathered: list[_Pending] = []
    pending = _Pending()
    headings: set[str] = set()
    for k, token in enumerate(tokens):
        if token.is_number:
            pending.interrupted |= pending.heading_after
            pending.values.append(token)
            continue
        entry = _t3_entry(token.text)
        if entry is not None and entry[0] == HEADER:
            headings.add(entry[1])
            # a heading amid a row's numbers (pdftotext's default mode): not its numbers in
            # order; the headings repeated over a page break come between rows
            pending.heading_after |= bool(pending.values)
            continue  # 申请人情况, 自然人, 商业企业 …: the columns are in the national order
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        if (
            entry is None
            and _is_mark(token.text)
            and 0 < len(pending.values) < _T3_WIDTHS[0]
            and following is not None
            and following.is_number
        ):
            pending.values.append(token)  # text where a number belongs: the reader reports it
            continue
        if pending.values:
            gathered.append(pending)
            pending = _Pending()
        pending.texts.append(token)
    if pending.texts or pending.values:
        gathered.append(pending)
    labelled = [(p, *_table3_label(p.texts)) for p in gathered]
    width = _table3_width(
        [len(p.values) for p, _, entry in labelled if _counted(entry)], headings
    )
    # more numbers than columns, and lines of several numbers: not a paste of one cell a line
    # (where a lost label gives a row too many) but numbers split (wrapped in narrow cells)
    several = max(Counter(v.line for p in gathered for v in p.values).values(), default=0) > 1
    split = several and any(len(p.values) > width for p, _, e in labelled if _counted(e))
    split = split or any(_labels_first(p) for p in gathered)
    return [_table3_row(p, cells, entry, width, split, out) for p, cells, entry in labelled]


_LABELS_FIRST = 3  # row labels one after another with no number between them


def _labels_first(pending: _Pending) -> bool:
    """True when numbers follow a run of several row labels: the labels were printed first and
    the numbers after them (pdftotext's default mode), so the numbers after the last label need
    not be its own (a row whose cells are all blank leaves only two labels in a run)."""
    rows = [e for t in pending.texts if (e := _t3_entry(t.text)) is not None and e[0] == ROW]
    return bool(pending.values) and len(rows) >= _LABELS_FIRST


def _counted(entry: tuple[str, str] | None) -> bool:
    return entry is not None and entry[0] != RESULTS


_T3_COLUMN_HEADINGS = frozenset(normalize(c) for c in labels.TABLE3_COLUMN_LABELS)


def _table3_width(counts: list[int], headings: set[str]) -> int:
    """The table's row width: 7 with its 总计 column, 6 without. Six only when the headings
    were read whole and name no 总计, and no row has seven numbers: a count of the rows cannot
    tell, since rows with a blank cell also have six (and would be read shifted)."""
    total = normalize(labels.TABLE3_TOTAL) in headings or _T3_WIDTHS[-1] in counts
    if total or not headings >= _T3_COLUMN_HEADINGS:
        return _T3_WIDTHS[-1]
    return _T3_WIDTHS[0]


def _table3_label(texts: list[Token]) -> tuple[list[str], tuple[str, str] | None]:
    """The label cells, the last one joined from pieces when only together they name a row."""
    cells = [t.text for t in texts]
    for start in range(len(cells)):
        text = "".join(cells[start:])
        entry = _t3_entry(text)
        if entry is not None and _t3_row_label(entry):
            return [*cells[:start], text], entry
    return cells, None


def _table3_path(entry: tuple[str, str]) -> tuple[str, ...]:
    kind, row_id = entry
    if kind == ROW:
        return (T3, *labels.TABLE3_ROW_BY_ID[row_id].path)
    if kind == TOTAL:
        return (T3, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
    return (T3, labels.TABLE3_RESULTS, labels.TABLE3_2019_OTHER_HANDLING)


def _table3_row(
    pending: _Pending,
    cells: list[str],
    entry: tuple[str, str] | None,
    width: int,
    split: bool,
    out: Collector,
) -> Row:
    line = (pending.texts or pending.values)[0].line
    values = [v.text for v in pending.values]
    if (entry is not None and entry[0] == RESULTS) or not values or not "".join(cells):
        return _cells_row([*cells, *values], line)  # the reader reports what it cannot place
    if (
        entry is not None
        and entry[0] in (ROW, TOTAL)
        and 0 < len(values) < width
        and all(v.isascii() and v.isdigit() for v in values)
        and len({v.line for v in pending.values}) == 1
        and not pending.interrupted
        and not _uncertain(pending.values, split)
    ):
        # a row that lost its blank cells (pdftotext -raw): its numbers on one line, in their
        # columns' order, as spaced text, for the reader to place where the 勾稽 relations leave
        # one placement. Numbers one a line after a label (pdftotext's default mode) need not
        # be that row's, so they never come here.
        return Row((*cells, *values), " ".join((*cells, *values)), line)
    if len(values) != width or pending.interrupted or _uncertain(pending.values, split):
        # a label the reader may still match (a misprint) must not get the numbers shifted
        path = _table3_path(entry) if entry is not None else (T3, "".join(cells))
        _count_finding(out, path, len(values), (width,), line)
        return _cells_row([*cells, *[""] * _T3_WIDTHS[-1]], line, dropped=True)
    return _cells_row([*cells, *values], line)


def _uncertain(values: list[Token], split: bool) -> bool:
    """True when a number of the row may be split in two and a blank cell hide beside it: the
    numbers came as a line of several and more lines (「… 380911 261443」 then 「6」 of 2614436),
    or other rows of the table had more numbers than columns. Its 总计 cannot confirm such a
    reading: the ends of wrapped numbers add up as the whole numbers do (28 + 49 = 77 of
    3443|28 + 1059|49 = 4502|77). A paste of one cell a line has one number a line and rows
    that fit."""
    lines = Counter(v.line for v in values)
    return split or (len(lines) >= 2 and max(lines.values()) >= 2)


# ---------------------------------------------------------------- 表二


def _t2_is_label(text: str) -> bool:
    norm = normalize(text)
    return norm in ROW_LABELS or norm in ITEMS or norm == CONTENT or label_core(text) in _T2_COLUMNS


def _column_major_table2(tokens: list[Token]) -> list[Row] | None:
    """表二 printed column by column (pdftotext's default mode): each column heading, then one
    number for each row of its block — rows in the national order. None unless every heading
    has exactly that many numbers right after it and every row label is printed."""
    found: dict[str, list[str]] = {}  # row label → values in column order
    blocks_by_size: dict[tuple[str, int], labels.Table2Block] = {
        (label_core(c), len(b.rows)): b for b in labels.TABLE2_BLOCKS for c in b.columns
    }
    k = 0
    while k < len(tokens):
        head = tokens[k]
        numbers = list(itertools.takewhile(lambda t: t.is_number, tokens[k + 1 :]))
        block = blocks_by_size.get((label_core(head.text), len(numbers)))
        if not head.is_number and numbers and block is not None:
            for (_, label), value in zip(block.rows, numbers, strict=True):
                found.setdefault(label, []).append(value.text)
            k += 1 + len(numbers)
            continue
        if head.is_number:
            return None  # a number under no heading: not this layout
        k += 1
    printed = {normalize(t.text) for t in tokens if not t.is_number}
    rows = []
    for block in labels.TABLE2_BLOCKS:
        for _, label in block.rows:
            values = found.get(label)
            if values is None:
                continue
            if len(values) != len(block.columns) or normalize(label) not in printed:
                return None
            rows.append(_cells_row([label, *values], None))
    return rows or None


def _regroup_table2(tokens: list[Token], out: Collector) -> list[Row]:
    by_column = _column_major_table2(tokens)
    if by_column is not None:
        return by_column
    tokens = _joined(tokens, _t2_is_label)
    rows: list[Row] = []
    headings: list[str] = []  # the value columns named by the last 信息内容
    current: list[str] | None = None  # the row being gathered: heading row or data row
    expected = 0
    line: int | None = None

    bare = 0  # row labels with no number after them: all blank, or the labels printed first
    taken: list[int] = []  # the rows given numbers

    def close() -> None:
        nonlocal current, bare
        if current is None:
            return
        label = normalize(current[0])
        values = current[1:]
        bare += label in ROW_LABELS and not values
        if label in ROW_LABELS and values and len(values) == expected:
            taken.append(len(rows))
        if label in ROW_LABELS and values and len(values) != expected:  # none: blank cells
            _count_finding(out, (T2, ROW_LABELS[label]), len(values), (expected,), line)
            rows.append(_cells_row([current[0], *[""] * expected], line, dropped=True))
        elif label == CONTENT:
            headings[:] = values
            rows.append(_cells_row(current, line))
        else:
            rows.append(_cells_row(current, line))
        current = None

    for token in tokens:
        norm = normalize(token.text)
        if norm in ITEMS:
            close()
            headings.clear()
            rows.append(_cells_row([token.text, ""], token.line))
        elif norm == CONTENT or norm in ROW_LABELS:
            close()
            current, line = [token.text], token.line
            if norm != CONTENT:
                expected = len(headings) or len(default_columns(norm))
        elif current is not None and normalize(current[0]) == CONTENT and not token.is_number:
            _add_heading(current, token.text)
        elif current is not None and normalize(current[0]) in ROW_LABELS:
            # a value; a mark where a number belongs (「—」「无」) is taken and reported, but not
            # a label the index does not know (a misprint: 「行政规范文件」), which starts a row
            if token.is_number or (_is_mark(token.text) and len(current) - 1 < expected):
                current.append(token.text)
            else:
                close()
                rows.append(_cells_row([token.text], token.line))
        else:
            rows.append(_cells_row([token.text], token.line))
    close()
    if bare >= _LABELS_FIRST - 1:
        # several labels without numbers and numbers after them: pdftotext's default mode
        # printed the labels first, so the numbers after a label need not be its own
        for at in taken:
            row = rows[at]
            label = normalize(row.cells[0])
            out.error(
                codes.COLUMN_ORDER,
                (T2, ROW_LABELS[label]),
                "表二的行标签印在数字之前，数字无法确定属于哪一行，整行导入为空值",
                row.line,
            )
            rows[at] = _cells_row([row.cells[0], *[""] * (len(row.cells) - 1)], row.line,
                                  dropped=True)
    return rows


def _add_heading(current: list[str], text: str) -> None:
    """A column heading, or the second half of one broken over two lines (「（单位：万元）」)."""
    last = current[-1] if len(current) > 1 else None
    if last is not None and (
        not label_core(text)
        or (label_core(last) not in _T2_COLUMNS and label_core(last + text) in _T2_COLUMNS)
    ):
        current[-1] = last + text
    else:
        current.append(text)


# ---------------------------------------------------------------- 表四


_T4_TOTAL = label_core(labels.TABLE4_TOTAL)


def _t4_is_header(text: str) -> bool:
    core = label_core(text)
    return core in TABLE4_HEADERS or core == _T4_TOTAL


def _regroup_table4(tokens: list[Token], out: Collector) -> list[Row]:
    tokens = _joined(tokens, _t4_is_header)
    # The header words say whether the three 总计 columns are there (headings may be run together).
    totals = any(_T4_TOTAL in label_core(t.text) for t in tokens if not t.is_number)
    tokens = [t for t in tokens if not _t4_is_header(t.text)]
    numbers = [i for i, t in enumerate(tokens) if t.is_number]
    first, last = numbers[0], numbers[-1]
    before = [_cells_row([t.text], t.line) for t in tokens[:first]]
    after = [_cells_row([t.text], t.line) for t in tokens[last + 1 :]]
    values = [t.text for t in tokens[first : last + 1]]  # text between numbers: reported as such
    line = tokens[first].line
    widths = _T4_WIDTHS[-1:] if totals else _T4_WIDTHS
    # headings printed amid the numbers (pdftotext's default mode) are no values: the numbers
    # around them need not be in the order of the cells
    amid = any(not t.is_number and not _is_mark(t.text) for t in tokens[first : last + 1])
    if len(values) not in widths or amid:
        _count_finding(out, (T4,), len(values), widths, line)
        data = _cells_row([""] * _T4_WIDTHS[-1], line, dropped=True, text=" ".join(values))
    else:
        data = _cells_row(values, line)
    return [*before, data, *after]


def _count_finding(
    out: Collector, path: tuple[str, ...], got: int, widths: Sequence[int], line: int | None
) -> None:
    wanted = "或".join(str(w) for w in widths)
    out.error(
        codes.CELL_COUNT,
        path,
        f"表格的单元格一格一行，这一行有 {got} 个数字，应为 {wanted} 个；"
        "无法确定各数字属于哪一列，整行导入为空值",
        line,
    )


_REGROUPERS: dict[int, Callable[[list[Token], Collector], list[Row]]] = {
    TABLE2_SECTION: _regroup_table2,
    TABLE3_SECTION: _regroup_table3,
    TABLE4_SECTION: _regroup_table4,
}
