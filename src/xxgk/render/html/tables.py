"""The three national tables as HTML, with the official merges (国办公开办函〔2021〕30号).

Each table is built as rows of :class:`Cell` (header or data, scope, spans) and serialized by one
function, so the grid of every table can be read off the code next to FORMAT.md's description.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from xxgk import labels
from xxgk.model import ApplicantCounts, Count, Report
from xxgk.render.printed import amount, number

# HTML5 refuses C0/C1 controls (other than whitespace) and noncharacters in text.
_NOT_HTML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_T3_LABEL_COLUMNS = 3  # the corner spans the three label columns c0–c2


def text(value: str) -> str:
    """Text escaped for HTML, without characters an HTML5 document may not contain."""
    return html.escape(_NOT_HTML.sub("", value), quote=True)


@dataclass(frozen=True)
class Cell:
    """One table cell: header (``th`` with a scope) or data (``td``), and its spans."""

    content: str
    scope: str | None = None  # None for a td
    rowspan: int = 1
    colspan: int = 1
    numeric: bool = False

    def html(self) -> str:
        """The cell's markup."""
        tag = "td" if self.scope is None else "th"
        attrs = "" if self.scope is None else f' scope="{self.scope}"'
        if self.rowspan > 1:
            attrs += f' rowspan="{self.rowspan}"'
        if self.colspan > 1:
            attrs += f' colspan="{self.colspan}"'
        if self.numeric:
            attrs += ' class="num"'
        return f"<{tag}{attrs}>{text(self.content)}</{tag}>"


Row = list[Cell]


def _th(label: str, scope: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(label, scope, rowspan, colspan)


def _td(value: str, colspan: int = 1) -> Cell:
    return Cell(value, None, 1, colspan, numeric=True)


def _rows(tag: str, rows: Iterable[Row]) -> str:
    """A thead or tbody of rows."""
    lines = [f"<{tag}>"]
    lines += ["<tr>" + "".join(cell.html() for cell in row) + "</tr>" for row in rows]
    return "\n".join([*lines, f"</{tag}>"])


def _table(table_id: str, caption: str, cols: list[int], head: list[Row],
           bodies: list[list[Row]]) -> str:
    """A table in a keyboard-scrollable region; ``cols`` gives the colgroup spans."""
    colgroups = "".join(f'<colgroup span="{n}"></colgroup>' for n in cols)
    parts = [
        f'<div class="table-wrap" role="region" aria-labelledby="{table_id}-caption" tabindex="0">',
        f'<table id="{table_id}">',
        f'<caption id="{table_id}-caption">{text(caption)}</caption>',
        colgroups,
    ]
    if head:
        parts.append(_rows("thead", head))
    parts += [_rows("tbody", body) for body in bodies]
    return "\n".join([*parts, "</table>", "</div>"])


# ---------------------------------------------------------------- 表二 (14 rows × 4 columns)


def table2(report: Report, caption: str) -> str:
    """表二 主动公开政府信息情况: one row group per 第二十条 item."""
    t2 = report.table2
    width = 1 + len(labels.TABLE2_DOCUMENT_COLUMNS)
    bodies = []
    for block in labels.TABLE2_BLOCKS:
        # A single value column is merged across the three (c1–c3).
        span = (width - 1) // len(block.columns)
        rows: list[Row] = [
            [_th(block.item, "rowgroup", colspan=width)],
            [_th(labels.TABLE2_CONTENT_HEADING, "col")]
            + [_th(col, "col", colspan=span) for col in block.columns],
        ]
        for field, label in block.rows:
            value = getattr(t2, field)
            if len(block.columns) > 1:
                values = [_td(number(v)) for v in value.cells()]
            elif field == "fees":
                values = [_td(amount(value), span)]
            else:
                values = [_td(number(value), span)]
            rows.append([_th(label, "row"), *values])
        bodies.append(rows)
    return _table("table2", caption, [1, width - 1], [], bodies)


# ---------------------------------------------------------------- 表三 (28 rows × 10 columns)


def _t3_values(cells: tuple[Count, ...], total: Count) -> list[Cell]:
    return [_td(number(v)) for v in cells] + [_td(number(total))]


def _t3_head() -> list[Row]:
    organisations = [c for c in labels.TABLE3_COLUMNS if c.group is not None]
    people = [c for c in labels.TABLE3_COLUMNS if c.group is None]
    width = len(labels.TABLE3_COLUMNS) + 1
    return [
        [
            _th(labels.TABLE3_CORNER, "colgroup", rowspan=3, colspan=_T3_LABEL_COLUMNS),
            _th(labels.TABLE3_APPLICANTS, "colgroup", colspan=width),
        ],
        [
            *[_th(c.label, "col", rowspan=2) for c in people],
            _th(labels.TABLE3_ORGANISATIONS, "colgroup", colspan=len(organisations)),
            _th(labels.TABLE3_TOTAL, "col", rowspan=2),
        ],
        [_th(c.label, "col") for c in organisations],
    ]


def _t3_results(report: Report) -> list[Row]:
    """Rows 5–26: 三、本年度办理结果 down the first column, groups down the second."""
    t3 = report.table3
    results = labels.TABLE3_RESULT_ROWS
    rows: list[Row] = []
    for i, row in enumerate(results):
        cells: Row = []
        if i == 0:
            cells.append(_th(labels.TABLE3_RESULTS, "rowgroup", rowspan=len(results) + 1))
        if row.group is None:
            cells.append(_th(row.label, "row", colspan=2))
        else:
            group = [r for r in results if r.group == row.group]
            if group[0] is row:
                cells.append(_th(row.group, "row", rowspan=len(group)))
            cells.append(_th(row.label, "row"))
        values = t3.row(row.id)
        rows.append(cells + _t3_values(values.cells, values.total))
    total = _t3_values(t3.results_total(), t3.results_grand_total())
    rows.append([_th(labels.TABLE3_RESULTS_TOTAL, "row", colspan=2), *total])
    return rows


def _t3_single(row: ApplicantCounts, label: str) -> Row:
    return [_th(label, "row", colspan=_T3_LABEL_COLUMNS), *_t3_values(row.cells, row.total)]


def table3(report: Report, caption: str) -> str:
    """表三 收到和处理政府信息公开申请情况 with every official merge."""
    t3 = report.table3
    by_id = labels.TABLE3_ROW_BY_ID
    before = [_t3_single(t3.row(i), by_id[i].label) for i in ("new", "carried_in")]
    after = [_t3_single(t3.row("carried_out"), by_id["carried_out"].label)]
    organisations = sum(1 for c in labels.TABLE3_COLUMNS if c.group is not None)
    cols = [_T3_LABEL_COLUMNS, 1, organisations, 1]
    return _table("table3", caption, cols, _t3_head(), [before, _t3_results(report), after])


# ---------------------------------------------------------------- 表四 (4 rows × 15 columns)


def table4(report: Report, caption: str) -> str:
    """表四 政府信息公开行政复议、行政诉讼情况."""
    outcomes = [label for _, label in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    width = len(outcomes)
    review, *suits = labels.TABLE4_BLOCKS
    head: list[Row] = [
        [
            _th(review.parent, "colgroup", colspan=width),
            _th(suits[0].parent, "colgroup", colspan=width * len(suits)),
        ],
        [_th(label, "col", rowspan=2) for label in outcomes]
        + [_th(block.label, "colgroup", colspan=width) for block in suits],
        [_th(label, "col") for _ in suits for label in outcomes],
    ]
    values: Row = []
    for block in labels.TABLE4_BLOCKS:
        data = report.table4.block(block.id)
        values += [_td(number(v)) for v in data.cells()] + [_td(number(data.total))]
    cols = [width] * len(labels.TABLE4_BLOCKS)
    return _table("table4", caption, cols, head, [[values]])
