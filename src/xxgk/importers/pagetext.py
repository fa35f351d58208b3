"""Text as crawlers save a portal page: a header of metadata lines, then the body, often one line.

A crawler writes what it knows of the page first::

    标题: 平潭综合实验区财政金融局2021年度政府信息公开工作年度报告
    发布时间: 2022-01-13 08:38
    发布机构: 平潭综合实验区人民政府
    原文链接: https://…/t20220113_80600.htm
    本地目录: zwgk/…/80600_平潭综合实验区财政金融局2021年度…
    ==================== 正文 ====================

These lines describe the page, not the report: the 发布机构 is the portal's owner, the path a
folder name. They are read as metadata (the title as the page's title, the date as 发布日期) and
never as the report's text or organ. The body then often stands on one line, every paragraph and
table cell run together; it is cut back into lines at what the national format prints — the six
section titles, the table headings and every row label of 表二/表三, the numbers of 表四 — so that
the sections and the run-together rows are found (``runtogether`` then cuts the digits).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from xxgk import labels

# A crawler's header line: 「标题: …」「发布时间：…」.
_HEADER_LINE = re.compile(r"^\s*(?P<key>[\u4e00-\u9fff]{2,6})\s*[:：]\s?(?P<value>.*)$")
HEADER_KEYS = frozenset(
    {"标题", "发布时间", "发布日期", "文号", "发布机构", "栏目", "原文链接", "本地目录", "来源",
     "作者", "索引号", "信息来源", "生成日期", "抓取时间"}
)
# Keys only a crawler's header has (a report's own text may begin 「标题：」 but not with these).
_CRAWLER_KEYS = frozenset({"原文链接", "本地目录", "发布机构", "栏目", "抓取时间"})
_BODY_MARK = re.compile(r"^\s*[=\-*#]{3,}\s*正文\s*[=\-*#]{3,}\s*$")
_HEADER_LINES_MAX = 20
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)  # 「<!--[if !supportLists]-->」 kept by crawlers
# A line this long holding two national section titles is a whole body run together.
LONG_LINE = 400


@dataclass
class CrawlerPage:
    """A crawler's header (key → value, as written) and the line its body starts on (0-based)."""

    meta: dict[str, str] = field(default_factory=dict)
    body_from: int = 0

    @property
    def title(self) -> str | None:
        """The page's title as the crawler recorded it."""
        return self.meta.get("标题") or None

    @property
    def published_text(self) -> tuple[str, str] | None:
        """The key and value that state the publication date, if the header has them."""
        for key in ("发布时间", "发布日期"):
            if self.meta.get(key, "").strip():
                return key, self.meta[key].strip()
        return None


def read_header(lines: Sequence[str]) -> CrawlerPage | None:
    """The crawler's header at the top of a text, or None when the text has none."""
    meta: dict[str, str] = {}
    last = -1
    for i, line in enumerate(lines[:_HEADER_LINES_MAX]):
        if _BODY_MARK.match(line):
            return _page(meta, i + 1)
        match = _HEADER_LINE.match(line)
        if match and match["key"] in HEADER_KEYS:
            meta.setdefault(match["key"], match["value"].strip())
            last = i
        elif line.strip() and last < 0:
            return None  # the text begins with something else: not a crawler's file
        elif line.strip() and meta and not line.strip().startswith("页面链接"):
            return _page(meta, last + 1)
    return _page(meta, last + 1)


def _page(meta: dict[str, str], body_from: int) -> CrawlerPage | None:
    if len(meta) < 2 or not _CRAWLER_KEYS & set(meta):
        return None
    return CrawlerPage(meta, body_from)


# ---------------------------------------------------------------- a body on one line


def _flex(label: str) -> str:
    """A pattern for a label as crawlers and editors print it: either kind of brackets, quotes
    and colons, spaces anywhere."""
    same = {"（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]", "：": "[：:]", ":": "[：:]",
            "、": "[、，,]", "，": "[，,、]", "“": "[“\"”]?", "”": "[”\"“]?", "\"": "[“\"”]?"}
    return r"\s*".join(same.get(ch, re.escape(ch)) for ch in label)


_SECTION_PATTERNS = {
    "一": r"一\s*[、.．]\s*总体情况",
    "二": r"二\s*[、.．]\s*主动公开政府信息(?:的)?情况",
    "三": r"三\s*[、.．]\s*收到和处理政府信息公开申请(?:的)?情况",
    "四": r"四\s*[、.．]\s*(?:因)?政府信息公开(?:申请)?(?:提起)?行政复议\s*[、和及与]\s*(?:提起)?"
    r"行政诉讼(?:的)?情况",
    # Organs word 五's title their own way: 「…及改进情况」, 「…及明年工作计划」 (公安局 2024) …
    "五": r"五\s*[、.．]\s*(?:政府信息公开工作)?存在的主要问题\s*(?:及|和|与)\s*"
    r"(?:改进情况|改进措施|整改情况|(?:明年|下一步|下一年度?)工作(?:计划|打算))",
    "六": r"六\s*[、.．]\s*其他需要报告的事项",
}
_SECTIONS = [(n, re.compile(p)) for n, p in _SECTION_PATTERNS.items()]
_NUMBER_RUN = r"\s?[-+]?\d+(?:\.\d+)?(?:\s[-+]?\d+(?:\.\d+)?)*"
_T2_BLOCKS = (*labels.TABLE2_BLOCKS, *labels.TABLE2_2019_BLOCKS)
_T2_LABELS = sorted(
    {label for block in _T2_BLOCKS for _, label in block.rows},
    key=len,
    reverse=True,
)
_T2_ROW = re.compile(rf"(?:{'|'.join(_flex(x) for x in _T2_LABELS)})(?={_NUMBER_RUN})")
_T2_HEAD = re.compile(r"第\s*二十\s*条\s*第\s*[（(]")
_TRAILING_NUMBERS = re.compile(rf"(?<![\d.]){_NUMBER_RUN}")


def _t3_patterns() -> list[re.Pattern[str]]:
    """表三's labels in printed order, each a pattern; sub-items with their own number."""
    out: list[str] = [_flex(labels.TABLE3_APPLICANTS)]
    groups = {g.label: g for g in labels.TABLE3_GROUPS}
    seen: set[str] = set()
    for row in labels.TABLE3_ROWS:
        if row.id == "granted":
            out.append(_flex(labels.TABLE3_RESULTS))
        if row.group and row.group not in seen:
            seen.add(row.group)
            out.append(_flex(groups[row.group].label))
        if row.id == "carried_out":
            out.append(_flex(labels.TABLE3_RESULTS_TOTAL))
        if row.id == "partial":
            note = _flex("（区分处理的，只计这一情形，不计其他情形）")
            out.append(_flex("（二）部分公开") + rf"(?:{note})?")
            continue
        number, dot, body = row.label.partition(".")
        if dot and number.isdigit():
            # The digit belongs to the label: 「…0 0 002.其他法律…」 is 「00」 and 「2.其他…」.
            out.append(rf"(?<!\d\.){number}\s*[.．、]\s*{_flex(body)}")
        else:
            out.append(_flex(row.label))
    return [re.compile(p) for p in out]


_T3_PATTERNS = _t3_patterns()
_T4_NUMBERS = re.compile(r"\d+(?:\s+\d+)*\s*$")


def is_run_together(line: str) -> bool:
    """True for a line holding a whole report body: long, with two section titles or more."""
    if len(line) < LONG_LINE:
        return False
    return sum(1 for _, p in _SECTIONS if p.search(line)) >= 2


def split_body(line: str, title: str | None = None) -> list[str]:
    """A body run together on one line, cut into lines at the national format's headings."""
    cuts: set[int] = set()
    first_section = _SECTIONS[0][1].search(line)
    if title and title.strip():  # the title stands on its own, wherever the page put it
        at = line.find(title.strip(), 0, first_section.start() if first_section else len(line))
        if at >= 0:
            cuts |= {at, at + len(title.strip())}
    found: list[tuple[str, int, int]] = []
    position = 0
    for number, pattern in _SECTIONS:
        match = pattern.search(line, position)
        if match is None:
            continue
        found.append((number, match.start(), match.end()))
        cuts |= {match.start(), match.end()}
        position = match.end()
    for k, (number, _, begin) in enumerate(found):
        end = found[k + 1][1] if k + 1 < len(found) else len(line)
        if number == "二":
            cuts |= _table2_cuts(line, begin, end)
        elif number == "三":
            cuts |= _table3_cuts(line, begin, end)
        elif number == "四":
            cuts |= _table4_cuts(line, begin, end)
    cuts |= _signature_cuts(line, title)
    bounds = sorted({0, len(line), *cuts})
    pieces = [line[a:b].strip() for a, b in itertools.pairwise(bounds)]
    return [cell for p in pieces if p for cell in _table2_heading(p) if cell != _ATTACHMENTS]


_ATTACHMENTS = "附件下载"  # the portal's link under every article
_ORGAN_OF_TITLE = re.compile(r"^(?P<organ>.+?)(?:关于)?\s*(?:19|20)\d{2}\s*年")
_CLOSING = re.compile(
    r"(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(?:[（(][^）)]{0,40}[）)])?"
    rf"\s*(?:{_ATTACHMENTS})?\s*$"
)


def _signature_cuts(line: str, title: str | None) -> set[int]:
    """The closing 署名 and 成文日期 at the body's end on lines of their own (the organ as the
    title names it, right before the date), and the portal's 「附件下载」 apart."""
    closing = _CLOSING.search(line)
    if closing is None:
        tail = line.rstrip()
        return {len(tail) - len(_ATTACHMENTS)} if tail.endswith(_ATTACHMENTS) else set()
    cuts = {closing.start("date"), closing.end("date")}
    organ = _ORGAN_OF_TITLE.match(title.strip()) if title else None
    if organ is not None:
        before = line[: closing.start("date")].rstrip()
        name = organ.group("organ").strip()
        if before.endswith(name):
            cuts.add(len(before) - len(name))
    tail = line.rstrip()
    if tail.endswith(_ATTACHMENTS):
        cuts.add(len(tail) - len(_ATTACHMENTS))
    return cuts


_T2_HEADINGS = sorted(
    {c for block in _T2_BLOCKS for c in block.columns} | {labels.TABLE2_CONTENT_HEADING},
    key=len,
    reverse=True,
)
_T2_HEADING_RUN = re.compile(rf"(?:{'|'.join(_flex(h) for h in _T2_HEADINGS)})")


def _table2_heading(piece: str) -> list[str]:
    """「第二十条第（一）项信息内容本年制发件数…」 → the item on its line, then the headings as
    the cells of one row (tab-separated), as a table's heading row is."""
    head = _T2_HEAD.match(piece)
    content = piece.find(labels.TABLE2_CONTENT_HEADING)
    if head is None or content < 0:
        return [piece]
    rest = piece[content:]
    cells = [m.group(0) for m in _T2_HEADING_RUN.finditer(rest)]
    if "".join(cells) != re.sub(r"\s", "", rest):
        return [piece]  # words that are not the national headings: left as printed
    return [piece[:content].strip(), "\t".join(cells)]


def _table2_cuts(line: str, begin: int, end: int) -> set[int]:
    cuts: set[int] = set()
    head = _T2_HEAD.search(line, begin, end)
    if head is None:
        return cuts
    for match in _T2_HEAD.finditer(line, head.start(), end):
        cuts.add(match.start())
    for match in _T2_ROW.finditer(line, head.start(), end):
        numbers = _TRAILING_NUMBERS.match(line, match.end(), end)
        if numbers is None:
            continue
        cuts |= {match.start(), numbers.end()}
    return cuts


def _table3_cuts(line: str, begin: int, end: int) -> set[int]:
    cuts: set[int] = set()
    position = begin
    for pattern in _T3_PATTERNS:
        match = pattern.search(line, position, end)
        if match is None:
            continue  # a row the report does not print (2019: no （六） sub-items)
        cuts.add(match.start())
        position = match.end()
    # The last row's numbers end the table: what follows is text.
    numbers = _TRAILING_NUMBERS.match(line, position, end)
    if numbers is not None and position > begin:
        cuts.add(numbers.end())
    return cuts


def _table4_cuts(line: str, begin: int, end: int) -> set[int]:
    numbers = _T4_NUMBERS.search(line, begin, end)
    return {numbers.start()} if numbers is not None else set()
