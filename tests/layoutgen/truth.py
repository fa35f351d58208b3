"""Random consistent reports: every number as printed (None: the cell is printed blank).

Every 勾稽 relation holds with blank cells read as 0 (clerks leave zero cells blank): each 表三 row's
总计 is the sum of its six cells, the 办理结果 rows sum to （七）总计 column by column, 一 + 二 =
（七）总计 + 四 in every column, each 表四 block's 总计 is the sum of its four outcomes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from xxgk import labels

Cell = int | None
RESULT_IDS = tuple(r.id for r in labels.TABLE3_RESULT_ROWS)
BLOCK_IDS = tuple(b.id for b in labels.TABLE4_BLOCKS)
N = len(labels.TABLE3_COLUMNS)
ORGANS = (
    "淮安市洪泽区人民政府", "洪泽区发展和改革委员会", "某县自然资源和规划局", "某市生态环境局",
    "青云镇人民政府", "某省交通运输厅", "某区人民政府办公室", "某县教育体育局",
)

# How many cells are non-zero, and how large the numbers are.
PROFILES = {
    "zeros": (0.08, 3),  # nearly every cell 0 (most small organs)
    "small": (0.45, 30),
    "large": (0.75, 900),
    "huge": (0.6, 99_999),  # five-digit numbers that wrap in narrow cells
}


@dataclass(frozen=True)
class Truth:
    """One report's numbers, as printed."""

    organ: str
    year: int
    profile: str
    t2_docs: dict[str, tuple[Cell, Cell, Cell]]  # regulations, normative_documents
    t2_single: dict[str, Cell]  # licensing, punishment, enforcement
    fee: Decimal | None
    t3: dict[str, tuple[Cell, ...]]  # 24 entered rows, six cells each
    t4: dict[str, tuple[Cell, ...]]  # three blocks, four cells each

    def row_total(self, cells: tuple[Cell, ...]) -> Cell:
        """The 总计 printed after these cells: their sum, blank when every cell is blank."""
        return None if all(c is None for c in cells) else sum(c or 0 for c in cells)

    def results_total(self) -> tuple[Cell, ...]:
        """（七）总计 per column, and its 总计."""
        columns = tuple(
            self.row_total(tuple(self.t3[r][c] for r in RESULT_IDS)) for c in range(N)
        )
        return (*columns, self.row_total(columns))

    def other_handling(self) -> tuple[Cell, ...]:
        """（六）其他处理 printed as one row: the sum of its three sub-rows, and its 总计."""
        rows = [r for r in RESULT_IDS if r.startswith("other_handling.")]
        columns = tuple(self.row_total(tuple(self.t3[r][c] for r in rows)) for c in range(N))
        return (*columns, self.row_total(columns))

    def cells(self, six_as_one_row: bool = False, fee_digits: int | None = None) -> dict[str, object]:
        """Every printed cell under import_accuracy's keys (t2.regulations.0, t3.new.6 …); with
        （六） printed as one row, its three sub-rows are not printed at all (None); the fee as
        printed with ``fee_digits`` decimals (rounded, as a report rounds it)."""
        cells: dict[str, object] = {}
        for name, values in self.t2_docs.items():
            for i, value in enumerate(values):
                cells[f"t2.{name}.{i}"] = value
        for name, value in self.t2_single.items():
            cells[f"t2.{name}"] = value
        fee = self.fee
        if fee is not None and fee_digits is not None:
            fee = fee.quantize(Decimal(1).scaleb(-fee_digits), rounding=ROUND_HALF_UP)
        cells["t2.fees"] = fee
        for row_id, values in self.t3.items():
            printed = (*values, self.row_total(values))
            if six_as_one_row and row_id.startswith("other_handling."):
                printed = (None,) * (N + 1)
            for i, value in enumerate(printed):
                cells[f"t3.{row_id}.{i}"] = value
        for i, value in enumerate(self.results_total()):
            cells[f"t3.results_total.{i}"] = value
        for block, values in self.t4.items():
            for i, value in enumerate((*values, self.row_total(values))):
                cells[f"t4.{block}.{i}"] = value
        return cells


def _count(rng: random.Random, profile: str) -> int:
    share, top = PROFILES[profile]
    if rng.random() >= share:
        return 0
    if profile == "huge" and rng.random() < 0.5:
        return rng.randint(1000, top)
    return rng.randint(1, min(top, 40) if rng.random() < 0.6 else top)


def _blanked(value: int, rng: random.Random, blanks: float) -> Cell:
    """A zero printed blank now and then (never a number: blanks stand for 0 only)."""
    return None if value == 0 and rng.random() < blanks else value


def random_truth(rng: random.Random) -> Truth:
    """A random consistent report: a profile for its sizes, and blank cells in some."""
    profile = rng.choice(list(PROFILES))
    blanks = rng.choice((0.0, 0.0, 0.3, 0.9))
    results = {r: [_count(rng, profile) for _ in range(N)] for r in RESULT_IDS}
    carried_out = [_count(rng, profile) for _ in range(N)]
    new, carried_in = [], []
    for c in range(N):
        need = sum(results[r][c] for r in RESULT_IDS) + carried_out[c]
        previous = 0 if rng.random() < 0.5 else rng.randint(0, need)
        carried_in.append(previous)
        new.append(need - previous)
    rows = {"new": new, "carried_in": carried_in, **results, "carried_out": carried_out}
    t3 = {
        r.id: tuple(_blanked(v, rng, blanks) for v in rows[r.id]) for r in labels.TABLE3_ROWS
    }
    small = "zeros" if profile == "zeros" else "small"
    t4 = {b: tuple(_blanked(_count(rng, small), rng, blanks) for _ in range(4)) for b in BLOCK_IDS}
    t2_docs = {
        name: tuple(_blanked(_count(rng, small), rng, blanks) for _ in range(3))
        for name in ("regulations", "normative_documents")
    }
    t2_single = {
        name: _blanked(_count(rng, profile), rng, blanks)
        for name in ("licensing", "punishment", "enforcement")
    }
    fee_choice = rng.random()
    fee: Decimal | None = Decimal(0)
    if fee_choice < 0.2:
        fee = Decimal(rng.randint(1, 99_999)).scaleb(-4)  # 万元 to the yuan
    elif fee_choice < 0.3:
        fee = Decimal(rng.randint(1, 900)).scaleb(-2)
    elif fee_choice < 0.3 + blanks / 3:
        fee = None
    return Truth(
        organ=rng.choice(ORGANS),
        year=rng.randint(2021, 2025),
        profile=profile,
        t2_docs=t2_docs,  # type: ignore[arg-type]
        t2_single=t2_single,
        fee=fee,
        t3=t3,
        t4=t4,
    )
