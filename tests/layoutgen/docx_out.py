"""A layout as a .docx, written as raw WordprocessingML (not through our template): merged cells
by gridSpan/vMerge, fills behind text as character shading, footers with a PAGE field."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from tests.layoutgen.layout import Document, Para, Table, grid

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CM = 567  # twentieths of a point per centimetre

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    "</Relationships>"
)


def _fonts(font: str) -> str:
    f = escape(font, {'"': "&quot;"})
    return f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'


def _run(text: str, doc: Document, font: str, size: float, bold: bool = False) -> str:
    shade = (f'<w:shd w:val="clear" w:color="auto" w:fill="{doc.line_fill}"/>'
             if doc.line_fill else "")
    props = (f"<w:rPr>{_fonts(font)}{'<w:b/>' if bold else ''}"
             f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>{shade}</w:rPr>')
    pieces = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in pieces)
    return f"<w:r>{props}{body}</w:r>"


def _paragraph(para: Para, doc: Document) -> str:
    # pPr children in the schema's order: keepNext, pageBreakBefore, spacing, ind, jc
    keep = "<w:keepNext/>" if para.kind in ("heading", "caption") else ""
    brk = "<w:pageBreakBefore/>" if para.page_break_before else ""
    if para.kind == "title":
        rest, run = '<w:spacing w:after="120"/><w:jc w:val="center"/>', _run(
            para.text, doc, doc.heading_font, doc.size + 6, bold=True)
    elif para.kind == "heading":
        rest, run = '<w:ind w:firstLine="560"/>', _run(para.text, doc, doc.heading_font, doc.size)
    elif para.kind == "caption":
        rest, run = '<w:jc w:val="center"/>', _run(para.text, doc, doc.font, doc.size - 2)
    else:
        rest, run = '<w:ind w:firstLine="560"/><w:jc w:val="both"/>', _run(
            para.text, doc, doc.font, doc.size)
    return f"<w:p><w:pPr>{keep}{brk}{rest}</w:pPr>{run}</w:p>"


def _cell_paragraphs(text: str, vertical: bool, doc: Document, size: float) -> str:
    lines = list(text) if vertical else [text]
    return "".join(
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:jc w:val="center"/></w:pPr>{_run(line, doc, doc.font, size)}</w:p>'
        for line in lines
    )


def _table(table: Table, doc: Document) -> str:
    edge = ('w:val="single" w:sz="4" w:space="0" w:color="000000"' if table.borders
            else 'w:val="nil"')
    borders = "".join(f"<w:{side} {edge}/>"
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    widths = [round(w * CM) for w in table.widths]
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
           "</w:tblCellMar></w:tblPr><w:tblGrid>"
           + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    cells = grid(table)
    # where a vertically merged cell continues: (row, column) → the starting cell
    continued: dict[tuple[int, int], tuple[int, int]] = {}
    for line in cells:
        for entry in line:
            if entry is not None:
                r, c, cell = entry
                for dr in range(1, cell.rowspan):
                    continued[(r + dr, c)] = (r, c)
    for r, line in enumerate(cells):
        header = table.repeat_header and r < table.header_rows
        tr = ("<w:tblHeader/>" if header else "") + ("" if table.rows_may_split else "<w:cantSplit/>")
        out.append(f"<w:tr><w:trPr>{tr}</w:trPr>")
        c = 0
        while c < len(widths):
            entry = line[c]
            if entry is None and (r, c) in continued:
                sr, sc = continued[(r, c)]
                start = cells[sr][sc]
                assert start is not None
                span = start[2].colspan
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{sum(widths[c:c + span])}" w:type="dxa"/>'
                           f'<w:gridSpan w:val="{span}"/><w:vMerge/></w:tcPr><w:p/></w:tc>')
                c += span
                continue
            assert entry is not None
            cell = entry[2]
            span = cell.colspan
            merge = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{sum(widths[c:c + span])}" w:type="dxa"/>'
                       f'<w:gridSpan w:val="{span}"/>{merge}<w:vAlign w:val="center"/></w:tcPr>'
                       + _cell_paragraphs(cell.text, cell.vertical, doc, table.font_size)
                       + "</w:tc>")
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl><w:p/>")
    return "".join(out)


def _footer(doc: Document) -> str:
    before, after = ("— ", " —") if doc.footer == "dash" else ("第 ", " 页")
    run = lambda t: _run(t, doc, doc.font, 12)  # noqa: E731
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="{W}">'
            f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr>{run(before)}{field}{run(after)}</w:p>'
            "</w:ftr>")


def _styles(doc: Document) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}">'
            f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(doc.font)}"
            f'<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
            "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"360\" w:lineRule=\"auto\"/>"
            "</w:pPr></w:pPrDefault></w:docDefaults>"
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
            "</w:style></w:styles>")


def render(doc: Document) -> bytes:
    """The .docx bytes of a layout."""
    body = "".join(_paragraph(b, doc) if isinstance(b, Para) else _table(b, doc)
                   for b in doc.blocks)
    footer = '<w:footerReference w:type="default" r:id="rId2"/>' if doc.footer else ""
    section = (f'<w:sectPr>{footer}<w:pgSz w:w="11906" w:h="16838"/>'
               '<w:pgMar w:top="1440" w:right="1247" w:bottom="1440" w:left="1247" '
               'w:header="851" w:footer="851" w:gutter="0"/></w:sectPr>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}{section}</w:body>'
                "</w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/styles.xml", _styles(doc))
        z.writestr("word/footer1.xml", _footer(doc) if doc.footer else
                   f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="{W}"><w:p/></w:ftr>')
    return buffer.getvalue()
