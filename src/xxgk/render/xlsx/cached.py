"""Formula results cached in the cells: ``<c><f>SUM(D5:I5)</f><v>26</v></c>``.

openpyxl writes formulas without results, so a reader that does not calculate (pandas, a
viewer) sees blanks. The workbook keeps its formulas live for Excel, WPS and LibreOffice and
stores beside each the value it gives on the sheets as written: the totals on 表三/表四 and
TRUE/FALSE on 校验. The openpyxl reference fills them into its package here; the fast path writes
the same cells with ``formula_cell``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from openpyxl.utils import get_column_letter

from xxgk.model import Report
from xxgk.render.xlsx.sheets import CHECK_FIRST_ROW, check_rules
from xxgk.render.xlsx.tables import Cached, grid_values
from xxgk.xlsx_layout import GRIDS, SHEET_CHECKS, SHEETS, cell_ref

SHEET_PART = "xl/worksheets/sheet{}.xml"
CHECK_FORMULA_COLUMN = 3
_FORMULA = re.compile(r'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"><f>([^<]*)</f><v></v></c>')


def formula_cell(ref: str, style: str, formula_xml: str, value: int | bool) -> str:
    """A formula cell with its result: a number, or a boolean (t="b") for a 校验 rule."""
    kind = ' t="b"' if isinstance(value, bool) else ""
    return f'<c r="{ref}" s="{style}"{kind}><f>{formula_xml}</f><v>{int(value)}</v></c>'


def sheet_results(report: Report) -> dict[str, dict[str, int | bool]]:
    """Each sheet part's formula cells (A1 reference) and their results."""
    out: dict[str, dict[str, int | bool]] = {}
    for grid in GRIDS:
        values = {cell_ref(s.row, s.col): v.value
                  for s, v in zip(grid.values, grid_values(report, grid), strict=True)
                  if isinstance(v, Cached)}
        out[SHEET_PART.format(SHEETS.index(grid.sheet) + 1)] = dict(values)
    column = get_column_letter(CHECK_FORMULA_COLUMN)
    out[SHEET_PART.format(SHEETS.index(SHEET_CHECKS) + 1)] = {
        f"{column}{row}": rule.cached
        for row, rule in enumerate(check_rules(report), CHECK_FIRST_ROW)
    }
    return out


def fill_results(xml: str, results: Mapping[str, int | bool]) -> str:
    """A sheet's XML (as openpyxl writes it) with every formula's result stored."""
    def fill(match: re.Match[str]) -> str:
        ref, style, formula = match.groups()
        return formula_cell(ref, style, formula, results[ref])

    filled, count = _FORMULA.subn(fill, xml)
    if count != len(results):
        raise ValueError(f"{count} formula cells, {len(results)} results")
    return filled
