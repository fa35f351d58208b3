"""Every number of 表二, 表三 and 表四 in table order, computed totals included, with both years."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from xxgk import labels
from xxgk.checks.cells import table2_cells
from xxgk.model import Report

Number = int | Decimal | None


def numbers(report: Report) -> Iterator[tuple[tuple[str, ...], Number]]:
    """(place, value) of every number a reader sees in the three tables, totals included."""
    for cell in table2_cells(report):
        yield cell.parts, cell.value
    t3 = report.table3
    columns = (*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL)
    for row in labels.TABLE3_ROWS:
        counts = t3.row(row.id)
        for column, value in zip(columns, (*counts.cells, counts.total), strict=True):
            yield ("表三", *row.path, column), value
        if row == labels.TABLE3_RESULT_ROWS[-1]:
            totals = (*t3.results_total(), t3.results_grand_total())
            for column, value in zip(columns, totals, strict=True):
                yield ("表三", labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL, column), value
    for block in labels.TABLE4_BLOCKS:
        outcomes = report.table4.block(block.id)
        names = (*(label for _, label in labels.TABLE4_OUTCOMES), labels.TABLE4_TOTAL)
        for name, value in zip(names, (*outcomes.cells(), outcomes.total), strict=True):
            yield ("表四", *block.path, name), value


@dataclass(frozen=True)
class NumberChange:
    """One number in both years."""

    place: tuple[str, ...]
    last: Number
    this: Number

    @property
    def change(self) -> Number:
        """This year's minus last year's (None when either is blank)."""
        if self.last is None or self.this is None:
            return None
        return self.this - self.last

    @property
    def percent(self) -> float | None:
        """The change in percent of last year's (None when last year's is 0 or blank)."""
        if self.change is None or not self.last:
            return None
        return float(self.change) / float(self.last) * 100

    @property
    def table(self) -> str:
        """表二, 表三 or 表四."""
        return self.place[0]

    @property
    def label(self) -> str:
        """The place without the table's name."""
        return "/".join(self.place[1:])

    @property
    def short_label(self) -> str:
        """The place in few words, for sentences: no 「三、本年度办理结果」 above the （一）…
        groups, no trailing 总计 (「（五）不予处理 4.无正当理由大量反复申请」)."""
        parts = [p for p in self.place[1:] if p != labels.TABLE3_RESULTS]
        if len(parts) > 1 and parts[-1] == labels.TABLE3_TOTAL:
            parts = parts[:-1]
        return " ".join(parts)

    def in_words(self) -> str:
        """「增加 91，增长 31.4%」, 「减少 2」, 「无变化」 or 「无法比较」 (a year blank)."""
        if self.change is None:
            return "无法比较"
        if not self.change:
            return "无变化"
        up = self.change > 0
        text = f"{'增加' if up else '减少'} {abs(self.change)}"
        if self.percent is not None:
            text += f"，{'增长' if up else '下降'} {abs(self.percent):.1f}%"
        return text

    def describe_change(self) -> str:
        """「+3（+50.0%）」, 「−2」, 「无变化」 or 「—」 when a year is blank."""
        if self.change is None:
            return "—"
        if not self.change:
            return "无变化"
        sign = "+" if self.change > 0 else "−"
        text = f"{sign}{abs(self.change)}"
        return f"{text}（{self.percent:+.1f}%）" if self.percent is not None else text


def number_changes(last: Report, this: Report) -> list[NumberChange]:
    """Every number of both years, in table order."""
    before = dict(numbers(last))
    return [NumberChange(place, before.get(place), value) for place, value in numbers(this)]
