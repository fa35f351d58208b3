"""A published parent report (本级 or 汇总) against the sum of its organs' reports, cell by cell.

A county's 汇总 report should be the sum of its departments' and townships' reports; evaluators
compare the two and ask about every cell that differs, and about organs that sent no report (the
roster's missing organs, and files that could not be read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from xxgk.audit.record import AuditRecord, CellValue
from xxgk.audit.table import Column, Sheet, Value
from xxgk.checks.cells import all_cells
from xxgk.errors import XxgkError
from xxgk.model import Report
from xxgk.pairing import organ_key

PARENT_SHEET = "本级与各单位合计"
WITHOUT_SHEET = "没有报告的单位"


@dataclass(frozen=True)
class CellDifference:
    """A cell where the parent differs from its organs' sum."""

    place: str
    parent: CellValue
    children: CellValue  # None: a child left it blank, so the sum is unknown


@dataclass(frozen=True)
class ParentComparison:
    """The parent report, the organs summed and every cell that differs."""

    organ: str
    source: str
    year: int
    summed: list[str]  # the organs whose reports were summed
    differences: list[CellDifference]
    unknown: list[str]  # places whose sum is unknown (a child's blank cell)
    without_report: list[str]  # organs with no readable report


def _add(a: CellValue, b: CellValue) -> CellValue:
    if a is None or b is None:
        return None
    return a + b


def compare_parent(
    parent: Report, source: str, records: Sequence[AuditRecord], missing: Sequence[str] = ()
) -> ParentComparison:
    """The parent against the records of its year (the parent's own organ left out)."""
    key = organ_key(parent.organ)
    children = [r for r in records if r.cells and r.year == parent.year
                and organ_key(r.organ) != key]
    if not children:
        raise XxgkError.single(
            "parent/no-children", f"本级报告是 {parent.year} 年度，审核的报告中没有这一年度的"
            "其他机关报告，无法核对合计；请给出各单位同一年度的报告", source)
    cells = list(all_cells(parent))
    sums: list[CellValue] = [0] * len(cells)
    for record in children:
        sums = [_add(s, v) for s, v in zip(sums, record.cells, strict=True)]
    differences, unknown = [], []
    for cell, total in zip(cells, sums, strict=True):
        place = "/".join(cell.parts)
        if total is None:
            unknown.append(place)
        elif cell.value is None or Decimal(cell.value) != Decimal(total):
            differences.append(CellDifference(place, cell.value, total))
    unreadable = [f"{r.source}（无法读取）" for r in records if not r.cells]
    return ParentComparison(parent.organ, source, parent.year, [r.organ for r in children],
                            differences, unknown, [*missing, *unreadable])


def parent_sheets(comparison: ParentComparison) -> list[Sheet]:
    """本级与各单位合计 (every cell that differs), and 没有报告的单位 when there are any."""
    rows: list[list[Value]] = [
        [d.place, d.parent, d.children,
         None if d.parent is None or d.children is None else d.parent - d.children]
        for d in comparison.differences
    ]
    rows += [[place, None, None, "有单位留空，无法合计"] for place in comparison.unknown]
    title = (f"{comparison.organ}（{comparison.source}）与 {len(comparison.summed)} 个单位报告之和"
             f"逐格核对：{len(comparison.differences)} 格不符"
             + (f"，{len(comparison.unknown)} 格无法合计" if comparison.unknown else ""))
    columns = (Column("位置"), Column("本级报告", numeric=True), Column("各单位合计", numeric=True),
               Column("差（本级 − 合计）", numeric=True))
    sheets = [Sheet(PARENT_SHEET, title, columns, rows,
                    [i < len(comparison.differences) for i in range(len(rows))])]
    if comparison.without_report:
        sheets.append(Sheet(
            WITHOUT_SHEET, f"没有可核对报告的单位（{len(comparison.without_report)} 个）",
            (Column("序号", numeric=True), Column("单位")),
            [[i, n] for i, n in enumerate(comparison.without_report, 1)],
            [True] * len(comparison.without_report),
        ))
    return sheets
