"""Helpers shared by the importer tests: the example, its paste, and comparisons."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from xxgk import labels
from xxgk.inputs import load
from xxgk.model import ApplicantCounts, Report, ReviewOutcomes, Table3, Table4

DATA = Path(__file__).parent / "data"
PASTE = DATA / "yonghe-2021.txt"
EXAMPLE_YAML = Path(__file__).parent.parent / "inputs" / "example.yaml"
_T4_ROW = re.compile(r"^(\t){5}0(\t0){9}$", re.MULTILINE)


def example() -> Report:
    """The golden example as transcribed by hand."""
    return load(EXAMPLE_YAML)


def paste() -> str:
    """The real paste of the example."""
    return PASTE.read_text(encoding="utf-8")


def without_stated_totals(report: Report) -> Report:
    """The report with every stated total cleared (the YAML example states none)."""
    rows = {k: v.model_copy(update={"stated_total": None}) for k, v in report.table3.rows.items()}
    t4 = {
        b.id: report.table4.block(b.id).model_copy(update={"stated_total": None})
        for b in labels.TABLE4_BLOCKS
    }
    return report.model_copy(
        update={
            "table3": Table3(rows=rows, stated_results_total=None),
            "table4": Table4(**t4),
        }
    )


def table_values(report: Report) -> list[int | Decimal | None]:
    """Every number of the three tables in the paste's order, 总计 cells included."""
    t2 = report.table2
    values: list[int | Decimal | None] = [
        *t2.regulations.cells(),
        *t2.normative_documents.cells(),
        t2.licensing,
        t2.punishment,
        t2.enforcement,
        t2.fees,
    ]
    t3 = report.table3
    for row in labels.TABLE3_ROWS:
        if row.id == "carried_out":
            values += [*t3.results_total(), t3.results_grand_total()]
        counts = t3.row(row.id)
        values += [*counts.cells, counts.total]
    for block in labels.TABLE4_BLOCKS:
        outcomes = t4_block(report, block.id)
        values += [*outcomes.cells(), outcomes.total]
    return values


def t4_block(report: Report, block_id: str) -> ReviewOutcomes:
    """A 表四 block."""
    return report.table4.block(block_id)


def paste_of(report: Report) -> str:
    """The example's paste with every table number replaced by the report's (totals computed)."""
    text = _T4_ROW.sub("\t".join(["0"] * 15), paste())
    values = iter(table_values(report))
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("二、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    for i in range(start, end):
        if "\t" in lines[i]:
            cells = lines[i].split("\t")
            lines[i] = "\t".join(str(next(values)) if c == "0" else c for c in cells)
    assert next(values, "done") == "done"
    return "\n".join(lines)


def numbered(report: Report) -> Report:
    """The example with distinct non-zero numbers in every entered cell (to catch misplacement)."""
    counter = iter(range(1, 1000))
    rows = {
        r.id: ApplicantCounts(cells=tuple(next(counter) for _ in range(6)))  # type: ignore[arg-type]
        for r in labels.TABLE3_ROWS
    }
    t4 = {
        b.id: ReviewOutcomes(
            upheld=next(counter),
            corrected=next(counter),
            other=next(counter),
            pending=next(counter),
        )
        for b in labels.TABLE4_BLOCKS
    }
    t2 = report.table2.model_copy(
        update={
            "regulations": report.table2.regulations.model_copy(
                update={"issued": 901, "repealed": 902, "in_force": 903}
            ),
            "normative_documents": report.table2.normative_documents.model_copy(
                update={"issued": 904, "repealed": 905, "in_force": 906}
            ),
            "licensing": 907,
            "punishment": 908,
            "enforcement": 909,
            "fees": Decimal("12.5"),
        }
    )
    return report.model_copy(
        update={"table2": t2, "table3": Table3(rows=rows), "table4": Table4(**t4)}
    )


def tables(report: Report) -> tuple[object, object, object]:
    """The three tables with stated totals cleared, for comparing numbers only."""
    clean = without_stated_totals(report)
    return clean.table2, clean.table3, clean.table4
