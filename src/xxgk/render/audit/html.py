"""The audit as one self-contained web page: every table sortable by a click, no CDN."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from importlib.resources import files

from xxgk.audit import Sheet
from xxgk.audit.table import COPIED_COLUMN, Value
from xxgk.render.audit.dashboard import STYLE as DASHBOARD_STYLE
from xxgk.render.audit.dashboard import BatchFigures, dashboard_html
from xxgk.render.clean import clean_text

STYLE = """
body { font-family: "仿宋_GB2312", "FangSong", serif; margin: 1.5em; }
h1 { font-family: "方正小标宋简体", "SimSun", serif; font-size: 1.6em; text-align: center; }
h2 { font-family: "黑体", "SimHei", sans-serif; font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #888; padding: 2px 6px; vertical-align: top; }
th { background: #d9e1f2; cursor: pointer; position: sticky; top: 0; min-width: 2.5em; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.n { text-align: right; }
td.w { white-space: pre-line; min-width: 24em; }
td.k { white-space: nowrap; }
td.p { min-width: 12em; word-break: break-all; }
p.note { color: #444; font-size: 0.9em; }
tr.fail td { background: #ffc7ce; }
tr.note td { background: #ffeb9c; }
"""


def _script() -> str:
    return files("xxgk").joinpath("data/sort-table.js").read_text(encoding="utf-8")


# Columns whose text must stay on one line (an organ's name is not wrapped two characters a line).
NO_WRAP = frozenset({"机关名称", "规则", "严重程度", "原文位置", "编号", "规则代码"})
# Columns of places and file names: wrapped, but never a character a line.
PLACES = frozenset({"报告中的位置", "文件", "上年报告"})


def _cell(
    value: Value, numeric: bool, wide: bool, percent: bool, keep: bool | str = False
) -> str:
    if value is None:
        return "<td></td>"
    if percent and isinstance(value, float):
        return f'<td class="n" data-sort="{value:.4f}">{value:.0%}</td>'
    kind = (' class="n"' if numeric else ' class="w"' if wide else ' class="k"' if keep is True
            else ' class="p"' if keep == "place" else "")
    shown = format(value, "f") if isinstance(value, Decimal) else str(value)  # never 1E+1
    return f"<td{kind}>{escape(clean_text(shown)[0])}</td>"


def _shown_columns(sheet: Sheet) -> list[int]:
    """The columns the page shows: columns to fill in (复核, 整改) only when something was
    written in them (a page is read, not filled in; the workbook is for that)."""
    return [i for i, c in enumerate(sheet.columns)
            if not c.entry or any(row[i] not in (None, "") for row in sheet.rows)]


def _keep(heading: str) -> bool | str:
    return True if heading in NO_WRAP else "place" if heading in PLACES else False


def _table(sheet: Sheet) -> list[str]:
    shown = _shown_columns(sheet)
    columns = [sheet.columns[i] for i in shown]
    percent = [c.percent or c.heading == COPIED_COLUMN for c in columns]
    head = "".join(f"<th>{escape(c.heading)}</th>" for c in columns)
    entries = any(c.entry for c in columns)
    lines = ['<section class="sheet">', f"<h2>{escape(sheet.title)}</h2>",
             *(f'<p class="note">{escape(note)}</p>' for note in sheet.all_notes(entries)),
             '<table class="sortable">',
             f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row, failing in zip(sheet.rows, sheet.failing, strict=True):
        cells = "".join(
            _cell(row[i], c.numeric, c.wide, p, _keep(c.heading))
            for i, c, p in zip(shown, columns, percent, strict=True)
        )
        lines.append(f'<tr class="{sheet.mark}">{cells}</tr>' if failing else f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>", "</section>"]
    return lines


def render_audit_html(
    sheets: Sequence[Sheet], title: str = "政府信息公开工作年度报告审核", intro: Sequence[str] = (),
    dashboard: BatchFigures | None = None,
) -> bytes:
    """The page: a heading, paragraphs of ``intro``, the batch's figures and charts (when
    given), then each table."""
    body = [line for sheet in sheets for line in _table(sheet)]
    page = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}{DASHBOARD_STYLE if dashboard is not None else ''}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        *(f"<p>{escape(clean_text(line)[0])}</p>" for line in intro),
        *([dashboard_html(dashboard)] if dashboard is not None else []),
        *body,
        f"<script>{_script()}</script>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(page) + "\n").encode("utf-8")
