"""Table rows whose cells ran together (crawler text: 「…申请数量713000074」) → rows of cells.

A crawler that keeps only a table's text joins every cell of a row with nothing between: the label,
then all the digits. The digits can be cut into the row's numbers in many ways; a cut is taken only
where the 勾稽 relations of the national format leave exactly one:

- 表三: each row's 总计 is the sum of its six applicant columns; each column of the 办理结果 rows
  sums to （七）总计; and 一 + 二 = （七）总计 + 四 in every column (the 总计 column included);
- 表四: each block's 总计 is the sum of its four outcomes;
- 表二 has no such relation: a row is cut only when its digits are as many as its columns.

Anything else stays blank, with a finding listing the candidate cuts — never a guess.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers.cells import normalize
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row
from xxgk.importers.table2 import ROW_LABELS, T2, default_columns
from xxgk.importers.table4 import T4
from xxgk.importers.tables import GROUP, ROW, T3, TOTAL, match_label

TABLE2_SECTION, TABLE3_SECTION, TABLE4_SECTION = 1, 2, 3
# The digits touch the label: 「数量713000074」 ran together, 「数量 26」 did not. Some crawlers put
# a space between some cells and not others (「数量0 0 0 0 0 00」): a space is a certain cut.
_TAIL = re.compile(r"^(?P<label>.*?[^\d\s]) ?(?P<digits>\d+(?: \d+)*)$")
_ONE_NUMBER = re.compile(r"^(?P<label>.*?[^\d.\s]) ?(?P<number>\d+(?:\.\d+)?)$")
# 表四's row: 12 or 15 numbers, at least one digit each, some or none a space apart.
_ONLY_DIGITS = re.compile(r"\d+(?: \d+)*")
_T3_WIDTH = len(labels.TABLE3_COLUMNS) + 1  # six columns and 总计
_T4_WIDTH = len(labels.TABLE4_OUTCOMES) + 1
_SHOWN = 4  # candidate cuts named in a finding
_FOUND_MAX = 1000  # candidate cuts counted (more: 「等 1000 种」)
_TOO_LONG = "数字太多，可能的分法无法逐一检验（为免长时间计算，未作拆分）"
_SEARCH_MAX = 200_000  # combinations of several rows' cuts tried together
# One row's search is bounded: seven numbers of a real report never need more digits than this,
# and a run that takes longer than this many steps or seconds is left blank with a finding.
_DIGITS_MAX = 56
_STEPS_MAX = 400_000
_SECONDS_MAX = 2.0


@dataclass
class _Pending:
    """A 表三 row whose digits ran together: its label, id and the cuts its own total allows."""

    index: int
    row: Row
    label: str
    key: str  # a 表三 row id, or 「total」 for （七）总计
    digits: str
    cuts: list[tuple[int, ...]]
    forced: bool = False  # one digit per cell (or spaces that leave one cut): certain alone
    blank_cells: bool = False  # the spaced pieces whole add up: blanks left out, or digits run on


class SearchTooLong(Exception):
    """The cuts of a run of digits are too many to try (a long run, or the time is up)."""


@dataclass
class Budget:
    """How much searching one row may cost: steps of the search and a deadline."""

    steps: int = _STEPS_MAX
    deadline: float = field(default_factory=lambda: time.monotonic() + _SECONDS_MAX)

    def spend(self) -> None:
        self.steps -= 1
        if self.steps < 0 or (self.steps % 4096 == 0 and time.monotonic() > self.deadline):
            raise SearchTooLong


def cuts(
    digits: str, parts: int, breaks: frozenset[int] = frozenset(), budget: Budget | None = None
) -> Iterator[tuple[int, ...]]:
    """Every way to cut a run of digits into ``parts`` numbers (no leading zeros), cutting at
    every offset in ``breaks`` (where the source put a space between two numbers)."""
    yield from _bounded(digits, 0, parts, None, breaks, budget or Budget())


def summed_cuts(
    digits: str, parts: int, breaks: frozenset[int] = frozenset(), budget: Budget | None = None
) -> list[tuple[int, ...]]:
    """The cuts into ``parts - 1`` numbers and their sum (the last number).

    SearchTooLong when the run is too long to search (more digits than ``parts`` numbers of a
    real report hold, or more steps than the budget)."""
    if len(digits) > _DIGITS_MAX:
        raise SearchTooLong
    budget = budget or Budget()
    found: list[tuple[int, ...]] = []
    for size in range(1, len(digits)):
        start = len(digits) - size
        if any(start < b < len(digits) for b in breaks):
            break  # the total cannot reach over a space
        total_text = digits[start:]
        if size > 1 and total_text[0] == "0":
            continue
        total = int(total_text)
        head_breaks = frozenset(b for b in breaks if b < start)
        found += [
            (*c, total)
            for c in _bounded(digits[:start], 0, parts - 1, total, head_breaks, budget)
            if sum(c) == total
        ]
    return found


def _bounded(
    digits: str,
    offset: int,
    parts: int,
    limit: int | None,
    breaks: frozenset[int],
    budget: Budget,
) -> Iterator[tuple[int, ...]]:
    """Cuts of ``digits[offset:]`` into ``parts`` numbers, none over ``limit`` (they must add up
    to it) and none reaching over a break."""
    budget.spend()
    rest = len(digits) - offset
    if parts == 1:
        if any(offset < b < len(digits) for b in breaks):
            return
        text = digits[offset:]
        if text and (text == "0" or text[0] != "0") and (limit is None or int(text) <= limit):
            yield (int(text),)
        return
    for size in range(1, rest - parts + 2):
        head = digits[offset : offset + size]
        if (size > 1 and head[0] == "0") or (limit is not None and int(head) > limit):
            break
        if any(offset < b < offset + size for b in breaks):
            break  # a number never reaches over a space
        left = None if limit is None else limit - int(head)
        for tail in _bounded(digits, offset + size, parts - 1, left, breaks, budget):
            yield (int(head), *tail)


def _shown(found: Sequence[tuple[int, ...]]) -> str:
    """The candidate cuts, as a finding names them."""
    if not found:
        return "没有一种分法能满足勾稽关系（可能有空白单元格）"
    text = "；".join("、".join(str(n) for n in c) for c in found[:_SHOWN])
    more = f"等 {len(found)} 种" if len(found) > _SHOWN else f"共 {len(found)} 种"
    return f"可分为 {text}（{more}），无法确定是哪一种"


@dataclass(frozen=True)
class _Run:
    """A one-cell row's label and the digits run onto it, with the places of its spaces."""

    label: str
    digits: str
    breaks: frozenset[int]
    shown: str  # as printed, spaces kept
    apart: bool = False  # a space between the label and the digits

    def one_per_cell(self, width: int) -> bool:
        """True for 「规章 3 1 12」: every number apart, one per cell — no cut needed here, the
        ordinary readers (and the regrouping of pasted tables) take such a row as it is."""
        return self.apart and len(self.breaks) + 1 == width


def _split(row: Row) -> _Run | None:
    """A one-cell row's label and the digits run onto it (at least two), or None."""
    if row.in_table or len([c for c in row.cells if c]) != 1:
        return None
    match = _TAIL.match(row.text.strip())
    if match is None:
        return None
    pieces = match.group("digits").split(" ")
    digits = "".join(pieces)
    if len(digits) < 2:
        return None
    offsets = itertools.accumulate(len(p) for p in pieces[:-1])
    apart = match.start("digits") > match.end("label")
    return _Run(
        match.group("label").strip(), digits, frozenset(offsets), match.group("digits"), apart
    )


def _cells_row(row: Row, label: str, numbers: Sequence[int] | None, width: int) -> Row:
    if numbers is None:
        return Row((label, *[""] * width), row.text, row.line, values_dropped=True)
    cells = (label, *(str(n) for n in numbers))
    return Row(cells, "\t".join(cells), row.line)


def expand(section: int, rows: Sequence[Row], out: Collector) -> list[Row]:
    """A table section's rows with run-together cells cut where only one cut fits."""
    if section == TABLE2_SECTION:
        return _table2(rows, out)
    if section == TABLE3_SECTION:
        return _table3(list(rows), out)
    if section == TABLE4_SECTION:
        return [_table4_row(r, out) for r in rows]
    return list(rows)


# ---------------------------------------------------------------- 表二


def _table2(rows: Sequence[Row], out: Collector) -> list[Row]:
    """表二's rows, each cut into as many numbers as its block's heading row has columns (the
    2019 format's blocks have other columns than 2021's; without a heading row, 2021's)."""
    result: list[Row] = []
    width: int | None = None
    for row in rows:
        cells = [c for c in row.cells if c.strip()]
        if cells and normalize(cells[0]) == normalize(labels.TABLE2_CONTENT_HEADING):
            width = len(cells) - 1 if len(cells) > 1 else None
        elif cells and normalize(cells[0]).startswith("第二十条"):
            width = None
        result.append(_table2_row(row, out, width))
    return result


def _table2_row(row: Row, out: Collector, heading_width: int | None = None) -> Row:
    single = _ONE_NUMBER.match(row.text.strip()) if not row.in_table else None
    if single is not None and len([c for c in row.cells if c]) == 1:
        norm = normalize(single.group("label"))
        one = heading_width == 1 or (heading_width is None and norm in ROW_LABELS
                                      and len(default_columns(norm)) == 1)
        if norm in ROW_LABELS and one:  # 「行政事业性收费4068.208」
            cells = (single.group("label").strip(), single.group("number"))
            return Row(cells, "\t".join(cells), row.line)
    split = _split(row)
    if split is None or normalize(split.label) not in ROW_LABELS:
        return row
    label = split.label
    width = heading_width or len(default_columns(normalize(label)))
    if heading_width is None and split.one_per_cell(width):
        return row
    try:
        found = _first(cuts(split.digits, width, split.breaks), _FOUND_MAX)
        why = _shown(found)
    except SearchTooLong:
        found, why = [], _TOO_LONG
    if split.breaks and len(found) == 1 and not _spaced_cut_is_forced(split, found[0]):
        # 「规章 7 24」: the numbers a space apart, one short. A blank cell left no trace (pdftotext
        # -raw, a paste), so 24 is as likely a number as 2 and 4: nothing is cut by guess, and
        # the ordinary readers say the row has too few numbers.
        return row
    if len(found) == 1:
        return _cells_row(row, label, found[0], width)
    out.error(
        codes.RUN_TOGETHER,
        (T2, ROW_LABELS[normalize(label)]),
        f"这一行的数字连在一起（「{split.shown}」）：{why}；整行导入为空值",
        row.line,
    )
    return _cells_row(row, label, None, width)


def _first(found: Iterator[tuple[int, ...]], most: int) -> list[tuple[int, ...]]:
    return list(itertools.islice(found, most))


# ---------------------------------------------------------------- 表四


def _table4_row(row: Row, out: Collector) -> Row:
    text = row.text.strip()
    if row.in_table or not _ONLY_DIGITS.fullmatch(text) or len(text.replace(" ", "")) < 12:
        return row
    pieces = text.split()
    digits = "".join(pieces)
    breaks = frozenset(itertools.accumulate(len(p) for p in pieces[:-1]))
    try:
        found = _table4_cuts(digits, breaks, Budget())
        why = _shown(found)
    except SearchTooLong:
        found, why = [], _TOO_LONG
    if len(found) == 1:
        cells = tuple(str(n) for n in found[0])
        return Row(cells, "\t".join(cells), row.line)
    out.error(
        codes.RUN_TOGETHER,
        (T4,),
        f"表四的数字连在一起（「{text}」）：{why}；整行导入为空值",
        row.line,
    )
    return Row(("",) * (3 * _T4_WIDTH), text, row.line, values_dropped=True)


def _table4_cuts(digits: str, breaks: frozenset[int], budget: Budget) -> list[tuple[int, ...]]:
    """Cuts into three blocks of four outcomes and their 总计 (none reaching over a space)."""
    found: list[tuple[int, ...]] = []

    def blocks(start: int, done: tuple[int, ...]) -> None:
        if len(done) == 3 * _T4_WIDTH:
            if start == len(digits):
                found.append(done)
            return
        for end in range(start + _T4_WIDTH, len(digits) + 1):
            inside = frozenset(b - start for b in breaks if start < b < end)
            for block in summed_cuts(digits[start:end], _T4_WIDTH, inside, budget):
                blocks(end, done + block)
                if len(found) >= _FOUND_MAX:
                    return

    blocks(0, ())
    return found


# ---------------------------------------------------------------- 表三


def _t3_key(label: str) -> str | None:
    entry = match_label(normalize(label))
    if entry is None:
        return None
    kind, row_id = entry
    if kind == ROW and row_id in labels.TABLE3_ROW_BY_ID:
        return row_id
    if kind == TOTAL:
        return "total"
    if kind == GROUP and row_id == "other_handling":
        return _ONE_ROW_OTHER  # （六）其他处理 printed as one row (2019, and some 2021 reports)
    return None


def _table3(rows: list[Row], out: Collector) -> list[Row]:
    pending: list[_Pending] = []
    too_long: list[tuple[int, _Run, str]] = []
    for i, row in enumerate(rows):
        split = _split(row)
        if split is None:
            continue
        key = _t3_key(split.label)
        if key is None or split.one_per_cell(_T3_WIDTH):
            continue
        try:
            found = summed_cuts(split.digits, _T3_WIDTH, split.breaks, Budget())
        except SearchTooLong:
            too_long.append((i, split, key))
            continue
        forced = (len(found) == 1 and _only_cut(split)
                  and (not split.breaks or _spaced_cut_is_forced(split, found[0])))
        if found and split.breaks and not forced and _whole_pieces_add_up(split):
            # 「30974 60180 91154」 (pdftotext -raw, blank cells gone): the pieces whole already
            # add up (30974 + 60180 = 91154), so blank cells explain the text as well as any cut
            # (30、974、60、1、80、9 | 1154 adds up too): not certain, never cut.
            found = []
            blank_cells = True
        else:
            blank_cells = False
        pending.append(_Pending(i, row, split.label, key, split.shown, found, forced,
                                blank_cells))
    result = list(rows)
    for i, split, key in too_long:
        out.error(
            codes.RUN_TOGETHER,
            _t3_path(key),
            f"这一行的数字连在一起（{len(split.digits)} 位）：{_TOO_LONG}；整行导入为空值",
            rows[i].line,
        )
        result[i] = _cells_row(rows[i], split.label, None, _T3_WIDTH)
    if not pending:
        return result
    chosen = _solve(pending)
    broken = any(len(p.cuts) == 1 and p.key not in chosen for p in pending)
    for p in pending:
        numbers = chosen.get(p.key)
        if numbers is None:
            if p.blank_cells:
                why = ("空格分开的各数本身相加就等于最后一个数，可能是空白单元格被省去，"
                       "也可能是数字连在一起，无法确定")
            elif broken:
                why = ("各行单独分开后，列的勾稽关系不成立（报告本身可能有计算错误），"
                       "无法确定哪一行分错")
            else:
                why = f"按勾稽关系：{_shown(p.cuts)}"
            out.error(
                codes.RUN_TOGETHER,
                _t3_path(p.key),
                f"这一行的数字连在一起（「{p.digits}」），{why}；整行导入为空值",
                p.row.line,
            )
        result[p.index] = _cells_row(p.row, p.label, numbers, _T3_WIDTH)
    return result


def _spaced_cut_is_forced(split: _Run, numbers: tuple[int, ...]) -> bool:
    """True when a row whose digits are partly a space apart (「数量0 0 0 0 0 00」) is cut only
    where it must be: inside a piece that cannot be one number (「00」, 「05」: no leading zero),
    each leading zero a 0 of its own. A piece that can be one number is never cut, because a
    blank cell leaves the same text as a missing space."""
    forced: list[int] = []
    for piece in split.shown.split(" "):
        zeros = len(piece) - len(piece.lstrip("0"))
        if zeros and len(piece) > 1:
            rest = piece[zeros:]
            forced += [0] * zeros + ([int(rest)] if rest else [])
        else:
            forced.append(int(piece))
    return tuple(forced) == numbers


def _whole_pieces_add_up(split: _Run) -> bool:
    """True when the row's space-separated pieces, each one number, end with their own sum: the
    row as printed with its blank cells left out."""
    pieces = [int(p) for p in split.shown.split(" ") if p]
    return len(pieces) >= 2 and sum(pieces[:-1]) == pieces[-1]


def _only_cut(split: _Run) -> bool:
    """True when the digits can be cut into the row's cells one way only, sums aside."""
    try:
        return len(_first(cuts(split.digits, _T3_WIDTH, split.breaks), 2)) == 1
    except SearchTooLong:
        return False


def _t3_path(key: str) -> tuple[str, ...]:
    if key == _ONE_ROW_OTHER:
        return (T3, labels.TABLE3_RESULTS, labels.TABLE3_2019_OTHER_HANDLING)
    if key == "total":
        return (T3, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
    return (T3, *labels.TABLE3_ROW_BY_ID[key].path)


_ONE_ROW_OTHER = "other_handling"
_RESULT_IDS = tuple(r.id for r in labels.TABLE3_RESULT_ROWS)


def _relations_hold(values: dict[str, tuple[int, ...]]) -> bool:
    """False when the cut rows break a column relation that can be checked with them."""
    total = values.get("total")
    if total is not None and all(r in values for r in _RESULT_IDS):
        for c in range(_T3_WIDTH):
            if sum(values[r][c] for r in _RESULT_IDS) != total[c]:
                return False
    balance = ("new", "carried_in", "total", "carried_out")
    if all(k in values for k in balance):
        for c in range(_T3_WIDTH):
            left = values["new"][c] + values["carried_in"][c]
            if left != values["total"][c] + values["carried_out"][c]:
                return False
    return True


def _solve(pending: list[_Pending]) -> dict[str, tuple[int, ...]]:
    """The rows whose cut is certain: unique alone, or unique under the column relations."""
    by_key: dict[str, list[tuple[int, ...]]] = {}
    for p in pending:
        if p.key in by_key:  # the same row twice: neither is certain
            by_key[p.key] = []
        else:
            by_key[p.key] = list(p.cuts)
    fixed = {k: c[0] for k, c in by_key.items() if len(c) == 1}
    open_keys = [k for k, c in by_key.items() if len(c) > 1]
    if not _relations_hold(fixed):
        # Cut rows that break a column relation: the report has an arithmetic error, or a cut
        # that only its own total allowed is not the printed one — neither can be told apart.
        # Rows with one digit per cell need no relation: they are kept as printed.
        forced = {p.key for p in pending if p.forced}
        return {k: v for k, v in fixed.items() if k in forced}
    if not open_keys:
        return fixed
    combos = 1
    for k in open_keys:
        combos *= len(by_key[k])
    if combos > _SEARCH_MAX or not _checkable(by_key):
        return fixed
    survivors = []
    for choice in itertools.product(*(by_key[k] for k in open_keys)):
        values = {**fixed, **dict(zip(open_keys, choice, strict=True))}
        if _relations_hold(values):
            survivors.append(choice)
            if len(survivors) > 1:
                break
    if len(survivors) == 1:
        fixed.update(dict(zip(open_keys, survivors[0], strict=True)))
    return fixed


def _checkable(by_key: dict[str, list[tuple[int, ...]]]) -> bool:
    """True when some relation covers every row: otherwise an open row stays open."""
    results = "total" in by_key and all(r in by_key for r in _RESULT_IDS)
    balance = all(k in by_key for k in ("new", "carried_in", "total", "carried_out"))
    return results or balance
