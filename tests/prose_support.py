"""The prose of the real crawler pages in tests/data/real-prose/, as a Report and an Outline.

The importer does not cut a body run into one line into sections yet (issue 18); these pages are
split here at their six headings (found by the words each page prints), for the text checks'
tests only: the narrative of 一, 五 and 六 and the preamble, no table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from xxgk.importers.outline import Outline
from xxgk.model import Overview, Report, Subsection

PROSE = Path(__file__).parent / "data" / "real-prose"
# Each heading as these pages print it (wording varies: 「行政复议与行政诉讼」).
_HEADINGS = (
    r"一、总体情况",
    r"二、主动公开政府信息情况",
    r"三、收到和处理政府信息公开申请情况",
    r"四、政府信息公开行政复议.{0,2}行政诉讼情况",
    r"五、存在的主要问题及改进情况",
    r"六、其他需要报告的事项",
)
_SUBSECTION = re.compile(r"(?=[（(][一二三四五六七八九十][）)])")
_MARKER = re.compile(r"^[（(][一二三四五六七八九十][）)]")
_SIGNATURE = re.compile(r"\s*\S+\s*\d{4}年\d{1,2}月\d{1,2}日\s*$")


@dataclass(frozen=True)
class Page:
    """A crawler page: its report (narrative only), outline and publication date."""

    report: Report
    outline: Outline
    published: dt.date


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _SUBSECTION.split(text) if p.strip()]


def read_page(name: str) -> Page:
    """The page ``name`` of tests/data/real-prose/."""
    text = (PROSE / name).read_text(encoding="utf-8")
    head, body = text.split("==================== 正文 ====================\n", 1)
    title = re.search(r"^标题: (.+)$", head, re.M)
    date = re.search(r"^发布时间: (\d{4})-(\d{2})-(\d{2})", head, re.M)
    assert title
    assert date
    found = re.match(r"(.+?)(\d{4})年", title.group(1))
    assert found
    organ, year = found.group(1), int(found.group(2))
    starts = []
    at = 0
    for pattern in _HEADINGS:
        match = re.compile(pattern).search(body, at)
        assert match, pattern
        starts.append(match)
        at = match.end()
    sections = [
        body[m.end() : starts[i + 1].start() if i + 1 < len(starts) else len(body)]
        for i, m in enumerate(starts)
    ]
    overview = _paragraphs(sections[0])
    report = Report(
        organ=organ,
        year=year,
        overview=Overview(intro=overview[:1], subsections=[
            Subsection(title=_MARKER.sub("", p)[:10], paragraphs=[p]) for p in overview[1:]
        ]),
        problems=_paragraphs(sections[4]),
        other_matters=[_SIGNATURE.sub("", sections[5]).strip()],
    )
    outline = Outline(
        preamble=(body[: starts[0].start()].strip(),),
        headings=tuple((i, m.group(0)) for i, m in enumerate(starts)),
    )
    published = dt.date(int(date.group(1)), int(date.group(2)), int(date.group(3)))
    return Page(report, outline, published)


PAGES = ("pingtan-czj-2023.page.txt", "pingtan-czj-2024.page.txt", "pingtan-jjf-2024.page.txt")
