"""Pasted text (.txt) → ImportResult: each line a row, cells split at tabs or runs of spaces.

Text that page-to-text tools make of a web table ends each cell with " |": a whole row on one
line (「规章 | 0 | 0 | 0 |」) or one cell a line (「56 |」), with lines of bare pipes between rows.
Such a line is split at its pipes like a tab-separated one; a line of bare pipes is blank.

Tables pasted one cell per line (a browser's or PDF viewer's copy) are regrouped by the shared
core (``stacked``), so the same paste reads the same whichever way its cells were separated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.importers import ImportResult
from xxgk.importers.document import read_rows
from xxgk.importers.hints import Hints
from xxgk.importers.rows import Row, text_row
from xxgk.inputs.source import decode, read_bytes


def read(path: Path) -> ImportResult:
    """The report in a text file (UTF-8 or GBK)."""
    return read_with_hints(path, Hints(file_name=path.stem))


def read_with_hints(path: Path, hints: Hints) -> ImportResult:
    """The report in a text file (UTF-8 or GBK), with what the caller knows about it."""
    return read_text_file(path, hints, parse_text)


def read_text_file(
    path: Path, hints: Hints, parse: Callable[[str, Hints | None], ImportResult]
) -> ImportResult:
    """The report in a text file of any kind (UTF-8 or GBK, binary refused), read by ``parse``;
    the decoding's own warnings come first."""
    data = read_bytes(path)
    if b"\x00" in data:
        raise XxgkError.single("import/binary", "这不是文本文件（含有二进制内容）", str(path))
    text, notes = decode(data, str(path))
    result = parse(text, hints)
    result.findings = notes + result.findings
    return result


def parse_text(text: str, hints: Hints | None = None) -> ImportResult:
    """The report in pasted text; XxgkError when not even its year can be found."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return read_rows([_row(line, i) for i, line in enumerate(lines, 1)], hints=hints)


def _row(line: str, number: int) -> Row:
    """A row from one line: pipe-ended cells split at their pipes, anything else as text_row."""
    stripped = line.strip()
    if not stripped.endswith("|") or "\t" in line:
        return text_row(line, number)
    cells = tuple(c.strip() for c in stripped.strip("|").split("|"))
    if not any(cells):
        return Row(("",), "", number)
    return Row(cells, "\t".join(cells).strip(), number)
