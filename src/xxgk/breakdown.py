"""The 汇总's 明细表: one row per organ with its key figures, and a 合计 row equal to the 汇总.

It travels as a companion file beside the summed data file (``甲县2025.yaml`` →
``甲县2025.明细.csv``), not inside it: the data file stays the clerk's form with one grammar and
the report's own keys, while the 明细 is derived data that ``sum`` rewrites each time. CSV (UTF-8
with a BOM) opens directly in Excel and WPS, diffs line by line, and is read back strictly: every
figure a decimal number, the 合计 row the sum of the organ rows and equal to the summed report, so a
stale or hand-edited 明细 can never be published beside the wrong totals.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.figures import FIGURES, Figure, key_figures
from xxgk.model import Report

SUFFIX = ".明细.csv"
ORGAN, SOURCE, TOTAL = "机关名称", "数据文件", "合计"
HEADINGS = (ORGAN, SOURCE, *(name for name, _ in FIGURES))
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def breakdown_path(data_file: Path) -> Path:
    """Where the 明细表 of a summed data file stands: beside it, ``{stem}.明细.csv``."""
    return data_file.with_name(data_file.stem + SUFFIX)


@dataclass(frozen=True)
class BreakdownRow:
    """One organ of the 汇总: its name, the file it came from and its key figures."""

    organ: str
    source: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Breakdown:
    """The 明细表: the organ rows and the 合计 row."""

    rows: list[BreakdownRow]
    total: tuple[Figure, ...]


def _add(values: Sequence[Figure]) -> Figure:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), 0)


def breakdown_of(parts: Sequence[tuple[str, Report]], total: Report) -> Breakdown:
    """The 明细表 of a 汇总 from its parts (source name, report); 合计 from the summed report."""
    rows = [BreakdownRow(r.organ, source, key_figures(r)) for source, r in parts]
    return Breakdown(rows, key_figures(total))


def _cell(value: Figure) -> str:
    return "" if value is None else str(value)


# Excel and WPS evaluate a CSV cell starting with one of these as a formula (CSV injection): an
# organ name from a hostile data file must stay text, so it is written after an apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# The apostrophe itself is escaped the same way, so a name that really begins with one reads back
# as it was: one apostrophe is removed on reading exactly where one was added on writing.
_ESCAPED_STARTS = (*_FORMULA_STARTS, "'")


def _text_out(text: str) -> str:
    return "'" + text if text.startswith(_ESCAPED_STARTS) else text


def _text_in(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_ESCAPED_STARTS) else text


def breakdown_csv(breakdown: Breakdown) -> bytes:
    """The companion file's bytes: UTF-8 with a BOM (so Excel reads the Chinese), CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for row in breakdown.rows:
        writer.writerow([_text_out(row.organ), _text_out(row.source),
                         *(_cell(v) for v in row.figures)])
    writer.writerow([TOTAL, "", *(_cell(v) for v in breakdown.total)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _fail(file: str, line: int | None, message: str) -> XxgkError:
    return XxgkError.single("sum/breakdown-unreadable", message, file, line)


def _figure(text: str, file: str, line: int, heading: str) -> Figure:
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise _fail(file, line, f"「{heading}」应为非负数，实际为「{text}」")
    try:
        return Decimal(text) if "." in text else int(text)
    except (InvalidOperation, ValueError):  # pragma: no cover - the pattern admits only numbers
        raise _fail(file, line, f"「{heading}」无法读取：「{text}」") from None


def parse_breakdown(text: str, file: str) -> Breakdown:
    """The 明细表 read back from its companion file's text; XxgkError naming the line when not."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        lines = list(reader)
    except csv.Error as exc:  # a cell past csv's field limit (128 K characters), a stray NUL
        message = f"明细表无法读取（{exc}）；请重新运行 xxgk sum"
        raise _fail(file, reader.line_num, message) from None
    if not lines or tuple(lines[0]) != HEADINGS:
        raise _fail(file, 1, "第一行应为明细表的列名（由 xxgk sum 生成）；请重新运行 xxgk sum")
    if len(lines) < 2 or lines[-1][:1] != [TOTAL]:
        raise _fail(file, len(lines), f"最后一行应为「{TOTAL}」行；请重新运行 xxgk sum")
    rows: list[BreakdownRow] = []
    total: tuple[Figure, ...] = ()
    for number, cells in enumerate(lines[1:], 2):
        if len(cells) != len(HEADINGS):
            raise _fail(file, number, f"应有 {len(HEADINGS)} 列，实际 {len(cells)} 列")
        figures = tuple(_figure(c, file, number, h) for c, h in zip(cells[2:], HEADINGS[2:],
                                                                      strict=True))
        if number == len(lines):
            total = figures
        else:
            rows.append(BreakdownRow(_text_in(cells[0]), _text_in(cells[1]), figures))
    return Breakdown(rows, total)


def check_breakdown(breakdown: Breakdown, report: Report, file: str) -> list[Finding]:
    """Errors where the 合计 row is not the sum of the organs or not the summed report's figures."""
    findings = []
    expected = key_figures(report)
    for i, (name, _) in enumerate(FIGURES):
        column = _add([row.figures[i] for row in breakdown.rows])
        stated = breakdown.total[i]
        if column != stated or stated != expected[i]:
            findings.append(Finding(
                "sum/breakdown-mismatch", Severity.ERROR, Location(("明细表", name), file),
                f"合计为 {_cell(stated) or '空'}，各机关之和为 {_cell(column) or '空'}，"
                f"汇总数据为 {_cell(expected[i]) or '空'}；数据改动后请重新运行 xxgk sum",
            ))
    return findings
