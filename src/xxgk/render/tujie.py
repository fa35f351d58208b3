"""The 图解 (一图读懂): one page of the report's numbers for the portal, as PNG and PDF bytes.

Drawn with matplotlib (Agg for the PNG, its own PDF backend) from the report the other outputs
come from: 表二's key figures, applications by applicant type, the outcomes, 复议/诉讼, and, when
last year's report is given, each figure's change. The CJK font is the system's (Noto Sans CJK
SC, else another CJK face fontconfig knows); the text stays text in the PDF (Type 3 glyphs,
subset). Same data, same bytes: no dates or software versions in the files, a fixed hash salt.
A blank cell of the report is 「未填」, never 0.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.model import Report
from xxgk.render.clean import clean_text
from xxgk.render.printed import amount

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

# Faces tried in order; the first the system has is used. SC forms first (直, 骨 as in China).
CJK_FACES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
             "Microsoft YaHei", "SimHei", "PingFang SC", "AR PL UMing CN", "AR PL UKai CN")
WIDTH_IN, HEIGHT_IN = 8.27, 11.69  # A4 portrait: prints on one page
DPI = 150  # 1240 × 1754 px
RED, BLUE, GREY, INK, PALE = "#c0282d", "#1f5fa8", "#8c8c8c", "#222222", "#f3f5f9"
BLANK = "未填"

Number = int | Decimal | None


@dataclass(frozen=True)
class Tujie:
    png: bytes
    pdf: bytes


def _face() -> str:
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for face in CJK_FACES:
        if face in known:
            return face
    raise XxgkError.single(
        "output/tujie-no-font",
        "没有找到中文字体，无法绘制图解：请安装 Noto Sans CJK（Debian/Ubuntu：sudo apt-get install "
        "fonts-noto-cjk；Windows 自带的微软雅黑、黑体也可以）",
    )


def _shown(value: Number) -> str:
    if value is None:
        return BLANK
    return amount(value) if isinstance(value, Decimal) else f"{value:,}".replace(",", "")


def _change(this: Number, last: Number) -> str | None:
    """「比上年 +3（+12.5%）」, or None when either year is blank."""
    if this is None or last is None:
        return None
    delta = Decimal(this) - Decimal(last)
    if delta == 0:
        return "与上年持平"
    sign = "+" if delta > 0 else "−"
    size: Number = abs(delta) if isinstance(this, Decimal) else int(abs(delta))
    text = f"比上年 {sign}{_shown(size)}"
    if last:
        text += f"（{sign}{float(abs(delta) / Decimal(last) * 100):.1f}%）"
    return text


def _sum(values: Sequence[Number]) -> Number:
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _group_total(report: Report, group: str) -> Number:
    rows = [r.id for r in labels.TABLE3_RESULT_ROWS if r.id.startswith(f"{group}.")]
    return _sum([report.table3.row(i).total for i in rows])


@dataclass(frozen=True)
class _Tile:
    label: str
    unit: str
    value: Number
    last: Number


def _table2_tiles(report: Report, last: Report | None) -> list[_Tile]:
    def pick(r: Report | None, field: str, column: int | None = None) -> Number:
        if r is None:
            return None
        found = getattr(r.table2, field)
        value: Number = found if column is None else found.cells()[column]
        return value

    spec = (("规章 本年制发", "件", "regulations", 0), ("规章 现行有效", "件", "regulations", 2),
            ("规范性文件 本年制发", "件", "normative_documents", 0),
            ("规范性文件 现行有效", "件", "normative_documents", 2),
            ("行政许可", "件", "licensing", None), ("行政处罚", "件", "punishment", None),
            ("行政强制", "件", "enforcement", None), ("行政事业性收费", "万元", "fees", None))
    return [_Tile(label, unit, pick(report, f, c), pick(last, f, c))
            for label, unit, f, c in spec]


def _tiles(ax: Axes, tiles: Sequence[_Tile], columns: int, compare: bool) -> None:
    from matplotlib.patches import FancyBboxPatch

    ax.set_axis_off()
    ax.set_xlim(0, columns)
    rows = -(-len(tiles) // columns)
    ax.set_ylim(rows, 0)
    for index, tile in enumerate(tiles):
        x, y = index % columns, index // columns
        ax.add_patch(FancyBboxPatch((x + 0.04, y + 0.06), 0.92, 0.86,
                                    boxstyle="round,pad=0,rounding_size=0.06",
                                    facecolor=PALE, edgecolor="none"))
        ax.text(x + 0.5, y + 0.26, tile.label, ha="center", va="center", fontsize=9.5,
                color=INK)
        blank = tile.value is None
        ax.text(x + 0.5, y + 0.54, _shown(tile.value), ha="center", va="center",
                fontsize=13 if blank else 20, color=GREY if blank else RED, weight="bold")
        note = tile.unit if not blank else ""
        change = _change(tile.value, tile.last) if compare else None
        if change:
            note = f"{note}　{change}" if note else change
        ax.text(x + 0.5, y + 0.79, note, ha="center", va="center", fontsize=8, color=GREY)


def _bars(ax: Axes, names: Sequence[str], values: Sequence[Number],
          last: Sequence[Number] | None, color: str) -> None:
    ax.set_frame_on(False)
    ax.tick_params(left=False, bottom=False, labelbottom=False, labelsize=9.5)
    positions = list(range(len(names)))[::-1]
    drawn = [0 if v is None else float(v) for v in values]
    top = max([*drawn, *([0 if v is None else float(v) for v in last] if last else []), 1.0])
    ax.barh(positions, drawn, height=0.56, color=color)
    if last is not None:
        ax.barh([p - 0.36 for p in positions], [0 if v is None else float(v) for v in last],
                height=0.16, color=GREY, alpha=0.6)
    ax.set_yticks(positions, list(names))
    ax.set_xlim(0, top * 1.02)  # the numbers stand to the right, past the axes
    ax.set_ylim(-0.8, len(names) - 0.4)
    for p, value, before in zip(positions, values, last or [None] * len(values), strict=True):
        text = _shown(value)
        change = _change(value, before) if last is not None else None
        if change:
            text += f"  {change}"
        ax.text((0 if value is None else float(value)) + top * 0.02, p, text, va="center",
                fontsize=8.5, color=GREY if value is None else INK)


def _heading(fig: Figure, y: float, text: str) -> None:
    fig.add_artist(_band(y))
    fig.text(0.07, y, text, fontsize=13, weight="bold", color=BLUE, va="center")


def _band(y: float) -> Patch:
    from matplotlib.patches import Rectangle

    # In figure coordinates: Figure.add_artist gives it the figure's transform.
    return Rectangle((0.05, y - 0.011), 0.006, 0.022, facecolor=BLUE, edgecolor="none")


def _draw(report: Report, last: Report | None) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    fig.add_artist(_title_band())
    organ = clean_text(report.organ)[0]
    fig.text(0.5, 0.962, f"一图读懂 · {organ}", ha="center", va="center", fontsize=18,
             color="white", weight="bold")
    fig.text(0.5, 0.93, f"{report.year}年政府信息公开工作年度报告", ha="center", va="center",
             fontsize=15, color="white")
    compare = last is not None
    if last is not None:
        fig.text(0.5, 0.897, f"「比上年」为与{last.year}年度报告相比的增减", ha="center",
                 va="center", fontsize=8.5, color=GREY)
    # 一、表二: the key figures.
    _heading(fig, 0.872, "主动公开政府信息情况")
    _tiles(fig.add_axes((0.05, 0.672, 0.9, 0.185)), _table2_tiles(report, last), 4, compare)
    # 二、表三: applications by applicant type.
    new, carried = report.table3.row("new"), report.table3.row("carried_in")
    _heading(fig, 0.645, "收到和处理政府信息公开申请情况")
    summary = (f"本年新收申请 {_shown(new.total)} 件，上年结转 {_shown(carried.total)} 件")
    if last is not None:
        change = _change(new.total, last.table3.row("new").total)
        summary += f"（新收{change}）" if change else ""
    fig.text(0.07, 0.617, summary, fontsize=10.5, color=INK, va="center")
    columns = [c.label for c in labels.TABLE3_COLUMNS]
    previous_new = list(last.table3.row("new").cells) if last is not None else None
    fig.text(0.07, 0.59, "本年新收申请 · 按申请人", fontsize=9.5, color=GREY, va="center")
    _bars(fig.add_axes((0.22, 0.455, 0.45, 0.125)), columns, list(new.cells), previous_new,
          BLUE)
    outcomes = [("予以公开", report.table3.row("granted").total),
                ("部分公开", report.table3.row("partial").total),
                ("不予公开", _group_total(report, "refused")),
                ("无法提供", _group_total(report, "unavailable")),
                ("不予处理", _group_total(report, "not_processed")),
                ("其他处理", _group_total(report, "other_handling")),
                ("结转下年度", report.table3.row("carried_out").total)]
    before = None
    if last is not None:
        before = [last.table3.row("granted").total, last.table3.row("partial").total,
                  _group_total(last, "refused"), _group_total(last, "unavailable"),
                  _group_total(last, "not_processed"), _group_total(last, "other_handling"),
                  last.table3.row("carried_out").total]
    fig.text(0.07, 0.43, "办理结果", fontsize=9.5, color=GREY, va="center")
    _bars(fig.add_axes((0.22, 0.275, 0.45, 0.145)), [n for n, _ in outcomes],
          [v for _, v in outcomes], before, RED)
    if compare:
        fig.text(0.93, 0.275, "灰条为上年", ha="right", fontsize=8, color=GREY)
    # 三、表四: 复议 and 诉讼.
    _heading(fig, 0.245, "政府信息公开行政复议、行政诉讼情况")
    t4 = report.table4

    def last_t4(block: str, key: str | None = None) -> Number:
        if last is None:
            return None
        outcome = getattr(last.table4, block)
        value: Number = outcome.total if key is None else getattr(outcome, key)
        return value

    suits = _sum([t4.direct_suit.total, t4.suit_after_review.total])
    tiles = [_Tile("行政复议", "件", t4.review.total, last_t4("review")),
             _Tile("复议 结果纠正", "件", t4.review.corrected, last_t4("review", "corrected")),
             _Tile("行政诉讼", "件", suits,
                   _sum([last_t4("direct_suit"), last_t4("suit_after_review")])),
             _Tile("诉讼 结果纠正", "件",
                   _sum([t4.direct_suit.corrected, t4.suit_after_review.corrected]),
                   _sum([last_t4("direct_suit", "corrected"),
                         last_t4("suit_after_review", "corrected")]))]
    _tiles(fig.add_axes((0.05, 0.135, 0.9, 0.095)), tiles, 4, compare)
    review = "、".join(f"{name} {_shown(getattr(t4.review, key))}"
                       for key, name in labels.TABLE4_OUTCOMES)
    suit = "、".join(
        f"{name} {_shown(_sum([getattr(t4.direct_suit, key), getattr(t4.suit_after_review, key)]))}"
        for key, name in labels.TABLE4_OUTCOMES)
    fig.text(0.07, 0.115, f"行政复议：{review}", fontsize=9.5, color=INK, va="center")
    fig.text(0.07, 0.09, f"行政诉讼（未经复议直接起诉与复议后起诉合计）：{suit}", fontsize=9.5,
             color=INK, va="center")
    fig.text(0.5, 0.04, f"数据来源：{clean_text(report.display_title)[0]}", ha="center",
             fontsize=8.5, color=GREY)
    fig.text(0.5, 0.022, "「未填」表示报告中该项空白", ha="center", fontsize=8, color=GREY)
    return fig


def _title_band() -> Patch:
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0.905), 1, 0.095, facecolor=RED, edgecolor="none")


def render_tujie(report: Report, last: Report | None = None) -> Tujie:
    """The 图解 of a report (with last year's for the changes) as PNG and PDF bytes."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import rc_context

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # matplotlib's PDF dates, if it wrote any
    face = _face()
    with rc_context({"svg.hashsalt": "xxgk", "pdf.fonttype": 3, "axes.unicode_minus": False,
                     "font.family": [face]}):
        figure = _draw(report, last)
        png, pdf = io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
        figure.savefig(pdf, format="pdf", metadata={
            "CreationDate": None, "ModDate": None, "Producer": None, "Creator": None,
            "Title": clean_text(report.display_title)[0] + " 图解",
        })
    return Tujie(png.getvalue(), pdf.getvalue())
