"""Reading rendered .docx files in tests: XML parts, body dump, merged regions of tables."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    """Clark name of a w: element or attribute."""
    return f"{{{W}}}{name}"


def part(data: bytes, name: str) -> etree._Element:
    """A parsed XML part of a .docx."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def xml_parts(data: bytes) -> dict[str, bytes]:
    """Every part of a .docx by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def text(element: etree._Element) -> str:
    """The element's text (w:t, tabs as \\t, breaks as \\n)."""
    marks = {w("tab"): "\t", w("br"): "\n"}
    nodes = element.iter(w("t"), w("tab"), w("br"))
    return "".join(node.text or "" if node.tag == w("t") else marks[node.tag] for node in nodes)


@dataclass(frozen=True)
class Region:
    """A cell's place in the grid: first row, last row, first column, last column, text."""

    row0: int
    row1: int
    col0: int
    col1: int
    text: str

    @property
    def merged(self) -> bool:
        """True when the cell covers more than one grid cell."""
        return self.row1 > self.row0 or self.col1 > self.col0


def regions(table: etree._Element) -> list[Region]:
    """Every cell of a table as a grid region (vertical merges resolved), in reading order."""
    origin: dict[tuple[int, int], list[int | str]] = {}  # (row, col0) -> [row0, row1, col1, text]
    for r, tr in enumerate(table.findall(w("tr"))):
        col = 0
        for tc in tr.findall(w("tc")):
            span_el = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
            span = 1 if span_el is None else int(span_el.get(w("val")))
            vmerge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
            if vmerge is not None and vmerge.get(w("val")) != "restart":
                above = next(k for k in sorted(origin, reverse=True) if k[1] == col and k[0] < r)
                origin[above][1] = r
            else:
                origin[(r, col)] = [r, r, col + span - 1, text(tc)]
            col += span
    return [Region(v[0], v[1], c, v[2], v[3]) for (_, c), v in sorted(origin.items())]  # type: ignore[arg-type]


def body_dump(data: bytes) -> str:
    """A normalized text dump of the body: styled paragraphs and tables cell by cell with spans."""
    body = part(data, "word/document.xml").find(w("body"))
    lines: list[str] = []
    for child in body:
        if child.tag == w("p"):
            style = child.find(f"{w('pPr')}/{w('pStyle')}")
            name = "Normal" if style is None else style.get(w("val"))
            lines.append(f"P[{name}] {text(child)}")
        elif child.tag == w("tbl"):
            rows = len(child.findall(w("tr")))
            cols = len(child.findall(f"{w('tblGrid')}/{w('gridCol')}"))
            lines.append(f"TABLE {rows}x{cols}")
            for reg in regions(child):
                lines.append(f"  r{reg.row0}-{reg.row1} c{reg.col0}-{reg.col1}: {reg.text}")
    return "\n".join(lines) + "\n"
