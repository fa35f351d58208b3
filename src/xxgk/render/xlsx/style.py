"""Cell writing, fonts, borders, row heights and page setup shared by the workbook's sheets."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.header_footer import HeaderFooterItem, _HeaderFooterPart
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.render.clean import clean_text

FONT_TEXT = "仿宋_GB2312"  # labels and prose, as in the Word tables
FONT_NUMBER = "宋体"  # numbers and titles
SIZE = 11.0
TITLE_SIZE = 14.0
GB2312_CHARSET = 134  # tells Excel which script the font name is for

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)

# Cells a clerk fills in: pale yellow and unlocked; every other cell is locked by the sheet's
# protection (no password: it guards against slips, not against the clerk).
INPUT_FILL = PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC")
UNLOCKED = Protection(locked=False)

COUNT_FORMAT = "0"
AMOUNT_FORMAT = "General"  # 万元 as printed.amount prints it: 0, 1.2, 1.2345 (no 0.0000)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

MIN_ROW_HEIGHT = 18.0  # points
MAX_ROW_HEIGHT = 409.0  # Excel's limit


@cache  # building a Font costs more than writing the cell; openpyxl copies it by value anyway
def text_font(*, bold: bool = False, size: float = SIZE) -> Font:
    """The 仿宋_GB2312 font for labels and prose."""
    return Font(name=FONT_TEXT, size=size, bold=bold, charset=GB2312_CHARSET)


@cache
def number_font(*, bold: bool = False, size: float = SIZE) -> Font:
    """The 宋体 font for numbers and titles."""
    return Font(name=FONT_NUMBER, size=size, bold=bold, charset=GB2312_CHARSET)


def style(cell: Cell | MergedCell, attribute: str, value: object) -> None:
    """Set one style attribute of a cell, as ``setattr`` would, but fast.

    openpyxl hashes the whole Font/Border/Alignment at every assignment to find its index in the
    workbook; that was most of the time a workbook took. The result of each (current style,
    attribute, value) is the same every time within one workbook, so it is remembered there.
    """
    workbook = cell.parent.parent
    cache: dict[tuple[object, ...], tuple[int, ...]] = workbook.__dict__.setdefault(
        "_xxgk_styles", {}
    )
    # Fonts, borders and alignments here are module constants or cached: their id is stable.
    array = cell._style  # type: ignore[union-attr]  # openpyxl's StyleArray, untyped
    current = tuple(array) if array is not None else None  # None: never styled
    key = (current, attribute, value if isinstance(value, str) else id(value))
    known = cache.get(key)
    if known is not None:
        cell._style = StyleArray(known)  # type: ignore[union-attr]
        return
    setattr(cell, attribute, value)
    cache[key] = tuple(cell._style)  # type: ignore[union-attr]


def put_text(
    ws: Worksheet,
    row: int,
    col: int,
    text: str | None,
    *,
    font: Font | None = None,
    align: Alignment = LEFT,
) -> Cell | MergedCell:
    """Write text that stays text: a leading =, +, - or @ never becomes a formula."""
    cell = ws.cell(row=row, column=col)
    if text is not None:
        # The build cleans the report once; cleaning again costs nothing and keeps this safe alone.
        cell.value = clean_text(text)[0]
        cell.data_type = "s"
    style(cell, "font", font or text_font())
    style(cell, "alignment", align)
    return cell


def put_number(
    ws: Worksheet,
    row: int,
    col: int,
    value: int | Decimal | None,
    *,
    number_format: str = COUNT_FORMAT,
    align: Alignment = CENTER,
) -> Cell | MergedCell:
    """Write a count or an amount as a numeric cell (None leaves the cell blank)."""
    cell = ws.cell(row=row, column=col)
    if value is not None:
        cell.value = value
    style(cell, "number_format", number_format)
    style(cell, "font", number_font())
    style(cell, "alignment", align)
    return cell


def mark_input(cell: Cell | MergedCell) -> None:
    """Make a cell one the clerk fills in: coloured and left unlocked under the sheet protection."""
    style(cell, "fill", INPUT_FILL)
    style(cell, "protection", UNLOCKED)


def protect(ws: Worksheet, *, rows: bool = False) -> None:
    """Lock every cell not marked as input; resizing stays allowed, and adding rows if ``rows``."""
    ws.protection = SheetProtection(
        sheet=True, formatColumns=False, formatRows=False,
        insertRows=not rows, deleteRows=not rows,
    )


def box(ws: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
    """Thin borders on every cell of a range (Excel shows a merged range's border per cell)."""
    for row in ws.iter_rows(
        min_row=first_row, max_row=last_row, min_col=first_col, max_col=last_col
    ):
        for cell in row:
            style(cell, "border", BORDER)


# ---------------------------------------------------------------- row heights


def text_width(text: str, size: float = SIZE) -> float:
    """Approximate width of a line in Excel column units (a unit ≈ one digit of Calibri 11)."""
    # A full-width glyph is one em: size pt at 96 dpi = size × 4/3 px, and a unit is about 7 px.
    em = size * 4 / 3 / 7
    wide = wide_count(text)
    return wide * em + (len(text) - wide) * em * 0.55


def wide_count(text: str) -> int:
    """How many full-width (East Asian wide or fullwidth) characters a text has."""
    if text.isascii():
        return 0
    # Every character's class looked up and counted in C: 'W' and 'F' are the only classes
    # holding those letters (the others are Na, H, A and N). No table is built, so a process
    # writing one workbook does not pay for the 65 536 code points of the BMP.
    widths = "".join(map(unicodedata.east_asian_width, text))
    return widths.count("W") + widths.count("F")


def line_count(text: str, width: float, size: float = SIZE) -> int:
    """How many lines a wrapped text takes in a cell (or merged range) of this width."""
    usable = max(width - 1.5, 1.0)  # cell padding
    return sum(
        max(1, math.ceil(text_width(line, size) * 1.1 / usable)) for line in text.split("\n")
    )


def text_height(text: str, width: float, size: float = SIZE) -> float:
    """Points needed to show a wrapped text whole."""
    return line_count(text, width, size) * size * 1.35 + 6


@dataclass
class RowHeights:
    """Collects the height each text needs and sets every row's height explicitly."""

    needs: list[tuple[int, int, float]] = field(default_factory=list)

    def need(self, first_row: int, last_row: int, points: float) -> None:
        """Rows first_row..last_row together need this many points."""
        self.needs.append((first_row, last_row, points))

    def need_text(
        self, first_row: int, last_row: int, text: str, width: float, size: float = SIZE
    ) -> None:
        """Rows first_row..last_row must show this wrapped text whole."""
        self.need(first_row, last_row, text_height(text, width, size))

    def apply(self, ws: Worksheet, rows: range) -> None:
        """Set every row's height: single-row needs first, then spread what merged cells lack."""
        for r, h in self.resolve(rows).items():
            ws.row_dimensions[r].height = h

    def resolve(self, rows: range) -> dict[int, float]:
        """Every row's height in points, by row in ascending order, as ``apply`` sets them."""
        heights = dict.fromkeys(rows, MIN_ROW_HEIGHT)
        for first, last, points in self.needs:
            if first == last:
                heights[first] = max(heights.get(first, MIN_ROW_HEIGHT), points)
        for first, last, points in sorted(self.needs, key=lambda n: n[1] - n[0]):
            if first == last:
                continue
            span = range(first, last + 1)
            lacking = points - sum(heights.get(r, MIN_ROW_HEIGHT) for r in span)
            if lacking > 0:
                for r in span:
                    heights[r] = heights.get(r, MIN_ROW_HEIGHT) + lacking / len(span)
        return {r: round(min(h, MAX_ROW_HEIGHT), 1) for r, h in sorted(heights.items())}


# ---------------------------------------------------------------- page setup


def header_footer_text(text: str) -> str:
    """Text for a page header/footer: & starts a code there, so a literal & is doubled."""
    return text.replace("&", "&&")


def setup_page(
    ws: Worksheet, *, organ: str, year: int, title_rows: int, landscape: bool = True
) -> None:
    """A4, fit to one page wide, title rows repeated, organ and year on top, page number below."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = f"1:{title_rows}"
    ws.HeaderFooter.oddHeader, ws.HeaderFooter.oddFooter = page_header_footer(organ, year)


def page_header_footer(organ: str, year: int) -> tuple[HeaderFooterItem, HeaderFooterItem]:
    """The page header (organ and year) and footer (page numbers) every sheet prints."""
    header = _HeaderFooterPart(
        header_footer_text(f"{clean_text(organ)[0]} {year}年"), font=FONT_NUMBER, size=10
    )
    footer = _HeaderFooterPart("第 &P 页，共 &N 页", font=FONT_NUMBER, size=10)
    return HeaderFooterItem(center=header), HeaderFooterItem(center=footer)
