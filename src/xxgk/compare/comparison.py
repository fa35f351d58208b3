"""The year-over-year comparison of one organ: numbers, the carry-over chain, text, findings."""

from __future__ import annotations

from dataclasses import dataclass

from xxgk import labels
from xxgk.checks import check
from xxgk.compare.numbers import NumberChange, number_changes
from xxgk.compare.text import COPIED, SectionChange, copied_share, report_text, section_changes
from xxgk.errors import Finding
from xxgk.model import Count, Report
from xxgk.pairing import organ_key

LARGEST = 5  # changes named in the summary


@dataclass(frozen=True)
class CarryLink:
    """One column of the carry-over chain: last year's 结转 and this year's 上年结转."""

    column: str
    carried_out: Count
    carried_in: Count

    @property
    def holds(self) -> bool:
        """True when both are given and equal (a blank cannot be judged, and is not a break)."""
        return None in (self.carried_out, self.carried_in) or self.carried_out == self.carried_in


@dataclass(frozen=True)
class Comparison:
    """Everything an evaluator compares between an organ's two reports."""

    last: Report
    this: Report
    last_source: str
    this_source: str
    numbers: list[NumberChange]
    carry: list[CarryLink]
    sections: list[SectionChange]
    copied: float | None  # share of this year's whole text found in last year's
    last_findings: list[Finding]
    this_findings: list[Finding]

    def largest_changes(self, count: int = LARGEST) -> list[NumberChange]:
        """The headline numbers that changed most (absolute): 表二's, and the 总计 of 表三 and
        表四 (a column of 表三 changing is told by its 总计)."""
        changed = [n for n in self.numbers if n.change and is_headline(n)]
        return sorted(
            changed,
            key=lambda n: -abs(float(n.change or 0)),
        )[:count]

    def summary(self) -> list[str]:
        """A few sentences for the top of the comparison."""
        lines = [f"{self.this.organ}：{self.last.year} 年度与 {self.this.year} 年度报告对比。"]
        if organ_key(self.last.organ) != organ_key(self.this.organ):
            lines.append(f"注意：两份报告的机关名称不同（「{self.last.organ}」与「{self.this.organ}」），"
                         "请确认是同一机关（如机构改革后更名）。")
        changed = [n for n in self.numbers if n.change]
        if changed:
            biggest = "；".join(
                f"{n.table}“{n.short_label}”由 {n.last} 变为 {n.this}，{n.in_words()}"
                for n in self.largest_changes()
            )
            lines.append(f"共 {len(changed)} 个数字有变化，变化最大的：{biggest}。")
        else:
            lines.append("三张表的数字与上年完全相同。")
        broken = [c for c in self.carry if not c.holds]
        if broken:
            lines.append("结转不衔接：" + "；".join(
                f"{c.column} 上年结转下年度 {c.carried_out}，本年上年结转 {c.carried_in}"
                for c in broken) + "。")
        else:
            lines.append("上年“结转下年度继续办理”与本年“上年结转”衔接一致。")
        copied = [s for s in self.sections if s.status == COPIED]
        if copied:
            lines.append("沿用上年文字的部分：" + "；".join(
                f"{s.place}（{s.share:.0%}）" for s in copied if s.share is not None) + "。")
        if self.copied is not None:
            lines.append(f"全文约 {self.copied:.0%} 的文字与上年相同。")
        for year, findings in ((self.last.year, self.last_findings),
                               (self.this.year, self.this_findings)):
            errors = [f for f in findings if f.is_error]
            if errors:
                lines.append(f"{year} 年度报告有 {len(errors)} 个错误，如：{errors[0].location}："
                             f"{errors[0].message}。")
        return lines


def is_headline(n: NumberChange) -> bool:
    """表二's numbers, and the 总计 of 表三's rows and 表四's blocks."""
    return n.table == "表二" or n.place[-1] == labels.TABLE3_TOTAL


def _carry_chain(last: Report, this: Report) -> list[CarryLink]:
    out, into = last.table3.row("carried_out"), this.table3.row("carried_in")
    columns = (*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL)
    return [
        CarryLink(column, before, now)
        for column, before, now in zip(
            columns, (*out.cells, out.total), (*into.cells, into.total), strict=True
        )
    ]


def compare_reports(
    last: Report, this: Report, last_source: str = "", this_source: str = "",
    last_findings: list[Finding] | None = None, this_findings: list[Finding] | None = None,
) -> Comparison:
    """This year's report compared with last year's; findings are checked when not given."""
    return Comparison(
        last=last,
        this=this,
        last_source=last_source,
        this_source=this_source,
        numbers=number_changes(last, this),
        carry=_carry_chain(last, this),
        sections=section_changes(last, this),
        copied=copied_share(report_text(this), report_text(last)),
        last_findings=last_findings if last_findings is not None else check(last),
        this_findings=this_findings if this_findings is not None else check(this, last),
    )
