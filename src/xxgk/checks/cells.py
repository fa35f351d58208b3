"""Every number cell of a report with its place in the report's own words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from xxgk import labels
from xxgk.model import Report

T2, T3, T4 = "表二", "表三", "表四"


@dataclass(frozen=True)
class Cell:
    """One entered number of the report and where it stands."""

    parts: tuple[str, ...]
    value: int | Decimal | None
    is_amount: bool = False  # 万元, not a count


def table2_cells(report: Report) -> Iterator[Cell]:
    """The entered cells of 表二, in table order."""
    t = report.table2
    for field in ("regulations", "normative_documents"):
        row_label = labels.TABLE2_ROW_LABELS[field]
        counts = getattr(t, field)
        for column, value in zip(labels.TABLE2_DOCUMENT_COLUMNS, counts.cells(), strict=True):
            yield Cell((T2, row_label, column), value)
    for field in ("licensing", "punishment", "enforcement"):
        yield Cell((T2, labels.TABLE2_ROW_LABELS[field]), getattr(t, field))
    yield Cell((T2, labels.TABLE2_ROW_LABELS["fees"]), t.fees, is_amount=True)


def table3_cells(report: Report) -> Iterator[Cell]:
    """The 144 entered cells of 表三, row by row, in column order."""
    for row in labels.TABLE3_ROWS:
        counts = report.table3.row(row.id)
        for column, value in zip(labels.TABLE3_COLUMNS, counts.cells, strict=True):
            yield Cell((T3, *row.path, column.label), value)


def table4_cells(report: Report) -> Iterator[Cell]:
    """The 12 entered cells of 表四."""
    for block in labels.TABLE4_BLOCKS:
        outcomes = report.table4.block(block.id)
        for (_, label), value in zip(labels.TABLE4_OUTCOMES, outcomes.cells(), strict=True):
            yield Cell((T4, *block.path, label), value)


def all_cells(report: Report) -> Iterator[Cell]:
    """Every entered number cell of the three tables."""
    yield from table2_cells(report)
    yield from table3_cells(report)
    yield from table4_cells(report)


def cell_values(report: Report) -> tuple[int | Decimal | None, ...]:
    """The values of all_cells, in the same order, without building their places (an audit keeps
    them for every report: places are named once, from the report they are compared with)."""
    t2, t3, t4 = report.table2, report.table3, report.table4
    return (
        *t2.regulations.cells(), *t2.normative_documents.cells(),
        t2.licensing, t2.punishment, t2.enforcement, t2.fees,
        *(value for counts in t3.rows.values() for value in counts.cells),
        *(value for block in (t4.review, t4.direct_suit, t4.suit_after_review)
          for value in block.cells()),
    )
