"""The day a report went online (发布日期), as a page or a crawler's header states it.

Portals print it above the article (「发布时间：2024-01-30」), put it in meta tags (PubDate,
publishdate, article:published_time …), and crawlers copy it into their header
(「发布时间: 2022-01-13 08:38」). It is read only where the page says so; the import says where
it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from xxgk.importers import ImportResult
from xxgk.importers.findings import Collector

PUBLISHED_FROM = "import/published-from"
# 「2024-01-30」「2024/1/30」「2024.01.30」「2024年1月30日」, a time after it allowed.
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)"
)
_STATED = re.compile(r"(?:发布|公开|发文)(?:时间|日期)\s*[:：]?\s*")
# Meta tag names (lower case) that carry the publication date on portals and CMSs.
META_NAMES = frozenset(
    {
        "pubdate",
        "publishdate",
        "publish_date",
        "published",
        "firstpublishedtime",
        "article:published_time",
        "og:published_time",
        "dc.date",
        "dc.date.issued",
        "dcterms.issued",
        "date",
    }
)
_TEXT_ROWS = 60  # the visible 「发布时间」 stands above the article, near the page's top


def parse_date(text: str) -> dt.date | None:
    """The date a value begins with (「2022-01-13 08:38」, 「2024年1月30日」), or None."""
    return date_of(_DATE.match(text.strip()))


def date_of(match: re.Match[str] | None) -> dt.date | None:
    """The day a match's groups ``y``, ``m``, ``d`` name, or None (no match, no such day)."""
    if match is None:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def stated_in_text(texts: Iterable[str]) -> tuple[dt.date, str] | None:
    """The first 「发布时间：…」 among the first lines of a page, with the words as printed."""
    for i, text in enumerate(texts):
        if i >= _TEXT_ROWS:
            break
        for match in _STATED.finditer(text):
            date = parse_date(text[match.end() : match.end() + 24])
            if date is not None:
                return date, text[match.start() : match.end() + 10].strip()
    return None


def attach(result: ImportResult, date: dt.date | None, where: str) -> ImportResult:
    """The result with its report's publication date set, and a finding saying where from."""
    if date is None or result.report.published is not None:
        return result
    result.report = result.report.model_copy(update={"published": date})
    out = Collector()
    out.warn(PUBLISHED_FROM, (), f"发布日期取自{where}：{date.isoformat()}")
    result.findings.extend(out.findings)
    return result
