"""A generated .docx as a Word → markdown converter writes it (markitdown/mammoth, pandoc's pipe
tables): every paragraph a line, every table a pipe table with a `|---|` line under its first
row; a cell is one `w:tc` — a cell merged across columns is one cell (the row is shorter), a cell
continuing a vertical merge an empty one — its paragraphs joined by spaces."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _cell(tc: etree._Element) -> str:
    paragraphs = [_text(p) for p in tc.iter(f"{W}p")]
    return " ".join(p.strip() for p in paragraphs if p.strip()).replace("|", "\\|")


def _table(tbl: etree._Element) -> list[str]:
    lines = []
    for i, tr in enumerate(tbl.iter(f"{W}tr")):
        cells = [_cell(tc) for tc in tr.iter(f"{W}tc")]
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * len(cells))
    return ["", *lines, ""]


def render(docx: bytes) -> str:
    """The markdown of a .docx's body."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    lines: list[str] = []
    for child in body:
        if child.tag == f"{W}p":
            lines.append(_text(child))
        elif child.tag == f"{W}tbl":
            lines += _table(child)
    return "\n".join(lines) + "\n"
