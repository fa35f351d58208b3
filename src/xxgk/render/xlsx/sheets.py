"""The workbook's other sheets: 封面 (what this is), 正文 (the narrative), 校验 (the 勾稽 rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xxgk import labels
from xxgk.model import Count, Report, sum_or_none
from xxgk.render.xlsx.style import (
    CENTER,
    DATE_FORMAT,
    LEFT,
    TITLE_SIZE,
    TOP_LEFT,
    RowHeights,
    box,
    number_font,
    put_number,
    put_text,
    setup_page,
    style,
    text_font,
)
from xxgk.render.xlsx.tables import table3_cell, table3_matrix, table4_cell, table4_row
from xxgk.xlsx_layout import (
    COVER_DATE,
    COVER_DOC_NUMBER,
    COVER_FORMAT,
    COVER_FORMAT_DOCUMENT,
    COVER_ISSUER_MARK,
    COVER_MARK,
    COVER_ORGAN,
    COVER_SHA256,
    COVER_SHEET_NOTE,
    COVER_SHEETS,
    COVER_SIGNER,
    COVER_TITLE,
    COVER_VERSION,
    COVER_YEAR,
    SHEET_CHECKS,
    SHEET_COVER,
    SHEET_TABLE2,
    SHEET_TABLE3,
    SHEET_TABLE4,
    SHEET_TEXT,
    TEXT_FIRST_ROW,
    TEXT_HEADINGS,
    TEXT_SECTIONS,
    WORKBOOK_LAYOUT,
    WORKBOOK_MARK,
)

HEADINGS = {s.number: s.heading for s in labels.SECTIONS}
COVER_WIDTHS = (22.0, 90.0)
TEXT_WIDTHS = (20.0, 9.0, 16.0, 100.0)
CHECK_WIDTHS = (6.0, 66.0, 12.0, 12.0, 36.0)
CHECK_TITLE = "勾稽关系校验"


def _title(ws: Worksheet, text: str, cols: int, width: float, heights: RowHeights) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=cols)
    put_text(ws, 1, 1, text, font=number_font(bold=True, size=TITLE_SIZE), align=CENTER)
    heights.need_text(1, 1, text, width, TITLE_SIZE)


def _widths(ws: Worksheet, widths: tuple[float, ...]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


# ---------------------------------------------------------------- 封面


def sheet_notes() -> tuple[tuple[str, str], ...]:
    """One line per sheet saying what it holds (the cover lists them)."""
    grid = "第 1 行为标题，第 2 行起与 Word 报告中的表格相同（标签、合并单元格一致）"
    return (
        (SHEET_COVER, "机关、年度、格式版本、文头字段和生成信息；xxgk import 读回时以本表为准"),
        (SHEET_TABLE2, f"{HEADINGS['二']}；{grid}"),
        (SHEET_TABLE3, f"{HEADINGS['三']}；{grid}；总计列与（七）总计行为数值"),
        (SHEET_TABLE4, f"{HEADINGS['四']}；{grid}；总计为数值"),
        (
            SHEET_TEXT,
            f"{HEADINGS['一']}、{HEADINGS['五']}、{HEADINGS['六']}的正文，"
            "每段一行（章节、分项序号、分项标题、段落），可修改后用 xxgk import 读回",
        ),
        (
            SHEET_CHECKS,
            "勾稽关系，每条规则一行：Excel 公式（打开时计算，应为 TRUE）"
            "和 xxgk 的计算结果；修改表中数字时请同时修改相应总计",
        ),
    )


def cover_fields(report: Report, data_sha256: str, version: str) -> list[tuple[str, object]]:
    h = report.header
    return [
        (COVER_ORGAN, report.organ),
        (COVER_YEAR, report.year),
        (COVER_FORMAT, report.format_version),
        (COVER_FORMAT_DOCUMENT, labels.FORMAT_DOCUMENTS[report.format_version]),
        (COVER_TITLE, report.display_title),
        (COVER_ISSUER_MARK, h.issuer_mark),
        (COVER_DOC_NUMBER, h.doc_number),
        (COVER_DATE, h.date),
        (COVER_SIGNER, h.signer),
        (COVER_SHA256, data_sha256),
        (COVER_VERSION, f"xxgk {version}"),
        (COVER_MARK, f"{WORKBOOK_MARK} {WORKBOOK_LAYOUT}"),
    ]


def write_cover(wb: Workbook, report: Report, *, data_sha256: str, version: str) -> None:
    """The 封面 sheet: the report's identity, how it was made, and what each sheet holds."""
    ws = wb.active
    assert ws is not None  # a new Workbook always has one sheet
    ws.title = SHEET_COVER
    widths = COVER_WIDTHS
    _widths(ws, widths)
    heights = RowHeights()
    _title(ws, report.display_title, 2, sum(widths), heights)
    row = 2
    for name, value in cover_fields(report, data_sha256, version):
        put_text(ws, row, 1, name, font=text_font(bold=True))
        if isinstance(value, dt.date):
            put_number(ws, row, 2, None, number_format=DATE_FORMAT, align=LEFT)
            ws.cell(row, 2).value = value
        elif isinstance(value, int):
            put_number(ws, row, 2, value, align=LEFT)
        else:
            put_text(ws, row, 2, value if isinstance(value, str) else None)
            heights.need_text(row, row, str(value or ""), widths[1])
        row += 1
    box(ws, 2, 1, row - 1, 2)
    row += 1
    sheets_row = row
    put_text(ws, row, 1, COVER_SHEETS, font=text_font(bold=True))
    put_text(ws, row, 2, COVER_SHEET_NOTE, font=text_font(bold=True))
    for name, note in sheet_notes():
        row += 1
        put_text(ws, row, 1, name)
        put_text(ws, row, 2, note)
        heights.need_text(row, row, note, widths[1])
    box(ws, sheets_row, 1, row, 2)
    heights.apply(ws, range(1, row + 1))
    setup_page(ws, organ=report.organ, year=report.year, title_rows=1)
    ws.page_setup.fitToHeight = 1  # the cover is one page


# ---------------------------------------------------------------- 正文


def text_rows(report: Report) -> list[tuple[str, str | None, str | None, str | None]]:
    """正文's rows: (section heading, subsection marker, subsection title, paragraph)."""
    one = HEADINGS["一"]
    rows: list[tuple[str, str | None, str | None, str | None]] = [
        (one, None, None, p) for p in report.overview.intro
    ]
    for i, sub in enumerate(report.overview.subsections):
        marker = labels.subsection_marker(i)
        # A subsection without paragraphs still gets its row, so that its title survives.
        paragraphs: list[str | None] = [*sub.paragraphs] or [None]
        rows += [(one, marker, sub.title, p) for p in paragraphs]
    rows += [(HEADINGS["五"], None, None, p) for p in report.problems]
    rows += [(HEADINGS["六"], None, None, p) for p in report.other_matters]
    return rows


def write_text(wb: Workbook, report: Report) -> None:
    """The 正文 sheet: every paragraph of 一, 五 and 六, one row each."""
    ws = wb.create_sheet(SHEET_TEXT)
    widths = TEXT_WIDTHS
    _widths(ws, widths)
    heights = RowHeights()
    title = "、".join(HEADINGS[n] for n in TEXT_SECTIONS)
    _title(ws, title, 4, sum(widths), heights)
    header = TEXT_FIRST_ROW - 1
    for col, name in enumerate(TEXT_HEADINGS, 1):
        put_text(ws, header, col, name, font=text_font(bold=True), align=CENTER)
    row = header
    for row, values in enumerate(text_rows(report), TEXT_FIRST_ROW):
        for col, value in enumerate(values, 1):
            align = TOP_LEFT if col == len(values) else LEFT
            put_text(ws, row, col, value, align=align)
            heights.need_text(row, row, value or "", widths[col - 1])
    box(ws, header, 1, row, len(widths))
    heights.apply(ws, range(1, row + 1))
    ws.freeze_panes = f"A{TEXT_FIRST_ROW}"
    setup_page(ws, organ=report.organ, year=report.year, title_rows=header)


# ---------------------------------------------------------------- 校验


@dataclass(frozen=True)
class Rule:
    """One 勾稽 rule instance: in words, as an Excel formula, and as xxgk computed it."""

    words: str
    formula: str
    value: bool | None  # None when a cell it needs is blank
    detail: str


def _q(sheet: str, ref: str) -> str:
    return f"'{sheet}'!{ref}"


def _show(value: Count) -> str:
    return "空" if value is None else str(value)


def _number(label: str) -> str:
    """「一」 of 「一、本年新收…」: the short name the table's own corner note uses."""
    return label.split("、", 1)[0]


def _equal(lhs: Count, rhs: Count) -> bool | None:
    return None if lhs is None or rhs is None else lhs == rhs


def _table3_balance(report: Report) -> list[Rule]:
    m = table3_matrix(report)
    rows = [labels.TABLE3_ROW_BY_ID[i].grid_row for i in ("new", "carried_in", "carried_out")]
    new, carried_in, carried_out = rows
    results = labels.TABLE3_RESULTS_TOTAL_GRID_ROW
    words = (
        f"{_number(labels.TABLE3_NEW)} + {_number(labels.TABLE3_CARRIED_IN)} = "
        f"{labels.TABLE3_RESULTS_TOTAL} + {_number(labels.TABLE3_CARRIED_OUT)}"
    )
    out = []
    for c, col in enumerate([*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL]):
        lhs = sum_or_none([m[new][c], m[carried_in][c]])
        rhs = sum_or_none([m[results][c], m[carried_out][c]])
        ref = {
            k: _q(SHEET_TABLE3, table3_cell(i, c))
            for k, i in (("n", "new"), ("i", "carried_in"), ("t", None), ("o", "carried_out"))
        }
        out.append(
            Rule(
                f"表三「{col}」列：{words}",
                f"={ref['n']}+{ref['i']}={ref['t']}+{ref['o']}",
                _equal(lhs, rhs),
                f"{_show(m[new][c])} + {_show(m[carried_in][c])} = "
                f"{_show(m[results][c])} + {_show(m[carried_out][c])}",
            )
        )
    return out


def _table3_row_totals(report: Report) -> list[Rule]:
    m = table3_matrix(report)
    total_col = len(labels.TABLE3_COLUMNS)
    first, last = labels.TABLE3_COLUMN_LABELS[0], labels.TABLE3_COLUMN_LABELS[-1]
    columns = f"{first}至{last}{total_col}列之和"
    rows: list[tuple[str | None, str, int]] = [
        (r.id, "/".join(p for p in r.path if p != labels.TABLE3_RESULTS), r.grid_row)
        for r in labels.TABLE3_ROWS
    ]
    rows.append((None, labels.TABLE3_RESULTS_TOTAL, labels.TABLE3_RESULTS_TOTAL_GRID_ROW))
    rows.sort(key=lambda r: r[2])
    out = []
    for row_id, name, grid_row in rows:
        cells = m[grid_row]
        left, right = table3_cell(row_id, 0), table3_cell(row_id, total_col - 1)
        out.append(
            Rule(
                f"表三「{name}」行：{labels.TABLE3_TOTAL} = {columns}",
                f"={_q(SHEET_TABLE3, table3_cell(row_id, total_col))}"
                f"=SUM({_q(SHEET_TABLE3, left)}:{right})",
                _equal(cells[total_col], sum_or_none(cells[:total_col])),
                f"{_show(cells[total_col])} = {' + '.join(_show(v) for v in cells[:total_col])}",
            )
        )
    return out


def _table3_results(report: Report) -> list[Rule]:
    m = table3_matrix(report)
    result_rows = [r.grid_row for r in labels.TABLE3_RESULT_ROWS]
    first_id, last_id = labels.TABLE3_RESULT_ROWS[0].id, labels.TABLE3_RESULT_ROWS[-1].id
    groups = f"{labels.TABLE3_RESULT_ROWS[0].label[:3]}至{labels.TABLE3_GROUPS[-1].label[:3]}"
    out = []
    for c, col in enumerate([*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL]):
        parts = [m[r][c] for r in result_rows]
        total = m[labels.TABLE3_RESULTS_TOTAL_GRID_ROW][c]
        out.append(
            Rule(
                f"表三「{col}」列：{labels.TABLE3_RESULTS_TOTAL} = {groups}各行之和",
                f"={_q(SHEET_TABLE3, table3_cell(None, c))}"
                f"=SUM({_q(SHEET_TABLE3, table3_cell(first_id, c))}:{table3_cell(last_id, c)})",
                _equal(total, sum_or_none(parts)),
                f"{_show(total)} = {_show(sum_or_none(parts))}",
            )
        )
    return out


def _table4_totals(report: Report) -> list[Rule]:
    values = table4_row(report)
    n = len(labels.TABLE4_OUTCOMES)
    outcomes = " + ".join(name for _, name in labels.TABLE4_OUTCOMES)
    out = []
    for b, block in enumerate(labels.TABLE4_BLOCKS):
        cells = values[b * (n + 1) : b * (n + 1) + n]
        total = values[b * (n + 1) + n]
        out.append(
            Rule(
                f"表四「{'/'.join(block.path)}」：{labels.TABLE4_TOTAL} = {outcomes}",
                f"={_q(SHEET_TABLE4, table4_cell(b, n))}"
                f"=SUM({_q(SHEET_TABLE4, table4_cell(b, 0))}:{table4_cell(b, n - 1)})",
                _equal(total, sum_or_none(cells)),
                f"{_show(total)} = {' + '.join(_show(v) for v in cells)}",
            )
        )
    return out


def check_rules(report: Report) -> list[Rule]:
    """Every 勾稽 rule instance of 表三 and 表四, in the order the 校验 sheet lists them."""
    return [
        *_table3_balance(report),
        *_table3_row_totals(report),
        *_table3_results(report),
        *_table4_totals(report),
    ]


CHECK_HEADINGS = ("序号", "勾稽关系", "Excel 计算", "xxgk 计算", "数值")
CHECK_FIRST_ROW = 3
# LibreOffice shows a formula's TRUE as 1 unless the cell has a boolean format (Excel ignores it).
BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'
FALSE_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")


def write_checks(wb: Workbook, report: Report) -> None:
    """The 校验 sheet: one row per rule, its formula over the table sheets and xxgk's value."""
    ws = wb.create_sheet(SHEET_CHECKS)
    widths = CHECK_WIDTHS
    _widths(ws, widths)
    heights = RowHeights()
    _title(ws, CHECK_TITLE, len(widths), sum(widths), heights)
    for col, name in enumerate(CHECK_HEADINGS, 1):
        put_text(ws, CHECK_FIRST_ROW - 1, col, name, font=text_font(bold=True), align=CENTER)
    row = CHECK_FIRST_ROW - 1
    for row, rule in enumerate(check_rules(report), CHECK_FIRST_ROW):
        put_number(ws, row, 1, row - CHECK_FIRST_ROW + 1)
        put_text(ws, row, 2, rule.words)
        formula = ws.cell(row, 3)
        formula.value = rule.formula  # the one place a formula is written
        computed = ws.cell(row, 4)
        computed.value = rule.value
        for cell in (formula, computed):
            style(cell, "font", number_font())
            style(cell, "number_format", BOOLEAN_FORMAT)
            style(cell, "alignment", CENTER)
        put_text(ws, row, 5, rule.detail)
        heights.need_text(row, row, rule.words, widths[1])
        heights.need_text(row, row, rule.detail, widths[4])
    box(ws, CHECK_FIRST_ROW - 1, 1, row, len(widths))
    ws.conditional_formatting.add(
        f"C{CHECK_FIRST_ROW}:D{row}",
        CellIsRule(operator="equal", formula=["FALSE"], fill=FALSE_FILL),  # type: ignore[no-untyped-call]
    )
    heights.apply(ws, range(1, row + 1))
    ws.freeze_panes = f"A{CHECK_FIRST_ROW}"
    setup_page(ws, organ=report.organ, year=report.year, title_rows=CHECK_FIRST_ROW - 1)
