"""A .docx copy that LibreOffice lays out as Word lays out the original (28 × 22 for GB/T 9704).

Our own template needs no copy since issue 21: its lines-only grid and −0.25 pt body spacing give
28 × 22 in Word, WPS and LibreOffice alike, and its ``w:overflowPunct w:val="1"`` keeps LibreOffice
from hanging punctuation, so ``for_libreoffice`` returns its bytes unchanged. The copy is for a
clerk's own template: one with the national grid, ``<w:docGrid w:type="linesAndChars"
w:charSpace="-849">``, which Word and WPS honour, or one re-saved by LibreOffice (whose export
turns hanging punctuation back on). LibreOffice 7.4 draws each 16 pt character of that grid in two
15.79 pt cells: 14 characters a line (TECH-NOTES). The copy handed to LibreOffice has a lines-only
grid and, instead of the character grid, a negative character spacing on the grid's text that makes
exactly as many characters fit a line as Word puts there. Paragraph styles that do not snap to the
grid (title, tables, page numbers) get an explicit spacing of 0, so that only grid text is
squeezed.

The copy also turns off LibreOffice's hanging punctuation. With it on (LibreOffice's default), a
。，；… that falls just past the 28th character hangs in the margin, and in a justified line
LibreOffice 7.4 then drops it from the PDF altogether: neither drawn nor in the text layer
(docs/LIBREOFFICE.md). Off, the punctuation takes its character to the next line (27 on that line,
justified), as in GB/T 9704's 版心. LibreOffice's .docx import reads ``w:overflowPunct`` inverted
(ParaIsHangingPunctuation = not val), so ``w:val="1"`` is what turns hanging off there; the filed
.docx is not touched.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass

from lxml import etree

from xxgk.render.zipfix import Deflated, write_zip

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT = "word/document.xml"
_STYLES = "word/styles.xml"
_CHAR_GRIDS = ("linesAndChars", "snapToChars")
_DEFAULT_HALF_POINTS = 20  # Word's size when neither Normal nor docDefaults give one


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


@dataclass(frozen=True)
class Grid:
    """Word's character grid of a section: characters a line and their pitch, in points."""

    chars_per_line: int
    text_width_pt: float
    font_pt: float

    @property
    def spacing_twentieths(self) -> int:
        """The character spacing (w:spacing, 1/20 pt) that fits ``chars_per_line`` of the font
        in the text width and not one more: rounded down, so the line never overflows."""
        return math.floor((self.text_width_pt / self.chars_per_line - self.font_pt) * 20)


def word_grid(text_width_twips: int, font_pt: float, char_space: int) -> Grid:
    """Word's grid: the pitch is the Normal size plus charSpace/4096 pt; a line holds as many
    whole pitches as fit the text width."""
    width_pt = text_width_twips / 20
    pitch = font_pt + char_space / 4096
    return Grid(max(1, math.floor(width_pt / pitch + 1e-6)), width_pt, font_pt)


def _text_width(sect_pr: etree._Element) -> int | None:
    size, margins = sect_pr.find(_w("pgSz")), sect_pr.find(_w("pgMar"))
    if size is None or margins is None:
        return None
    try:
        return (int(size.get(_w("w"), "0")) - int(margins.get(_w("left"), "0"))
                - int(margins.get(_w("right"), "0")) - int(margins.get(_w("gutter"), "0")))
    except ValueError:
        return None


def _normal_style(styles: etree._Element) -> etree._Element | None:
    for style in styles.iterfind(_w("style")):
        if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true"):
            return style
    return None


def _half_points(rpr: etree._Element | None) -> int | None:
    size = None if rpr is None else rpr.find(_w("sz"))
    if size is None:
        return None
    try:
        return int(size.get(_w("val"), ""))
    except ValueError:
        return None


def _normal_pt(styles: etree._Element) -> float:
    normal = _normal_style(styles)
    found = None if normal is None else _half_points(normal.find(_w("rPr")))
    if found is None:
        found = _half_points(styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}"))
    return (found or _DEFAULT_HALF_POINTS) / 2


def _set_spacing(style: etree._Element, twentieths: int) -> None:
    """Set the style's run spacing unless the style already sets one of its own."""
    rpr = style.find(_w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(style, _w("rPr"))
    if rpr.find(_w("spacing")) is not None:
        return
    spacing = etree.Element(_w("spacing"))
    spacing.set(_w("val"), str(twentieths))
    # Schema order: w:spacing follows rFonts, b…, color; placing it before w:w/w:sz is enough
    # for LibreOffice and Word alike.
    anchor = next((c for c in rpr if c.tag in {_w(t) for t in ("w", "kern", "position", "sz",
                                                               "szCs", "lang")}), None)
    if anchor is None:
        rpr.append(spacing)
    else:
        anchor.addprevious(spacing)


def _off_grid(style: etree._Element) -> bool:
    snap = style.find(f"{_w('pPr')}/{_w('snapToGrid')}")
    return snap is not None and snap.get(_w("val"), "1") in ("0", "false", "off")


def _squeeze_styles(styles: etree._Element, twentieths: int) -> None:
    normal = _normal_style(styles)
    if normal is not None:
        _set_spacing(normal, twentieths)
    for style in styles.iterfind(_w("style")):
        if style.get(_w("type")) == "paragraph" and _off_grid(style):
            _set_spacing(style, 0)


# Elements that follow w:overflowPunct in a w:pPr (ECMA-376 order).
_AFTER_OVERFLOW_PUNCT = frozenset(_w(t) for t in (
    "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange"))
_NO_HANGING = "1"  # LibreOffice: ParaIsHangingPunctuation = (w:overflowPunct == 0)


def _child(parent: etree._Element, name: str, index: int = 0) -> etree._Element:
    found = parent.find(_w(name))
    if found is None:
        found = etree.Element(_w(name))
        parent.insert(index, found)
    return found


def _no_hanging_punctuation(styles: etree._Element, document: etree._Element) -> None:
    """LibreOffice's hanging punctuation off: in the defaults, and wherever a style or paragraph
    sets it itself."""
    defaults = _child(styles, "docDefaults")
    p_pr = _child(_child(defaults, "pPrDefault", len(defaults)), "pPr")
    if p_pr.find(_w("overflowPunct")) is None:
        anchor = next((c for c in p_pr if c.tag in _AFTER_OVERFLOW_PUNCT), None)
        element = etree.Element(_w("overflowPunct"))
        if anchor is None:
            p_pr.append(element)
        else:
            anchor.addprevious(element)
    for root in (styles, document):
        for element in root.iter(_w("overflowPunct")):
            element.set(_w("val"), _NO_HANGING)


def _hanging_off(styles: etree._Element, document: etree._Element) -> bool:
    """LibreOffice hangs no punctuation in this document: the defaults say so, and no style or
    paragraph says otherwise. (A template re-saved by LibreOffice 7.4 says the opposite: its
    export writes ``w:val="false"``, which its import then reads as hanging on.)"""
    place = ("docDefaults", "pPrDefault", "pPr", "overflowPunct")
    default = styles.find("/".join(_w(t) for t in place))
    if default is None:
        return False
    return all(e.get(_w("val"), "1") in ("1", "true", "on")
               for root in (styles, document) for e in root.iter(_w("overflowPunct")))


def _read(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, archive.read(i)) for i in archive.infolist() if not i.is_dir()]


def _xml(element: etree._Element) -> bytes:
    xml: bytes = etree.tostring(element, encoding="UTF-8", xml_declaration=True, standalone=True)
    return xml


def for_libreoffice(docx: bytes) -> bytes:
    """The .docx prepared for LibreOffice: the same bytes when it has no character grid and
    hangs no punctuation (our own template since issue 21)."""
    try:
        parts = _read(docx)
    except (zipfile.BadZipFile, OSError, EOFError):
        return docx  # LibreOffice says what is wrong with it
    found = dict(parts)
    if _DOCUMENT not in found or _STYLES not in found:
        return docx
    try:
        document = etree.fromstring(found[_DOCUMENT])
        styles = etree.fromstring(found[_STYLES])
    except etree.XMLSyntaxError:
        return docx
    font_pt = _normal_pt(styles)
    grid: Grid | None = None
    for sect_pr in document.iter(_w("sectPr")):
        doc_grid, width = sect_pr.find(_w("docGrid")), _text_width(sect_pr)
        if doc_grid is None or width is None or doc_grid.get(_w("type")) not in _CHAR_GRIDS:
            continue
        try:
            char_space = int(doc_grid.get(_w("charSpace"), "0"))
        except ValueError:
            char_space = 0
        # The body's section (the last sectPr) decides the squeeze; sections rarely differ.
        grid = word_grid(width, font_pt, char_space)
        doc_grid.set(_w("type"), "lines")
        doc_grid.attrib.pop(_w("charSpace"), None)
    if grid is not None:
        _squeeze_styles(styles, grid.spacing_twentieths)
    elif _hanging_off(styles, document):
        return docx  # our own template: LibreOffice lays out the filed bytes as Word does
    _no_hanging_punctuation(styles, document)
    replaced = {_DOCUMENT: _xml(document), _STYLES: _xml(styles)}
    return write_zip(
        (Deflated.of(name, replaced.get(name, blob), level=1) for name, blob in parts),
        utf8_names=True,
        mode=0o644,
    )
