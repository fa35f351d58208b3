"""Where everything stands in xxgk's Excel workbook: sheet names, the tables' grids, value cells.

Shared as data by the renderer (``xxgk.render.xlsx``) and the importer (``xxgk.importers.xlsx``),
so that what one writes the other reads back. Grids follow FORMAT.md (0-based grid rows/columns);
row 1 of every sheet is a title, so grid row ``r`` is Excel row ``r + 2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import xxgk.openpyxl_lean  # noqa: F401  # before openpyxl: openpyxl without numpy

# isort: split
from openpyxl.utils import get_column_letter

from xxgk import labels

SHEET_COVER = "封面"
SHEET_TABLE2 = "表二 主动公开"
SHEET_TABLE3 = "表三 申请处理"
SHEET_TABLE4 = "表四 复议诉讼"
SHEET_TEXT = "正文"
SHEET_CHECKS = "校验"
SHEETS = (SHEET_COVER, SHEET_TABLE2, SHEET_TABLE3, SHEET_TABLE4, SHEET_TEXT, SHEET_CHECKS)

# The cover's marker row: its value tells the importer the workbook is ours, and which layout.
WORKBOOK_MARK = "xxgk-workbook"
WORKBOOK_LAYOUT = 2  # 2: totals are formulas, 正文 has 填写说明 and continuation rows
READABLE_LAYOUTS = (1, 2)  # layout 1 (totals as numbers) still reads back
MAX_CELL_TEXT = 32767  # characters (UTF-16 code units) an Excel cell holds
TITLE_ROWS = 1  # the title row above each sheet's content


def excel_row(grid_row: int) -> int:
    """The 1-based Excel row of a 0-based grid row (below the title row)."""
    return grid_row + TITLE_ROWS + 1


def cell_ref(grid_row: int, grid_col: int) -> str:
    """The A1 reference of a grid cell, e.g. (3, 3) → D5."""
    return f"{get_column_letter(grid_col + 1)}{excel_row(grid_row)}"


@dataclass(frozen=True)
class Span:
    """A rectangle of the grid (inclusive), with its label text or None for a value cell."""

    row: int
    col: int
    last_row: int
    last_col: int
    text: str | None = None

    @property
    def merged(self) -> bool:
        """True when the rectangle is more than one cell."""
        return (self.row, self.col) != (self.last_row, self.last_col)

    def ref(self) -> str:
        """The A1 range of the rectangle, e.g. A2:D2 (a single cell when not merged)."""
        first = cell_ref(self.row, self.col)
        return f"{first}:{cell_ref(self.last_row, self.last_col)}" if self.merged else first


def one(row: int, col: int, text: str | None = None) -> Span:
    """A single-cell span."""
    return Span(row, col, row, col, text)


@dataclass(frozen=True)
class Total:
    """A 总计 cell: ``=SUM(first:last)`` over a row or column of value cells of its sheet."""

    span: Span
    first: Span
    last: Span

    @property
    def formula(self) -> str:
        """The formula without its leading =, as the sheet XML holds it (SUM(D5:I5))."""
        first = cell_ref(self.first.row, self.first.col)
        return f"SUM({first}:{cell_ref(self.last.row, self.last.col)})"


@dataclass(frozen=True)
class Grid:
    """A table sheet's grid: size, label spans, value spans, column widths and header rows."""

    sheet: str
    title: str
    rows: int
    cols: int
    labels: tuple[Span, ...]
    values: tuple[Span, ...]  # value cells (merged when a value spans columns), totals included
    widths: tuple[float, ...]  # Excel column widths, one per grid column
    header_rows: int  # grid rows frozen and repeated on each printed page
    totals: tuple[Total, ...] = ()  # value cells holding a live =SUM() of other value cells

    @cached_property
    def total_spans(self) -> frozenset[Span]:
        """The value spans that are totals (formulas, never entered)."""
        return frozenset(t.span for t in self.totals)

    @cached_property
    def inputs(self) -> tuple[Span, ...]:
        """The value spans a clerk enters: every value span but the totals."""
        totals = self.total_spans
        return tuple(s for s in self.values if s not in totals)


# ---------------------------------------------------------------- 表二


@dataclass(frozen=True)
class Table2Cell:
    """Where one 表二 number stands: its span and its place in the model (field, sub-field)."""

    span: Span
    field: str  # Table2 field name
    part: str | None  # DocumentCounts field for the 第二十条第（一）项 rows, else None
    path: tuple[str, ...]  # the place in the report's words, for findings


def _table2() -> tuple[Grid, tuple[Table2Cell, ...]]:
    spans: list[Span] = []
    cells: list[Table2Cell] = []
    row = 0
    for block in labels.TABLE2_BLOCKS:
        spans.append(Span(row, 0, row, 3, block.item))
        spans.append(one(row + 1, 0, labels.TABLE2_CONTENT_HEADING))
        if len(block.columns) == 3:
            spans += [one(row + 1, c + 1, name) for c, name in enumerate(block.columns)]
        else:
            spans.append(Span(row + 1, 1, row + 1, 3, block.columns[0]))
        for i, (field, label) in enumerate(block.rows):
            r = row + 2 + i
            spans.append(one(r, 0, label))
            if len(block.columns) == 3:
                cells += [
                    Table2Cell(one(r, c + 1), field, part, (block.item, label, block.columns[c]))
                    for c, part in enumerate(labels.TABLE2_DOCUMENT_FIELDS)
                ]
            else:
                cells.append(Table2Cell(Span(r, 1, r, 3), field, None, (block.item, label)))
        row += 2 + len(block.rows)
    grid = Grid(
        SHEET_TABLE2, labels.SECTION_BY_NUMBER["二"].heading, row, 4, tuple(spans),
        tuple(c.span for c in cells), (24.0, 20.0, 20.0, 20.0), 0,
    )
    return grid, tuple(cells)


TABLE2, TABLE2_CELLS = _table2()

# ---------------------------------------------------------------- 表三

TABLE3_FIRST_VALUE_COL = 3
TABLE3_TOTAL_COL = TABLE3_FIRST_VALUE_COL + len(labels.TABLE3_COLUMNS)  # 9: 总计


def _table3_labels() -> list[Span]:
    first, total = TABLE3_FIRST_VALUE_COL, TABLE3_TOTAL_COL
    spans = [
        Span(0, 0, 2, 2, labels.TABLE3_CORNER),
        Span(0, first, 0, total, labels.TABLE3_APPLICANTS),
        Span(1, first, 2, first, labels.TABLE3_COLUMNS[0].label),
        Span(1, first + 1, 1, total - 1, labels.TABLE3_ORGANISATIONS),
        Span(1, total, 2, total, labels.TABLE3_TOTAL),
        *(one(2, first + i, c.label) for i, c in enumerate(labels.TABLE3_COLUMNS[1:], 1)),
    ]
    results = labels.TABLE3_RESULT_ROWS
    spans.append(Span(results[0].grid_row, 0, labels.TABLE3_RESULTS_TOTAL_GRID_ROW, 0,
                      labels.TABLE3_RESULTS))
    for group in labels.TABLE3_GROUPS:
        rows = [r.grid_row for r in results if r.group == group.label]
        spans.append(Span(rows[0], 1, rows[-1], 1, group.label))
    for row in labels.TABLE3_ROWS:
        if row.part != "三":
            spans.append(Span(row.grid_row, 0, row.grid_row, 2, row.label))
        elif row.group is None:
            spans.append(Span(row.grid_row, 1, row.grid_row, 2, row.label))
        else:
            spans.append(one(row.grid_row, 2, row.label))
    total_row = labels.TABLE3_RESULTS_TOTAL_GRID_ROW
    spans.append(Span(total_row, 1, total_row, 2, labels.TABLE3_RESULTS_TOTAL))
    return sorted(spans, key=lambda s: (s.row, s.col))


def table3_value_rows() -> tuple[int, ...]:
    """Grid rows holding numbers: the 24 entered rows and （七）总计, top to bottom."""
    rows = [r.grid_row for r in labels.TABLE3_ROWS] + [labels.TABLE3_RESULTS_TOTAL_GRID_ROW]
    return tuple(sorted(rows))


def _table3_totals() -> tuple[Total, ...]:
    """Each row's 总计 (自然人 … 其他) and （七）总计's columns (（一）…（六）'s rows)."""
    first, total = TABLE3_FIRST_VALUE_COL, TABLE3_TOTAL_COL
    results = [r.grid_row for r in labels.TABLE3_RESULT_ROWS]
    results_total = labels.TABLE3_RESULTS_TOTAL_GRID_ROW
    if results != list(range(results[0], results[-1] + 1)) or results_total != results[-1] + 1:
        raise AssertionError("表三's result rows must stand together above （七）总计")
    row_totals = [Total(one(r, total), one(r, first), one(r, total - 1))
                  for r in table3_value_rows() if r != results_total]
    column_totals = [Total(one(results_total, c), one(results[0], c), one(results[-1], c))
                     for c in range(first, total)]
    grand = Total(one(results_total, total), one(results_total, first),
                  one(results_total, total - 1))
    return (*row_totals, *column_totals, grand)


TABLE3 = Grid(
    SHEET_TABLE3,
    labels.SECTION_BY_NUMBER["三"].heading,
    labels.TABLE3_GRID_ROWS,
    labels.TABLE3_GRID_COLUMNS,
    tuple(_table3_labels()),
    tuple(one(r, c) for r in table3_value_rows() for c in range(TABLE3_FIRST_VALUE_COL,
                                                               TABLE3_TOTAL_COL + 1)),
    (7.0, 16.0, 34.0, *(9.0,) * len(labels.TABLE3_COLUMNS), 9.0),
    3,
    _table3_totals(),
)

# ---------------------------------------------------------------- 表四

TABLE4_VALUE_ROW = 3
TABLE4_BLOCK_WIDTH = len(labels.TABLE4_OUTCOMES) + 1  # four outcomes and 总计


def table4_col(block_index: int, outcome_index: int) -> int:
    """The grid column of an outcome (0–3) or of 总计 (4) in a block of 表四."""
    return block_index * TABLE4_BLOCK_WIDTH + outcome_index


def _table4_labels() -> list[Span]:
    width = TABLE4_BLOCK_WIDTH
    heads = [name for _, name in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    spans = [Span(0, 0, 0, width - 1, labels.TABLE4_REVIEW),
             Span(0, width, 0, 3 * width - 1, labels.TABLE4_LITIGATION)]
    spans += [Span(1, c, 2, c, heads[c]) for c in range(width)]
    for b, block in enumerate(labels.TABLE4_BLOCKS[1:], 1):
        spans.append(Span(1, b * width, 1, b * width + width - 1, block.label))
        spans += [one(2, table4_col(b, k), head) for k, head in enumerate(heads)]
    return sorted(spans, key=lambda s: (s.row, s.col))


TABLE4 = Grid(
    SHEET_TABLE4,
    labels.SECTION_BY_NUMBER["四"].heading,
    4,
    3 * TABLE4_BLOCK_WIDTH,
    tuple(_table4_labels()),
    tuple(one(TABLE4_VALUE_ROW, c) for c in range(3 * TABLE4_BLOCK_WIDTH)),
    (10.5,) * (3 * TABLE4_BLOCK_WIDTH),
    3,
    tuple(Total(one(TABLE4_VALUE_ROW, table4_col(b, TABLE4_BLOCK_WIDTH - 1)),
                one(TABLE4_VALUE_ROW, table4_col(b, 0)),
                one(TABLE4_VALUE_ROW, table4_col(b, TABLE4_BLOCK_WIDTH - 2)))
          for b in range(len(labels.TABLE4_BLOCKS))),
)

GRIDS = (TABLE2, TABLE3, TABLE4)

# ---------------------------------------------------------------- 封面 and 正文

# 封面: one row per field, the field's name in column A and its value in column B. The names are the
# data file's keys where one exists, so the cover reads like the data file.
COVER_ORGAN = labels.KEY_ORGAN
COVER_YEAR = labels.KEY_YEAR
COVER_FORMAT = labels.KEY_FORMAT
COVER_FORMAT_DOCUMENT = "格式依据"
COVER_TITLE = labels.KEY_TITLE
COVER_ISSUER_MARK = labels.KEY_ISSUER_MARK
COVER_DOC_NUMBER = labels.KEY_DOC_NUMBER
COVER_DATE = labels.KEY_DATE
COVER_SIGNER = labels.KEY_SIGNER
COVER_SHA256 = "数据文件 SHA-256"
COVER_VERSION = "生成工具"
COVER_MARK = "工作簿格式"
# The cover's field rows from row 2 down, in this order.
COVER_FIELD_ORDER = (
    COVER_ORGAN, COVER_YEAR, COVER_FORMAT, COVER_FORMAT_DOCUMENT, COVER_TITLE, COVER_ISSUER_MARK,
    COVER_DOC_NUMBER, COVER_DATE, COVER_SIGNER, COVER_SHA256, COVER_VERSION, COVER_MARK,
)
# What a clerk fills in on the cover (the rest is written by xxgk).
COVER_INPUTS = (COVER_ORGAN, COVER_YEAR, COVER_TITLE, COVER_ISSUER_MARK, COVER_DOC_NUMBER,
                COVER_DATE, COVER_SIGNER)
COVER_SHEETS = "工作表"
COVER_SHEET_NOTE = "内容"

# 正文: one row per paragraph; columns A–E, header in row 2, paragraphs from row 3. Column E says
# what to write (read by nobody). A paragraph longer than a cell holds goes on in the rows below
# it, each with TEXT_CONTINUATION in column A; the importer joins them back.
TEXT_HEADINGS = ("章节", "分项", "分项标题", "段落", "填写说明")
TEXT_READ_COLUMNS = 4  # 章节 … 段落: what the importer reads
TEXT_CONTINUATION = "（接上行）"
TEXT_FIRST_ROW = TITLE_ROWS + 2
TEXT_SECTIONS = ("一", "五", "六")  # the narrative sections


# ---------------------------------------------------------------- findings → cells


def _address(sheet: str, refs: list[str]) -> str:
    """「表三 申请处理!D5」, or several cells as Excel's name box takes them (D5,D6,D28,D29)."""
    return f"{sheet}!{','.join(refs)}"


def _cell_places() -> dict[tuple[str, ...], str]:
    places: dict[tuple[str, ...], str] = {}
    for cell in TABLE2_CELLS:
        ref = cell_ref(cell.span.row, cell.span.col)
        label = cell.path[1]
        column = cell.path[2:]  # the 第二十条第（一）项 rows name their column
        address = _address(SHEET_TABLE2, [ref])
        full, short = ("表二", *cell.path), ("表二", label, *column)
        places[full] = places[short] = address
    names = [*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL]
    rows = [(r.grid_row, r.path) for r in labels.TABLE3_ROWS]
    rows.append((labels.TABLE3_RESULTS_TOTAL_GRID_ROW,
                 (labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)))
    for grid_row, path in rows:
        refs = [cell_ref(grid_row, TABLE3_FIRST_VALUE_COL + c) for c in range(len(names))]
        row_key = ("表三", *path)
        places[row_key] = _address(SHEET_TABLE3, [f"{refs[0]}:{refs[-1]}"])
        for name, ref in zip(names, refs, strict=True):
            key = (*row_key, name)
            places[key] = _address(SHEET_TABLE3, [ref])
    # The balance 一 + 二 = （七）总计 + 四 of a column names the four cells it adds.
    balance_rows = [labels.TABLE3_ROW_BY_ID["new"].grid_row,
                    labels.TABLE3_ROW_BY_ID["carried_in"].grid_row,
                    labels.TABLE3_RESULTS_TOTAL_GRID_ROW,
                    labels.TABLE3_ROW_BY_ID["carried_out"].grid_row]
    for c, name in enumerate(names):
        places[("表三", name)] = _address(
            SHEET_TABLE3, [cell_ref(r, TABLE3_FIRST_VALUE_COL + c) for r in balance_rows])
    heads = [n for _, n in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    for b, block in enumerate(labels.TABLE4_BLOCKS):
        for k, head in enumerate(heads):
            key = ("表四", *block.path, head)
            places[key] = _address(SHEET_TABLE4, [cell_ref(TABLE4_VALUE_ROW, table4_col(b, k))])
    for row, name in enumerate(COVER_FIELD_ORDER, TITLE_ROWS + 1):
        address = _address(SHEET_COVER, [f"B{row}"])
        places[(name,)] = places[(labels.KEY_HEADER, name)] = address
        places[(SHEET_COVER, name)] = address
    return places


CELL_PLACES = _cell_places()


def cell_of(parts: tuple[str, ...]) -> str | None:
    """The workbook cell(s) of a place in the report's words, e.g. 「表三 申请处理!D5」."""
    return CELL_PLACES.get(parts)
