"""A report published as PDF (.pdf with a text layer) → ImportResult.

Read with pdfplumber (see docs/IMPORT.md for why it, not pypdfium2): on each page the tables are
rebuilt from their ruling lines — the cells of a merged cell are empty but its first, as a paste
from Word gives them — and the text outside the tables comes line by line, in page order, with
page numbers (「— 3 —」「第 3 页」) dropped. A PDF whose tables have no ruling lines is read as
text laid out in columns, like pdftotext -layout. A scan (no text layer) is refused with a
clear message: its numbers cannot be read for certain without OCR.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.importers import ImportResult
from xxgk.importers.cells import is_number_like, normalize
from xxgk.importers.document import read_rows
from xxgk.importers.hints import Hints
from xxgk.importers.rows import PAGE_NUMBER, Row, paragraph_row, table_rows, text_row
from xxgk.importers.tables import ROW, TOTAL, match_label

# Justified CJK lines come out 「诉 工 作 ，」「信息 4511 条」: a space beside a CJK character or
# a Chinese quote is layout, not text (Chinese text puts no spaces there).
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_PDF_MAGIC = b"%PDF-"
_TABLE2_ROWS = frozenset(normalize(label) for label in labels.TABLE2_ROW_LABELS.values())


def read(path: Path) -> ImportResult:
    """The report in a PDF file."""
    return read_with_hints(path, Hints(file_name=path.stem))


def read_with_hints(path: Path, hints: Hints) -> ImportResult:
    """The report in a PDF file, with what the caller knows about it."""
    # The file is opened here and handed over open: pdfplumber does not close a file it opened
    # itself when the PDF is too damaged to construct, which would leak the handle.
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(_PDF_MAGIC):
            raise XxgkError.single("import/bad-pdf", "这不是 PDF 文件（文件头不对）", str(path))
        handle.seek(0)
        rows, ruled, chars, title = _read_pdf(handle, path)
    if not chars:
        raise XxgkError.single(
            "import/scanned-pdf",
            "这是扫描件：PDF 中没有文字层，无法可靠读取其中的数字；"
            "请向发布机关索取带文字的 PDF 或 Word 文件，或人工录入",
            str(path),
        )
    return read_rows(rows, fallback_titles=[title], tables_marked=ruled, hints=hints)


def _read_pdf(handle: io.BufferedReader, path: Path) -> tuple[list[Row], bool, int, str]:
    import pdfplumber  # a runtime dependency, loaded only when a PDF is read

    # pdfminer logs every oddity of a damaged file to stderr; the user gets one message instead.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(handle) as pdf:
            return _read_pages(pdf)
    except Exception as exc:
        # pdfminer raises whatever a damaged or encrypted file makes it meet (syntax errors,
        # KeyError, struct.error, password errors …): all mean "cannot be read as it is".
        cause = f"{exc!r} {exc.__cause__!r} {exc.__context__!r}"
        if "Password" in cause or "Encrypt" in cause:
            message = "PDF 设有密码（加密），无法读取；请向发布机关索取未加密的文件"
        else:
            message = f"PDF 文件已损坏，无法读取（{type(exc).__name__}）；请重新下载"
        raise XxgkError.single("import/bad-pdf", message, str(path)) from exc


@dataclass
class _Line:
    """A line of text outside the tables, with where it sits on its page."""

    text: str
    x0: float
    x1: float
    left: float  # the page's text margins
    right: float
    size: float  # the line's character size: an indent is about two of them


def _read_pages(pdf: Any) -> tuple[list[Row], bool, int, str]:
    """Every page's rows; whether any table had ruling lines; how many characters; the title."""
    pages = list(pdf.pages)
    chars = sum(len(p.chars) for p in pages)
    # the costly step: once a page
    tables = [_without_fills(p).find_tables() if p.chars else [] for p in pages]
    ruled = any(tables)
    title = str((pdf.metadata or {}).get("Title") or "")
    if not ruled:
        # numbered like a text file's lines, so that numbers standing beside a row (wrapped in
        # a narrow cell) are known to be beside it
        lines = [line for page in pages for line in _laid_out_lines(page)]
        rows = [text_row(line, number) for number, line in enumerate(lines, 1)]
        return rows, False, chars, title
    per_page = [_page_items(page, found) for page, found in zip(pages, tables, strict=True)]
    _join_rows_split_by_pages(per_page)
    items = [item for page_items in per_page for item in page_items]
    return list(_paragraphs(items)), True, chars, title


def _join_rows_split_by_pages(pages: list[list[_Line | list[Row]]]) -> None:
    """A table row broken by a page break (Word and LibreOffice let a row break across pages)
    comes as the last row of one page and the first row of the next (after the header rows
    repeated there). Read alone, the first part is a row of cut numbers (「4958」 of 49580): the
    two are joined cell by cell when the second cannot be a row of its own — it carries no label,
    or only the end of the label above (「开」 of 「…禁止公开」)."""
    for here, there in itertools.pairwise(pages):
        if not (here and there and isinstance(here[-1], list) and isinstance(there[0], list)):
            continue
        above, below = here[-1], there[0]
        skip = 0  # header rows repeated on the next page
        while skip < min(len(above), len(below)) and below[skip].cells == above[skip].cells:
            skip += 1
        if skip == len(below) or skip == len(above):
            continue
        last, first = above[-1], below[skip]
        if len(last.cells) == len(first.cells) and _continues(last, first):
            cells = tuple(a + b for a, b in zip(last.cells, first.cells, strict=True))
            above[-1] = table_rows([list(cells)])[0]
            del below[skip]
        elif _orphan(last, first):
            # the two parts do not line up (the next page's table found other columns): the
            # row's numbers are cut and cannot be joined for certain, so neither part is read
            # (the row is reported missing, its cells blank)
            del above[-1]
            del below[skip]


_ROW_START = re.compile(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六]、)")


def _orphan(last: Row, first: Row) -> bool:
    """True when ``last`` is a 表三 data row and ``first`` cannot be a row of its own: none of
    its text names a label or starts like one (「年度办理结果」, 「开」, or numbers alone)."""
    heads = [c for c in last.cells if c.strip() and not is_number_like(c)]
    found = match_label(normalize(heads[-1])) if heads else None
    if found is None or found[0] not in (ROW, TOTAL):
        return False
    if not any(c.strip() and is_number_like(c) for c in last.cells):
        return False
    texts = [normalize(c) for c in first.cells if c.strip() and not is_number_like(c)]
    return all(match_label(t) is None and not _ROW_START.match(t) for t in texts)


def _continues(last: Row, first: Row) -> bool:
    """True when ``first`` is the rest of the labelled data row ``last``."""
    def texts(row: Row) -> dict[int, str]:
        return {i: c for i, c in enumerate(row.cells) if c.strip() and not is_number_like(c)}

    labels_above, labels_below = texts(last), texts(first)
    if not labels_above or not any(c.strip() and is_number_like(c) for c in last.cells):
        return False
    for i, tail in labels_below.items():
        if i not in labels_above:
            return False
        joined = normalize(labels_above[i] + tail)
        entry = match_label(joined)
        if entry is None and joined not in _TABLE2_ROWS:
            return False
        # the rest of a merged group cell (「不予公开」 of 「（三）不予公开」) names that group too;
        # anything naming another label starts a row of its own
        own = match_label(normalize(tail))
        if own is not None and own != entry:
            return False
    return True


_BAR = 2.0  # pt: a filled bar thinner than this is a ruling line
_LIGHT = 0.85  # a fill whose every component is this light (white, light grey) is a background


def _light(color: object) -> bool:
    """True for a white or light fill (grey, RGB or CMYK components)."""
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not color:
        return False
    if not all(isinstance(c, (int, float)) for c in color):
        return False  # a pattern
    values = [float(c) for c in color]
    if len(values) == 4:  # CMYK: light when little ink
        return max(values) <= 1 - _LIGHT
    return min(values) >= _LIGHT


def _without_fills(page: Any) -> Any:
    """The page without the fills painted behind text (WPS paints a white, unstroked rectangle
    behind every line): their edges are no ruling lines, and taken for some they cut a page's
    text into a table whose cells hold numbers of other rows."""

    def kept(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") not in ("rect", "curve") or obj.get("stroke"):
            return True
        if not obj.get("fill") or min(obj["width"], obj["height"]) < _BAR:
            return True
        return not _light(obj.get("non_stroking_color"))

    return page.filter(kept)


def _page_items(page: Any, tables: list[Any]) -> list[_Line | list[Row]]:
    """A page's text lines and its ruled tables' rows, top to bottom."""
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(lambda obj: obj.get("object_type") != "char" or outside(obj))
    lines = []
    for line in text_page.extract_text_lines(return_chars=False):
        text = _SPACE_NEAR_CJK.sub("", line["text"]).strip()
        if text and not PAGE_NUMBER.fullmatch(text):
            lines.append((line, text))
    # The margins most lines start and end at (a hanging quote or a long URL may stick out).
    left = _usual([line["x0"] for line, _ in lines])
    right = _usual([line["x1"] for line, _ in lines])
    items: list[tuple[float, int, _Line | list[Row]]] = []
    for line, text in lines:
        size = line["bottom"] - line["top"]
        items.append((line["top"], 0, _Line(text, line["x0"], line["x1"], left, right, size)))
    for table in tables:
        grid = [[_cell_text(c) for c in row] for row in table.extract()]
        items.append((table.bbox[1], 1, table_rows(grid)))
    return [item for _, _, item in sorted(items, key=lambda item: (item[0], item[1]))]


def _usual(positions: list[float]) -> float:
    """The position most lines share (to the point), or 0 for a page without text."""
    if not positions:
        return 0.0
    counts = Counter(round(p) for p in positions)
    return float(max(counts, key=lambda p: (counts[p], -p)))


def _paragraphs(items: list[_Line | list[Row]]) -> Iterator[Row]:
    """Lines joined into paragraphs (a wrapped heading is one heading), tables as their rows.

    A line continues the paragraph above when that one ran to the right margin and this one
    starts at the left margin (no first-line indent, not centred) — across a page break too.
    """
    current: list[str] = []
    previous: _Line | None = None
    for item in items:
        if isinstance(item, list):
            if current:
                yield paragraph_row("".join(current))
            current, previous = [], None
            yield from item
            continue
        starts_at_margin = abs(item.x0 - item.left) < item.size
        ran_full = (
            previous is not None
            and previous.right - previous.x1 < previous.size
            # body text: same size, starting at the margin or at a first-line indent (a 红头
            # or a centred title line is a paragraph of its own)
            and abs(previous.size - item.size) < 0.05 * item.size
            and previous.x0 - previous.left < 2.5 * previous.size
        )
        if current and ran_full and starts_at_margin:
            current.append(item.text)
        else:
            if current:
                yield paragraph_row("".join(current))
            current = [item.text]
        previous = item
    if current:
        yield paragraph_row("".join(current))


def _cell_text(cell: str | None) -> str:
    # A label wrapped inside its cell: the lines are one label (CJK lines join without a space).
    if not cell:
        return ""
    return _CJK_GAP.sub("", " ".join(cell.split()))


def _laid_out_lines(page: Any) -> list[str]:
    """A page without ruled tables as laid-out text: columns apart by runs of spaces."""
    text = page.extract_text(layout=True) or ""
    return text.split("\n")
