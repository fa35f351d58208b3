"""The derived rates leaders quote, from a report's tables, with numerator and denominator.

A rate over a handful of cases says nothing (one refusal in three applications is
「不予公开率 33%」):
below ``MIN_CASES`` in the denominator a rate is shown but given no verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xxgk import labels
from xxgk.model import Count, Report, sum_or_none

MIN_CASES = 30  # denominators below this get no verdict colour


@dataclass(frozen=True)
class Rate:
    """One rate of one report: its parts, its value and whether it is a concern."""

    name: str
    numerator: Count
    denominator: Count
    concern: bool | None  # None: too few cases (or unknown) to judge

    @property
    def value(self) -> float | None:
        """numerator / denominator, None when either is blank or the denominator is 0."""
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator

    def shown(self) -> str:
        """「83%（25/30）」, or 「—」 when there is nothing to divide."""
        value = self.value
        if value is None:
            return "—"
        return f"{value:.0%}（{self.numerator}/{self.denominator}）"


def _group(report: Report, group: str) -> Count:
    rows = [r.id for r in labels.TABLE3_RESULT_ROWS if r.id.startswith(f"{group}.")]
    return sum_or_none(report.table3.row(i).total for i in rows)


def _t3(report: Report, row: str) -> Count:
    return report.table3.row(row).total


def _disclosed(r: Report) -> tuple[Count, Count]:
    return sum_or_none([_t3(r, "granted"), _t3(r, "partial")]), r.table3.results_grand_total()


def _refused(r: Report) -> tuple[Count, Count]:
    return _group(r, "refused"), r.table3.results_grand_total()


def _review_corrected(r: Report) -> tuple[Count, Count]:
    review = r.table4.review
    decided = None if review.total is None or review.pending is None else (
        review.total - review.pending)
    return review.corrected, decided


def _carried(r: Report) -> tuple[Count, Count]:
    return _t3(r, "carried_out"), sum_or_none([_t3(r, "new"), _t3(r, "carried_in")])


@dataclass(frozen=True)
class RateRule:
    """How a rate is computed and which way is a concern."""

    name: str
    parts: Callable[[Report], tuple[Count, Count]]
    concern_above: float | None = None  # a concern when the rate is above this
    concern_below: float | None = None  # … or below this
    explained: str = ""


RATES: tuple[RateRule, ...] = (
    RateRule("实质公开率", _disclosed, concern_below=0.5,
             explained="（予以公开 + 部分公开）÷ 办理结果总计"),
    RateRule("不予公开率", _refused, concern_above=0.2, explained="不予公开 ÷ 办理结果总计"),
    RateRule("复议纠错率", _review_corrected, concern_above=0.1,
             explained="行政复议结果纠正 ÷ 已审结的行政复议"),
    RateRule("结转率", _carried, concern_above=0.2,
             explained="结转下年度 ÷（本年新收 + 上年结转）"),
)


def rates(report: Report) -> tuple[Rate, ...]:
    """The report's rates in RATES order."""
    found = []
    for rule in RATES:
        numerator, denominator = rule.parts(report)
        rate = Rate(rule.name, numerator, denominator, None)
        value = rate.value
        if value is not None and denominator is not None and denominator >= MIN_CASES:
            concern = (rule.concern_above is not None and value > rule.concern_above) or (
                rule.concern_below is not None and value < rule.concern_below)
            rate = Rate(rule.name, numerator, denominator, concern)
        found.append(rate)
    return tuple(found)
