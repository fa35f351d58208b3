"""Pasted text (.txt) → ImportResult: each line a row, cells split at tabs or runs of spaces.

Text that page-to-text tools make of a web table ends each cell with " |": a whole row on one
line (「规章 | 0 | 0 | 0 |」) or one cell a line (「56 |」), with lines of bare pipes between rows.
Such a line is split at its pipes like a tab-separated one; a line of bare pipes is blank.

What a .txt holds decides how it is read (``sniff``): HTML saved as .txt is a page, converters'
pipe tables are markdown, a crawler's file has its header of metadata read apart (``pagetext``),
and a body run together on one line is cut at the national headings.

Tables pasted one cell per line (a browser's or PDF viewer's copy) are regrouped by the shared
core (``stacked``), so the same paste reads the same whichever way its cells were separated.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.importers import ImportResult, blankcells, pagetext, published
from xxgk.importers.document import read_rows
from xxgk.importers.findings import Collector
from xxgk.importers.hints import Hints
from xxgk.importers.rows import Row, text_row
from xxgk.inputs.source import decode, read_bytes

SPLIT_BODY = "import/one-line-body"
READ_AS = "import/read-as"
_MD_SEPARATOR = re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+")


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
    """The report in pasted text; XxgkError when not even its year can be found.

    Text is read by what it is, whatever its name: a saved web page as HTML, converters' pipe
    tables as markdown, a crawler's file by its header (``pagetext``)."""
    kind = sniff(text)
    if kind == "html":
        from xxgk.importers.html import parse_html  # html reads .txt pages only through here

        return _noted(parse_html(text, hints), "网页源代码（HTML）")
    if kind == "markdown":
        from xxgk.importers.markdown import parse_markdown  # markdown builds on this module

        return _noted(parse_markdown(text, hints), "markdown 管道表")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    page = pagetext.read_header(lines)
    first = page.body_from if page is not None else 0
    title = page.title if page is not None else None
    rows = [_row(line, i) for i, line in enumerate(lines[:first], 1)] if page is None else []
    out = Collector()
    sheet = sum(line.count("\f") for line in lines[:first])  # pdftotext ends a page with \f
    for i, line in enumerate(lines[first:], first + 1):
        sheet += line.count("\f")
        if page is not None:  # markup a crawler kept in the text is not what the page shows
            line = pagetext.HTML_COMMENT.sub("", line)
        if pagetext.is_run_together(line):
            pieces = pagetext.split_body(line.strip(), title)
            out.warn(
                SPLIT_BODY,
                (),
                f"第 {i} 行是连成一行的正文（{len(line)} 字），已按节标题和表格行名分行读取",
                i,
            )
            rows += [_row(piece, i) for piece in pieces]
        else:
            rows.append(_placed(_row(line, i), line, sheet))
    fallback = [title] if title else []
    result = read_rows(rows, fallback_titles=fallback, hints=hints)
    result.findings = out.findings + result.findings
    if page is not None:
        result = _page_metadata(result, page)
    else:
        stated = published.stated_in_text(lines)
        if stated is not None:
            result = published.attach(result, stated[0], f"正文前的「{stated[1]}」")
    return result


def sniff(text: str) -> str:
    """What a text file holds: 「html」, 「markdown」 or 「text」."""
    head = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and ("<body" in head or "<table" in head or "<div" in head)
    ):
        return "html"
    pipe_rows = separators = 0
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            pipe_rows += 1
            if _MD_SEPARATOR.fullmatch(stripped):
                separators += 1
    return "markdown" if separators and pipe_rows >= 3 else "text"


def _noted(result: ImportResult, what: str) -> ImportResult:
    out = Collector()
    out.warn(READ_AS, (), f"文本文件的内容是{what}，已按{what}读取")
    result.findings = out.findings + result.findings
    return result


def _page_metadata(result: ImportResult, page: pagetext.CrawlerPage) -> ImportResult:
    """The crawler header's publication date into the report, and a finding for it."""
    stated = page.published_text
    if stated is None:
        return result
    key, value = stated
    return published.attach(result, published.parse_date(value), f"爬虫文件头的「{key}: {value}」")


def _placed(row: Row, line: str, sheet: int) -> Row:
    """The row with where its numbers stand on the line (laid-out text keeps the page's
    geometry: blankcells uses it to tell which columns a row's numbers can stand in)."""
    if "\t" in line or len(row.cells) < 2:
        return row
    offsets = blankcells.number_offsets(line.replace("\f", ""), row.cells)
    return dataclasses.replace(row, offsets=offsets, page=sheet) if offsets else row


def _row(line: str, number: int) -> Row:
    """A row from one line: pipe-ended cells split at their pipes, anything else as text_row."""
    stripped = line.strip()
    if not stripped.endswith("|") or "\t" in line:
        return text_row(line, number)
    cells = tuple(c.strip() for c in stripped.strip("|").split("|"))
    if not any(cells):
        return Row(("",), "", number)
    return Row(cells, "\t".join(cells).strip(), number)
