"""Openings of real published reports (tests/data/real-openings/): no cell is ever imported wrong.

The search tools this corpus was collected with store only the first part of each web page, so
these are real reports cut short — 表二 and the first rows of 表三 — or a single page of a flip-book.
Each ``NAME.truth.json`` holds only the cells the opening shows, transcribed by hand. They do not
count towards the full-report corpus (tests/data/real/); they test real layouts for wrong cells.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xxgk.importers import Hints, import_source
from xxgk.model import Report

OPENINGS = Path(__file__).resolve().parent / "data" / "real-openings"
SOURCES = sorted(p for p in OPENINGS.glob("*.*") if not p.name.endswith((".json", ".md")))


def _imported(report: Report) -> dict[str, list[Any]]:
    cells: dict[str, list[Any]] = {}
    t2 = report.table2
    for name in ("regulations", "normative_documents"):
        docs = getattr(t2, name)
        cells[f"t2.{name}"] = [docs.issued, docs.repealed, docs.in_force]
    for name in ("licensing", "punishment", "enforcement", "fees"):
        cells[f"t2.{name}"] = [getattr(t2, name)]
    for row_id, counts in report.table3.rows.items():
        cells[f"t3.{row_id}"] = [*counts.cells, counts.stated_total]
    for block in ("review", "direct_suit", "suit_after_review"):
        o = getattr(report.table4, block)
        cells[f"t4.{block}"] = [o.upheld, o.corrected, o.other, o.pending, o.stated_total]
    return cells


def _expected(truth: dict[str, Any]) -> dict[str, list[Any]]:
    cells: dict[str, list[Any]] = {}
    for name, value in truth.get("t2", {}).items():
        if name == "fees":
            value = None if value is None else Decimal(value)
        cells[f"t2.{name}"] = value if isinstance(value, list) else [value]
    for table in ("t3", "t4"):
        for row, values in truth[table].items():
            cells[f"{table}.{row}"] = values
    return cells


def outcomes(source: Path) -> tuple[int, int, list[str]]:
    """(exact, blank, wrong) over the cells the opening shows."""
    truth = json.loads(source.with_name(source.name.split(".")[0] + ".truth.json").read_text("utf-8"))
    # A clerk importing a page without its title passes --organ/--year, as here.
    hints = Hints(truth["organ"] or "某机关", truth["year"])
    got = _imported(import_source(source, hints).report)
    exact = blank = 0
    wrong: list[str] = []
    for key, want in _expected(truth).items():
        for i, (w, h) in enumerate(zip(want, got[key], strict=True)):
            if h is None:
                blank += w is not None
            elif h == w:
                exact += 1
            else:
                wrong.append(f"{source.name}: {key}.{i} 应为 {w}，导入为 {h}")
    return exact, blank, wrong


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_no_cell_of_a_real_opening_is_imported_wrong(source: Path) -> None:
    _, _, wrong = outcomes(source)
    assert wrong == []


def test_the_openings_are_mostly_read() -> None:
    exact = blank = 0
    for source in SOURCES:
        e, b, _ = outcomes(source)
        exact, blank = exact + e, blank + b
    # Measured when the openings were added: 407 exact, 63 blank (see the README there).
    assert exact >= 400
    assert len(SOURCES) >= 21
