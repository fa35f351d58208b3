"""The comparison as a Word document in the report's own 公文 format.

It is written on the package's report template (its styles, GB/T 9704 margins, 22-line grid and
「— n —」 page numbers), with the body replaced, so that it looks like the reports it compares.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from importlib import resources

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from xxgk import labels
from xxgk.compare import Comparison
from xxgk.compare.table import Part, comparison_parts
from xxgk.compare.text import CHANGED, COPIED, NEW, REMOVED
from xxgk.render.clean import clean_text
from xxgk.render.docx import ooxml
from xxgk.render.title_lines import LINE_WIDTH, width
from xxgk.render.zipfix import CORE_PATH, core_xml, document_time, rezip

TEMPLATE = "report-2021.docx"
BODY_FONT, TITLE_FONT = "仿宋_GB2312", "方正小标宋简体"
HEADING1_FONT, HEADING2_FONT = "黑体", "楷体_GB2312"
TITLE, HEADING1, HEADING2 = "ReportTitle", "ReportHeading1", "ReportHeading2"
CELL, CELL_LEFT = "ReportTableText", "ReportTableLabel"
TEXT_WIDTH = 8844  # twips: the 156 mm text block
# Column widths in twips (each table as wide as the text block).
GRIDS = {
    "numbers": (560, 4384, 900, 900, 900, 1200),
    "carry": (2844, 2000, 2000, 2000),
    "text": (4844, 1500, 2500),
    "findings": (900, 900, 1900, 2344, 2800),
}
FINDINGS_SHOWN = 30  # a printed comparison lists the first findings; the .xlsx has every one


def _template() -> DocumentObject:
    with resources.files("xxgk").joinpath(f"data/{TEMPLATE}").open("rb") as stream:
        document = Document(stream)
    body = document.element.body
    for child in list(body):
        if child is not body.sectPr:  # keep the page setup; drop the template's paragraphs
            body.remove(child)
    return document


class _Writer:
    def __init__(self, document: DocumentObject) -> None:
        self.document = document
        self.body = document.element.body

    def paragraph(self, text: str, style: str | None = None, font: str = BODY_FONT) -> None:
        p = OxmlElement("w:p")
        if style is not None:
            ppr = OxmlElement("w:pPr")
            style_element = OxmlElement("w:pStyle")
            style_element.set(qn("w:val"), style)
            ppr.append(style_element)
            p.append(ppr)
        p.append(ooxml.new_run(clean_text(text)[0], font))
        self.body.sectPr.addprevious(p)

    def title(self, lines: Sequence[str]) -> None:
        """The title: one paragraph, a line break between its lines, not snapped to the grid
        (the 二号 title is wider than a grid cell, and would be letter-spaced)."""
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        style_element = OxmlElement("w:pStyle")
        style_element.set(qn("w:val"), TITLE)
        ppr.append(style_element)
        ooxml.set_snap_to_grid(ppr, False)
        p.append(ppr)
        for n, line in enumerate(lines):
            run = ooxml.new_run(clean_text(line)[0], TITLE_FONT)
            if n:
                run.insert(1, OxmlElement("w:br"))  # after w:rPr, before w:t
            p.append(run)
        self.body.sectPr.addprevious(p)

    def table(self, headings: Sequence[str], rows: Sequence[Sequence[str]],
              grid: Sequence[int], left: Sequence[bool]) -> None:
        header = ooxml.Row(tuple(ooxml.Cell(h, CELL) for h in headings), header=True)
        body = [
            ooxml.Row(tuple(
                ooxml.Cell(clean_text(text)[0], CELL_LEFT if is_left else CELL)
                for text, is_left in zip(row, left, strict=True)
            ))
            for row in rows
        ]
        self.body.sectPr.addprevious(ooxml.build_table([header, *body], grid, font=BODY_FONT))
        self.paragraph("")


def _pieces(c: Comparison) -> list[str]:
    # The years stand between the organ and 政府信息公开, as in the reports' own titles, so that
    # 「某区人民政府」 is never followed by 「政府信息公开」 (no 「…人民政府政府…」).
    return [c.this.organ, f"{c.last.year}—{c.this.year}年", "政府信息公开", "工作年度报告",
            "同比对照"]


def _title(c: Comparison) -> str:
    return "".join(_pieces(c))


def title_lines(c: Comparison) -> list[str]:
    """The title in lines of at most LINE_WIDTH title characters, broken only between its words
    (the organ, the years, 政府信息公开, 工作年度报告, 同比对照): GB/T 9704 7.3.3."""
    pieces = _pieces(c)
    lines = [""]
    for piece in pieces:
        if lines[-1] and width(lines[-1] + piece) > LINE_WIDTH:
            lines.append(piece)
        else:
            lines[-1] += piece
    return lines


def _numbers(w: _Writer, part: Part) -> None:
    rows = [[row[0], row[1], row[2], row[3], row[4], row[5]] for row in part.rows]
    w.table(part.headings, rows, GRIDS["numbers"], (False, True, False, False, False, False))


def _text_changes(w: _Writer, c: Comparison) -> None:
    rows = [[s.place, s.status, "" if s.share is None else f"{s.share:.0%}"] for s in c.sections]
    w.table(("部分", "情况", "沿用上年文字"), rows, GRIDS["text"], (True, False, False))
    n = 0
    for section in c.sections:
        if section.status == COPIED or not (section.added or section.removed):
            continue
        n += 1
        w.paragraph(f"{labels.subsection_marker(n - 1)}{section.place}（{section.status}）",
                    HEADING2, HEADING2_FONT)
        if section.added and section.status in (NEW, CHANGED):
            w.paragraph("本年新写或改写：" + "".join(section.added))
        if section.removed and section.status in (CHANGED, REMOVED):
            w.paragraph("上年有、本年删去：" + "".join(section.removed))


def _findings(w: _Writer, part: Part) -> None:
    if not part.rows:
        w.paragraph("两个年度的报告均未发现问题。")
        return
    shown = part.rows[:FINDINGS_SHOWN]
    w.table(part.headings, shown, GRIDS["findings"], (False, False, True, True, True))
    if len(part.rows) > len(shown):
        w.paragraph(f"另有 {len(part.rows) - len(shown)} 条，见 xxgk compare 生成的 .xlsx。")


def render_compare_docx(c: Comparison) -> bytes:
    """The comparison document; the same two reports give the same bytes."""
    document = _template()
    w = _Writer(document)
    w.title(title_lines(c))
    w.paragraph("")
    numbers, carry, _, findings, rate_part = comparison_parts(c, headline_only=True)
    w.paragraph("一、总体情况", HEADING1, HEADING1_FONT)
    for line in c.summary():
        w.paragraph(line)
    w.paragraph("二、主要数字变化", HEADING1, HEADING1_FONT)
    changed = sum(1 for n in c.numbers if n.change)
    w.paragraph(f"三张表共 {len(c.numbers)} 个数字，其中 {changed} 个有变化。下表列出表二的全部数字"
                "和表三、表四各项的总计（增减率以上年为基数）；按申请人类型和复议诉讼结果的逐项"
                "数字见同一命令生成的 .xlsx 对照表。")
    _numbers(w, numbers)
    for name, explained, last, this, verdict in rate_part.rows:
        tail = f"，{verdict}" if verdict else ""
        # Set as the report's prose is: no spaces beside Chinese (a space on the 28-character
        # grid is half a cell, and LibreOffice then breaks the line a character early).
        formula = explained.replace(" ", "")
        w.paragraph(f"{name}（{formula}）：上年{last}，本年{this}{tail.replace(' ', '')}。")
    w.paragraph("三、结转衔接情况", HEADING1, HEADING1_FONT)
    w.table(carry.headings, carry.rows, GRIDS["carry"], (True, False, False, False))
    w.paragraph("四、正文对照情况", HEADING1, HEADING1_FONT)
    _text_changes(w, c)
    w.paragraph("五、检查发现的问题", HEADING1, HEADING1_FONT)
    _findings(w, findings)
    buffer = io.BytesIO()
    document.save(buffer)
    title = _title(c)
    core = core_xml(title=title, creator="xxgk", last_modified_by="xxgk",
                    when=document_time(None, c.this.year))
    return rezip(buffer.getvalue(), {CORE_PATH: core})
