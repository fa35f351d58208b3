"""Markdown (.md) that converters and crawlers make of a report → ImportResult.

Headings lose their 「#」 marks; a pipe-table line 「| 规章 | 0 | 0 | 0 |」 is a table row of
its cells; the 「|---|」 lines and the placeholder headers a converter invents
(「类别 | 数据1 … 数据6」) are dropped. Converters often cut a table into one small table per
row, or scatter a PDF table's labels as plain lines between its rows: every row is still read by
its own label, never by position, and a row whose label was lost stays blank with a finding.
Everything else reads as a text paste.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from xxgk.errors import Finding
from xxgk.importers import ImportResult, detached
from xxgk.importers.document import read_rows
from xxgk.importers.findings import Collector
from xxgk.importers.hints import Hints
from xxgk.importers.rows import Row, text_row
from xxgk.importers.txt import read_text_file

_HEADING_MARKS = re.compile(r"^\s{0,3}#{1,6}\s*")
_SEPARATOR_CELL = re.compile(r"\s*:?-{3,}:?\s*")
# Headers a converter invents for a table that had none: they name nothing in the report.
_PLACEHOLDER = re.compile(r"(?:数据|列|column|col)\s*\d{1,2}|类别|项目|\(?数据项目\)?|数量", re.I)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def read(path: Path) -> ImportResult:
    """The report in a markdown file."""
    return read_with_hints(path, Hints(file_name=path.stem))


def read_with_hints(path: Path, hints: Hints) -> ImportResult:
    """The report in a markdown file (UTF-8 or GBK), with what the caller knows about it."""
    return read_text_file(path, hints, parse_markdown)


def parse_markdown(text: str, hints: Hints | None = None) -> ImportResult:
    """The report in markdown text; XxgkError when not even its year can be found."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = Collector()
    rows = detached.restore([markdown_row(line, i) for i, line in enumerate(lines, 1)], out)
    result = read_rows(rows, hints=hints)
    if not out.findings:
        return result
    return dataclasses.replace(result, findings=_merged(result.findings, out.findings))


def _merged(found: list[Finding], restored: list[Finding]) -> list[Finding]:
    """The reader's findings with the restored labels' ones among them in line order."""
    merged = list(found)
    for finding in restored:
        line = finding.location.line or 0
        at = next((i for i, f in enumerate(merged) if (f.location.line or 0) > line), len(merged))
        merged.insert(at, finding)
    return merged


def markdown_row(line: str, number: int | None = None) -> Row:
    """A row from one markdown line: a pipe-table row, or a line of text without its marks."""
    stripped = line.strip()
    if stripped.startswith("|"):
        cells = [_EMPHASIS.sub(r"\2", c).strip() for c in stripped.strip("|").split("|")]
        if all(_SEPARATOR_CELL.fullmatch(c) or not c for c in cells):
            return Row(("",), "", number)
        if all(_PLACEHOLDER.fullmatch(c.replace(" ", "")) or not c for c in cells):
            return Row(("",), "", number)
        return Row(tuple(cells), "\t".join(cells).strip(), number, in_table=True)
    return text_row(_EMPHASIS.sub(r"\2", _HEADING_MARKS.sub("", line)), number)
