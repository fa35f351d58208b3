"""An imported report's number cells under the truth's keys (``t2.regulations.0``, ``t3.new.6``,
``t4.review.4`` …): what the layout generator's score and ``scripts/import_accuracy.py`` compare
against the numbers the report printed."""

from __future__ import annotations

from xxgk.model import Report

T2_DOCS = ("regulations", "normative_documents")
T2_SINGLE = ("licensing", "punishment", "enforcement", "fees")
T4_BLOCKS = ("review", "direct_suit", "suit_after_review")


def report_cells(report: Report) -> dict[str, object]:
    """The imported report's cells under the truth's keys."""
    cells: dict[str, object] = {}
    t2 = report.table2
    for name in T2_DOCS:
        for i, value in enumerate(getattr(t2, name).cells()):
            cells[f"t2.{name}.{i}"] = value
    for name in T2_SINGLE:
        cells[f"t2.{name}"] = getattr(t2, name)
    for row_id, counts in report.table3.rows.items():
        for i, value in enumerate((*counts.cells, counts.stated_total)):
            cells[f"t3.{row_id}.{i}"] = value
    total = report.table3.stated_results_total
    for i in range(7):
        cells[f"t3.results_total.{i}"] = (
            None if total is None else (*total.cells, total.stated_total)[i])
    for block in T4_BLOCKS:
        o = getattr(report.table4, block)
        for i, value in enumerate((*o.cells(), o.stated_total)):
            cells[f"t4.{block}.{i}"] = value
    return cells
