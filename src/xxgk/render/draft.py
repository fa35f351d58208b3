"""The 草稿 mark of ``xxgk build --draft``: every page of the .docx (and so of its PDF), every
printed page of the workbook and the web page say that this is not the report to file or publish.

The .docx gets a header on every page (default and even pages: the template prints even and odd
footers apart) with the mark in red 黑体; nothing else of the document changes, so the draft
lays out as the report will. The web page gets a banner at the top and 草稿 in its title.
"""

from __future__ import annotations

import io
import re
import zipfile

from xxgk.render.zipfix import rezip

DRAFT_MARK = "草稿"
DRAFT_NOTE = "草稿（未定稿，不得报送或发布）"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEADER_TYPE = f"{_R}/header"
_HEADER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_PARTS = (("default", "header-draft1.xml", "rIdXxgkDraft1"),
          ("even", "header-draft2.xml", "rIdXxgkDraft2"))


def _header_xml() -> bytes:
    run = (
        '<w:r><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体" w:hint="eastAsia"/>'
        f'<w:b/><w:color w:val="C00000"/><w:sz w:val="32"/></w:rPr><w:t>{DRAFT_NOTE}</w:t></w:r>'
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<w:hdr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:snapToGrid w:val="0"/>'
        f'<w:jc w:val="center"/></w:pPr>{run}</w:p></w:hdr>'
    ).encode()


def mark_docx(docx: bytes) -> bytes:
    """The document with the draft header on every page of every section."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        document = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        types = z.read("[Content_Types].xml").decode("utf-8")
    # A header the template already has for these pages is replaced by ours in each section.
    document = re.sub(r'<w:headerReference w:type="(?:default|even)"[^>]*/>', "", document)
    references = "".join(
        f'<w:headerReference w:type="{kind}" r:id="{rid}"/>' for kind, _, rid in _PARTS
    )
    document = re.sub(r"(<w:sectPr\b[^>]*?)(/?)>",
                      lambda m: f"{m.group(1)}>{references}</w:sectPr>" if m.group(2)
                      else f"{m.group(1)}>{references}", document)
    relations = "".join(
        f'<Relationship Id="{rid}" Type="{_HEADER_TYPE}" Target="{name}"/>'
        for _, name, rid in _PARTS
    )
    rels = rels.replace("</Relationships>", f"{relations}</Relationships>")
    overrides = "".join(
        f'<Override PartName="/word/{name}" ContentType="{_HEADER_CONTENT}"/>'
        for _, name, _ in _PARTS
    )
    types = types.replace("</Types>", f"{overrides}</Types>")
    replace = {
        "word/document.xml": document.encode("utf-8"),
        "word/_rels/document.xml.rels": rels.encode("utf-8"),
        "[Content_Types].xml": types.encode("utf-8"),
        **{f"word/{name}": _header_xml() for _, name, _ in _PARTS},
    }
    return rezip(docx, replace)


_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
# The left section of the page header, in red (Excel's header codes: &L section, &K colour).
_SHEET_MARK = f"&amp;L&amp;KC00000{DRAFT_NOTE}"


def mark_xlsx(xlsx: bytes) -> bytes:
    """The workbook with the mark at the top left of every printed page of every sheet."""
    replace = {}
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        for name in z.namelist():
            if not _SHEET.fullmatch(name):
                continue
            xml = z.read(name).decode("utf-8")
            marked = re.sub(r"<oddHeader>", f"<oddHeader>{_SHEET_MARK}", xml, count=1)
            if marked == xml:  # a sheet without a header gets one
                marked = xml.replace("<headerFooter>", f"<headerFooter><oddHeader>{_SHEET_MARK}"
                                     "</oddHeader>", 1)
            replace[name] = marked.encode("utf-8")
    return rezip(xlsx, replace)


_BANNER = (
    '<p class="xxgk-draft" role="note" style="margin:0 0 1em;padding:.4em;border:2px solid '
    f'#c00000;color:#c00000;font-weight:bold;text-align:center">{DRAFT_NOTE}</p>'
)


def mark_html(html: bytes) -> bytes:
    """The web page with the banner first in its body and 草稿 in its title."""
    text = html.decode("utf-8")
    text = re.sub(r"<title>", f"<title>{DRAFT_MARK}：", text, count=1)
    text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _BANNER, text, count=1)
    return text.encode("utf-8")
