"""The 汇总's 明细表 added to its documents: an appendix table of the .docx, a sheet of the .xlsx.

The .docx and the web page get it added to their rendered bytes (a 汇总 is one report per
supervising office, so opening the package once more costs nothing that matters). The workbook
is rendered in one pass with the sheet added before its only save: reloaded and re-saved by
openpyxl it would lose every cached formula result (issue 21).
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING

from xxgk.breakdown import HEADINGS, TOTAL, Breakdown
from xxgk.figures import FIGURES, Figure
from xxgk.model import Report
from xxgk.render.clean import clean_text
from xxgk.render.zipfix import CORE_PATH, rezip

if TYPE_CHECKING:
    from openpyxl import Workbook

SHEET = "明细表"
APPENDIX_MARK = "附件"  # GB/T 9704 7.5: 「附件」 in 黑体 at the top left, then the title
APPENDIX_TITLE = "各机关主要数字明细表"
# The .docx page holds eight columns at 5号; the workbook has every figure.
DOCX_FIGURES = ("本年新收", "上年结转", "办理结果总计", "结转下年度", "行政复议", "行政诉讼",
                "收费（万元）")
DOCX_HEADINGS = ("机关名称", "新收申请", "上年结转", "办结", "结转下年度", "行政复议", "行政诉讼",
                 "收费（万元）")
DOCX_GRID = (2444, *([900] * 6), 1000)  # twips: 156 mm


def _text(value: Figure) -> str:
    return "" if value is None else str(value)


def _core(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(CORE_PATH)


def add_breakdown_docx(docx: bytes, breakdown: Breakdown) -> bytes:
    """The report with the 明细表 as an appendix on a new page, after the signature."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    from xxgk.render.docx import ooxml

    document = Document(io.BytesIO(docx))
    body = document.element.body
    index = [HEADINGS[2:].index(name) for name in DOCX_FIGURES]
    paragraph = document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    # A user's own template may lack our styles: then the paragraphs keep its defaults.
    names = {style.name for style in document.styles}
    mark = document.add_paragraph(style="Report Heading 1" if "Report Heading 1" in names else None)
    ooxml.set_indent(mark._p.get_or_add_pPr())
    mark._p.append(ooxml.new_run(APPENDIX_MARK, "黑体"))
    title = document.add_paragraph(style="Report Title" if "Report Title" in names else None)
    title._p.append(ooxml.new_run(APPENDIX_TITLE, "方正小标宋简体"))
    header = ooxml.Row(tuple(ooxml.Cell(h, "ReportTableText") for h in DOCX_HEADINGS),
                       header=True)
    rows = [header]
    for organ, figures in [*((r.organ, r.figures) for r in breakdown.rows),
                           (TOTAL, breakdown.total)]:
        cells = [ooxml.Cell(clean_text(organ)[0], "ReportTableLabel")]
        cells += [ooxml.Cell(_text(figures[i]), "ReportTableText") for i in index]
        rows.append(ooxml.Row(tuple(cells)))
    body.sectPr.addprevious(ooxml.build_table(rows, DOCX_GRID, font="仿宋_GB2312"))
    out = io.BytesIO()
    document.save(out)
    return rezip(out.getvalue(), {CORE_PATH: _core(docx)})


def render_breakdown_xlsx(report: Report, breakdown: Breakdown, *, data_sha256: str) -> bytes:
    """The 汇总's workbook with a 明细表 sheet after the report's own sheets, in one pass."""
    from xxgk.render.xlsx.workbook import render_xlsx_reference

    return render_xlsx_reference(report, data_sha256=data_sha256,
                                 extend=lambda workbook: _add_sheet(workbook, breakdown))


def _add_sheet(workbook: Workbook, breakdown: Breakdown) -> None:
    """The 明细表 sheet: every key figure of every organ, and the 合计 row."""
    from xxgk.render.xlsx.style import CENTER, LEFT, number_font, text_font, text_width

    sheet = workbook.create_sheet(SHEET)
    sheet.append(list(HEADINGS))
    for row in breakdown.rows:
        sheet.append([clean_text(row.organ)[0], clean_text(row.source)[0], *row.figures])
    sheet.append([TOTAL, None, *breakdown.total])
    last = sheet.max_row
    for row in sheet.iter_rows():
        for cell in row:
            bold = cell.row in (1, last)
            text = cell.column <= 2 or cell.row == 1
            cell.font = text_font(bold=bold) if text else number_font(bold=bold)
            if text:
                cell.alignment = CENTER if cell.row == 1 else LEFT
            if text and cell.row > 1 and cell.value is not None:
                cell.data_type = "s"  # organ names never become formulas
    for column, heading in zip(sheet.columns, HEADINGS, strict=True):
        data = max(text_width(str(c.value or "")) for c in column[1:])
        heading_width = text_width(heading) / (1 if column[0].column <= 2 else 2)
        width = min(max(data, heading_width, 5) + 2, 40)
        sheet.column_dimensions[column[0].column_letter].width = width
        if heading == FIGURES[9][0]:  # 收费（万元）: four decimals, as in 表二
            for c in column[1:]:
                if isinstance(c.value, Decimal):
                    c.number_format = "0.0000"
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"


def add_breakdown_html(page: bytes, breakdown: Breakdown) -> bytes:
    """The web page with the 明细表 as an appendix section after the report's own end."""
    from html import escape

    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in DOCX_HEADINGS)
    index = [HEADINGS[2:].index(name) for name in DOCX_FIGURES]
    rows = [
        "<tr>" + f'<th scope="row">{escape(clean_text(organ)[0])}</th>'
        + "".join(f"<td>{_text(figures[i])}</td>" for i in index) + "</tr>"
        for organ, figures in [*((r.organ, r.figures) for r in breakdown.rows),
                               (TOTAL, breakdown.total)]
    ]
    section = (
        f'<section class="appendix"><p>{APPENDIX_MARK}</p><h2>{APPENDIX_TITLE}</h2>'
        f'<table id="breakdown"><thead><tr>{cells}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>\n"
    )
    text = page.decode("utf-8")
    at = text.rindex("</main>")
    return (text[:at] + section + text[at:]).encode("utf-8")
