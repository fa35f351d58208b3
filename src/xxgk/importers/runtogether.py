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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers.cells import normalize
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row
from xxgk.importers.table2 import ROW_LABELS, T2, default_columns
from xxgk.importers.table4 import T4
from xxgk.importers.tables import GROUP, ROW, T3, TOTAL, match_label

TABLE2_SECTION, TABLE3_SECTION, TABLE4_SECTION = 1, 2, 3
# The digits touch the label: 「数量713000074」 ran together, 「数量 26」 did not.
_TAIL = re.compile(r"^(?P<label>.*?[^\d\s])(?P<digits>\d{2,})$")
_ONE_NUMBER = re.compile(r"^(?P<label>.*?[^\d.\s])(?P<number>\d+(?:\.\d+)?)$")
_ONLY_DIGITS = re.compile(r"\d{10,}")  # 表四's row: 12 or 15 numbers, at least one digit each
_T3_WIDTH = len(labels.TABLE3_COLUMNS) + 1  # six columns and 总计
_T4_WIDTH = len(labels.TABLE4_OUTCOMES) + 1
_SHOWN = 4  # candidate cuts named in a finding
_SEARCH_MAX = 200_000  # combinations of several rows' cuts tried together


@dataclass
class _Pending:
    """A 表三 row whose digits ran together: its label, id and the cuts its own total allows."""

    index: int
    row: Row
    label: str
    key: str  # a 表三 row id, or 「total」 for （七）总计
    digits: str
    cuts: list[tuple[int, ...]]


def cuts(digits: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut a run of digits into ``parts`` numbers (no leading zeros)."""
    if parts == 1:
        if digits and (digits == "0" or digits[0] != "0"):
            yield (int(digits),)
        return
    longest = len(digits) - (parts - 1)
    for size in range(1, longest + 1):
        head = digits[:size]
        if size > 1 and head[0] == "0":
            break
        for rest in cuts(digits[size:], parts - 1):
            yield (int(head), *rest)


def summed_cuts(digits: str, parts: int) -> list[tuple[int, ...]]:
    """The cuts into ``parts - 1`` numbers and their sum (the last number)."""
    found: list[tuple[int, ...]] = []
    for size in range(1, len(digits)):
        total_text = digits[-size:]
        if size > 1 and total_text[0] == "0":
            continue
        total = int(total_text)
        found += [
            (*c, total) for c in _bounded(digits[:-size], parts - 1, total) if sum(c) == total
        ]
    return found


def _bounded(digits: str, parts: int, limit: int) -> Iterator[tuple[int, ...]]:
    """Cuts whose numbers never exceed ``limit`` (they must add up to it)."""
    if parts == 1:
        if digits and (digits == "0" or digits[0] != "0") and int(digits) <= limit:
            yield (int(digits),)
        return
    for size in range(1, len(digits) - parts + 2):
        head = digits[:size]
        if (size > 1 and head[0] == "0") or int(head) > limit:
            break
        for rest in _bounded(digits[size:], parts - 1, limit - int(head)):
            yield (int(head), *rest)


def _shown(found: Sequence[tuple[int, ...]]) -> str:
    """The candidate cuts, as a finding names them."""
    if not found:
        return "没有一种分法能满足勾稽关系（可能有空白单元格）"
    text = "；".join("、".join(str(n) for n in c) for c in found[:_SHOWN])
    more = f"等 {len(found)} 种" if len(found) > _SHOWN else f"共 {len(found)} 种"
    return f"可分为 {text}（{more}），无法确定是哪一种"


def _split(row: Row) -> tuple[str, str] | None:
    """A one-cell row's label and the digits run onto it, or None."""
    if row.in_table or len([c for c in row.cells if c]) != 1:
        return None
    match = _TAIL.match(row.text.strip())
    if match is None:
        return None
    return match.group("label").strip(), match.group("digits")


def _cells_row(row: Row, label: str, numbers: Sequence[int] | None, width: int) -> Row:
    if numbers is None:
        return Row((label, *[""] * width), row.text, row.line, values_dropped=True)
    cells = (label, *(str(n) for n in numbers))
    return Row(cells, "\t".join(cells), row.line)


def expand(section: int, rows: Sequence[Row], out: Collector) -> list[Row]:
    """A table section's rows with run-together cells cut where only one cut fits."""
    if section == TABLE2_SECTION:
        return [_table2_row(r, out) for r in rows]
    if section == TABLE3_SECTION:
        return _table3(list(rows), out)
    if section == TABLE4_SECTION:
        return [_table4_row(r, out) for r in rows]
    return list(rows)


# ---------------------------------------------------------------- 表二


def _table2_row(row: Row, out: Collector) -> Row:
    single = _ONE_NUMBER.match(row.text.strip()) if not row.in_table else None
    if single is not None and len([c for c in row.cells if c]) == 1:
        norm = normalize(single.group("label"))
        if norm in ROW_LABELS and len(default_columns(norm)) == 1:  # 「行政事业性收费4068.208」
            cells = (single.group("label").strip(), single.group("number"))
            return Row(cells, "\t".join(cells), row.line)
    split = _split(row)
    if split is None or normalize(split[0]) not in ROW_LABELS:
        return row
    label, digits = split
    width = len(default_columns(normalize(label)))
    if width == 1:
        return _cells_row(row, label, (int(digits),), 1)
    found = list(cuts(digits, width))
    if len(found) == 1:
        return _cells_row(row, label, found[0], width)
    out.error(
        codes.RUN_TOGETHER,
        (T2, ROW_LABELS[normalize(label)]),
        f"这一行的数字连在一起（「{digits}」）：{_shown(found)}；整行导入为空值",
        row.line,
    )
    return _cells_row(row, label, None, width)


# ---------------------------------------------------------------- 表四


def _table4_row(row: Row, out: Collector) -> Row:
    text = row.text.strip()
    if row.in_table or not _ONLY_DIGITS.fullmatch(text):
        return row
    found = _table4_cuts(text)
    if len(found) == 1:
        cells = tuple(str(n) for n in found[0])
        return Row(cells, "\t".join(cells), row.line)
    out.error(
        codes.RUN_TOGETHER,
        (T4,),
        f"表四的数字连在一起（「{text}」）：{_shown(found)}；整行导入为空值",
        row.line,
    )
    return Row(("",) * (3 * _T4_WIDTH), text, row.line, values_dropped=True)


def _table4_cuts(digits: str) -> list[tuple[int, ...]]:
    """Cuts into three blocks of four outcomes and their 总计."""
    found: list[tuple[int, ...]] = []

    def blocks(rest: str, done: tuple[int, ...]) -> None:
        if len(done) == 3 * _T4_WIDTH:
            if not rest:
                found.append(done)
            return
        for size in range(_T4_WIDTH, len(rest) + 1):
            for block in summed_cuts(rest[:size], _T4_WIDTH):
                blocks(rest[size:], done + block)

    blocks(digits, ())
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
        return None  # the 2019 one-row （六）其他处理: not cut here
    return None


def _table3(rows: list[Row], out: Collector) -> list[Row]:
    pending: list[_Pending] = []
    for i, row in enumerate(rows):
        split = _split(row)
        if split is None:
            continue
        key = _t3_key(split[0])
        if key is None:
            continue
        found = summed_cuts(split[1], _T3_WIDTH)
        pending.append(_Pending(i, row, split[0], key, split[1], found))
    if not pending:
        return rows
    chosen = _solve(pending)
    broken = not chosen and any(len(p.cuts) == 1 for p in pending)
    result = list(rows)
    for p in pending:
        numbers = chosen.get(p.key)
        if numbers is None:
            why = (
                "各行单独分开后，列的勾稽关系不成立（报告本身可能有计算错误），无法确定哪一行分错"
                if broken
                else f"按勾稽关系：{_shown(p.cuts)}"
            )
            out.error(
                codes.RUN_TOGETHER,
                _t3_path(p.key),
                f"这一行的数字连在一起（「{p.digits}」），{why}；整行导入为空值",
                p.row.line,
            )
        result[p.index] = _cells_row(p.row, p.label, numbers, _T3_WIDTH)
    return result


def _t3_path(key: str) -> tuple[str, ...]:
    if key == "total":
        return (T3, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
    return (T3, *labels.TABLE3_ROW_BY_ID[key].path)


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
        return {}
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
