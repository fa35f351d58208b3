"""A report published as PDF (.pdf with a text layer) → ImportResult.

Read as a page, page by page (see docs/IMPORT.md): pdfminer lays each page out through a bounded
device (``pdf_layout``: a page drawing more characters than a report page holds is refused before
it costs memory); only the characters a reader sees are kept (``pdf_visible``: the page rendered
by pdfium decides — white on white, render mode 3, clipped or painted over is not read); the
tables are rebuilt by pdfplumber from the page's real rulings (``pdf_rulings``: stroked lines and
thin dark bars, never the fills WPS paints behind text) — the cells of a merged cell are empty but
its first, as a paste from Word gives them — and the text outside the tables comes line by line,
in page order, with page numbers (「— 3 —」「第 3 页」) dropped. A PDF whose tables have no ruling
lines is read as text laid out in columns, like pdftotext -layout. A scan (no text layer) is
refused with a clear message: its numbers cannot be read for certain without OCR. Without a
date in the text, the file's creation date is the publication date, with a finding.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk import labels, pdfium
from xxgk.errors import Finding, XxgkError, warning
from xxgk.importers import ImportResult
from xxgk.importers.cells import is_number_like, normalize
from xxgk.importers.document import read_rows
from xxgk.importers.hints import Hints
from xxgk.importers.pdf_bounds import PageTooLarge, check_page
from xxgk.importers.pdf_cells import cell_texts
from xxgk.importers.pdf_page import Page, read_page
from xxgk.importers.pdf_unruled import laid_out_lines
from xxgk.importers.pdf_visible import rendered, visible_chars
from xxgk.importers.published import date_of
from xxgk.importers.rows import PAGE_NUMBER, Row, paragraph_row, table_rows, text_row
from xxgk.importers.tables import ROW, TOTAL, match_label

# Justified CJK lines come out 「诉 工 作 ，」「信息 4511 条」: a space beside a CJK character or
# a Chinese quote is layout, not text (Chinese text puts no spaces there).
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_PDF_MAGIC = b"%PDF-"
_TABLE2_ROWS = frozenset(normalize(label) for label in labels.TABLE2_ROW_LABELS.values())
MAX_PAGES = 200  # an annual report runs to 5–40 pages; a file of more is not one
MAX_CHARS = 400_000  # characters in all (about 160 dense pages)
HIDDEN = "import/pdf-hidden-text"
OVERPRINT = "import/pdf-overprint"
CREATED = "import/published-from-file-date"


def read(path: Path) -> ImportResult:
    """The report in a PDF file."""
    return read_with_hints(path, Hints(file_name=path.stem))


def read_with_hints(path: Path, hints: Hints) -> ImportResult:
    """The report in a PDF file, with what the caller knows about it."""
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(_PDF_MAGIC):
            raise XxgkError.single("import/bad-pdf", "这不是 PDF 文件（文件头不对）", str(path))
    pdf = _read_pdf(path)
    if pdf.chars and not pdf.visible:  # a scan under an invisible OCR layer (render mode 3)
        raise XxgkError.single(
            "import/scanned-pdf",
            "这是扫描件：PDF 的文字层（OCR 识别的文字）读者看不见，页面上的数字是图片，"
            "识别结果无法确认；请向发布机关索取带文字的 PDF 或 Word 文件，或人工录入",
            str(path),
        )
    if not pdf.chars:
        raise XxgkError.single(
            "import/scanned-pdf",
            "这是扫描件：PDF 中没有文字层，无法可靠读取其中的数字；"
            "请向发布机关索取带文字的 PDF 或 Word 文件，或人工录入",
            str(path),
        )
    result = read_rows(pdf.rows, fallback_titles=[pdf.title], tables_marked=pdf.ruled, hints=hints)
    result.findings[:0] = pdf.findings
    if pdf.created is not None and result.report.published is None:
        result.report = result.report.model_copy(update={"published": pdf.created})
        result.findings.append(
            warning(
                CREATED,
                ("发布日期",),
                f"报告正文没有发布日期，取 PDF 文件的创建日期 {pdf.created.isoformat()}"
                "（文件属性，可能早于或晚于实际发布）",
            )
        )
    return result


@dataclass
class _Pdf:
    """What the PDF gave: its rows, whether tables were ruled, characters, title, findings."""

    rows: list[Row]
    ruled: bool
    chars: int
    title: str
    created: dt.date | None = None
    findings: list[Finding] = field(default_factory=list)
    visible: int = 0  # characters a reader sees


def _read_pdf(path: Path) -> _Pdf:
    import pikepdf  # runtime dependencies, loaded only when a PDF is read
    import pypdfium2  # type: ignore[import-untyped]  # no stubs published

    try:
        with pikepdf.open(path) as qpdf:
            if len(qpdf.pages) > MAX_PAGES:
                raise XxgkError.single(
                    "import/pdf-too-large",
                    f"PDF 有 {len(qpdf.pages)} 页，超过年度报告可能的 {MAX_PAGES} 页，未读取；"
                    "请确认文件是否为年度报告",
                    str(path),
                )
            read = _Pdf([], False, 0, *_metadata(qpdf))
            for number, page in enumerate(qpdf.pages, start=1):
                check_page(page, number)  # before any engine lays a page out
            with pdfium.LOCK:  # pdfium is not thread-safe (xxgk serve imports in threads)
                document = pypdfium2.PdfDocument(str(path))
                try:
                    return _read_pages(document, read)
                finally:
                    document.close()
    except PageTooLarge as exc:
        raise XxgkError.single(
            "import/pdf-too-large",
            f"PDF 第 {exc.page} 页绘制的{exc.what}超过 {exc.limit} 个，远多于一页报告所能容纳，"
            "未读取（文件可能被构造来耗尽内存）",
            str(path),
        ) from exc
    except XxgkError:
        raise
    except Exception as exc:
        raise _unreadable(exc, path) from exc


def _unreadable(exc: Exception, path: Path) -> XxgkError:
    # qpdf and pdfium raise whatever a damaged or encrypted file makes them meet: all mean
    # "cannot be read as it is".
    cause = f"{exc!r} {exc.__cause__!r} {exc.__context__!r}"
    if "Password" in cause or "Encrypt" in cause or "password" in cause:
        message = "PDF 设有密码（加密），无法读取；请向发布机关索取未加密的文件"
    else:
        message = f"PDF 文件已损坏，无法读取（{type(exc).__name__}）；请重新下载"
    return XxgkError.single("import/bad-pdf", message, str(path))


def _metadata(qpdf: Any) -> tuple[str, dt.date | None]:
    """The document's Title and CreationDate (qpdf decodes PDFDocEncoding and UTF-16)."""
    try:
        info = qpdf.docinfo
        return _text(info.get("/Title")), _pdf_date(info.get("/CreationDate"))
    except Exception:  # a damaged or odd Info dictionary: no metadata, not no report
        return "", None


@dataclass
class _Line:
    """A line of text outside the tables, with where it sits on its page."""

    text: str
    x0: float
    x1: float
    left: float  # the page's text margins
    right: float
    size: float  # the line's character size: an indent is about two of them


class _Sheet:
    """A page's visible characters with pdfplumber's geometry: its table finder needs only the
    characters and the page box once the rulings are given, its text lines only the characters."""

    def __init__(self, chars: list[dict[str, Any]], bbox: tuple[float, float, float, float]):
        self.chars = chars
        self.bbox = bbox
        self.width = bbox[2] - bbox[0]
        self.height = bbox[3] - bbox[1]

    def inside(self, box: tuple[float, float, float, float]) -> _Sheet:
        """The characters whose middle is in ``box`` (x0, top, x1, bottom)."""
        x0, top, x1, bottom = box

        def middle_inside(c: dict[str, Any]) -> bool:
            x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
            return bool(x0 <= x <= x1 and top <= y <= bottom)

        return self.filter(middle_inside)

    def filter(self, keep: Any) -> _Sheet:
        return _Sheet([c for c in self.chars if keep(c)], self.bbox)

    def _textmap(self, **kwargs: Any) -> Any:
        from pdfplumber.utils.text import chars_to_textmap

        layout = {"layout_bbox": self.bbox, "layout_width": self.width}
        return chars_to_textmap(self.chars, **layout, layout_height=self.height, **kwargs)

    def extract_text_lines(self, return_chars: bool = True) -> list[dict[str, Any]]:
        if not self.chars:
            return []
        lines: list[dict[str, Any]] = self._textmap().extract_text_lines(return_chars=return_chars)
        return lines

    def extract_text(self, layout: bool = False) -> str:
        return str(self._textmap(layout=layout).as_string) if self.chars else ""


def _read_pages(document: Any, read: _Pdf) -> _Pdf:
    """Every page's rows; whether any table had ruling lines; how many characters."""
    from pdfplumber.table import TableFinder

    pages: list[tuple[_Sheet, list[Any]]] = []
    for index in range(len(document)):
        sheet, page = _seen_page(document, index, read)
        tables: list[Any] = []
        if sheet.chars and len(page.vertical) >= 2 and len(page.horizontal) >= 2:
            settings = {
                "vertical_strategy": "explicit",
                "horizontal_strategy": "explicit",
                "explicit_vertical_lines": page.vertical,
                "explicit_horizontal_lines": page.horizontal,
            }
            tables = list(TableFinder(sheet, settings).tables)  # type: ignore[arg-type]
            for table in tables:  # each table reads its cells from its own characters only
                table.page = sheet.inside(table.bbox)
        pages.append((sheet, tables))
        if read.chars > MAX_CHARS:
            raise PageTooLarge("字符（全文）", MAX_CHARS, index + 1)
    read.ruled = any(tables for _, tables in pages)
    if not read.ruled:
        # numbered like a text file's lines, so that numbers standing beside a row (wrapped in
        # a narrow cell) are known to be beside it
        text_lines = [line for sheet, _ in pages for line in sheet.extract_text_lines()]
        lines = laid_out_lines(text_lines)
        read.rows = [text_row(line, number) for number, line in enumerate(lines, 1)]
        return read
    per_page = [_page_items(sheet, found) for sheet, found in pages]
    _set_margins([item for items in per_page for item in items if isinstance(item, _Line)])
    _join_rows_split_by_pages(per_page)
    read.rows = list(_paragraphs([item for page_items in per_page for item in page_items]))
    return read


def _seen_page(document: Any, index: int, read: _Pdf) -> tuple[_Sheet, Page]:
    """The page with only the characters a reader sees (the others counted as findings)."""
    pdfium_page = document[index]
    try:
        page = read_page(pdfium_page)
        read.chars += len(page.chars)
        if not page.chars:
            return _Sheet([], page.bbox), page
        image = rendered(pdfium_page)  # the last use of the page: it loses its text objects
    finally:
        pdfium_page.close()
    seen = visible_chars(page.chars, page.invisible, image, (0.0, 0.0))
    read.visible += sum(1 for c in seen.visible if not c["text"].isspace())
    where = (f"第 {index + 1} 页",)
    if seen.hidden:
        read.findings.append(
            warning(
                HIDDEN,
                where,
                f"有 {seen.hidden} 个字符读者看不见（与背景同色、隐藏、裁剪在外或被遮盖），未导入",
            )
        )
    if seen.smudged:
        read.findings.append(
            warning(
                OVERPRINT,
                where,
                f"有 {seen.smudged} 个字符与另一个字符印在同一位置，"
                "无法确定读者看到的是哪一个，未导入",
            )
        )
    return _Sheet(seen.visible, page.bbox), page


def _text(value: Any) -> str:
    """A metadata string, whatever its encoding (UTF-16 with a byte-order mark too)."""
    if isinstance(value, str) and value[:2] in ("\xfe\xff", "\xff\xfe"):
        value = value.encode("latin-1", "replace")
    if isinstance(value, bytes):
        utf16 = value[:2] in (b"\xfe\xff", b"\xff\xfe")
        value = value.decode("utf-16" if utf16 else "latin-1", "replace")
    return str(value or "").replace("\x00", "").strip()


_PDF_DATE = re.compile(r"(?:D:)?(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")


def _pdf_date(value: Any) -> dt.date | None:
    """The date of a PDF date string (「D:20240226080023+08'00'」), or None."""
    return date_of(_PDF_DATE.match(_text(value).strip()))


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
    items: list[tuple[float, int, _Line | list[Row]]] = []
    for line, text in lines:
        size = line["bottom"] - line["top"]
        items.append((line["top"], 0, _Line(text, line["x0"], line["x1"], 0.0, 0.0, size)))
    for table in tables:
        grid = [[_cell_text(c) for c in row] for row in cell_texts(table)]
        items.append((table.bbox[1], 1, table_rows(grid)))
    return [item for _, _, item in sorted(items, key=lambda item: (item[0], item[1]))]


def _set_margins(lines: list[_Line]) -> None:
    """The text margins of the document, set on each of its lines.

    Every page of a report has the same margins, so they are taken over the whole document: a
    page of a table holds two or three lines, too few to tell a margin from a heading's end.
    The left margin is the leftmost position two lines start at (a paragraph's first line is
    indented, its other lines start at the margin; a centred title starts anywhere). The right
    margin is where the most lines end "full" — within a character of it, as lines of
    unjustified CJK text end (justified ones end on it) — a hanging quote or a long URL sticking
    out is a line or two, a short heading's end one line.
    """
    if not lines:
        return
    sizes = sorted(line.size for line in lines)
    size = sizes[len(sizes) // 2]
    starts = Counter(round(line.x0) for line in lines)
    shared = [x for x, n in starts.items() if n + starts[x - 1] + starts[x + 1] >= 2]
    at = min(shared) if shared else max(starts, key=lambda x: (starts[x], -x))
    left = min(line.x0 for line in lines if abs(round(line.x0) - at) <= 1)
    ends = sorted(line.x1 for line in lines)

    def full_at(margin: float) -> int:
        return sum(1 for x1 in ends if margin - size < x1 <= margin + 1.0)

    right = max(ends, key=lambda margin: (full_at(margin), margin))
    for line in lines:
        line.left, line.right = left, right


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
