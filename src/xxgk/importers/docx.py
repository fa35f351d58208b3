"""A Word report (.docx, ours or made by hand in Word/WPS) → ImportResult.

The body is walked in document order, paragraphs and tables interleaved (content controls
opened). python-docx repeats a merged cell in every grid slot it covers, so a slot whose cell
element was already seen in the table is emptied: the grid then looks like a paste from Word.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from xxgk.errors import XxgkError
from xxgk.importers import ImportResult
from xxgk.importers.document import read_rows
from xxgk.importers.rows import Row, paragraph_row, table_rows

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")


def read(path: Path) -> ImportResult:
    """The report in a Word file."""
    try:
        document = docx.Document(str(path))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        etree.XMLSyntaxError,
    ) as exc:
        raise XxgkError.single("import/bad-docx", f"无法打开 Word 文件：{exc}", str(path)) from exc
    return read_document(document)


def read_document(document: Document) -> ImportResult:
    """The report in an open python-docx Document."""
    rows = list(_rows(document))
    titles = [document.core_properties.title or ""]
    return read_rows(rows, fallback_titles=titles, tables_marked=True)


def _blocks(parent: etree._Element) -> Iterator[etree._Element]:
    for child in parent.iterchildren():
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (_P, _TBL):
            yield child


def _rows(document: Document) -> Iterator[Row]:
    body = document.element.body
    for element in _blocks(body):
        if element.tag == _P:
            yield paragraph_row(Paragraph(element, document).text)
        else:
            yield from table_rows(_grid(Table(element, document)))


def _grid(table: Table) -> list[list[str]]:
    # Keep the elements themselves: an lxml proxy's id() is reused once the proxy is freed.
    seen: set[etree._Element] = set()
    grid: list[list[str]] = []
    for row in table.rows:
        line: list[str] = []
        for cell in row.cells:
            key = cell._tc
            if key in seen:
                line.append("")  # a slot covered by a merge: its text is in the first slot
                continue
            seen.add(key)
            line.append(" ".join(cell.text.split()))
        grid.append(line)
    return grid
