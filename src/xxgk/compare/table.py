"""The comparison as plain rows, shared by its Word, Excel and web renderings."""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.compare.comparison import Comparison, is_headline
from xxgk.compare.numbers import NumberChange
from xxgk.compare.text import SectionChange
from xxgk.rates import MIN_CASES, RATES, rates

NUMBER_HEADINGS = ("表", "项目", "上年", "本年", "增减", "增减率")
CARRY_HEADINGS = ("申请人", "上年结转下年度", "本年上年结转", "是否衔接")
TEXT_HEADINGS = ("部分", "情况", "沿用上年", "本年新写或改写的句子", "上年删去的句子")
FINDING_HEADINGS = ("年度", "严重程度", "代码", "位置", "说明")
RATE_HEADINGS = ("比率", "计算方法", "上年", "本年", "评价")


def _number(value: object) -> str:
    return "" if value is None else str(value)


def number_row(n: NumberChange) -> list[str]:
    """表, 项目, 上年, 本年, 增减, 增减率 of one number."""
    if n.change is None:
        change = ""
    elif n.change == 0:
        change = "0"
    else:
        change = f"+{n.change}" if n.change > 0 else str(n.change)
    percent = "" if n.percent is None or n.change == 0 else f"{n.percent:+.1f}%"
    return [n.table, n.label, _number(n.last), _number(n.this), change, percent]


def text_row(s: SectionChange) -> list[str]:
    """部分, 情况, 沿用上年, 新写的句子, 删去的句子 of one section."""
    share = "" if s.share is None else f"{s.share:.0%}"
    return [s.place, s.status, share, "\n".join(s.added), "\n".join(s.removed)]


def rate_rows(c: Comparison) -> list[list[str]]:
    """比率, 计算方法, 上年, 本年, 评价 of each derived rate (no verdict below MIN_CASES cases)."""
    rows = []
    for rule, last, this in zip(RATES, rates(c.last), rates(c.this), strict=True):
        verdict = ("值得关注" if this.concern else "正常") if this.concern is not None else (
            f"不足 {MIN_CASES} 件，不评价" if this.value is not None else "")
        rows.append([rule.name, rule.explained, last.shown(), this.shown(), verdict])
    return rows


@dataclass(frozen=True)
class Part:
    """A titled table of the comparison."""

    title: str
    headings: tuple[str, ...]
    rows: list[list[str]]
    marked: list[bool]  # rows to draw attention to (changed numbers, broken links, copied text)
    mark: str = "note"  # "fail" where a marked row is a rule broken


def comparison_parts(c: Comparison, *, headline_only: bool = False) -> list[Part]:
    """The tables of the comparison; ``headline_only`` keeps 表二 and the 总计 of each row of 表三
    and block of 表四 (a printed comparison cannot hold 210 numbers on a few pages)."""
    numbers = [n for n in c.numbers if not headline_only or is_headline(n)]
    carry = [[link.column, _number(link.carried_out), _number(link.carried_in),
              "是" if link.holds else "否"] for link in c.carry]
    findings = [
        [str(year), f.severity.chinese, f.code, str(f.location), f.message]
        for year, found in ((c.last.year, c.last_findings), (c.this.year, c.this_findings))
        for f in found
    ]
    number_title = "三张表的主要数字" if headline_only else "三张表的全部数字"
    rated = rate_rows(c)
    return [
        Part(number_title, NUMBER_HEADINGS, [number_row(n) for n in numbers],
             [bool(n.change) for n in numbers]),
        Part("结转衔接（上年“结转下年度继续办理”→ 本年“上年结转”）", CARRY_HEADINGS, carry,
             [not link.holds for link in c.carry], "fail"),
        Part("正文逐部分对照", TEXT_HEADINGS, [text_row(s) for s in c.sections],
             [s.status == "沿用" for s in c.sections]),
        Part("两年报告的检查结果", FINDING_HEADINGS, findings,
             [row[1] == "错误" for row in findings], "fail"),
        Part("主要比率", RATE_HEADINGS, rated, [row[4] == "值得关注" for row in rated]),
    ]
