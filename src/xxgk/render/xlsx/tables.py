"""The three national tables as sheets: labels, merges and numbers where the Word table has them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

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
    mark_input,
    number_font,
    protect,
    put_number,
    put_text,
    setup_page,
    text_font,
)
from xxgk.xlsx_layout import (
    GRIDS,
    TABLE2,
    TABLE2_CELLS,
    TABLE3,
    TABLE3_FIRST_VALUE_COL,
    TABLE3_TOTAL_COL,
    TABLE4,
    TABLE4_VALUE_ROW,
    TITLE_ROWS,
    Grid,
    Span,
    Total,
    cell_ref,
    excel_row,
    table4_col,
)

Value = int | Decimal | None


@dataclass(frozen=True)
class Cached:
    """A total's formula (without =) and the value Excel computes for it (blank cells count 0).

    The value is stored in the cell beside the formula, so that a reader that does not calculate
    (pandas, a phone's viewer) sees the number, while Excel, WPS and LibreOffice keep it live.
    """

    formula: str
    value: int


# A broken 勾稽 rule colours its cells as the 校验 sheet colours its FALSE.
ALERT_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
ALERT_FONT = Font(color="FF9C0006", bold=True)


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


def grid_values(report: Report, grid: Grid) -> list[Value | Cached]:
    """A table sheet's cells in the order of ``grid.values``: numbers entered, totals as formulas.

    A list, not a dict by span: hashing spans cost more than the rest of a workbook's numbers.
    A workbook asks for each table's values more than once (its sheet, the 校验 verdicts): the
    last report's are kept per sheet (the frozen report held, so its id is not reused).
    """
    last = _LAST_VALUES.get(grid.sheet)
    if last is not None and last[0] is report:
        return list(last[1])
    values = _grid_values(report, grid)
    _LAST_VALUES[grid.sheet] = (report, tuple(values))
    return values


_LAST_VALUES: dict[str, tuple[Report, tuple[Value | Cached, ...]]] = {}


def _grid_values(report: Report, grid: Grid) -> list[Value | Cached]:
    if grid is TABLE2:
        t2 = report.table2
        return [getattr(t2, c.field) if c.part is None else getattr(getattr(t2, c.field), c.part)
                for c in TABLE2_CELLS]
    if grid is TABLE3:
        matrix = table3_matrix(report)
        first = TABLE3_FIRST_VALUE_COL
        shown: list[Value | Cached] = [matrix[s.row][s.col - first] for s in grid.values]
    else:
        row = table4_row(report)
        shown = [row[s.col] for s in grid.values]
    # What =SUM() gives: blank cells count 0; each total comes after its parts.
    numbers = [int(v or 0) if not isinstance(v, Cached) else 0 for v in shown]
    for total, parts, at in _total_parts(grid.sheet):
        value = sum(numbers[i] for i in parts)
        numbers[at] = value
        shown[at] = Cached(total.formula, value)
    return shown


@cache
def _total_parts(sheet: str) -> tuple[tuple[Total, tuple[int, ...], int], ...]:
    """Each total of a sheet, the indexes (in ``grid.values``) of its parts, and its own."""
    grid = next(g for g in GRIDS if g.sheet == sheet)
    index = {(s.row, s.col): i for i, s in enumerate(grid.values)}
    return tuple(
        (t, tuple(index[(r, c)] for r in range(t.first.row, t.last.row + 1)
                  for c in range(t.first.col, t.last.col + 1)), index[(t.span.row, t.span.col)])
        for t in grid.totals)


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

    totals = grid.total_spans
    for span, value in zip(grid.values, grid_values(report, grid), strict=True):
        if span.merged:
            ws.merge_cells(span.ref())
        fmt = AMOUNT_FORMAT if span in FEE_SPANS else COUNT_FORMAT
        row, col = excel_row(span.row), span.col + 1
        if isinstance(value, Cached):
            # openpyxl writes the formula only; workbook.py caches the value beside it.
            put_number(ws, row, col, None, number_format=fmt).value = f"={value.formula}"
        else:
            put_number(ws, row, col, value, number_format=fmt)
        if span not in totals:
            mark_input(ws.cell(row, col))
        box(ws, row, col, excel_row(span.last_row), span.last_col + 1)

    for rule in input_rules(grid):
        ws.add_data_validation(rule)
    for sqref, formula in alert_rules(grid):
        ws.conditional_formatting.add(sqref, FormulaRule(  # type: ignore[no-untyped-call]
            formula=[formula], fill=ALERT_FILL, font=ALERT_FONT))
    heights.apply(ws, range(1, excel_row(grid.rows - 1) + 1))
    frozen = TITLE_ROWS + grid.header_rows
    ws.freeze_panes = f"A{frozen + 1}"
    protect(ws)
    setup_page(ws, organ=report.organ, year=report.year, title_rows=frozen)


FEE_SPANS = frozenset(c.span for c in TABLE2_CELLS if c.field == "fees")
# Each sheet's input message for its counts (Excel shows at most 255 characters).
COUNT_PROMPTS = {
    TABLE2.sheet: "填写本年件数（非负整数），没有的填 0；“现行有效件数”为年末仍然有效的件数。",
    TABLE3.sheet: "按申请人类型填写件数（非负整数），没有的填 0；总计由公式自动计算。"
                  "二、上年结转应等于上年报告的“四、结转下年度继续办理”。",
    TABLE4.sheet: "填写件数（非负整数），没有的填 0；总计由公式自动计算。",
}


def input_rules(grid: Grid) -> list[DataValidation]:
    """Excel refuses what the data file would, and says on each input cell what goes in it.

    Counts are whole numbers ≥ 0; the fee is ≥ 0 with at most 4 decimals (万元 to the yuan).
    One rule per kind of cell and sheet keeps the sheet small (the fast path recompresses it
    for every report). Excel limits an input message's title to 32 characters, its text to 255.
    """
    counts = [s for s in grid.inputs if s not in FEE_SPANS]
    rule = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
        showErrorMessage=True, errorTitle="数字有误", error="此处应填非负整数（件数）。",
        showInputMessage=True, promptTitle="填写件数", prompt=COUNT_PROMPTS[grid.sheet])
    rule.sqref = MultiCellRange(_joined(sorted(counts, key=lambda s: (s.row, s.col))))
    rules = [rule]
    for span in (s for s in grid.inputs if s in FEE_SPANS):
        ref = cell_ref(span.row, span.col)
        decimals = labels.FEE_DECIMALS
        fee = DataValidation(
            type="custom", allow_blank=True,
            formula1=f"AND(ISNUMBER({ref}),{ref}>=0,ROUND({ref},{decimals})={ref})",
            showErrorMessage=True, errorTitle="金额有误",
            error=f"此处应填非负金额，单位万元，最多 {decimals} 位小数。",
            showInputMessage=True, promptTitle="填写金额（万元）",
            prompt=f"本年行政事业性收费金额，单位万元，最多 {decimals} 位小数（到元）；"
                   "没有收费填 0。")
        fee.add(span.ref())
        rules.append(fee)
    return rules


def alert_rules(grid: Grid) -> list[tuple[str, str]]:
    """Conditional formats (range, formula) that turn a broken 勾稽 rule's cells red.

    表三's 一 + 二 = （七）总计 + 四 per column is the rule a clerk can break; a total that no
    longer is the sum of its parts (its formula overwritten) is coloured with its row as well.
    """
    out: list[tuple[str, str]] = []
    if grid is TABLE3:
        new, carried_in, carried_out = (labels.TABLE3_ROW_BY_ID[i].grid_row
                                        for i in ("new", "carried_in", "carried_out"))
        results = labels.TABLE3_RESULTS_TOTAL_GRID_ROW
        first, last = TABLE3_FIRST_VALUE_COL, TABLE3_TOTAL_COL
        column = get_column_letter(first + 1)
        sqref = _joined([Span(r, first, r, last) for r in (new, carried_in, results, carried_out)])
        out.append((sqref, f"{column}${excel_row(new)}+{column}${excel_row(carried_in)}"
                           f"<>{column}${excel_row(results)}+{column}${excel_row(carried_out)}"))
    # One rule per kind of total: row totals sharing their columns, column totals their rows,
    # each formula relative to the first range's top-left cell as conditional formats are.
    groups: dict[tuple[str, int, int, int], list[Total]] = {}
    for total in grid.totals:
        across = total.first.row == total.last.row
        key = (("row", total.first.col, total.last.col, total.span.col) if across
               else ("col", total.first.row, total.last.row, total.span.row))
        groups.setdefault(key, []).append(total)
    for (kind, *_), group in groups.items():
        totals = sorted(group, key=lambda t: (t.first.row, t.first.col))
        sqref = _joined([Span(t.first.row, t.first.col, t.span.row, t.span.col)
                         for t in totals])
        top = totals[0]
        refs = [_moving(s, rows_move=kind == "row") for s in (top.span, top.first, top.last)]
        out.append((sqref, f"{refs[0]}<>SUM({refs[1]}:{refs[2]})"))
    return out


def _moving(span: Span, *, rows_move: bool) -> str:
    """$J5 when the rule moves down rows (a row total's), D$28 when across columns."""
    column, row = get_column_letter(span.col + 1), excel_row(span.row)
    return f"${column}{row}" if rows_move else f"{column}${row}"


def _joined(spans: list[Span]) -> str:
    """Rectangles as an sqref, those that continue each other joined: first the cells of a row
    (D5 E5 … → D5:I5), then rows of the same columns below each other (D5:I5 D6:I6 → D5:I6)."""
    merged = list(spans)
    for beside in (True, False):
        out: list[Span] = []
        for s in merged:
            last = out[-1] if out else None
            if last is not None and (
                (beside and (last.row, last.last_row) == (s.row, s.last_row)
                 and last.last_col + 1 == s.col)
                or (not beside and (last.col, last.last_col) == (s.col, s.last_col)
                    and last.last_row + 1 == s.row)
            ):
                out[-1] = Span(last.row, last.col, s.last_row, s.last_col)
            else:
                out.append(s)
        merged = out
    return " ".join(s.ref() for s in merged)


def table3_cell(row_id: str | None, col: int) -> str:
    """The A1 reference of a 表三 number: an entered row (None for （七）总计) and a column 0–6."""
    grid_row = (labels.TABLE3_RESULTS_TOTAL_GRID_ROW if row_id is None
                else labels.TABLE3_ROW_BY_ID[row_id].grid_row)
    return cell_ref(grid_row, TABLE3_FIRST_VALUE_COL + col)


def table4_cell(block_index: int, outcome_index: int) -> str:
    """The A1 reference of a 表四 number: a block 0–2 and an outcome 0–3 (4 = 总计)."""
    return cell_ref(TABLE4_VALUE_ROW, table4_col(block_index, outcome_index))
