"""The form page: 封面, the six sections and the three national tables with inputs in their cells.

The tables have the merges and labels of the printed report (the same grid as
``render/html/tables.py``); every input's accessible name is its place in the report's words, and
its grid coordinates (``data-grid``/``data-r``/``data-c``) let the script move like a spreadsheet.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from xxgk import labels
from xxgk.web.form import Field, cover_fields, table2_fields, table3_field, table4_field

_S = labels.SECTION_BY_NUMBER
_T3_LABEL_COLUMNS = 3
_OTHER_HINT = "应说明信息处理费收取情况，没有事项也写「无」"


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def _input(field: Field, grid: str, r: int, c: int, colspan: int = 1) -> str:
    mode = "decimal" if field.kind == "amount" else "numeric"
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return (
        f'<td class="cell"{span}><input id="{_e(field.key)}" name="{_e(field.key)}" '
        f'class="num" inputmode="{mode}" autocomplete="off" aria-label="{_e(field.label)}" '
        f'data-grid="{grid}" data-r="{r}" data-c="{c}"></td>'
    )


def _out(element: str, label: str) -> str:
    return f'<td class="total"><output id="{element}" aria-label="{_e(label)}"></output></td>'


def _th(label: str, scope: str, rowspan: int = 1, colspan: int = 1, element: str = "") -> str:
    attrs = f' scope="{scope}"'
    attrs += f' rowspan="{rowspan}"' if rowspan > 1 else ""
    attrs += f' colspan="{colspan}"' if colspan > 1 else ""
    attrs += f' id="{element}"' if element else ""
    return f"<th{attrs}>{_e(label)}</th>"


def _table(element: str, caption: str, rows: list[str], head: list[str] | None = None) -> str:
    parts = [
        f'<div class="table-wrap"><table id="{element}" class="grid">',
        f"<caption>{_e(caption)}</caption>",
    ]
    if head:
        parts += ["<thead>", *(f"<tr>{r}</tr>" for r in head), "</thead>"]
    parts += ["<tbody>", *(f"<tr>{r}</tr>" for r in rows), "</tbody></table></div>"]
    parts.append(f'<ul class="table-findings" id="{element}-findings"></ul>')
    return "\n".join(parts)


# ---------------------------------------------------------------- 表二


def table2_html() -> str:
    """表二 with its four 第二十条 blocks; one value column is merged across the three."""
    fields = {f.key: f for f in table2_fields()}
    width = 1 + len(labels.TABLE2_DOCUMENT_COLUMNS)
    rows: list[str] = []
    r = 0
    for block in labels.TABLE2_BLOCKS:
        span = (width - 1) // len(block.columns)
        rows.append(_th(block.item, "rowgroup", colspan=width))
        rows.append(
            _th(labels.TABLE2_CONTENT_HEADING, "col")
            + "".join(_th(col, "col", colspan=span) for col in block.columns)
        )
        for field, label in block.rows:
            if len(block.columns) > 1:
                cells = "".join(
                    _input(fields[f"t2.{field}.{i}"], "t2", r, i) for i in range(len(block.columns))
                )
            else:
                cells = _input(fields[f"t2.{field}"], "t2", r, 0, colspan=span)
            rows.append(_th(label, "row") + cells)
            r += 1
    return _table("table2", "表二 " + _S["二"].title, rows)


# ---------------------------------------------------------------- 表三


def _t3_row(row: labels.Table3Row, r: int) -> str:
    columns = len(labels.TABLE3_COLUMNS)
    cells = "".join(_input(table3_field(row, c), "t3", r, c) for c in range(columns))
    place = "/".join(("表三", *row.path, labels.TABLE3_TOTAL))
    return cells + _out(f"t3-{row.id}-total", place)


def table3_html() -> str:
    """表三 with every official merge; 总计 column and （七）总计 row computed as you type."""
    organisations = [c for c in labels.TABLE3_COLUMNS if c.group is not None]
    people = [c for c in labels.TABLE3_COLUMNS if c.group is None]
    index = {c.key: i for i, c in enumerate(labels.TABLE3_COLUMNS)}
    width = len(labels.TABLE3_COLUMNS) + 1
    head = [
        _th(labels.TABLE3_CORNER, "colgroup", rowspan=3, colspan=_T3_LABEL_COLUMNS)
        + _th(labels.TABLE3_APPLICANTS, "colgroup", colspan=width),
        "".join(_th(c.label, "col", rowspan=2, element=f"t3-col-{index[c.key]}") for c in people)
        + _th(labels.TABLE3_ORGANISATIONS, "colgroup", colspan=len(organisations))
        + _th(labels.TABLE3_TOTAL, "col", rowspan=2, element="t3-col-total"),
        "".join(_th(c.label, "col", element=f"t3-col-{index[c.key]}") for c in organisations),
    ]
    by_id = labels.TABLE3_ROW_BY_ID
    rows = [
        _th(by_id[i].label, "row", colspan=_T3_LABEL_COLUMNS) + _t3_row(by_id[i], n)
        for n, i in enumerate(("new", "carried_in"))
    ]
    results = labels.TABLE3_RESULT_ROWS
    for i, row in enumerate(results):
        cells = ""
        if i == 0:
            cells += _th(labels.TABLE3_RESULTS, "rowgroup", rowspan=len(results) + 1)
        if row.group is None:
            cells += _th(row.label, "row", colspan=2)
        else:
            group = [r for r in results if r.group == row.group]
            if group[0] is row:
                cells += _th(row.group, "row", rowspan=len(group))
            cells += _th(row.label, "row")
        rows.append(cells + _t3_row(row, 2 + i))
    total_place = ("表三", labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
    rows.append(
        _th(labels.TABLE3_RESULTS_TOTAL, "row", colspan=2)
        + "".join(
            _out(f"t3-total-{c}", "/".join((*total_place, col.label)))
            for c, col in enumerate(labels.TABLE3_COLUMNS)
        )
        + _out("t3-total-total", "/".join((*total_place, labels.TABLE3_TOTAL)))
    )
    out = by_id["carried_out"]
    rows.append(_th(out.label, "row", colspan=_T3_LABEL_COLUMNS) + _t3_row(out, 2 + len(results)))
    return _table("table3", "表三 " + _S["三"].title, rows, head)


# ---------------------------------------------------------------- 表四


def table4_html() -> str:
    """表四: 行政复议 and the two 行政诉讼 blocks, each with a computed 总计."""
    outcomes = [label for _, label in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    width = len(outcomes)
    review, *suits = labels.TABLE4_BLOCKS
    head = [
        _th(review.parent, "colgroup", colspan=width)
        + _th(suits[0].parent, "colgroup", colspan=width * len(suits)),
        "".join(_th(label, "col", rowspan=2) for label in outcomes)
        + "".join(_th(block.label, "colgroup", colspan=width) for block in suits),
        "".join(_th(label, "col") for _ in suits for label in outcomes),
    ]
    cells = ""
    c = 0
    for block in labels.TABLE4_BLOCKS:
        for o in range(len(labels.TABLE4_OUTCOMES)):
            cells += _input(table4_field(block, o), "t4", 0, c)
            c += 1
        place = "/".join(("表四", *block.path, labels.TABLE4_TOTAL))
        cells += _out(f"t4-{block.id}-total", place)
    return _table("table4", "表四 " + _S["四"].title, [cells], head)


# ---------------------------------------------------------------- the page


def _cover_html() -> str:
    fields = {f.key: f for f in cover_fields()}
    hints = {
        "organ": "如「晋江市永和镇」",
        "year": "报告年度，如 2025",
        "published": "报告在网上发布的日期，可不填",
        "title": "不填则为 机关名称+年度+年政府信息公开工作年度报告",
        "issuer_mark": "红头，如「××县人民政府文件」，可不填",
        "doc_number": "如「×政〔2026〕1号」，可不填",
        "date": "填写后文末加署名和日期",
        "signer": "不填则用机关名称",
    }
    out = []
    for key, field in fields.items():
        kind = "date" if field.kind == "date" else "text"
        mode = ' inputmode="numeric"' if field.kind == "year" else ""
        out.append(
            f'<div class="field"><label for="{key}">{_e(field.place[-1])}</label>'
            f'<input id="{key}" name="{key}" type="{kind}"{mode} autocomplete="off" '
            f'aria-label="{_e(field.label)}" aria-describedby="{key}-hint">'
            f'<small id="{key}-hint">{_e(hints[key])}</small>'
            f'<ul class="findings" id="{key}-findings"></ul></div>'
        )
    return "\n".join(out)


def _textarea(key: str, place: str, hint: str) -> str:
    return (
        f'<textarea id="{key}" name="{key}" rows="6" aria-label="{_e(place)}" '
        f'placeholder="{_e(hint)}"></textarea>'
        f'<ul class="findings" id="{key}-findings"></ul>'
    )


@cache
def _shell() -> str:
    return files("xxgk.web").joinpath("static/page.html").read_text(encoding="utf-8")


@cache
def _tables() -> tuple[str, str, str]:
    return table2_html(), table3_html(), table4_html()


def render_page(token: str, initial: dict[str, Any]) -> str:
    """The whole page: the static shell with the tables, the token and the first values."""
    shell = _shell()
    hint = "每行一段"
    # The data rides in a JSON script element. Every <, > and & is written as a JSON escape,
    # so no text ends the element (</script>) or changes how HTML reads it (<!--<script>).
    data = (json.dumps(initial, ensure_ascii=False)
            .replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
    parts = {
        "TOKEN": _e(token),
        "COVER": _cover_html(),
        "H1": _e(_S["一"].heading),
        "INTRO": _textarea("intro", _S["一"].heading, "概述（" + hint + "）"),
        "H2": _e(_S["二"].heading),
        "TABLE2": _tables()[0],
        "H3": _e(_S["三"].heading),
        "TABLE3": _tables()[1],
        "H4": _e(_S["四"].heading),
        "TABLE4": _tables()[2],
        "H5": _e(_S["五"].heading),
        "PROBLEMS": _textarea("problems", _S["五"].heading, hint),
        "H6": _e(_S["六"].heading),
        "OTHER": _textarea("other_matters", _S["六"].heading, hint + "；" + _OTHER_HINT),
        "SECTION1": _e(_S["一"].heading),
        "INITIAL": data,
    }
    # One pass, so that nothing inserted (the report's own text) is ever read as a marker.
    return re.sub(r"\{\{([A-Z0-9]+)\}\}", lambda m: parts[m.group(1)], shell)
