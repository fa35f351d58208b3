"""The example .docx through LibreOffice: converts, every table label is printed, page count."""

from __future__ import annotations

import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree

from tests.docx_dump import NS, part, w
from tests.pdf_text_support import full_lines, line_fault
from xxgk import labels
from xxgk.model import Report
from xxgk.render.docx import render_docx
from xxgk.render.pdf.convert import convert_to_pdf

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("soffice", "pdftotext", "pdfinfo", "pdffonts")),
    reason="LibreOffice (soffice) or poppler (pdftotext, pdfinfo, pdffonts) is not installed",
)

EXPECTED_PAGES = 5  # as in Word: 28 characters × 22 lines (LibreOffice gets a prepared copy)
LATIN_FACES = ("DejaVu", "Liberation", "Carlito", "Caladea", "Times", "Arial", "Helvetica")


def _font_for(name: str) -> str:
    if shutil.which("fc-match") is None:
        return ""
    return subprocess.run(["fc-match", name], capture_output=True, text=True, check=False).stdout


@pytest.fixture(scope="module", autouse=True)
def _aliases() -> None:
    # Without fontconfig aliases 仿宋_GB2312 falls back to a Latin face and pages differ.
    if "CJK" not in _font_for("仿宋_GB2312"):
        pytest.skip("fontconfig has no alias for 仿宋_GB2312 (install the render tools' aliases)")
XHTML = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def converted(
    example_report: Report, tmp_path_factory: pytest.TempPathFactory
) -> tuple[bytes, Path]:
    work = tmp_path_factory.mktemp("pdf")
    docx = render_docx(example_report)
    source = work / "example.docx"
    source.write_bytes(docx)
    # The PDF path of `xxgk build --pdf`: LibreOffice gets the copy prepared for it.
    pdf = convert_to_pdf(source, work)
    return docx, pdf


def _words(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, y, x-centre, x-min, text) of every word, in reading order."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          check=True).stdout
    words = []
    for number, page in enumerate(etree.fromstring(html).iterfind(".//h:page", XHTML)):
        for word in page.iterfind(".//h:word", XHTML):
            x0, x1 = float(word.get("xMin")), float(word.get("xMax"))
            words.append((number, round(float(word.get("yMin"))), (x0 + x1) / 2, x0,
                          word.text or ""))
    return sorted(words)


def _bands(docx: bytes) -> list[tuple[float, float]]:
    """Every span of adjacent grid columns of every table, as x ranges in points."""
    document = part(docx, "word/document.xml")
    margins = document.find(".//w:sectPr/w:pgMar", NS)
    size = document.find(".//w:sectPr/w:pgSz", NS)
    left, right = int(margins.get(w("left"))), int(margins.get(w("right")))
    text_width = int(size.get(w("w"))) - left - right
    bands = []
    for table in document.iter(w("tbl")):
        grid = [int(c.get(w("w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]
        edges = [left + (text_width - sum(grid)) / 2]
        for width in grid:
            edges.append(edges[-1] + width)
        points = [e / 20 for e in edges]
        bands += [(points[a], points[b])
                  for a in range(len(grid)) for b in range(a + 1, len(points))]
    return bands


def _table_labels() -> list[str]:
    found = [labels.TABLE2_CONTENT_HEADING]
    for block in labels.TABLE2_BLOCKS:
        found += [block.item, *block.columns, *(lbl for _, lbl in block.rows)]
    found += [labels.TABLE3_CORNER, labels.TABLE3_APPLICANTS, labels.TABLE3_ORGANISATIONS,
              labels.TABLE3_TOTAL, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL,
              *labels.TABLE3_COLUMN_LABELS, *(r.label for r in labels.TABLE3_ROWS),
              *(g.label for g in labels.TABLE3_GROUPS)]
    found += [labels.TABLE4_REVIEW, labels.TABLE4_LITIGATION, labels.TABLE4_TOTAL,
              *(b.label for b in labels.TABLE4_BLOCKS), *(lbl for _, lbl in labels.TABLE4_OUTCOMES)]
    return found


def test_conversion_and_page_count(converted: tuple[bytes, Path]) -> None:
    _, pdf = converted
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = next(int(line.split()[-1]) for line in info.stdout.splitlines()
                 if line.startswith("Pages:"))
    assert pages == EXPECTED_PAGES


def test_every_table_label_is_printed(converted: tuple[bytes, Path]) -> None:
    docx, pdf = converted
    words = _words(pdf)
    # A label wrapped inside a narrow cell is read column band by column band: the words whose
    # centre lies in the cell's grid columns, in reading order, whitespace removed.
    texts = ["".join(t.split()) for t in ("".join(word[4] for word in words if x0 <= word[2] <= x1)
                                          for x0, x1 in _bands(docx))]
    missing = [label for label in _table_labels() if not any(label in t for t in texts)]
    assert missing == []


def test_headings_and_page_numbers(converted: tuple[bytes, Path]) -> None:
    _, pdf = converted
    # Reading order by position: LibreOffice's letter-spaced headings confuse pdftotext's own.
    flat = "".join("".join(word[4] for word in _words(pdf)).split())
    positions = [flat.find(section.heading) for section in labels.SECTIONS]
    assert all(p >= 0 for p in positions), positions
    assert all(a < b for a, b in pairwise(positions))
    for page in range(1, EXPECTED_PAGES + 1):
        assert f"\u2014{page}\u2014" in flat


def test_no_latin_font_fallback(converted: tuple[bytes, Path]) -> None:
    _, pdf = converted
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    names = [line.split()[0] for line in listing]
    assert names
    assert [n for n in names if any(face in n for face in LATIN_FACES)] == []


def _layout_pages(pdf: Path) -> list[list[str]]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")]


def test_28_characters_a_line(converted: tuple[bytes, Path]) -> None:
    _, pdf = converted
    full = full_lines(pdf)
    assert len(full) > 30
    assert [fault for line in full if (fault := line_fault(*line))] == []
    # Most lines are whole: a line is shorter only where a mark carried a character over.
    chinese = [text for indented, text, _ in full
               if not indented and not any(c.isascii() for c in text)]
    assert sum(len(text) == 28 for text in chinese) >= len(chinese) / 2


def test_22_lines_a_page(converted: tuple[bytes, Path]) -> None:
    _, pdf = converted
    second = _layout_pages(pdf)[1]  # all body text: 22 lines and the page number
    assert len(second) == 22 + 1, second
