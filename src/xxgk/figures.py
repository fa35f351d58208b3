"""The key figures of a report, by name: what a supervisor compares across organs at a glance.

The audit's 总表 and the 汇总's 明细表 show the same figures, in the same order, from here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from xxgk import labels
from xxgk.model import Count, Report

Figure = int | Decimal | None


def _t3(row_id: str) -> Callable[[Report], Figure]:
    return lambda r: r.table3.row(row_id).total


def _group(group: str) -> Callable[[Report], Figure]:
    rows = [row.id for row in labels.TABLE3_RESULT_ROWS if row.id.startswith(f"{group}.")]

    def total(r: Report) -> Figure:
        values: list[Count] = [r.table3.row(i).total for i in rows]
        return None if None in values else sum(v for v in values if v is not None)

    return total


def _t2(field: str, column: int | None = None) -> Callable[[Report], Figure]:
    def value(r: Report) -> Figure:
        found = getattr(r.table2, field)
        value: Figure = found if column is None else found.cells()[column]
        return value

    return value


def _litigation(r: Report) -> Figure:
    a, b = r.table4.direct_suit.total, r.table4.suit_after_review.total
    return None if a is None or b is None else a + b


# The key figures of the 总表, in the order a supervisor reads them: 表二, 表三, 表四.
FIGURES: tuple[tuple[str, Callable[[Report], Figure]], ...] = (
    ("规章制发", _t2("regulations", 0)),
    ("规章废止", _t2("regulations", 1)),
    ("规章现行有效", _t2("regulations", 2)),
    ("规范性文件制发", _t2("normative_documents", 0)),
    ("规范性文件废止", _t2("normative_documents", 1)),
    ("规范性文件现行有效", _t2("normative_documents", 2)),
    ("行政许可", _t2("licensing")),
    ("行政处罚", _t2("punishment")),
    ("行政强制", _t2("enforcement")),
    ("收费（万元）", _t2("fees")),
    ("本年新收", _t3("new")),
    ("上年结转", _t3("carried_in")),
    ("予以公开", _t3("granted")),
    ("部分公开", _t3("partial")),
    ("不予公开", _group("refused")),
    ("无法提供", _group("unavailable")),
    ("不予处理", _group("not_processed")),
    ("其他处理", _group("other_handling")),
    ("办理结果总计", lambda r: r.table3.results_grand_total()),
    ("结转下年度", _t3("carried_out")),
    ("行政复议", lambda r: r.table4.review.total),
    ("行政诉讼", _litigation),
)


def key_figures(report: Report) -> tuple[Figure, ...]:
    """The report's figures in FIGURES order."""
    return tuple(value(report) for _, value in FIGURES)
