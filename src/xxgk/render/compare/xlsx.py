"""The comparison as a workbook: every number of both years, the carry-over, text, findings."""

from __future__ import annotations

import re
from decimal import Decimal

from xxgk.audit.table import Column, Sheet, Value
from xxgk.compare import Comparison
from xxgk.compare.table import comparison_parts
from xxgk.render.audit.xlsx import render_audit_xlsx
from xxgk.render.zipfix import document_time

NUMERIC = {"上年", "本年", "增减", "年度", "上年结转下年度", "本年上年结转"}
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
WIDE = {"项目", "部分", "位置", "本年新写或改写的句子", "上年删去的句子", "说明"}
SHEET_NAMES = ("数字对照", "结转衔接", "正文对照", "检查结果", "主要比率")


def _value(text: str, numeric: bool) -> Value:
    # Numbers stay numbers in the workbook (sortable, summable); a fee keeps its decimals.
    if not numeric or not _NUMBER.fullmatch(text):
        return text
    return Decimal(text) if "." in text else int(text)


def comparison_sheets(c: Comparison) -> list[Sheet]:
    """总览 (the summary), then one sheet per part of the comparison."""
    summary = Sheet("总览", f"{c.this.organ} {c.last.year}—{c.this.year} 年度报告对照",
                    (Column("要点", wide=True),), [[line] for line in c.summary()],
                    [False] * len(c.summary()))
    sheets = [summary]
    for name, part in zip(SHEET_NAMES, comparison_parts(c), strict=True):
        columns = tuple(Column(h, numeric=h in NUMERIC, wide=h in WIDE) for h in part.headings)
        rows = [[_value(v, column.numeric) for v, column in zip(row, columns, strict=True)]
                for row in part.rows]
        sheets.append(Sheet(name, part.title, columns, rows, part.marked, part.mark))
    return sheets


def render_compare_xlsx(c: Comparison) -> bytes:
    """The workbook; marked rows (changes, broken links, copied text, errors) filled red."""
    return render_audit_xlsx(comparison_sheets(c), document_time(None, c.this.year))
