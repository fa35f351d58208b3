"""The 移交清单 of an archive package as .csv and .xlsx bytes (a DA/T 47 transfer list).

One row per file (件): 件号, 题名, 机关, 年度, 格式, 页数, 大小（字节）, SHA-256, 生成时间.
The CSV is UTF-8 with a BOM (it opens as it is in Excel and WPS) and is what
``xxgk archive --verify`` reads; the workbook is the same table for people, every cell text
(a SHA-256 or a size never becomes a number Excel rounds).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import astuple, dataclass

from xxgk.render.clean import clean_text
from xxgk.render.zipfix import CORE_PATH, core_xml, rezip

HEADINGS = ("件号", "题名", "机关", "年度", "格式", "页数", "大小（字节）", "SHA-256", "生成时间")
SHEET = "移交清单"
FIXED_WIDTHS = {"SHA-256": 78.0, "生成时间": 27.0, "大小（字节）": 13.0}


@dataclass(frozen=True)
class Item:
    """One file of the package, as its row of the list."""

    number: str
    title: str
    organ: str
    year: str
    kind: str
    pages: str
    size: str
    sha256: str
    made: str
    name: str  # the file's name in the package (not a column: the title says what it is)

    def row(self) -> tuple[str, ...]:
        return astuple(self)[:-1]


def transfer_list_csv(items: Sequence[Item]) -> bytes:
    """The list as CSV (UTF-8 with BOM), with the file name as a last column for the checker."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((*HEADINGS, "文件名"))
    for item in items:
        writer.writerow((*item.row(), item.name))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_transfer_list(data: bytes) -> list[dict[str, str]]:
    """The CSV's rows by heading (what ``transfer_list_csv`` wrote)."""
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def transfer_list_xlsx(items: Sequence[Item], title: str, when: dt.datetime) -> bytes:
    """The list as a workbook: a title row, the headings, one row a file; reproducible."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    from xxgk.render.xlsx.style import CENTER, LEFT, box, text_font, text_width

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = SHEET
    sheet.append([clean_text(title)[0]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    sheet.cell(1, 1).font = text_font(bold=True, size=14)
    sheet.cell(1, 1).alignment = CENTER
    sheet.append(list(HEADINGS))
    for item in items:
        sheet.append([clean_text(value)[0] for value in item.row()])
    one_line = Alignment(horizontal="left", vertical="center", wrap_text=False)
    for row in sheet.iter_rows(min_row=2):
        for heading, cell in zip(HEADINGS, row, strict=False):
            cell.font = text_font(bold=cell.row == 2)
            cell.alignment = (CENTER if cell.row == 2
                              else one_line if heading in FIXED_WIDTHS else LEFT)
            if cell.value is not None:
                cell.data_type = "s"  # sizes and hashes stay text
    for column, heading in enumerate(HEADINGS, start=1):
        values = [str(sheet.cell(r, column).value or "") for r in range(2, sheet.max_row + 1)]
        if heading in FIXED_WIDTHS:  # hex digits and times: one line, never wrapped
            width = FIXED_WIDTHS[heading]
        else:
            width = min(max(text_width(v) for v in [heading, *values]) + 2, 60)
        sheet.column_dimensions[get_column_letter(column)].width = width
    box(sheet, 2, 1, sheet.max_row, len(HEADINGS))
    sheet.row_dimensions[1].height = 28
    sheet.freeze_panes = "A3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    out = io.BytesIO()
    workbook.save(out)
    core = core_xml(title=clean_text(title)[0], creator="xxgk", last_modified_by="xxgk", when=when)
    return rezip(out.getvalue(), {CORE_PATH: core})
