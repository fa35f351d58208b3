"""A report page saved from a government website (.html) → ImportResult.

The page is walked in document order: block elements give paragraphs, data tables (tables that
hold no other table; portals lay pages out with tables too) give rows of their grid with rowspans
and colspans expanded. Scripts, styles, navigation and the site's headers and footers are skipped
(a footer inside <main>/<article> is the report's own 署名 and 成文日期); the report itself is
found by its title and section headings (see ``document``). Hidden elements (inline styles,
<style> rules with simple selectors, the ``hidden`` attribute, zero size) are not read; the date
the page states it was published (meta tags, 「发布时间：…」) becomes 发布日期.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from xxgk.errors import XxgkError
from xxgk.importers import ImportResult, published, visibility
from xxgk.importers.document import read_rows
from xxgk.importers.hints import Hints
from xxgk.importers.rows import Row, expand_spans, paragraph_row, table_rows
from xxgk.inputs.source import read_bytes

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "nav",  # not <header>: an article's <header> holds the report's title
        "footer",
        "iframe",
        "form",
        "select",
        "button",
        "template",
        "svg",
        "head",
        "object",
    }
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "center",
        "body",
        "tr",
        "td",
        "th",
        "caption",
        "hr",
        "aside",
        "figure",
        "address",
    }
)
# A page that names its encoding is decoded by lxml; an editor's fragment saved alone does not,
# and lxml would then read its UTF-8 (or GBK) bytes as Latin-1.
_DECLARED = re.compile(rb"<meta[^>]+charset|<\?xml[^>]+encoding", re.IGNORECASE)
_MAX_SPAN = 100  # a broken page may claim rowspan="10000"; no real report table is that large


def read(path: Path) -> ImportResult:
    """The report in a saved web page."""
    return read_with_hints(path, Hints(file_name=path.stem))


def read_with_hints(path: Path, hints: Hints) -> ImportResult:
    """The report in a saved web page, with what the caller knows about it."""
    return parse_html(read_bytes(path), hints)


def parse_html(data: bytes | str, hints: Hints | None = None) -> ImportResult:
    """The report in a web page's source; XxgkError when the page holds no report."""
    if not data.strip():
        raise XxgkError.single("input/empty", "文件是空的")
    if isinstance(data, bytes) and not _DECLARED.search(data[:4096]):
        data = _undeclared(data)
    try:
        root = lxml.html.fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise XxgkError.single("import/bad-html", f"无法解析网页：{exc}") from exc
    # The page's <title>, then its meta tags (ArticleTitle, Description …): a fragment's only names.
    titles = [t.text_content() for t in root.iter("title")]
    titles += [m.get("content", "") for m in root.iter("meta") if m.get("content")]
    walker = _Walker(visibility.hidden_rules(root))
    walker.walk(root)
    walker.flush()
    result = read_rows(walker.rows, fallback_titles=titles, tables_marked=True, hints=hints)
    return _with_published(result, root, walker.rows)


def _with_published(result: ImportResult, root: etree._Element, rows: list[Row]) -> ImportResult:
    """The publication date from the page's meta tags, else from its visible 「发布时间：…」."""
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if name in published.META_NAMES:
            date = published.parse_date(meta.get("content") or "")
            if date is not None:
                where = f"网页的 meta 标签「{name}」"
                return published.attach(result, date, where)
    stated = published.stated_in_text(r.text for r in rows if not r.in_table)
    if stated is not None:
        return published.attach(result, stated[0], f"网页上的「{stated[1]}」")
    return result


def _undeclared(data: bytes) -> str:
    """The text of a page that does not name its encoding: UTF-8, else GB18030 (a GBK superset)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


class _Walker:
    """Collects rows from an element tree: text between block boundaries, tables as grids.
    What the page hides (``visibility``) is not read: a reader of the page does not see it."""

    def __init__(self, rules: visibility.HiddenRules | None = None) -> None:
        self.rows: list[Row] = []
        self._buffer: list[str] = []
        self._rules = rules or visibility.HiddenRules()

    def flush(self) -> None:
        """End the current paragraph."""
        text = "".join(self._buffer).strip()
        self._buffer.clear()
        if text:
            self.rows.append(paragraph_row(text))

    def walk(self, element: etree._Element) -> None:
        """Add the rows of an element and its descendants, in document order."""
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        own_footer = tag == "footer" and _in_content(element)
        if (tag in _SKIP and not own_footer) or not isinstance(element.tag, str):
            return
        if self._rules.hides(element):
            return  # its tail is the parent's text and is read by the parent
        if tag == "table" and not _has_descendant_table(element):
            self.flush()
            self.rows.extend(table_rows(expand_spans(_table_cells(element, self._rules))))
            return
        if tag in _BLOCKS:
            self.flush()
        if tag == "br":
            self.flush()
        if element.text:
            self._buffer.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self._buffer.append(child.tail)
        if tag in _BLOCKS:
            self.flush()


def _in_content(element: etree._Element) -> bool:
    """Inside <main> or <article>: a footer there is the report's own (署名 and 成文日期)."""
    return any(a.tag in ("main", "article") for a in element.iterancestors())


def _has_descendant_table(table: etree._Element) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def _span(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1").strip() or 1), _MAX_SPAN))
    except ValueError:
        return 1


def _table_cells(
    table: etree._Element, rules: visibility.HiddenRules
) -> list[list[tuple[str, int, int]]]:
    rows: list[list[tuple[str, int, int]]] = []
    for tr in table.iter("tr"):
        if any(rules.hides(e) for e in (tr, *tr.iterancestors("tbody", "thead", "tfoot"))):
            continue
        cells = [
            (visibility.visible_text(td, rules), _span(td, "rowspan"), _span(td, "colspan"))
            for td in tr
            if isinstance(td.tag, str) and td.tag.lower() in ("td", "th") and not rules.hides(td)
        ]
        rows.append(cells)
    return rows
