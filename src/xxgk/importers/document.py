"""Rows of a published report (from any source) → ImportResult: the core every importer shares.

The report is found by its title (「…2021年政府信息公开工作年度报告」, the last such line before
一、总体情况, so a portal's breadcrumb or page title above it does not count) and cut into its six
sections at their headings. 一、五、六 become paragraphs; every row that carries a table label goes
to the reader of that table, and unlabelled rows (表四's numbers) to the table of their section.
In a text paste, a table's cells stacked one per line are first regrouped into rows (``stacked``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.importers import (
    ImportResult,
    columnwise,
    format2019,
    narrative,
    runtogether,
    stacked,
)
from xxgk.importers.cells import is_number_like, normalize
from xxgk.importers.findings import Collector
from xxgk.importers.hints import Hints
from xxgk.importers.outline import Outline
from xxgk.importers.rows import Row
from xxgk.importers.table2 import ROW_LABELS, Table2Reader
from xxgk.importers.table4 import Table4Reader
from xxgk.importers.tables import TABLE3_INDEX, Table3Reader
from xxgk.model import DocumentHeader, Report

_SUFFIX = labels.TITLE_SUFFIX
# Some organs title their report 「…政府信息公开年度报告」, without 工作.
_SUFFIX_RE = re.escape(_SUFFIX).replace("工作", "(?:工作)?")
# 「二〇二一年」: a year in Chinese digits.
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CHINESE_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_TAIL = r"(?:\(.*\))?"
_TITLES = (
    re.compile(rf"(?P<organ>.*?)(?:关于)?{_YEAR}年度?的?{_SUFFIX_RE}{_TAIL}"),
    re.compile(rf"{_YEAR}年度?(?P<organ>.*?){_SUFFIX_RE}{_TAIL}"),
    re.compile(rf"(?P<organ>.*?){_SUFFIX_RE}\(?{_YEAR}年?度?\)?"),
)
_LOOKS_LIKE_TITLE = re.compile(_SUFFIX_RE)
_TITLE_MAX = 80
_SITE_SEPARATORS = re.compile(r"\s*[_|｜—-]+\s*")
_HEADING = re.compile(r"^(?P<number>[一二三四五六])\.(?P<title>[^\d.。:;]{2,30})$")
_DOC_NUMBER = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号")
_ISSUER_SUFFIX = "文件"
_ISSUER_MAX = 30
_GOVERNMENT = "人民政府"  # 「××镇人民政府文件」 names the organ 「××镇」
_WHITESPACE = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_NUMBERS = "一二三四五六"
_EXACT_HEADINGS = {normalize(s.heading): s.number for s in labels.SECTIONS}
# A heading whose words are a national section's, whatever its number: PDF conversions and some
# organs number their own extra sections first (「二、工作机制保障」), then the national ones.
_TITLED_HEADINGS = {
    normalize(s.title): s.number
    for s in labels.SECTIONS
    if s.number in "二三四六"  # 一、总体情况 and 五 are worded too differently to be told apart
}
_ANY_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]{1,2}\.)?")
_TABLE_LABELS = frozenset(TABLE3_INDEX) | frozenset(ROW_LABELS)
# 「四、结转下年度」 broken over two lines of a one-cell-per-line paste is not a section heading.
_NUMBERED_LABELS = tuple(k for k in _TABLE_LABELS if k[:1] in "一二三四五六" and k[1:2] == ".")


@dataclass(frozen=True)
class Title:
    """The report's title as printed, with the organ and year read from it."""

    text: str
    organ: str
    year: int


def parse_title(text: str) -> Title | None:
    """The organ and year in a title line, or None when the line is not a report title."""
    folded = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).strip("《》")
    if len(folded) > _TITLE_MAX or not _LOOKS_LIKE_TITLE.search(folded):
        return None
    folded = _CHINESE_YEAR.sub(lambda m: m.group(0).translate(_CHINESE_DIGITS), folded)
    for pattern in _TITLES:
        match = pattern.fullmatch(folded)
        if match:
            # A breadcrumb 「当前位置：首页 > … > 标题」 is not part of the organ's name.
            organ = re.split(r"[>:»]", match.group("organ"))[-1].removesuffix("关于").strip("《》")
            year = int(match.group("year"))
            return Title(_CJK_GAP.sub("", text.strip()), organ, year)
    return None


def _titled_section(row: Row) -> int | None:
    """The national section a heading names by its words (its number aside), or None."""
    if row.in_table or sum(1 for c in row.cells if c) != 1:
        return None
    norm = _ANY_NUMBER.sub("", normalize(row.text).rstrip(":"), count=1)
    number = _TITLED_HEADINGS.get(norm)
    return None if number is None else _NUMBERS.index(number)


def _section_number(row: Row, current: int) -> int | None:
    if row.in_table or sum(1 for c in row.cells if c) != 1:
        return None
    norm = normalize(row.text).rstrip(":")  # 「一、总体情况：」
    number = _EXACT_HEADINGS.get(norm)
    if number is None:
        match = _HEADING.match(norm)
        if match is None or norm in _TABLE_LABELS or _starts_table_label(norm):
            return None
        number = match.group("number")
    index = _NUMBERS.index(number)
    return index if index > current else None


def _starts_table_label(norm: str) -> bool:
    return any(label.startswith(norm) for label in _NUMBERED_LABELS)


def _broken_heading(first: Row, second: Row, current: int) -> int | None:
    """A national section heading a PDF viewer broke over two lines, or None."""
    if first.text[:1] not in _NUMBERS or first.in_table or second.in_table:
        return None
    if len(first.cells) != 1 or len(second.cells) != 1 or second.is_blank:
        return None
    number = _EXACT_HEADINGS.get(normalize(first.text + second.text).rstrip(":"))
    if number is None:
        return None
    index = _NUMBERS.index(number)
    return index if index > current else None


def _heads(rows: Sequence[Row], start: int) -> list[tuple[int, int, int]]:
    """The section headings found after ``start``: (section index, heading row, first row after)."""
    titled = _titled_heads(rows, start)
    if titled:
        return _fit_numbered(rows, start, titled)
    return _numbered_heads(rows, start, len(rows), -1, len(_NUMBERS))


def _outline(rows: Sequence[Row], title_at: int, heads: list[tuple[int, int, int]]) -> Outline:
    first = heads[0][1] if heads else title_at + 1
    preamble = tuple(
        r.text for r in rows[title_at + 1 : first] if not r.is_blank and not r.in_table
    )
    printed = tuple(
        (n, "".join(r.text.strip() for r in rows[at:after])) for n, at, after in heads
    )
    return Outline(preamble, printed)


def _titled_heads(rows: Sequence[Row], start: int) -> list[tuple[int, int, int]]:
    """Headings that name a national section by its words, in increasing order."""
    heads: list[tuple[int, int, int]] = []
    for i in range(start, len(rows)):
        number = _titled_section(rows[i])
        if number is not None and (not heads or number > heads[-1][0]):
            heads.append((number, i, i + 1))
    return heads


def _fit_numbered(
    rows: Sequence[Row], start: int, titled: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """The titled headings, and between them the numbered ones that fit their order."""
    heads: list[tuple[int, int, int]] = []
    bounds = [(-1, start), *((n, i) for n, i, _ in titled), (len(_NUMBERS), len(rows))]
    for (low, first), (high, end) in itertools.pairwise(bounds):
        begin = first + 1 if low >= 0 else first
        heads += _numbered_heads(rows, begin, end, low, high)
        if high < len(_NUMBERS):
            heads.append((high, end, end + 1))
    return heads


def _ranges(heads: list[tuple[int, int, int]], total: int) -> dict[int, tuple[int, int]]:
    return {
        n: (first, heads[k + 1][1] if k + 1 < len(heads) else total)
        for k, (n, _, first) in enumerate(heads)
    }


def _numbered_heads(
    rows: Sequence[Row], start: int, end: int, current: int, below: int
) -> list[tuple[int, int, int]]:
    """Headings by their numbers between rows ``start`` and ``end``, above ``current``."""
    heads: list[tuple[int, int, int]] = []  # (section, heading row, first row after it)
    i = start
    while i < end:
        # A heading broken over two lines first: its first half alone may pass as a heading.
        number = _broken_heading(rows[i], rows[i + 1], current) if i + 1 < end else None
        lines = 2
        if number is None:
            number, lines = _section_number(rows[i], current), 1
        if number is not None and number < below:
            heads.append((number, i, i + lines))
            current = number
            i += lines
        else:
            i += 1
    return heads


def _two_line_title(above: str, text: str) -> Title | None:
    """A title set on two lines, or broken anywhere by a PDF viewer (「…公」「开工作年度报告」)."""
    if not _LOOKS_LIKE_TITLE.search(normalize(text)):
        joined = normalize(above + text)
        if _LOOKS_LIKE_TITLE.search(normalize(above)) or not _LOOKS_LIKE_TITLE.search(joined):
            return None
    return parse_title(above + text)


def _find_title(rows: Sequence[Row]) -> tuple[int, Title | None]:
    """The report's title line before 一、总体情况 (-1 and None when it has none)."""
    first_heading = next((i for i, r in enumerate(rows) if _section_number(r, -1) == 0), len(rows))
    for i in range(min(first_heading, len(rows)) - 1, -1, -1):
        title = parse_title(rows[i].text)
        above = next((k for k in range(i - 1, max(i - 3, -1), -1) if not rows[k].is_blank), None)
        if title is None and above is not None and not rows[i].is_blank:
            title = _two_line_title(rows[above].text, rows[i].text)
        if title is not None and not title.organ:  # 「2021年政府信息公开工作年度报告」 under a 红头
            mark = _header(rows, i).issuer_mark or ""
            organ = mark.removesuffix(_ISSUER_SUFFIX).removesuffix(_GOVERNMENT)
            if not organ and above is not None:  # the organ alone on the title's first line
                organ = _organ_line(rows[above])
                text = f"{rows[above].text}{title.text}" if organ else title.text
                title = Title(_CJK_GAP.sub("", text), organ, title.year) if organ else title
            title = Title(title.text, organ, title.year) if organ else title
        if title is not None:
            return i, title
    return -1, None


# The first line of a two-line title names an organ: 「洪泽区人民政府」「××市发展和改革委员会」.
_ORGAN_LINE = re.compile(r"[\u4e00-\u9fff（）()]{2,40}")
_ORGAN_ENDINGS = ("政府", "委员会", "办公室", "办公厅", "局", "厅", "委", "办", "院", "署", "中心",
                  "街道", "镇", "乡", "会", "部", "处", "所", "队", "区", "县", "市", "馆", "站")


def _organ_line(row: Row) -> str:
    """The organ's name when the row is one (a title's first line), else ""."""
    text = _WHITESPACE.sub("", unicodedata.normalize("NFKC", row.text))
    if row.in_table or len(row.cells) != 1 or not _ORGAN_LINE.fullmatch(text):
        return ""
    return text if text.endswith(_ORGAN_ENDINGS) else ""


# 「本报告所列数据统计期限自2023年1月1日起至12月31日止」, 「本报告的统计数据时间段为2023年1月1日
# 至…」 (国有资产管理局 2023): the year of a report without a title.
_PERIOD_YEAR = re.compile(
    r"统计(?:数据)?(?:期限|时限|周期|时间|区间)[^。]{0,12}?(?P<year>(?:19|20)\d{2})年1月1日"
)
_PERIOD_ROWS = 40  # the sentence stands in the opening paragraph


def _period_year(rows: Sequence[Row], start: int) -> int | None:
    for row in rows[max(start, 0) : max(start, 0) + _PERIOD_ROWS]:
        match = _PERIOD_YEAR.search(_WHITESPACE.sub("", unicodedata.normalize("NFKC", row.text)))
        if match:
            return int(match.group("year"))
    return None


def _named(texts: Sequence[str]) -> Title | None:
    """The first title among texts (a page title 「标题_网站名」 split at its separators)."""
    for text in texts:
        for piece in (text, *_SITE_SEPARATORS.split(text)):
            title = parse_title(piece)
            if title is not None:
                return title
    return None


def _identity(
    rows: Sequence[Row],
    title_at: int,
    title: Title | None,
    fallbacks: Sequence[str],
    hints: Hints,
    out: Collector,
) -> tuple[str, int]:
    """The organ and year: --organ/--year, the title, the page, the text, the file name."""
    organ, year = hints.organ, hints.year
    if title is not None:
        organ = organ or title.organ or None
        year = year or title.year
    period = _period_year(rows, title_at + 1)
    sources: list[tuple[str, str, Title | None]] = [
        ("page", "网页标题或文档属性", _named(fallbacks)),
        ("text", "正文的统计期限", Title("", "", period) if period is not None else None),
        ("page", "文件名", _named([hints.file_name]) if hints.file_name else None),
    ]
    for kind, where, named in sources:
        if named is None:
            continue
        if organ is None and named.organ:
            organ = named.organ
            out.warn("import/organ-from-page", (), f"报告没有标题，机关名称取自{where}：{organ}")
        if year is None:
            year = named.year
            out.warn(f"import/year-from-{kind}", (), f"报告没有标题，年度取自{where}：{year}")
    if year is None:
        raise XxgkError.single(
            "import/no-title",
            f"没有找到报告标题（「××{{年度}}年{_SUFFIX}」），也无法从网页标题、正文的统计期限或"
            "文件名确定年度；请用 --year（及 --organ）指定",
        )
    if organ is None:
        out.warn(
            "import/no-organ",
            (),
            "报告没有标题，也无法从网页标题或文件名确定机关名称；机关名称留空，请用 --organ 指定",
        )
    return organ or "", year


def _header(rows: Sequence[Row], title_at: int) -> DocumentHeader:
    mark = number = None
    # The 版头 is the last few non-blank lines above the title; Word's 公文 layout puts blank
    # spacing paragraphs between 发文机关标志, 发文字号 and the title, so count lines, not rows.
    above = [r.text for r in rows[: max(0, title_at)] if not r.is_blank][-6:]
    for text in reversed(above[-3:]):
        if number is None and _DOC_NUMBER.search(text):
            number = _WHITESPACE.sub("", text)
        elif mark is None and text.endswith(_ISSUER_SUFFIX) and len(text) <= _ISSUER_MAX:
            mark = _WHITESPACE.sub("", text)
    return DocumentHeader(issuer_mark=mark, doc_number=number)


def _narrative_lines(rows: Sequence[Row], last: bool = False) -> list[str]:
    lines: list[str] = []
    for row in rows:
        if last and narrative.is_page_furniture(row.text):
            break  # the website's footer after the report's last section
        if not row.in_table and not row.is_blank:
            lines.append(row.text)
    return lines


def read_rows(
    rows: Sequence[Row],
    fallback_titles: Sequence[str] = (),
    tables_marked: bool = False,
    hints: Hints | None = None,
) -> ImportResult:
    """The report in a source's rows; XxgkError when not even its year can be found.

    ``tables_marked``: the source marks its tables (html, docx), so paragraphs are never table rows.
    ``fallback_titles``: a page's <title> and meta tags, for a report without a title of its own.
    """
    out = Collector()
    title_at, title = _find_title(rows)
    organ, year = _identity(rows, title_at, title, fallback_titles, hints or Hints(), out)
    heads = _heads(rows, title_at + 1)
    sections = _ranges(heads, len(rows))
    for s in labels.SECTIONS:
        if _NUMBERS.index(s.number) not in sections:
            out.warn("import/missing-section", (s.heading,), "没有找到这一节的标题")
    readers = _Readers(Table2Reader(out), Table3Reader(out), Table4Reader(out))
    texts: dict[int, list[Row]] = {0: [], 4: [], 5: []}
    for number, (first, end) in sorted(sections.items()):
        current = readers.of_section(number)
        section = rows[first:end]
        if not tables_marked:  # html/docx tables have real cells; a text paste may stack them
            section = runtogether.expand(number, section, out)
            section = columnwise.regroup(number, section, out)
            section = stacked.regroup(number, section, out)
        for row in section:
            if row.is_blank:
                continue
            claimed = readers.claim(row) if row.in_table or not tables_marked else None
            if claimed is not None and number in texts and not _table_shaped(row):
                claimed = None  # a narrative line that happens to name a row: 「规章 22 件、…」
            if claimed is not None:
                current = claimed
            elif number in texts and not row.in_table:
                texts[number].append(row)
                continue
            if current is not None and (row.in_table or not tables_marked):
                current.feed(row)
    result = _assemble(rows, title_at, (title, organ, year), readers, texts, out)
    return dataclasses.replace(result, outline=_outline(rows, title_at, heads))


def _table_shaped(row: Row) -> bool:
    """True for a real table row: a label cell, then only number cells (at least one)."""
    if row.in_table:
        return True
    cells = [c for c in row.cells if c.strip()]
    return len(cells) >= 2 and all(is_number_like(c) for c in cells[1:])


@dataclass
class _Readers:
    t2: Table2Reader
    t3: Table3Reader
    t4: Table4Reader

    def of_section(self, number: int) -> Table2Reader | Table3Reader | Table4Reader | None:
        readers: dict[int, Table2Reader | Table3Reader | Table4Reader] = {
            1: self.t2, 2: self.t3, 3: self.t4}
        return readers.get(number)

    def claim(self, row: Row) -> Table2Reader | Table3Reader | Table4Reader | None:
        """The table whose label the row carries (表四 before 表三: both have a 总计 heading)."""
        if len(row.cells) < 2 and not row.in_table:
            return None
        norms = [normalize(c) for c in row.cells]
        return next((r for r in (self.t2, self.t4, self.t3) if r.claims(norms)), None)


def _assemble(
    rows: Sequence[Row],
    title_at: int,
    identity: tuple[Title | None, str, int],
    readers: _Readers,
    texts: dict[int, list[Row]],
    out: Collector,
) -> ImportResult:
    six, signer, date = narrative.signature(_narrative_lines(texts[5], last=True))
    table2 = readers.t2.result()
    # The format is told by what only the 2019 format prints (its 表二 rows and headings), never
    # by （六）其他处理 printed as one row: 2021 reports do that too.
    is_2019 = readers.t2.seen and readers.t2.is_2019
    table3 = readers.t3.result(is_2019)
    if is_2019 and readers.t3.single_other_handling:
        format2019.report_single_other_handling(out)
    title, organ, year = identity
    header = _header(rows, title_at).model_copy(update={"signer": signer, "date": date})
    usual = f"{organ}{year}年{_SUFFIX}"
    printed = None if title is None or _WHITESPACE.sub("", title.text) == usual else title.text
    report = Report(
        format_version=labels.FORMAT_2019 if is_2019 else labels.FORMAT_2021,
        organ=organ,
        year=year,
        title=printed,
        header=header,
        overview=narrative.overview(_narrative_lines(texts[0])),
        table2=table2,
        table3=table3,
        table4=readers.t4.result(),
        problems=narrative.paragraphs(_narrative_lines(texts[4])),
        other_matters=narrative.paragraphs(six),
    )
    return ImportResult(report, report.format_version, out.findings)
