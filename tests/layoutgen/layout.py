"""A document as blocks (paragraphs and tables with merged cells), before it is written as .docx
or .html: the one description both writers follow, so the two forms print the same cells."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """A table cell in HTML's sense: rows list only the cells that start there."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    vertical: bool = False  # one character a line (a narrow rowspan heading as WPS prints it)


@dataclass(frozen=True)
class Table:
    rows: list[list[Cell]]
    widths: list[float]  # cm per grid column
    header_rows: int = 0
    repeat_header: bool = False  # header rows printed again on the next page
    borders: bool = True
    font_size: float = 10.5  # pt
    rows_may_split: bool = True  # a row may break across pages


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "body"  # title, heading, caption, body
    page_break_before: bool = False


Block = Para | Table


@dataclass(frozen=True)
class Document:
    blocks: list[Block]
    font: str = "Noto Serif CJK SC"
    heading_font: str = "Noto Sans CJK SC"
    size: float = 14.0  # body text, pt
    line_fill: str | None = None  # a fill painted behind every text line, as WPS does
    footer: str | None = None  # "dash" (— 3 —), "page" (第 3 页) or None
    notes: list[str] = field(default_factory=list)  # what this layout does, for messages


def grid(table: Table) -> list[list[tuple[int, int, Cell] | None]]:
    """Each row's grid positions: the cell starting there as (row, column, cell), or None where
    a merged cell from above or the left covers it. Rows must fill the grid exactly."""
    width = len(table.widths)
    covered: set[tuple[int, int]] = set()
    out: list[list[tuple[int, int, Cell] | None]] = []
    for r, row in enumerate(table.rows):
        line: list[tuple[int, int, Cell] | None] = [None] * width
        cells = iter(row)
        c = 0
        while c < width:
            if (r, c) in covered:
                c += 1
                continue
            cell = next(cells)
            line[c] = (r, c, cell)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr or dc:
                        covered.add((r + dr, c + dc))
            c += cell.colspan
        if next(cells, None) is not None or c != width:
            raise ValueError(f"row {r} does not fill the {width} columns")
        out.append(line)
    return out
