"""The three national tables as sheets: labels, merges and numbers where the Word table has them."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xxgk import labels
from xxgk.model import ApplicantCounts, Count, Report, ReviewOutcomes
from xxgk.render.xlsx.style import (
    AMOUNT_FORMAT,
    CENTER,
    COUNT_FORMAT,
    LEFT,
    TITLE_SIZE,
    RowHeights,
    box,
    number_font,
    put_number,
    put_text,
    setup_page,
    text_font,
)
from xxgk.xlsx_layout import (
    TABLE2,
    TABLE2_CELLS,
    TABLE3,
    TABLE3_FIRST_VALUE_COL,
    TABLE4_VALUE_ROW,
    TITLE_ROWS,
    Grid,
    Span,
    cell_ref,
    excel_row,
    table4_col,
)

Value = int | Decimal | None


def shown_total(row: ApplicantCounts | ReviewOutcomes) -> Count:
    """The 总计 the workbook shows: a stated total where the source gave one, else the sum."""
    return row.stated_total if row.stated_total is not None else row.total


def table3_matrix(report: Report) -> dict[int, tuple[Count, ...]]:
    """表三's numbers by grid row: six applicant columns then 总计, as the sheet shows them."""
    t3 = report.table3
    matrix: dict[int, tuple[Count, ...]] = {
        r.grid_row: (*t3.row(r.id).cells, shown_total(t3.row(r.id))) for r in labels.TABLE3_ROWS
    }
    # （七）总计: as a source stated it where it did (the checks compare), else computed.
    stated = t3.stated_results_total
    if stated is None:
        matrix[labels.TABLE3_RESULTS_TOTAL_GRID_ROW] = (
            *t3.results_total(), t3.results_grand_total())
    else:
        matrix[labels.TABLE3_RESULTS_TOTAL_GRID_ROW] = (*stated.cells, shown_total(stated))
    return matrix


def table4_row(report: Report) -> tuple[Count, ...]:
    """表四's fifteen numbers in column order, totals as the sheet shows them."""
    values: list[Count] = []
    for block in labels.TABLE4_BLOCKS:
        outcomes = report.table4.block(block.id)
        values += [*outcomes.cells(), shown_total(outcomes)]
    return tuple(values)


def table2_values(report: Report) -> dict[Span, Value]:
    """表二's numbers by value span."""
    t2 = report.table2
    values: dict[Span, Value] = {}
    for cell in TABLE2_CELLS:
        value = getattr(t2, cell.field)
        values[cell.span] = value if cell.part is None else getattr(value, cell.part)
    return values


def grid_values(report: Report, grid: Grid) -> dict[Span, Value]:
    """A table sheet's numbers by value span, in the order the sheet writes them."""
    if grid is TABLE2:
        return table2_values(report)
    if grid is TABLE3:
        matrix = table3_matrix(report)
        return {s: matrix[s.row][s.col - TABLE3_FIRST_VALUE_COL] for s in grid.values}
    row = table4_row(report)
    return {s: row[s.col] for s in grid.values}


def _is_heading(grid: Grid, span: Span) -> bool:
    """Headings and labels spanning rows are centred; 表三's row labels read left to right."""
    return grid is not TABLE3 or span.row < grid.header_rows or span.row != span.last_row


def _bold(grid: Grid, span: Span) -> bool:
    """表二's 第二十条 item headings, which span the whole table, are bold."""
    return grid is TABLE2 and span.col == 0 and span.last_col == grid.cols - 1


def write_grid(wb: Workbook, grid: Grid, report: Report) -> None:
    """Add one table sheet: title row, the grid with its merges and borders, numbers, page setup."""
    ws = wb.create_sheet(grid.sheet)
    heights = RowHeights()
    width = sum(grid.widths)
    for i, w in enumerate(grid.widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.cols)
    put_text(ws, 1, 1, grid.title, font=number_font(bold=True, size=TITLE_SIZE), align=CENTER)
    heights.need_text(1, 1, grid.title, width, TITLE_SIZE)

    for span in grid.labels:
        first, last = excel_row(span.row), excel_row(span.last_row)
        if span.merged:
            ws.merge_cells(span.ref())
        align = CENTER if _is_heading(grid, span) else LEFT
        put_text(ws, first, span.col + 1, span.text, font=text_font(bold=_bold(grid, span)),
                 align=align)
        span_width = sum(grid.widths[span.col:span.last_col + 1])
        heights.need_text(first, last, span.text or "", span_width)
        box(ws, first, span.col + 1, last, span.last_col + 1)

    amounts = {c.span for c in TABLE2_CELLS if c.field == "fees"}
    for span, value in grid_values(report, grid).items():
        if span.merged:
            ws.merge_cells(span.ref())
        fmt = AMOUNT_FORMAT if span in amounts else COUNT_FORMAT
        put_number(ws, excel_row(span.row), span.col + 1, value, number_format=fmt)
        box(ws, excel_row(span.row), span.col + 1, excel_row(span.last_row), span.last_col + 1)

    _validate(ws, [s for s in grid.values if s not in amounts],
              [s for s in grid.values if s in amounts])
    heights.apply(ws, range(1, excel_row(grid.rows - 1) + 1))
    frozen = TITLE_ROWS + grid.header_rows
    ws.freeze_panes = f"A{frozen + 1}"
    setup_page(ws, organ=report.organ, year=report.year, title_rows=frozen)


def _validate(ws: Worksheet, counts: list[Span], amounts: list[Span]) -> None:
    """Excel refuses what the data file would: counts are whole numbers ≥ 0, amounts ≥ 0."""
    kinds: tuple[tuple[list[Span], Literal["whole", "decimal"], str], ...] = (
        (counts, "whole", "非负整数"), (amounts, "decimal", "非负金额（万元）"))
    for spans, kind, what in kinds:
        if not spans:
            continue
        rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0",
                              allow_blank=True, showErrorMessage=True, errorTitle="数字有误",
                              error=f"此处应填{what}。")
        for ref in _row_ranges(spans):
            rule.add(ref)
        ws.add_data_validation(rule)


def _row_ranges(spans: list[Span]) -> list[str]:
    """The spans' cells as one A1 range per run of adjacent cells in a row (D5:J5, …)."""
    runs: list[list[Span]] = []
    for span in sorted(spans, key=lambda s: (s.row, s.col)):
        if runs and runs[-1][-1].row == span.row and runs[-1][-1].last_col + 1 == span.col:
            runs[-1].append(span)
        else:
            runs.append([span])
    return [Span(run[0].row, run[0].col, run[-1].last_row, run[-1].last_col).ref()
            for run in runs]


def table3_cell(row_id: str | None, col: int) -> str:
    """The A1 reference of a 表三 number: an entered row (None for （七）总计) and a column 0–6."""
    grid_row = (labels.TABLE3_RESULTS_TOTAL_GRID_ROW if row_id is None
                else labels.TABLE3_ROW_BY_ID[row_id].grid_row)
    return cell_ref(grid_row, TABLE3_FIRST_VALUE_COL + col)


def table4_cell(block_index: int, outcome_index: int) -> str:
    """The A1 reference of a 表四 number: a block 0–2 and an outcome 0–3 (4 = 总计)."""
    return cell_ref(TABLE4_VALUE_ROW, table4_col(block_index, outcome_index))
