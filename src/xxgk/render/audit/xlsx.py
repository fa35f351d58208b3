"""The audit workbook a supervisor files: 总表 first, then one sheet per list and per rule.

Written in openpyxl's write-only mode (rows streamed, no cell objects kept), which is what makes a
workbook of thousands of reports take a second rather than ten.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.audit import Sheet
from xxgk.audit.table import COPIED_COLUMN, Value
from xxgk.render.clean import clean_text
from xxgk.render.xlsx.style import (
    FONT_NUMBER,
    FONT_TEXT,
    GB2312_CHARSET,
    MAX_ROW_HEIGHT,
    text_height,
    text_width,
)
from xxgk.render.zipfix import CORE_PATH, core_xml, rezip

RED_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's own 「浅红填充」 for bad cells
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TEXT = Font(name=FONT_TEXT, size=11, charset=GB2312_CHARSET)
NUMBER = Font(name=FONT_NUMBER, size=11, charset=GB2312_CHARSET)
BOLD = Font(name=FONT_TEXT, size=11, bold=True, charset=GB2312_CHARSET)
WRAP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")
MIN_WIDTH, MAX_WIDTH, WIDE_WIDTH = 6.0, 40.0, 60.0
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LIMIT = 31  # Excel's
DEFAULT_HEIGHT = 15.0  # points: one line of 11 pt


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts (no []:*?/\\, at most 31 characters), unique in the workbook."""
    base = _NOT_IN_SHEET_NAMES.sub("·", name)[:SHEET_NAME_LIMIT] or "表"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate, n = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _text(value: Value) -> str:
    if isinstance(value, float):  # the copied share, shown as a percentage
        return f"{value:.0%}"
    return "" if value is None else str(value)


def _widths(sheet: Sheet) -> list[float]:
    widths = []
    for i, column in enumerate(sheet.columns):
        longest = max(
            [text_width(column.heading)]
            + [max(text_width(line) for line in _text(r[i]).split("\n")) for r in sheet.rows[:2000]]
        )
        if column.numeric:  # a long heading over a column of numbers wraps onto two lines
            data = max([0.0] + [text_width(_text(r[i])) for r in sheet.rows[:2000]])
            longest = max(data, text_width(column.heading) / 2)
        limit = WIDE_WIDTH if column.wide else MAX_WIDTH
        widths.append(round(min(max(longest + 2, MIN_WIDTH), limit), 1))
    return widths


def _cell(ws: WriteOnlyWorksheet, value: Value, fill: bool, percent: bool) -> Cell:
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=clean_text(value)[0])
        cell.data_type = "s"  # data never becomes a formula (TECH-NOTES: openpyxl)
        cell.font, cell.alignment = TEXT, WRAP
    else:
        cell = WriteOnlyCell(ws, value=value)  # type: ignore[arg-type]  # Decimal is fine
        cell.font, cell.alignment = NUMBER, TOP
        if percent:
            cell.number_format = "0%"
    if fill:
        cell.fill = RED_FILL
    return cell


def _height(texts: Sequence[str], widths: Sequence[float]) -> float | None:
    """Points a row needs to show its wrapped texts whole (None: the default height will do)."""
    needed = max((text_height(t, w) for t, w in zip(texts, widths, strict=True) if t), default=0.0)
    return min(needed, MAX_ROW_HEIGHT) if needed > DEFAULT_HEIGHT else None


def _write_sheet(wb: Workbook, sheet: Sheet, taken: set[str]) -> None:
    ws = wb.create_sheet(sheet_name(sheet.name, taken))
    widths = _widths(sheet)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3" if len(sheet.columns) < 8 else "C3"  # keep the organ in view
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A2:{last}{len(sheet.rows) + 2}"
    _page_setup(ws, wide=len(sheet.columns) > 10)
    title = WriteOnlyCell(ws, value=clean_text(sheet.title)[0])
    title.font = BOLD
    ws.append([title])
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=column.heading)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        header.append(cell)
    height = _height([c.heading for c in sheet.columns], widths)
    if height:
        ws.row_dimensions[2].height = height
    ws.append(header)
    percent = [c.heading == COPIED_COLUMN for c in sheet.columns]
    for n, (row, failing) in enumerate(zip(sheet.rows, sheet.failing, strict=True), 3):
        height = _height([v if isinstance(v, str) else "" for v in row], widths)
        if height:  # row dimensions must be set before the row is streamed out
            ws.row_dimensions[n].height = height
        ws.append([
            _cell(ws, value, failing, pct)
            for value, column, pct in zip(row, sheet.columns, percent, strict=True)
        ])


def _page_setup(ws: Any, wide: bool) -> None:  # the stubs lack write-only sheets' page setup
    # Printed for the file: landscape, every column on one page wide, the heading row on each page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3 if wide else Worksheet.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "2:2"


def render_audit_xlsx(sheets: Sequence[Sheet], when: dt.datetime) -> bytes:
    """The workbook; the same records give the same bytes (dates from ``when``)."""
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for sheet in sheets:
        _write_sheet(wb, sheet, taken)
    buffer = io.BytesIO()
    wb.save(buffer)
    core = core_xml(title="政府信息公开工作年度报告审核表", creator="xxgk",
                    last_modified_by="xxgk", when=when)
    return rezip(buffer.getvalue(), {CORE_PATH: core})
