"""The first screen of the audit page: the batch in figures and charts, for a leader.

Tiles (reports received, on time, with errors, missing, copying), one bar of the batch's status,
and a table of the organs with each key figure and rate drawn as a bar (inline SVG, no library, no
CDN), sortable by any column with the page's own script. Rates over fewer than ``MIN_CASES``
cases are drawn grey: no verdict colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from xxgk.audit.evaluation import Evaluation
from xxgk.figures import FIGURES
from xxgk.rates import MIN_CASES, RATES
from xxgk.render.clean import clean_text

# The figures drawn per organ (by their FIGURES names).
BAR_FIGURES = ("本年新收", "办理结果总计", "予以公开", "行政复议", "行政诉讼")
_INDEX = {name: i for i, (name, _) in enumerate(FIGURES)}
BAR_WIDTH = 90  # px of the longest bar


@dataclass(frozen=True)
class OrganRow:
    """One organ's line of the chart table."""

    organ: str
    errors: int
    late: bool
    figures: tuple[float | None, ...]  # BAR_FIGURES order
    rates: tuple[tuple[float | None, int | None, bool | None], ...]  # value, cases, concern


@dataclass(frozen=True)
class BatchFigures:
    """What the first screen says of the batch."""

    received: int
    readable: int
    on_time: int
    late: int
    date_unknown: int
    with_errors: int
    missing: int | None  # None without a roster
    copied_pairs: int
    organs: tuple[OrganRow, ...]


def batch_figures(evaluation: Evaluation, missing: Sequence[str] | None) -> BatchFigures:
    """The figures of an evaluated batch."""
    records = evaluation.records
    readable = [r for r in records if r.organ]

    organs = []
    late = unknown = 0
    for record in readable:
        codes = {f.code for f in record.findings}
        is_late = "meta/published-late" in codes
        late += is_late
        unknown += "meta/published-unknown" in codes
        values = tuple(
            None if not record.figures or record.figures[_INDEX[n]] is None
            else float(record.figures[_INDEX[n]] or 0)
            for n in BAR_FIGURES
        )
        rates = tuple((r.value, r.denominator, r.concern) for r in record.rates)
        organs.append(OrganRow(record.organ, record.errors, is_late, values, rates))
    on_time = len(readable) - late - unknown
    return BatchFigures(
        received=len(records), readable=len(readable), on_time=on_time, late=late,
        date_unknown=unknown, with_errors=sum(not r.ok for r in records),
        missing=None if missing is None else len(missing),
        copied_pairs=len(evaluation.pairs), organs=tuple(organs),
    )


STYLE = """
.dash { margin: 0 0 2em; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 1em 0; }
.tile { border: 1px solid #bbb; border-radius: 6px; padding: 8px 14px; min-width: 8em; }
.tile b { display: block; font-size: 1.8em; font-family: "黑体", "SimHei", sans-serif; }
.tile.bad b { color: #c00000; }
.tile.ok b { color: #1f6f2f; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em;
  vertical-align: -0.1em; }
table.chart td { white-space: nowrap; }
table.chart td.o { white-space: normal; min-width: 8em; max-width: 14em; }
table.chart svg { vertical-align: middle; width: 56px; height: 11px; }
table.chart .v { display: inline-block; min-width: 2.8em; text-align: right; margin-left: 3px; }
@media print {
  @page { size: A4 portrait; margin: 12mm 10mm; }
  @page wide { size: A4 landscape; margin: 10mm; }
  body { margin: 0; font-size: 9pt; }
  h1 { font-size: 15pt; margin: 0 0 0.5em; }
  h2 { break-after: avoid; font-size: 11pt; }
  th { position: static; min-width: 0; }
  thead { display: table-header-group; }
  tr, .tile { break-inside: avoid; }
  .dash { break-after: page; }
  .tile { padding: 4px 8px; min-width: 6em; }
  table.chart { font-size: 7.5pt; width: 100%; }
  table.chart svg { width: 26px; }
  table.chart .v { min-width: 2.4em; }
  table.chart td.o { min-width: 6em; }
  /* The audit's wide tables (总表 has some forty columns) print across landscape pages. */
  .sheet { page: wide; font-size: 6.5pt; }
  .sheet table { width: 100%; }
  .sheet td.w { min-width: 0; }
  .sheet td, .sheet th { padding: 1px 2px; overflow-wrap: anywhere; }
  .sheet td.n { white-space: nowrap; overflow-wrap: normal; }
}
"""

_OK, _BAD, _GREY, _BLUE = "#4e9a5b", "#c0392b", "#b0b0b0", "#4a78b5"


def _tile(label: str, value: int | str, kind: str = "") -> str:
    cls = f"tile {kind}".strip()
    return f'<div class="{cls}"><b>{escape(str(value))}</b>{escape(label)}</div>'


def _status_bar(f: BatchFigures) -> str:
    """One horizontal bar: on time, late, date unknown (of the readable reports)."""
    parts = [("按时公开", f.on_time, _OK), ("逾期公开", f.late, _BAD),
             ("发布日期不详", f.date_unknown, _GREY)]
    total = max(sum(n for _, n, _ in parts), 1)
    x, rects, legend = 0.0, [], []
    for label, n, colour in parts:
        width = 600 * n / total
        if n:
            rects.append(f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="22" fill="{colour}">'
                         f"<title>{label} {n} 份</title></rect>")
        x += width
        legend.append(f'<span><i style="background:{colour}"></i>{label} {n} 份</span>')
    return (f'<svg role="img" aria-label="按时公开情况" width="600" height="22" '
            f'viewBox="0 0 600 22">{"".join(rects)}</svg>'
            f'<p class="legend">{"".join(legend)}</p>')


def _bar(value: float | None, most: float, colour: str, shown: str) -> str:
    if value is None:
        return '<td data-sort=""><span class="v">—</span></td>'
    width = 0 if most <= 0 else max(BAR_WIDTH * value / most, 1 if value else 0)
    svg = (f'<svg viewBox="0 0 {BAR_WIDTH} 12" preserveAspectRatio="none" aria-hidden="true">'
           f'<rect width="{width:.1f}" height="12" fill="{colour}"/></svg>')
    return f'<td data-sort="{value:.6f}">{svg}<span class="v">{escape(shown)}</span></td>'


def _rate_cell(value: float | None, cases: int | None, concern: bool | None) -> str:
    colour = _GREY if concern is None else _BAD if concern else _OK
    if value is None:
        return _bar(None, 1, colour, "")
    title = f"{value:.0%}（{cases} 件）"
    if concern is None:
        title += f"，不足 {MIN_CASES} 件不评价"
    return _bar(value, 1.0, colour, f"{value:.0%}").replace(
        "<td ", f'<td title="{escape(title)}" ', 1)


def _chart(f: BatchFigures) -> list[str]:
    most = [max((o.figures[i] or 0 for o in f.organs), default=0) for i in range(len(BAR_FIGURES))]
    head = "".join(f"<th>{escape(n)}</th>" for n in
                   ("机关名称", "错误", *BAR_FIGURES, *(r.name for r in RATES)))
    lines = ['<table class="sortable chart">', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for organ in f.organs:
        cells = [f'<td class="o">{escape(clean_text(organ.organ)[0])}</td>',
                 f'<td class="n" data-sort="{organ.errors}">{organ.errors}</td>']
        cells += [_bar(v, m, _BLUE, "" if v is None else f"{v:g}")
                  for v, m in zip(organ.figures, most, strict=True)]
        rates = organ.rates or tuple((None, None, None) for _ in RATES)
        cells += [_rate_cell(*r) for r in rates]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines += ["</tbody>", "</table>"]
    return lines


def dashboard_html(f: BatchFigures) -> str:
    """The first section of the audit page."""
    tiles = [
        _tile("份报告收到", f.received),
        _tile("份按时公开", f.on_time, "ok"),
        _tile("份逾期公开", f.late, "bad" if f.late else ""),
        _tile("份有错误", f.with_errors, "bad" if f.with_errors else "ok"),
        _tile("对机关文字雷同", f.copied_pairs, "bad" if f.copied_pairs else ""),
    ]
    if f.missing is not None:
        tiles.insert(1, _tile("个机关未报送", f.missing, "bad" if f.missing else "ok"))
    unread = f.received - f.readable
    if unread:
        tiles.append(_tile("份无法读取", unread, "bad"))
    explained = "；".join(f"{r.name} = {r.explained}" for r in RATES)
    return "\n".join([
        '<section class="dash">',
        "<h2>全批概况</h2>",
        f'<div class="tiles">{"".join(tiles)}</div>',
        _status_bar(f),
        "<h2>各机关主要数字和比率（点击列标题排序）</h2>",
        f"<p>比率的分母不足 {MIN_CASES} 件时画灰色，不作评价；红色为值得关注："
        f"{escape(explained)}。</p>",
        *_chart(f),
        "</section>",
    ])
