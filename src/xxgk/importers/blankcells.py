"""表三 rows of spaced text that lost their blank cells, placed only where one placement fits.

Text split at spaces (pdftotext ``-layout``/``-raw``, a paste from a PDF viewer) keeps no
blank cells: 「（一）予以公开 0 0 29 0 29」 is five numbers for seven columns, and nothing in
the text says which two were blank. The numbers keep their columns' order, so a placement is
a choice of the columns they stand in. A placement counts only when the row's own 总计 is the
sum of its six columns, when laid-out text lets its numbers stand there (``Anchored``), and
when, with some placement of every other row, every 勾稽 relation holds: the 办理结果 rows add
up to （七）总计 column by column, 一 + 二 = （七）总计 + 四 (a blank is 0 in the sums; only
rows read with a number in every column, or placed here, take part). A cell is imported only
when every placement left gives it the same content — a number, or blank; the others stay
blank with one finding for the row naming their candidates. The relations only choose between
placements of the row's own numbers; they never supply a number. A 0 next to a blank cell is
often left open: 0 stands as well in either place.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row

TOTAL = "results_total"  # （七）总计, which the model keeps apart from the rows
Cells = tuple[int | None, ...]  # the six applicant columns and the stated 总计
Vector = tuple[int, ...]  # the same with blanks as 0, as the relations read them

_WIDTH = len(labels.TABLE3_COLUMNS) + 1
_RESULT_IDS = tuple(r.id for r in labels.TABLE3_RESULT_ROWS)
_MAX_STATES = 200_000  # partial sums kept in the search; past it the table stays as it is
_SHOWN = 3
ALIGN_SLACK = 2.5  # characters: numbers of different lengths centre a little differently
_MAX_NODES = 3_000  # choices tried in the search for one whole reading
_MAX_WORK = 3_000_000  # sums formed in all, for one table (well under a second)
MIN_ALIGNED_ROWS = 3  # rows with every column filled needed before their positions count


@dataclass(frozen=True)
class ShortRow:
    """A row read from its label with fewer numbers than the table has columns."""

    numbers: tuple[int, ...]
    line: int | None
    columns: int  # 7 under a 总计 heading, 6 without one
    offsets: tuple[float, ...] = ()  # laid-out text: each number's middle (character column)
    page: int = 0


def number_offsets(line: str, cells: Sequence[str]) -> tuple[float, ...]:
    """The middle of each number cell of a laid-out line (its character column), in order;
    empty when a cell cannot be found where the line has it."""
    found: list[float] = []
    at = 0
    for cell in cells:
        text = cell.strip()
        if not text:
            continue
        start = line.find(text, at)
        if start < 0:
            return ()
        at = start + len(text)
        if text.isascii() and text.isdigit():
            found.append(start + (len(text) - 1) / 2)
    return tuple(found)


def aligned(row: ShortRow, anchors: Sequence[float] | None) -> ShortRow | Anchored:
    """The row with where its columns stand, when the page has them (see ``Anchored``)."""
    if anchors is None or len(row.offsets) < len(row.numbers):
        return row
    return Anchored(row, tuple(anchors))


@dataclass(frozen=True)
class Anchored:
    """A short row of laid-out text with its page's column positions: the rightmost middle of
    each column among the rows that have a number in every column. pdftotext -layout only keeps
    words apart; where blank cells leave room it moves text left, never right of where such
    rows put its column, so a number standing right of a column (by more than
    ``ALIGN_SLACK``) cannot be in it."""

    row: ShortRow
    anchors: tuple[float, ...]


@dataclass(frozen=True)
class Placed:
    """What the readings settle for one short row: its cells (None where open) and, for each
    open cell, the contents the readings give it."""

    cells: Cells
    open: dict[int, tuple[int | None, ...]]
    fits: bool = True  # False when no reading of the table satisfies the relations


def short_row(values: Sequence[str], columns: int, source: Row) -> ShortRow | None:
    """The row as a short row when it has fewer numbers than ``columns`` and each is a plain
    count (a mark such as 「—」 or 「/」 stands in a cell's place, so its row is not this)."""
    texts = [v.strip() for v in values if v.strip()]
    if not texts or len(texts) >= columns:
        return None
    if not all(t.isascii() and t.isdigit() for t in texts):
        return None
    return ShortRow(tuple(int(t) for t in texts), source.line, columns, source.offsets, source.page)


def placements(given: ShortRow | Anchored) -> list[Cells]:
    """Every way of standing the row's numbers, in order, in its columns that its own 总计
    allows (six columns and the 总计 slot; a six-column table has no 总计) and, in laid-out
    text, that the numbers' positions allow."""
    row = given.row if isinstance(given, Anchored) else given
    slots = row.columns
    found: list[Cells] = []
    for chosen in itertools.combinations(range(slots), len(row.numbers)):
        if isinstance(given, Anchored):
            offsets = row.offsets[-len(row.numbers) :]
            if any(
                x > given.anchors[s] + ALIGN_SLACK for s, x in zip(chosen, offsets, strict=True)
            ):
                continue
        cells: list[int | None] = [None] * _WIDTH
        for slot, number in zip(chosen, row.numbers, strict=True):
            cells[slot] = number
        if slots == _WIDTH and sum(c or 0 for c in cells[:-1]) != (cells[-1] or 0):
            continue
        found.append(tuple(cells))
    return found


def _vector(cells: Cells) -> Vector:
    return tuple(c or 0 for c in cells)


Constraint = tuple[tuple[str, int], ...]  # rows and their signs: Σ sign·row = 0, column by column


def _constraints(have: Iterable[str]) -> list[Constraint]:
    """The relations between rows that every row of is known: the 办理结果 rows add up to
    （七）总计, and 一 + 二 = （七）总计 + 四 (column by column, 总计 column included)."""
    known = set(have)
    found: list[Constraint] = []
    columns = (*((r, 1) for r in _RESULT_IDS), (TOTAL, -1))
    balance = (("new", 1), ("carried_in", 1), (TOTAL, -1), ("carried_out", -1))
    for constraint in (columns, balance):
        if all(r in known for r, _ in constraint):
            found.append(constraint)
    return found


class _TooLarge(Exception):
    """The search spent its budget: nothing is placed (the rows stay blank, with a finding)."""


@dataclass
class _Budget:
    """Work left for one table's search, counted in sums formed, so that a table of large
    numbers costs a bounded time on any machine and always ends the same way."""

    left: int = _MAX_WORK

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise _TooLarge


def _sum_sets(parts: Sequence[set[int]], budget: _Budget) -> list[set[int]] | None:
    """sums[i]: every total the first i parts can make (None when too many to keep)."""
    sums: list[set[int]] = [{0}]
    for part in parts:
        budget.spend(len(sums[-1]) * len(part))
        nxt = {a + b for a in sums[-1] for b in part}
        if len(nxt) > _MAX_STATES:
            return None
        sums.append(nxt)
    return sums


def _prune(
    domains: dict[str, list[Vector]], constraints: Sequence[Constraint], budget: _Budget
) -> bool:
    """Drop every row vector no choice of the other rows' vectors can balance, column by
    column, until nothing changes; False when a row has none left (no reading fits)."""
    changed = True
    while changed:
        changed = False
        for constraint in constraints:
            for c in range(_WIDTH):
                values = [{sign * v[c] for v in domains[r]} for r, sign in constraint]
                before = _sum_sets(values, budget)
                after = _sum_sets(values[::-1], budget)
                if before is None or after is None:
                    continue  # too many sums to follow: this column prunes nothing
                n = len(constraint)
                for i, (row_id, sign) in enumerate(constraint):
                    left, right = before[i], after[n - 1 - i]
                    ok = {x for x in values[i] if any(-(x + a) in right for a in left)}
                    if ok != values[i]:
                        domains[row_id] = [v for v in domains[row_id] if sign * v[c] in ok]
                        changed = True
                        if not domains[row_id]:
                            return False
    return True


def _one_solution(
    domains: dict[str, list[Vector]], constraints: Sequence[Constraint], budget: _Budget
) -> bool | None:
    """Whether some choice of one vector per row satisfies every constraint (None when the
    search passes its bound): each choice is followed by pruning the other rows."""
    nodes = 0

    def search(current: dict[str, list[Vector]]) -> bool | None:
        nonlocal nodes
        open_rows = [r for r in current if len(current[r]) > 1]
        if not open_rows:
            return _pruned(current, constraints, budget) is not None
        row_id = min(open_rows, key=lambda r: len(current[r]))
        for vector in current[row_id]:
            nodes += 1
            if nodes > _MAX_NODES:
                return None
            trial = {r: list(d) for r, d in current.items()}
            trial[row_id] = [vector]
            pruned = _pruned(trial, constraints, budget)
            if pruned is None:
                continue
            found = search(pruned)
            if found is not False:
                return found
        return False

    return search(domains)


def _pruned(
    domains: dict[str, list[Vector]], constraints: Sequence[Constraint], budget: _Budget
) -> dict[str, list[Vector]] | None:
    """``_prune`` on a copy: the copy, or None when a row has no vector left. With one vector
    per row left, the constraints are checked exactly."""
    copy = {r: list(d) for r, d in domains.items()}
    if not _prune(copy, constraints, budget):
        return None
    if all(len(d) == 1 for d in copy.values()):
        for constraint in constraints:
            for c in range(_WIDTH):
                if sum(sign * copy[r][0][c] for r, sign in constraint):
                    return None
    return copy


def _readings(options: dict[str, list[Cells]], budget: _Budget) -> dict[str, set[Vector]] | None:
    """For each row the vectors readings of the whole table may give it — every vector some
    reading gives, perhaps a few more (never fewer); empty sets when no reading satisfies the
    relations; None when the search is too large to be sure."""
    domains = {r: sorted({_vector(c) for c in o}) for r, o in options.items()}
    constraints = _constraints(domains)
    if not constraints:
        return {r: set(d) for r, d in domains.items()}
    if not _prune(domains, constraints, budget):
        return {r: set() for r in domains}
    for row_id in [r for r in domains if len(domains[r]) > 1]:  # try each vector alone
        for vector in list(domains[row_id]):
            trial = {r: list(d) for r, d in domains.items()}
            trial[row_id] = [vector]
            if not _prune(trial, constraints, budget):
                domains[row_id].remove(vector)
    found = _one_solution(domains, constraints, budget)
    if found is None:
        return None
    if not found:
        return {r: set() for r in domains}
    return {r: set(d) for r, d in domains.items()}


def place(
    full: dict[str, Cells], short: dict[str, ShortRow | Anchored], use_relations: bool
) -> dict[str, Placed] | None:
    """Each short row's cells as the readings of the whole table settle them; None when the
    search is too large. ``full`` holds the rows read whole (their cells as printed), ``short``
    the rows that lost blank cells; ``use_relations`` is False when the rows do not make the
    national table (a 2019 report, （六） printed as one row), so only each row's 总计 counts."""
    options: dict[str, list[Cells]] = {r: [c] for r, c in full.items()}
    for row_id, row in short.items():
        options[row_id] = placements(row)
    if use_relations:
        try:
            readings = _readings(options, _Budget())
        except _TooLarge:
            return None
        if readings is None:
            return None
    else:
        readings = {r: {_vector(c) for c in o} for r, o in options.items()}
    placed: dict[str, Placed] = {}
    for row_id in short:
        fitting = [c for c in options[row_id] if _vector(c) in readings[row_id]]
        placed[row_id] = _agreed(fitting)
    return placed


def _agreed(fitting: Sequence[Cells]) -> Placed:
    if not fitting:
        return Placed((None,) * _WIDTH, {}, fits=False)
    cells: list[int | None] = []
    open_cells: dict[int, tuple[int | None, ...]] = {}
    for c in range(_WIDTH):
        seen = _distinct(f[c] for f in fitting)
        if len(seen) == 1:
            cells.append(seen[0])
        else:
            cells.append(None)
            open_cells[c] = seen
    return Placed(tuple(cells), open_cells)


def _distinct(values: Iterable[int | None]) -> tuple[int | None, ...]:
    found: list[int | None] = []
    for v in values:
        if v not in found:
            found.append(v)
    return tuple(sorted(found, key=lambda v: -1 if v is None else v))


def report(
    out: Collector,
    path: tuple[str, ...],
    row: ShortRow,
    placed: Placed | None,
    *,
    duplicate: bool = False,
    beside_stray: bool = False,
) -> Cells:
    """The row's cells to import, with one finding saying how they were placed."""
    numbers = "、".join(map(str, row.numbers))
    lost = (
        f"这一行有 {len(row.numbers)} 个数字，应为 {row.columns} 个（{numbers}）；"
        "文本中空白单元格没有留下位置"
    )
    if placed is None or not placed.fits or all(c is None for c in placed.cells):
        if duplicate:
            why = "且这一行出现两次"
        elif beside_stray:
            why = "且紧挨着另有一行数字（可能是这一行折行或跨页的部分）"
        elif placed is None:
            why = "可能的分法太多，无法逐一检验"
        elif not placed.fits:
            why = "没有一种分法满足勾稽关系（可能缺了数字，或报告本身有计算错误）"
        else:
            why = "满足勾稽关系的分法不止一种"
        out.error(
            codes.CELL_COUNT,
            path,
            f"{lost}，{why}，无法确定各数字属于哪一列，整行导入为空值",
            row.line,
        )
        return (None,) * _WIDTH
    if not placed.open:
        out.warn(
            codes.CELL_COUNT,
            path,
            f"{lost}；只有一种分法满足表三的勾稽关系，按这种分法导入（空白的格导入为空值）",
            row.line,
        )
        return placed.cells
    names = (*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL)
    shown = "；".join(
        f"{names[c]} {'或'.join('空白' if v is None else str(v) for v in vs[:_SHOWN])}"
        + ("等" if len(vs) > _SHOWN else "")
        for c, vs in placed.open.items()
    )
    out.error(
        codes.CELL_COUNT,
        path,
        f"{lost}；满足勾稽关系的分法不止一种，{len(placed.open)} 格无法确定（{shown}），"
        "导入为空值，其余各格每种分法都相同，按此导入",
        row.line,
    )
    return placed.cells
