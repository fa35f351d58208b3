"""Raw OOXML helpers for what python-docx has no API for (the one home of w:eastAsia, gridSpan…)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import _Element

# The four w:rFonts slots; the theme variants are dropped because they override explicit names.
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# The order of w:pPr and w:rPr children the schema demands (the subset used here).
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl", "w:pBdr",
    "w:overflowPunct", "w:snapToGrid", "w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:rPr",
)
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:color", "w:spacing", "w:w", "w:sz",
    "w:szCs", "w:lang",
)


def _child(parent: _Element, tag: str, order: Sequence[str]) -> _Element:
    """The parent's child with this tag, created in schema order when absent."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    rank = order.index(tag) if tag in order else len(order)
    for sibling in parent:
        sibling_tag = sibling.prefix + ":" + sibling.tag.split("}")[1] if sibling.prefix else ""
        if sibling_tag in order and order.index(sibling_tag) > rank:
            sibling.addprevious(element)
            return element
    parent.append(element)
    return element


def ppr_child(ppr: _Element, tag: str) -> _Element:
    """A w:pPr child, created in schema order."""
    return _child(ppr, tag, _PPR_ORDER)


def rpr_child(rpr: _Element, tag: str) -> _Element:
    """A w:rPr child, created in schema order."""
    return _child(rpr, tag, _RPR_ORDER)


def set_fonts(rpr: _Element, name: str, *, hint: bool = True) -> None:
    """Set every w:rFonts slot (w:eastAsia included, which python-docx never writes) to one font."""
    fonts = rpr_child(rpr, "w:rFonts")
    for slot in _THEME_SLOTS:
        fonts.attrib.pop(qn(slot), None)
    for slot in _FONT_SLOTS:
        fonts.set(qn(slot), name)
    if hint:
        # Without the hint Word draws “ ” — … in the Latin slot's font.
        fonts.set(qn("w:hint"), "eastAsia")


def set_size(rpr: _Element, points: float) -> None:
    """Set w:sz and w:szCs (half-points)."""
    for tag in ("w:sz", "w:szCs"):
        rpr_child(rpr, tag).set(qn("w:val"), str(round(points * 2)))


def set_half_points(rpr: _Element, value: str) -> None:
    """Set w:sz and w:szCs to a value in half-points given as text (a template may fill it)."""
    for tag in ("w:sz", "w:szCs"):
        rpr_child(rpr, tag).set(qn("w:val"), value)


def set_bold(rpr: _Element, on: bool) -> None:
    """Set w:b and w:bCs explicitly (headings must not inherit bold from anywhere)."""
    for tag in ("w:b", "w:bCs"):
        rpr_child(rpr, tag).set(qn("w:val"), "1" if on else "0")


def set_color(rpr: _Element, rgb: str) -> None:
    """Set w:color to an RRGGBB value."""
    rpr_child(rpr, "w:color").set(qn("w:val"), rgb)


def set_lang(rpr: _Element, east_asia: str = "zh-CN") -> None:
    """Set w:lang with a Chinese East-Asian language (en-US there gives Japanese glyphs)."""
    lang = rpr_child(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), east_asia)
    lang.set(qn("w:bidi"), "ar-SA")


def set_overflow_punctuation(ppr: _Element, value: bool) -> None:
    """Set w:overflowPunct. Word and WPS read it as ECMA-376 §17.3.1.22 says (1: a closing mark
    may hang past the margin, their default); LibreOffice's .docx import reads it inverted
    (ParaIsHangingPunctuation = (val == 0)). Our template writes 1: Word and WPS keep their
    default, and LibreOffice's hanging punctuation is off — on, LibreOffice 7.4 drops a mark
    hung past the 28th character of a justified line from its PDF (docs/LIBREOFFICE.md)."""
    ppr_child(ppr, "w:overflowPunct").set(qn("w:val"), "1" if value else "0")


def set_widow_control(ppr: _Element, on: bool) -> None:
    """Set w:widowControl (off for GB/T 9704: on, a page holds 21 lines instead of 22)."""
    ppr_child(ppr, "w:widowControl").set(qn("w:val"), "1" if on else "0")


def set_keep_next(ppr: _Element, value: str | None = None) -> None:
    """Keep the paragraph on the page of the next one (headings before a table); ``value``
    sets w:val (a template may fill it), else the element alone means on."""
    keep = ppr_child(ppr, "w:keepNext")
    if value is not None:
        keep.set(qn("w:val"), value)


def set_compatibility_mode(settings: _Element, mode: int) -> None:
    """Set w:compat's compatibilityMode (15: Word 2013+, no 「兼容模式」 in the title bar)."""
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    setting = OxmlElement("w:compatSetting")
    setting.set(qn("w:name"), "compatibilityMode")
    setting.set(qn("w:uri"), "http://schemas.microsoft.com/office/word")
    setting.set(qn("w:val"), str(mode))
    compat.append(setting)


def set_snap_to_grid(ppr: _Element, on: bool) -> None:
    """Set w:snapToGrid (off in tables: the document grid is for body text)."""
    ppr_child(ppr, "w:snapToGrid").set(qn("w:val"), "1" if on else "0")


def set_spacing(
    ppr: _Element, *, line: int | None = None, exact: bool = True, before: int = 0, after: int = 0
) -> None:
    """Set w:spacing: before/after in twips and the line, exact in twips or auto in 240ths."""
    spacing = ppr_child(ppr, "w:spacing")
    spacing.attrib.clear()
    spacing.set(qn("w:before"), str(before))
    spacing.set(qn("w:after"), str(after))
    if line is not None:
        spacing.set(qn("w:line"), str(line))
        spacing.set(qn("w:lineRule"), "exact" if exact else "auto")


def set_indent(
    ppr: _Element, *, first_line_chars: int = 0, char_twips: int = 320, left: int = 0,
    right: int = 0,
) -> None:
    """Set w:ind: a first-line indent in characters (with the twips fallback) and side indents."""
    ind = ppr_child(ppr, "w:ind")
    ind.attrib.clear()
    ind.set(qn("w:left"), str(left))
    ind.set(qn("w:right"), str(right))
    # firstLineChars wins over firstLine when both are set; both are written so that a style
    # with 0 really clears an inherited indent.
    ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    ind.set(qn("w:firstLine"), str(first_line_chars * char_twips))


def set_alignment(ppr: _Element, value: str) -> None:
    """Set w:jc (left, center, right, both)."""
    ppr_child(ppr, "w:jc").set(qn("w:val"), value)


def set_outline_level(ppr: _Element, level: int) -> None:
    """Set w:outlineLvl so headings show in Word's navigation pane."""
    ppr_child(ppr, "w:outlineLvl").set(qn("w:val"), str(level))


def set_bottom_border(ppr: _Element, *, color: str, eighths: int, space: int = 0) -> None:
    """Draw a paragraph bottom border (the red rule under the 发文字号)."""
    bdr = ppr_child(ppr, "w:pBdr")
    for old in list(bdr):
        bdr.remove(old)
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", str(eighths)), ("space", str(space)),
                       ("color", color)):
        bottom.set(qn(f"w:{key}"), value)
    bdr.append(bottom)


def set_doc_grid(sect_pr: _Element, *, line_pitch: int) -> None:
    """Set the section's line grid: 22 lines of ``line_pitch`` twips for GB/T 9704.

    A lines-only grid (ECMA-376 §17.6.5, ``w:type="lines"``): the 28 characters a line come from
    the body's character spacing (``set_char_spacing``), which Word, WPS and LibreOffice all
    honour. The national ``linesAndChars`` grid with ``w:charSpace="-849"`` gives 28 in Word and
    WPS but 14 in LibreOffice, which draws each 16 pt character in two 15.79 pt cells
    (docs/LIBREOFFICE.md)."""
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch))


def set_char_spacing(rpr: _Element, twentieths: int) -> None:
    """Set w:spacing of a run (character spacing, 1/20 pt; negative condenses)."""
    rpr_child(rpr, "w:spacing").set(qn("w:val"), str(twentieths))


def set_zoom(settings: _Element, percent: int) -> None:
    """Set w:zoom's w:percent, which the schema requires (python-docx's default settings carry
    ``<w:zoom w:val="bestFit"/>`` alone; Word may call such a file damaged)."""
    zoom = settings.find(qn("w:zoom"))
    if zoom is None:
        zoom = OxmlElement("w:zoom")
        settings.insert(0, zoom)
    zoom.attrib.pop(qn("w:val"), None)
    zoom.set(qn("w:percent"), str(percent))


def set_theme_font_lang(settings: _Element, east_asia: str = "zh-CN") -> None:
    """Set w:themeFontLang's East-Asian language in settings.xml."""
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), east_asia)


def new_run(text: str, font: str | None = None) -> _Element:
    """A w:r holding text in one w:t (so a template tag is never split across runs)."""
    run = OxmlElement("w:r")
    if font is not None:
        rpr = OxmlElement("w:rPr")
        run.append(rpr)
        set_fonts(rpr, font)
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    return run


def _field_char(kind: str, font: str, points: float) -> _Element:
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    run.append(rpr)
    set_fonts(rpr, font)
    set_size(rpr, points)
    if kind == "instr":
        instr = OxmlElement("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = " PAGE "
        run.append(instr)
    elif kind == "text":
        t = OxmlElement("w:t")
        t.text = "1"
        run.append(t)
    else:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
    return run


def append_page_number(paragraph: _Element, *, font: str, points: float, dash: str) -> None:
    """Append 「— PAGE —」 to a paragraph as a complex field (fldChar begin/instr/separate/end)."""

    def text_run(text: str) -> _Element:
        run = new_run(text, font)
        set_size(run.find(qn("w:rPr")), points)
        return run

    paragraph.append(text_run(f"{dash} "))
    for kind in ("begin", "instr", "separate", "text", "end"):
        paragraph.append(_field_char(kind, font, points))
    paragraph.append(text_run(f" {dash}"))


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Cell:
    """One w:tc of a fixed-shape table: text, paragraph style, spans and vertical-merge role."""

    text: str
    style: str  # paragraph style id
    span: int = 1  # grid columns covered (w:gridSpan)
    vmerge: str | None = None  # "restart", "continue" or None


@dataclass(frozen=True)
class Row:
    """One w:tr: its cells and whether it repeats as a header row on each page."""

    cells: tuple[Cell, ...]
    header: bool = False


def _borders(tag: str, eighths: int) -> _Element:
    borders = OxmlElement(tag)
    names: tuple[str, ...] = ("top", "left", "bottom", "right", "insideH", "insideV")
    if tag == "w:tcBorders":
        names = names[:4]
    for name in names:
        edge = OxmlElement(f"w:{name}")
        for key, value in (("val", "single"), ("sz", str(eighths)), ("space", "0"),
                           ("color", "000000")):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    return borders


def _table_properties(width: int, cell_margin: int, border: int) -> _Element:
    tbl_pr = OxmlElement("w:tblPr")
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(width))
    tbl_w.set(qn("w:type"), "dxa")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 0), ("left", cell_margin), ("bottom", 0), ("right", cell_margin)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(value))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    look = OxmlElement("w:tblLook")
    look.set(qn("w:val"), "0000")
    for child in (tbl_w, jc, _borders("w:tblBorders", border), layout, margins, look):
        tbl_pr.append(child)
    return tbl_pr


def _cell(cell: Cell, width: int, border: int, font: str | None, keep: bool) -> _Element:
    tc = OxmlElement("w:tc")
    tc_pr = OxmlElement("w:tcPr")
    tc.append(tc_pr)
    tc_w = OxmlElement("w:tcW")
    tc_w.set(qn("w:w"), str(width))
    tc_w.set(qn("w:type"), "dxa")
    tc_pr.append(tc_w)
    if cell.span > 1:
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(cell.span))
        tc_pr.append(span)
    if cell.vmerge is not None:
        vmerge = OxmlElement("w:vMerge")
        if cell.vmerge == "restart":
            vmerge.set(qn("w:val"), "restart")
        tc_pr.append(vmerge)
    # Borders on every cell, so a merged cell shows all its edges in every application.
    tc_pr.append(_borders("w:tcBorders", border))
    valign = OxmlElement("w:vAlign")
    valign.set(qn("w:val"), "center")
    tc_pr.append(valign)
    paragraph = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), cell.style)
    ppr.append(style)
    if keep:
        ppr.append(OxmlElement("w:keepNext"))
    paragraph.append(ppr)
    if cell.text and cell.vmerge != "continue":
        paragraph.append(new_run(cell.text, font))
    tc.append(paragraph)
    return tc


def build_table(
    rows: Sequence[Row], grid: Sequence[int], *, cell_margin: int = 57, border: int = 4,
    row_height: int = 312, font: str | None = None, keep_together: bool = False,
) -> _Element:
    """A fixed-layout w:tbl: explicit grid widths and borders, cantSplit rows, header rows.

    Header rows keep with the row after them; with ``keep_together`` every row but the last
    does (Word's way, and LibreOffice's, to keep a whole table on one page).
    """
    tbl = OxmlElement("w:tbl")
    tbl.append(_table_properties(sum(grid), cell_margin, border))
    tbl_grid = OxmlElement("w:tblGrid")
    for width in grid:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(width))
        tbl_grid.append(col)
    tbl.append(tbl_grid)
    for row in rows:
        tr = OxmlElement("w:tr")
        tr_pr = OxmlElement("w:trPr")
        tr_pr.append(OxmlElement("w:cantSplit"))
        height = OxmlElement("w:trHeight")  # at least 5.5 mm: one line of 5号 with air
        height.set(qn("w:val"), str(row_height))
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)
        if row.header:
            tr_pr.append(OxmlElement("w:tblHeader"))
        tr.append(tr_pr)
        column = 0
        keep = row.header or (keep_together and row is not rows[-1])
        for cell in row.cells:
            width = sum(grid[column : column + cell.span])
            tr.append(_cell(cell, width, border, font, keep))
            column += cell.span
        if column != len(grid):
            raise ValueError(f"row covers {column} grid columns, the table has {len(grid)}")
        tbl.append(tr)
    return tbl


# ---------------------------------------------------------------- font table

_FONTS_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
)


def font_table(fonts: Sequence[tuple[str, str | None]]) -> bytes:
    """word/fontTable.xml declaring each font as GB2312 (charset 86) with a fallback name.

    Word and WPS substitute a missing font by these hints: a machine without 仿宋_GB2312 then
    uses 仿宋 rather than a Latin or Japanese face.
    """
    entries = []
    for name, alternative in fonts:
        alt = f'<w:altName w:val="{alternative}"/>' if alternative else ""
        entries.append(f'<w:font w:name="{name}">{alt}<w:charset w:val="86"/>'
                       '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>')
    xml = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           f"<w:fonts {_FONTS_NS}>{''.join(entries)}</w:fonts>")
    return xml.encode("utf-8")
