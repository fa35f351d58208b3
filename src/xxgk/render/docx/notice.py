"""The 更正说明 as .docx bytes, in the report's own 公文 format.

The notice is made from the report template's package: its styles, fonts, page setup (margins,
line grid) and footers with the page number are kept, and only the body and core properties are
replaced. Paragraphs take the template's styles (ReportTitle, the body's Normal, ReportSignature)
and the run properties the template's own paragraphs of those styles carry, so the notice
follows the template when the template changes.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
import unicodedata
import zipfile

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree
from lxml.etree import _Element

from xxgk.correction import Notice
from xxgk.render.clean import clean_text
from xxgk.render.docx.context import BODY_CHAR_TWIPS, SIGNATURE_RIGHT_CHARS
from xxgk.render.docx.ooxml import new_run, ppr_child, set_snap_to_grid
from xxgk.render.docx.template import default_template, zip_parts
from xxgk.render.printed import chinese_date
from xxgk.render.zipfix import core_xml

_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
_TITLE, _SIGNATURE = "ReportTitle", "ReportSignature"
TITLE_LINE_CHARS = 20  # 二号 (22 pt) characters on the 156 mm line of GB/T 9704


def render_notice(notice: Notice) -> bytes:
    """The notice as .docx bytes (same notice, same bytes)."""
    with zipfile.ZipFile(default_template()) as package:
        parts = [(name, package.read(name)) for name in package.namelist()]
    found = dict(parts)
    root = etree.fromstring(found[_DOCUMENT])
    body = root.find(qn("w:body"))
    assert body is not None  # the package's own template
    runs = _run_properties(body)
    section = body.find(qn("w:sectPr"))
    for child in list(body):
        body.remove(child)
    for paragraph in _paragraphs(notice, runs):
        body.append(paragraph)
    if section is not None:
        body.append(section)
    rendered = {
        _DOCUMENT: etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True),
        _CORE: core_xml(
            title=_text(notice.title),
            creator=_text(notice.signer),
            last_modified_by=_text(notice.signer),
            when=dt.datetime(notice.date.year, notice.date.month, notice.date.day),
        ),
    }
    return zip_parts((name, rendered.get(name, data)) for name, data in parts)


def _text(value: str) -> str:
    return clean_text(value)[0]


def _style(paragraph: _Element) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if style is None else style.get(qn("w:val"))


def _run_properties(body: _Element) -> dict[str | None, _Element | None]:
    """The w:rPr of the first run of the template's title, body and signature paragraphs."""
    found: dict[str | None, _Element | None] = {}
    for paragraph in body.iter(qn("w:p")):
        style = _style(paragraph)
        rpr = paragraph.find(f"{qn('w:r')}/{qn('w:rPr')}")
        if style in (None, _TITLE, _SIGNATURE) and style not in found and rpr is not None:
            found[style] = rpr
    return found


def _paragraph(
    texts: list[str], style: str | None, runs: dict[str | None, _Element | None]
) -> _Element:
    """A paragraph of the style; several texts are lines joined by line breaks."""
    paragraph = OxmlElement("w:p")
    if style is not None:
        ppr = OxmlElement("w:pPr")
        paragraph.append(ppr)
        ppr_child(ppr, "w:pStyle").set(qn("w:val"), style)
    for n, text in enumerate(texts):
        run = new_run(_text(text))
        template_rpr = runs.get(style)
        if template_rpr is not None:
            run.insert(0, copy.deepcopy(template_rpr))
        if n:
            run.insert(1 if template_rpr is not None else 0, OxmlElement("w:br"))
        paragraph.append(run)
    return paragraph


def _width(text: str) -> float:
    """Printed width in characters: CJK and full-width 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def title_lines(title: str, organ: str = "") -> list[str]:
    """The title broken where the words allow (after the organ, after 年, before 政府信息公开,
    工作年度报告 and 的更正说明): no line over the width if possible, then fewest lines, then the
    most even; never a line of one or two characters (GB/T 9704 7.3.3)."""
    pieces = _title_pieces(title, organ)
    best: list[str] = ["".join(pieces)]
    best_key = (_lines_over(best), 1, 0.0)
    for mask in range(1, 2 ** (len(pieces) - 1)):
        lines, current = [], pieces[0]
        for i, piece in enumerate(pieces[1:]):
            if mask >> i & 1:
                lines.append(current)
                current = piece
            else:
                current += piece
        lines.append(current)
        if any(_width(line) <= 2 for line in lines):
            continue  # never a line of one or two characters
        widths = [_width(line) for line in lines]
        key = (_lines_over(lines), len(lines), max(widths) - min(widths))
        if key < best_key:
            best, best_key = lines, key
    return best


def _lines_over(lines: list[str]) -> int:
    return sum(_width(line) > TITLE_LINE_CHARS for line in lines)


def _title_pieces(title: str, organ: str) -> list[str]:
    """The title cut at its word boundaries."""
    cuts = set()
    markers = [
        ("年", True), ("政府信息公开", False), ("工作年度报告", False), ("的更正说明", False)
    ]
    if organ:
        markers.append((f"《{organ}", True))
    for marker, after in markers:
        at = title.find(marker)
        if at > 0:
            cuts.add(at + len(marker) if after else at)
    edges = [0, *sorted(c for c in cuts if 0 < c < len(title)), len(title)]
    return [title[a:b] for a, b in itertools.pairwise(edges) if title[a:b]]


def _signature(notice: Notice, runs: dict[str | None, _Element | None]) -> list[_Element]:
    """署名 and date, right-aligned with the date centred under the 署名 (GB/T 9704 7.3.5.2)."""
    signer, date = _text(notice.signer), chinese_date(notice.date)
    wide = max(_width(signer), _width(date))
    out = []
    for text in (signer, date):
        paragraph = _paragraph([text], _SIGNATURE, runs)
        right = SIGNATURE_RIGHT_CHARS + (wide - _width(text)) / 2
        ppr = paragraph.find(qn("w:pPr"))
        assert ppr is not None
        ppr_child(ppr, "w:ind").set(qn("w:right"), str(round(right * BODY_CHAR_TWIPS)))
        out.append(paragraph)
    return out


def _title(notice: Notice, runs: dict[str | None, _Element | None]) -> _Element:
    paragraph = _paragraph(title_lines(notice.title, notice.organ), _TITLE, runs)
    ppr = paragraph.find(qn("w:pPr"))
    assert ppr is not None
    set_snap_to_grid(ppr, False)  # the 二号 title is wider than a grid cell: no letter-spacing
    return paragraph


def _paragraphs(notice: Notice, runs: dict[str | None, _Element | None]) -> list[_Element]:
    return [
        _title(notice, runs),
        _paragraph([], None, runs),
        *(_paragraph([text], None, runs) for text in notice.paragraphs()),
        _paragraph([], None, runs),
        *_signature(notice, runs),
    ]


def notice_docx_text(data: bytes) -> list[str]:
    """The paragraphs' text of a notice .docx, line breaks as newlines (for checks and tests)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read(_DOCUMENT))
    out = []
    for paragraph in root.iter(qn("w:p")):
        pieces = []
        for node in paragraph.iter(qn("w:t"), qn("w:br")):
            pieces.append("\n" if node.tag == qn("w:br") else node.text or "")
        out.append("".join(pieces))
    return out
