"""Last year's year left in this year's prose: 「2024年，我局共受理…」 in a 2025 report.

Reports are drafted from last year's, and the year is the word most often left unchanged. Only
a sentence (or clause) that *opens* with last year's year and goes on to say what the organ did
(「2024年，我局…」「2024年共收到…」) speaks of the report's own year; last year's year anywhere
else is usually right (「公开了2025年预算、2024年决算」「2024年底出台的…」), and a sentence
that compares with last year (同比, 较上年, 上年度 …) or names this year as well is never
flagged.
"""

from __future__ import annotations

import re

from xxgk.checks.paragraphs import narrative
from xxgk.errors import Finding, warning
from xxgk.model import Report

_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
# What the organ did that year: the subject or verb right after the year.
_SUBJECT = (
    r"(?:我|本机关|本单位|本部门|本局|本委|本办|本镇|本乡|本街道|全年|全区|全县|全市|全镇|全乡|全局"
    r"|共|累计|在主动公开|主动公开|受理|收到|新收|接收|办结|制发|印发|发布|公开)"
)
# A list marker before the year: （一） 1. 一是
_MARKER = r"(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]是|\d{1,2}[.、．])?"
_COMPARING = re.compile(
    r"同比|环比|上年|去年|上一年|前一年|相比|同期|较\d{4}|比\d{4}|结转|以来|报告"
)


def _opening(year: int) -> re.Pattern[str]:
    # At the sentence start (after a list marker), the year, 「度」, an optional comma, the subject;
    # after a comma inside a sentence, only the year directly followed by the subject.
    return re.compile(
        rf"(?:^\s*{_MARKER}\s*{year}\s*年度?\s*[，,]?\s*(?={_SUBJECT})"
        rf"|[，,]\s*{year}\s*年度?(?={_SUBJECT}))"
    )


def stale_sentences(report: Report) -> list[tuple[tuple[str, ...], str]]:
    """Each sentence of the narrative that speaks of last year's year as if it were this year's."""
    opening = _opening(report.year - 1)
    found = []
    for paragraph in narrative(report):
        text = paragraph.text.translate(_WIDE_DIGITS)
        for match in _SENTENCE.finditer(text):
            sentence = match.group(0).strip()
            if str(report.year) in sentence or _COMPARING.search(sentence):
                continue
            if opening.search(sentence):
                found.append((paragraph.place, sentence))
    return found


def check_stale_years(report: Report) -> list[Finding]:
    """A warning for each sentence that gives last year's year where it means this year's."""
    return [
        warning(
            "text/stale-year", place,
            f"「{_shortened(sentence)}」写的是 {report.year - 1} 年，本报告是 {report.year} 年度："
            "是否沿用了上年报告的文字？",
        )
        for place, sentence in stale_sentences(report)
    ]


def _shortened(sentence: str, limit: int = 60) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit] + "……"
