"""Generate templates/report-2021.docx: the GB/T 9704-2012 公文 template with the national tables.

Every style, merge and page setting is written here in code (python-docx, and raw OOXML through
xxgk.render.docx.ooxml where python-docx has no API), so the template is reviewable in a diff.
The same
file is copied to src/xxgk/data/ as the package's default template.

    python scripts/make_template.py [--line-pitch 579] [--top-mm 37] … [--out FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import math
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from xxgk import labels
from xxgk.render.docx import context as ctx
from xxgk.render.docx import ooxml, zip_parts
from xxgk.render.docx.ooxml import Cell, Row
from xxgk.render.docx.template import app_properties

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "report-2021.docx"
PACKAGE_COPY = ROOT / "src" / "xxgk" / "data" / "report-2021.docx"
RED = "FF0000"
EM_DASH = "\u2014"  # 一字线 around page numbers


@dataclass(frozen=True)
class Settings:
    """Page, grid and type settings; the defaults are GB/T 9704-2012's."""

    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26
    header_mm: float = 15
    footer_mm: float = 22  # puts the page number about 7 mm under the text block
    line_pitch: int = 579  # twips: 225 mm / 22 lines
    chars_per_line: int = 28  # by the body's character spacing on a lines-only grid
    body_font: str = "仿宋_GB2312"
    title_font: str = "方正小标宋简体"
    heading1_font: str = "黑体"
    heading2_font: str = "楷体_GB2312"
    page_number_font: str = "宋体"
    body_pt: float = 16  # 3号
    title_pt: float = 22  # 2号
    page_number_pt: float = 14  # 4号
    table_pt: float = 10.5  # 5号
    issuer_pt: float = 36
    issuer_before_mm: float = 35  # 发文机关标志's top edge below the text block's top edge
    signature_right_chars: int = 2  # 署名右空二字 (each report sets its own, see context)

    @property
    def text_width_twips(self) -> int:
        """The text block's width: A4 less the side margins, as python-docx writes them."""
        def twips(mm: float) -> int:
            return round(Mm(mm) / 635)

        return twips(210) - twips(self.left_mm) - twips(self.right_mm)

    @property
    def char_spacing(self) -> int:
        """The body's character spacing (1/20 pt) that fits ``chars_per_line`` characters of
        ``body_pt`` in the text width and not one more: −5 (−0.25 pt) for 156 mm and 16 pt,
        28 × 15.75 pt = 441 pt of the 442.25 pt line. Rounded down, so a line never overflows."""
        return math.floor((self.text_width_twips / 20 / self.chars_per_line - self.body_pt) * 20)

    @property
    def char_twips(self) -> int:
        """One body character in twips (the unit of first-line and footer indents)."""
        return round(self.body_pt * 20)


# Grid column widths in twips; each table is 156 mm (8844 twips) wide, the text block's width.
TABLE2_GRID = (2844, 2000, 2000, 2000)
TABLE3_GRID = (560, 1000, 3000, *([612] * 7))
TABLE4_GRID = (*([590] * 14), 584)

# Smaller 发文机关标志 sizes (half-points) for organ names too wide for one line at issuer_pt.
ISSUER_STEPS = (64, 56, 48, 44)

STYLE_NAMES = {
    "title": "Report Title",
    "heading1": "Report Heading 1",
    "heading2": "Report Heading 2",
    "issuer": "Report Issuer Mark",
    "doc_number": "Report Doc Number",
    "rule": "Report Red Rule",
    "signature": "Report Signature",
    "footer": "Report Page Number",
    "cell": "Report Table Text",
    "cell_left": "Report Table Label",
}


# ---------------------------------------------------------------- styles and page


def _rpr(style_element: _Element) -> _Element:
    return style_element.get_or_add_rPr()


def _ppr(style_element: _Element) -> _Element:
    return style_element.get_or_add_pPr()


def configure_defaults(doc: DocumentObject, s: Settings) -> None:
    """docDefaults without theme fonts, Chinese language, no spacing; Normal is the body text."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    ooxml.set_fonts(rpr, s.body_font)
    ooxml.set_size(rpr, s.body_pt)
    ooxml.set_lang(rpr)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    ooxml.set_widow_control(ppr, False)
    ooxml.set_overflow_punctuation(ppr, True)
    ooxml.set_spacing(ppr)

    normal = doc.styles["Normal"].element
    ooxml.set_fonts(_rpr(normal), s.body_font)
    ooxml.set_size(_rpr(normal), s.body_pt)
    ooxml.set_char_spacing(_rpr(normal), s.char_spacing)  # 28 a line (Settings.char_spacing)
    ooxml.set_lang(_rpr(normal))
    ooxml.set_widow_control(_ppr(normal), False)
    ooxml.set_overflow_punctuation(_ppr(normal), True)
    ooxml.set_spacing(_ppr(normal), line=s.line_pitch)
    ooxml.set_indent(_ppr(normal), first_line_chars=2, char_twips=s.char_twips)
    ooxml.set_alignment(_ppr(normal), "both")


def add_paragraph_style(
    doc: DocumentObject, key: str, *, font: str, points: float, align: str,
    first_line_chars: int = 0, line: int | None = None, exact: bool = True, right: int = 0,
    left: int = 0, snap: bool = True,
) -> str:
    """A paragraph style based on Normal; returns its style id."""
    style = doc.styles.add_style(STYLE_NAMES[key], WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    element = style.element
    ooxml.set_fonts(_rpr(element), font)
    ooxml.set_size(_rpr(element), points)
    ooxml.set_bold(_rpr(element), False)
    ooxml.set_widow_control(_ppr(element), False)
    if not snap:
        # Off the grid, and not condensed like the body: titles, tables and page numbers keep
        # their letters' own widths.
        ooxml.set_snap_to_grid(_ppr(element), False)
        ooxml.set_char_spacing(_rpr(element), 0)
    ooxml.set_spacing(_ppr(element), line=line, exact=exact)
    ooxml.set_indent(_ppr(element), first_line_chars=first_line_chars, char_twips=s_char(points),
                     left=left, right=right)
    ooxml.set_alignment(_ppr(element), align)
    return str(style.style_id)


def s_char(points: float) -> int:
    """One character of this size in twips."""
    return round(points * 20)


def configure_styles(doc: DocumentObject, s: Settings) -> dict[str, str]:
    """Every style the template uses, by key; returns their style ids."""
    configure_defaults(doc, s)
    ids = {
        # Off the grid: a 22 pt character on the 15.79 pt grid would be letter-spaced in Word/WPS.
        "title": add_paragraph_style(doc, "title", font=s.title_font, points=s.title_pt,
                                     align="center", line=s.line_pitch, snap=False),
        "heading1": add_paragraph_style(doc, "heading1", font=s.heading1_font, points=s.body_pt,
                                        align="both", first_line_chars=2, line=s.line_pitch),
        "heading2": add_paragraph_style(doc, "heading2", font=s.heading2_font, points=s.body_pt,
                                        align="both", first_line_chars=2, line=s.line_pitch),
        "issuer": add_paragraph_style(doc, "issuer", font=s.title_font, points=s.issuer_pt,
                                      align="center", line=240, exact=False, snap=False),
        "doc_number": add_paragraph_style(doc, "doc_number", font=s.body_font, points=s.body_pt,
                                          align="center", line=s.line_pitch),
        "rule": add_paragraph_style(doc, "rule", font=s.body_font, points=2, align="center",
                                    line=227, snap=False),  # 4 mm under the 发文字号
        "signature": add_paragraph_style(
            doc, "signature", font=s.body_font, points=s.body_pt, align="right",
            line=s.line_pitch, right=s.signature_right_chars * s.char_twips),
        "footer": add_paragraph_style(doc, "footer", font=s.page_number_font,
                                      points=s.page_number_pt, align="right", line=240,
                                      exact=False, snap=False),
        "cell": add_paragraph_style(doc, "cell", font=s.body_font, points=s.table_pt,
                                    align="center", line=240, exact=False, snap=False),
        "cell_left": add_paragraph_style(doc, "cell_left", font=s.body_font, points=s.table_pt,
                                         align="left", line=240, exact=False, snap=False),
    }
    issuer_rpr = _rpr(doc.styles[STYLE_NAMES["issuer"]].element)
    ooxml.set_color(issuer_rpr, RED)
    ooxml.set_spacing(_ppr(doc.styles[STYLE_NAMES["issuer"]].element),
                      before=round(s.issuer_before_mm * 1440 / 25.4), line=240, exact=False)
    ooxml.set_bottom_border(_ppr(doc.styles[STYLE_NAMES["rule"]].element), color=RED, eighths=8)
    for level, key in enumerate(("heading1", "heading2")):
        ooxml.set_outline_level(_ppr(doc.styles[STYLE_NAMES[key]].element), level)
        ooxml.set_keep_next(_ppr(doc.styles[STYLE_NAMES[key]].element))
    return ids


def configure_page(doc: DocumentObject, s: Settings) -> None:
    """A4, GB/T 9704 margins, the 22-line grid, and 「— n —」 page numbers."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(s.top_mm), Mm(s.bottom_mm)
    section.left_margin, section.right_margin = Mm(s.left_mm), Mm(s.right_mm)
    section.header_distance, section.footer_distance = Mm(s.header_mm), Mm(s.footer_mm)
    ooxml.set_doc_grid(section._sectPr, line_pitch=s.line_pitch)
    doc.settings.odd_and_even_pages_header_footer = True
    ooxml.set_theme_font_lang(doc.settings.element)
    ooxml.set_zoom(doc.settings.element, 100)
    # 15 = Word 2013 and later: Word opens the file without 「兼容模式」.
    ooxml.set_compatibility_mode(doc.settings.element, 15)
    indent = round(s.page_number_pt * 20)  # one 4号 character: 280 twips
    for footer, align, side in ((section.footer, "right", "right"),
                                (section.even_page_footer, "left", "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles[STYLE_NAMES["footer"]]
        ppr = paragraph._p.get_or_add_pPr()
        ooxml.set_indent(ppr, **{side: indent})
        ooxml.set_alignment(ppr, align)
        ooxml.append_page_number(paragraph._p, font=s.page_number_font,
                                 points=s.page_number_pt, dash=EM_DASH)


# ---------------------------------------------------------------- body


class Writer:
    """Appends paragraphs and tables to the document body, every text in one run."""

    def __init__(self, doc: DocumentObject, s: Settings, styles: dict[str, str]) -> None:
        self.doc, self.s, self.styles = doc, s, styles

    def paragraph(self, text: str = "", style: str | None = None, font: str | None = None,
                  keep_next: str | None = None,
                  size: str | None = None) -> None:
        """A paragraph of one run; Normal (body text) unless a style key is given.

        ``keep_next`` the w:keepNext value; ``size`` the run's w:sz.
        """
        paragraph: Paragraph = self.doc.add_paragraph()
        if style is not None:
            paragraph.style = self.doc.styles[STYLE_NAMES[style]]
        if keep_next is not None:
            ooxml.set_keep_next(paragraph._p.get_or_add_pPr(), keep_next)
        if text:
            run = ooxml.new_run(text, font or self._font(style))
            if size is not None:
                ooxml.set_half_points(run.find(qn("w:rPr")), size)
            paragraph._p.append(run)

    def _font(self, style: str | None) -> str:
        s = self.s
        return {"title": s.title_font, "heading1": s.heading1_font, "heading2": s.heading2_font,
                "issuer": s.title_font}.get(style or "", s.body_font)

    def tag(self, text: str) -> None:
        """A paragraph holding only a docxtpl {%p …%} tag (docxtpl removes the paragraph)."""
        self.paragraph(text)

    def table(self, rows: Sequence[Row], grid: Sequence[int], *, whole: bool = False) -> None:
        """A national table, before the section properties; ``whole``: never split by a page."""
        table = ooxml.build_table(rows, grid, font=self.s.body_font, keep_together=whole)
        self.doc.element.body.sectPr.addprevious(table)


def write_front(w: Writer) -> None:
    """The optional 红头 (发文机关标志, 发文字号, red rule), then the title."""
    w.tag(ctx.IF_ISSUER_MARK)
    # A long organ name is set smaller rather than wrapped (GB/T 9704 7.2.3: one line).
    sizes = [round(w.s.issuer_pt * 2), *(p for p in ISSUER_STEPS if p < w.s.issuer_pt * 2)]
    for index, half_points in enumerate(sizes):
        w.tag(ctx.if_issuer_fits(half_points, first=index == 0) if half_points != sizes[-1]
              else ctx.ELSE)
        w.paragraph(ctx.ISSUER_MARK_TAG, "issuer",
                    size=None if index == 0 else str(half_points))
    w.tag(ctx.END_IF)
    w.paragraph()
    w.paragraph()  # 发文机关标志下空二行编排发文字号
    w.tag(ctx.END_IF)
    w.tag(ctx.IF_DOC_NUMBER)
    w.paragraph(ctx.DOC_NUMBER_TAG, "doc_number")
    w.tag(ctx.END_IF)
    w.tag(ctx.IF_ISSUER_MARK)
    w.paragraph("", "rule")
    w.paragraph()
    w.paragraph()  # 红色分隔线下空二行编排标题
    w.tag(ctx.END_IF)
    w.paragraph(ctx.TITLE_TAG, "title")
    w.paragraph()


def paragraphs(w: Writer, loop: str) -> None:
    """A loop printing one body paragraph per item."""
    w.tag(loop)
    w.paragraph(ctx.PARAGRAPH_TAG)
    w.tag(ctx.END_FOR)


def write_sections(w: Writer) -> None:
    """The six sections: narrative loops, and the three tables under 二, 三 and 四."""
    one, two, three, four, five, six = labels.SECTIONS
    w.paragraph(one.heading, "heading1")
    paragraphs(w, ctx.FOR_INTRO)
    w.tag(ctx.FOR_SUBSECTION)
    w.paragraph(ctx.SUBSECTION_HEADING_TAG, "heading2")
    paragraphs(w, ctx.FOR_SUBSECTION_PARAGRAPHS)
    w.tag(ctx.END_FOR)
    w.paragraph(two.heading, "heading1")
    w.table(table2_rows(w.styles), TABLE2_GRID, whole=True)
    w.paragraph(three.heading, "heading1")
    w.table(table3_rows(w.styles), TABLE3_GRID)
    w.paragraph(four.heading, "heading1")
    w.table(table4_rows(w.styles), TABLE4_GRID, whole=True)
    w.paragraph(five.heading, "heading1")
    paragraphs(w, ctx.FOR_PROBLEMS)
    w.paragraph(six.heading, "heading1")
    # The report's last paragraph stays on the page of the 落款 that follows it.
    w.tag(ctx.FOR_OTHER_MATTERS)
    w.tag(ctx.IF_LAST)
    w.paragraph(ctx.PARAGRAPH_TAG, keep_next="1")
    w.tag(ctx.ELSE)
    w.paragraph(ctx.PARAGRAPH_TAG)
    w.tag(ctx.END_IF)
    w.tag(ctx.END_FOR)


def write_signature(w: Writer) -> None:
    """署名 and 成文日期 at the end, when the data gives a date."""
    w.tag(ctx.IF_SIGNATURE)
    w.paragraph(keep_next="1")
    # The style's right indent is 二字; the renderer sets each paragraph's own from the data
    # (GB/T 9704: the date centred under the signer), so no tag stands inside an attribute and
    # the template survives re-saving in Word, WPS or LibreOffice (docs/TEMPLATE.md).
    w.paragraph(ctx.SIGNER_TAG, "signature", keep_next="1")
    w.paragraph(ctx.DATE_TAG, "signature")
    w.tag(ctx.END_IF)


# ---------------------------------------------------------------- the national tables


def table2_rows(styles: dict[str, str]) -> list[Row]:
    """表二: four 第二十条 blocks, each a heading row, a column-heading row and value rows."""
    label, text = styles["cell_left"], styles["cell"]
    rows: list[Row] = []
    for block in labels.TABLE2_BLOCKS:
        rows.append(Row((Cell(block.item, label, span=4),)))
        if len(block.columns) == 3:  # 第二十条第（一）项: three document counts
            rows.append(Row((Cell(labels.TABLE2_CONTENT_HEADING, text),
                             *(Cell(c, text) for c in block.columns))))
            for field, row_label in block.rows:
                rows.append(Row((Cell(row_label, text), *(
                    Cell(ctx.table2_tag(field, col), text)
                    for col in labels.TABLE2_DOCUMENT_FIELDS))))
        else:
            rows.append(Row((Cell(labels.TABLE2_CONTENT_HEADING, text),
                             Cell(block.columns[0], text, span=3))))
            for field, row_label in block.rows:
                rows.append(Row((Cell(row_label, text),
                                 Cell(ctx.table2_tag(field), text, span=3))))
    return rows


def _numbers(row_key: str, style: str) -> tuple[Cell, ...]:
    columns = [c.key for c in labels.TABLE3_COLUMNS] + [ctx.TOTAL]
    return tuple(Cell(ctx.table3_tag(row_key, c), style) for c in columns)


def _table3_header(text: str, label: str) -> list[Row]:
    corner = labels.TABLE3_CORNER
    organisations = [c for c in labels.TABLE3_COLUMNS if c.group == labels.TABLE3_ORGANISATIONS]
    person = labels.TABLE3_COLUMNS[0]
    return [
        Row((Cell(corner, label, span=3, vmerge="restart"),
             Cell(labels.TABLE3_APPLICANTS, text, span=7)), header=True),
        Row((Cell("", label, span=3, vmerge="continue"),
             Cell(person.label, text, vmerge="restart"),
             Cell(labels.TABLE3_ORGANISATIONS, text, span=len(organisations)),
             Cell(labels.TABLE3_TOTAL, text, vmerge="restart")), header=True),
        Row((Cell("", label, span=3, vmerge="continue"), Cell("", text, vmerge="continue"),
             *(Cell(c.label, text) for c in organisations),
             Cell("", text, vmerge="continue")), header=True),
    ]


def table3_rows(styles: dict[str, str]) -> list[Row]:
    """表三: 28 rows × 10 grid columns with the national merges (FORMAT.md)."""
    label, text = styles["cell_left"], styles["cell"]
    rows = _table3_header(text, label)
    results = labels.TABLE3_RESULT_ROWS
    for row in labels.TABLE3_ROWS:
        key = ctx.table3_row_key(row.id)
        if row.part != "三":
            rows.append(Row((Cell(row.label, label, span=3), *_numbers(key, text))))
            continue
        first = row is results[0]
        part = Cell(labels.TABLE3_RESULTS if first else "", label,
                    vmerge="restart" if first else "continue")
        if row.group is None:
            cells: tuple[Cell, ...] = (part, Cell(row.label, label, span=2))
        else:
            group_first = row is next(r for r in results if r.group == row.group)
            group = Cell(row.group if group_first else "", label,
                         vmerge="restart" if group_first else "continue")
            cells = (part, group, Cell(row.label, label))
        rows.append(Row((*cells, *_numbers(key, text))))
        if row is results[-1]:
            rows.append(Row((Cell("", label, vmerge="continue"),
                             Cell(labels.TABLE3_RESULTS_TOTAL, label, span=2),
                             *_numbers(ctx.TABLE3_RESULTS_TOTAL_KEY, text))))
    return rows


def table4_rows(styles: dict[str, str]) -> list[Row]:
    """表四: 4 rows × 15 grid columns: 行政复议 and 行政诉讼's two blocks, outcomes and 总计."""
    text = styles["cell"]
    review, direct, after = labels.TABLE4_BLOCKS
    outcome_labels = [lbl for _, lbl in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    outcome_keys = [key for key, _ in labels.TABLE4_OUTCOMES] + [ctx.TOTAL]
    return [
        Row((Cell(labels.TABLE4_REVIEW, text, span=5),
             Cell(labels.TABLE4_LITIGATION, text, span=10))),
        Row((*(Cell(lbl, text, vmerge="restart") for lbl in outcome_labels),
             Cell(direct.label, text, span=5), Cell(after.label, text, span=5))),
        Row((*(Cell("", text, vmerge="continue") for _ in outcome_labels),
             *(Cell(lbl, text) for lbl in outcome_labels * 2))),
        Row(tuple(Cell(ctx.table4_tag(block.id, key), text)
                  for block in (review, direct, after) for key in outcome_keys)),
    ]


# ---------------------------------------------------------------- the file


def build(s: Settings | None = None) -> bytes:
    """The template .docx as bytes (fixed zip order and timestamps, so regenerating is stable)."""
    s = s or Settings()
    doc = Document()
    styles = configure_styles(doc, s)
    configure_page(doc, s)
    _drop_leftovers(doc)
    _declare_fonts(doc, s)
    props = doc.core_properties
    props.title = "政府信息公开工作年度报告模板（GB/T 9704-2012）"
    props.author = "xxgk"
    props.last_modified_by = "xxgk"
    props.revision = 1
    props.created = props.modified = dt.datetime(2022, 1, 1)
    w = Writer(doc, s, styles)
    write_front(w)
    write_sections(w)
    write_signature(w)
    raw = io.BytesIO()
    doc.save(raw)
    # python-docx's app.xml names Microsoft Macintosh Word; the file is xxgk's.
    parts = [(name, app_properties() if name == "docProps/app.xml" else blob)
             for name, blob in _read_parts(raw.getvalue())]
    return zip_parts(parts)


def _drop_leftovers(doc: DocumentObject) -> None:
    # python-docx's default template carries a blank-page thumbnail that would misrepresent ours,
    # and a Word 2010 stylesWithEffects.xml copy of its own styles (theme fonts, ja-JP) that
    # Word 2010 may prefer over styles.xml.
    leftovers = ((doc.part.package.rels, "/thumbnail"), (doc.part.rels, "/stylesWithEffects"))
    for rels, kind in leftovers:
        for r_id in [r for r, rel in rels.items() if rel.reltype.endswith(kind)]:
            del rels[r_id]


def _declare_fonts(doc: DocumentObject, s: Settings) -> None:
    fonts = ((s.body_font, "仿宋"), (s.title_font, "宋体"), (s.heading1_font, None),
             (s.heading2_font, "楷体"), (s.page_number_font, None))
    unique = list(dict.fromkeys(fonts))
    part = next(rel.target_part for rel in doc.part.rels.values()
                if rel.reltype.endswith("/fontTable"))
    part._blob = ooxml.font_table(unique)


def _read_parts(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, archive.read(name)) for name in archive.namelist()]


def _parse_args(argv: Sequence[str]) -> tuple[Settings, list[Path]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = Settings()
    for field in dataclasses.fields(Settings):
        value = getattr(defaults, field.name)
        parser.add_argument("--" + field.name.replace("_", "-"), type=type(value), default=value)
    parser.add_argument("--out", type=Path, action="append",
                        help="output path (repeatable; default: templates/ and the package copy)")
    args = vars(parser.parse_args(argv))
    outs = args.pop("out") or [TEMPLATE, PACKAGE_COPY]
    return Settings(**args), outs


def main(argv: Sequence[str] | None = None) -> int:
    """Write the template to each output path."""
    settings, outs = _parse_args(sys.argv[1:] if argv is None else argv)
    data = build(settings)
    for out in outs:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
