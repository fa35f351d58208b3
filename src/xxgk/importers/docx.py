"""A Word report (.docx, ours or made by hand in Word/WPS) → ImportResult.

The body is walked in document order, paragraphs and tables interleaved (content controls
opened). python-docx repeats a merged cell in every grid slot it covers, so a slot whose cell
element was already seen in the table is emptied: the grid then looks like a paste from Word.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from xxgk.errors import XxgkError
from xxgk.importers import ImportResult
from xxgk.importers.document import read_rows
from xxgk.importers.rows import Row, paragraph_row, table_rows

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TR, _TR_PR, _TC_PR, _T, _TAB, _BR = (
    qn("w:tr"),
    qn("w:trPr"),
    qn("w:tcPr"),
    qn("w:t"),
    qn("w:tab"),
    qn("w:br"),
)
_TC = qn("w:tc")
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # a .doc (or WPS .wps) renamed to .docx
_FRAME_PARAGRAPHS = 5  # a one-cell table with more paragraphs than this frames the text
_GRID_BEFORE, _GRID_SPAN, _V_MERGE, _VAL = (
    qn("w:gridBefore"),
    qn("w:gridSpan"),
    qn("w:vMerge"),
    qn("w:val"),
)


def read(path: Path) -> ImportResult:
    """The report in a Word file."""
    with path.open("rb") as handle:
        if handle.read(len(_OLE_MAGIC)) == _OLE_MAGIC:
            raise XxgkError.single(
                "import/old-word",
                "这是旧版 Word（.doc）文件，请用 Word 或 WPS 另存为 .docx 后再导入",
                str(path),
            )
    try:
        document = docx.Document(str(path))
        _ = document.core_properties.title  # a core part of the wrong type fails here, not later
    except Exception as exc:
        # python-docx raises whatever its parsing meets in a damaged package (TypeError,
        # AttributeError on well-formed XML with parts missing, …): all mean "not a usable .docx".
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


def _rows(document: Document, parent: etree._Element | None = None) -> Iterator[Row]:
    for element in _blocks(document.element.body if parent is None else parent):
        if element.tag == _P:
            yield paragraph_row(Paragraph(element, document).text)
        elif _is_layout(element):  # a report set inside a frame table: read what the cells hold
            for tc in element.iter(_TC):
                if tc.getparent() is not None and tc.getparent().getparent() is element:
                    yield from _rows(document, tc)
        else:
            yield from table_rows(_grid(element))


def _is_layout(table: etree._Element) -> bool:
    """True for a frame table: it holds another table, or is one cell of many paragraphs."""
    if any(True for _ in table.iterdescendants(_TBL)):
        return True
    cells = list(table.iter(_TC))
    return len(cells) == 1 and sum(1 for _ in cells[0].iter(_P)) > _FRAME_PARAGRAPHS


def _grid(table: etree._Element) -> list[list[str]]:
    """The table's grid read from its XML: a merged cell's text in its first slot, "" elsewhere.

    python-docx's ``row.cells`` would repeat a merged cell in every slot (and costs an XPath
    search per vertically merged slot); reading w:gridSpan and w:vMerge directly is linear.
    """
    grid: list[list[str]] = []
    for tr in table.iterchildren(_TR):
        line: list[str] = [""] * _int_val(tr.find(f"{_TR_PR}/{_GRID_BEFORE}"), 0)
        for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            span = _int_val(tc.find(f"{_TC_PR}/{_GRID_SPAN}"), 1)
            merge = tc.find(f"{_TC_PR}/{_V_MERGE}")
            continued = merge is not None and merge.get(_VAL, "continue") != "restart"
            line.append("" if continued else _cell_text(tc))
            line.extend([""] * (span - 1))
        grid.append(line)
    return grid


def _int_val(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(default, int(element.get(_VAL, str(default))))
    except ValueError:
        return default


def _cell_text(tc: etree._Element) -> str:
    # A label set on two lines of a cell is one label: paragraphs are joined with a space.
    paragraphs = ("".join(_run_text(node) for node in p.iter(_T, _TAB, _BR)) for p in tc.iter(_P))
    return " ".join(" ".join(paragraphs).split())


def _run_text(node: etree._Element) -> str:
    return (node.text or "") if node.tag == _T else " "
