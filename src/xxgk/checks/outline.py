"""The preamble and the six section headings against the 2021 format (国办公开办函〔2021〕30号).

Evaluators deduct for a report 「未按要素撰写」: headings in other words or another order, or a
preamble still describing the parts of the pre-2019 format (「因政府信息公开申请行政复议、提起行政
诉讼的情况」) or listing five parts. Only published reports have an outline to check: a data file or
our workbook prints the headings from the national labels.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from xxgk import labels
from xxgk.errors import Finding, warning
from xxgk.importers.outline import Outline

_NUMBERS = "一二三四五六"
SIMILAR = 0.6  # difflib ratio above which printed words are taken for the heading reworded
_PREFIX = re.compile(r"^[一二三四五六七八九十]{1,2}[、.．]\s*")
_PUNCTUATION = str.maketrans({":": "", "：": "", " ": "", "\u3000": ""})
# Section names of the format before the 2019 条例 (国办发〔2008〕36号 practice), which reports
# drafted from old ones still list.
OLD_NAMES = (
    "依申请公开政府信息情况",
    "政府信息公开的收费及减免情况",
    "因政府信息公开申请行政复议、提起行政诉讼的情况",
    "政府信息公开工作存在的主要问题及改进情况",
)
_PARTS = re.compile(
    r"(?:包括|分为|共有|共分|由)[^。；]{0,160}?([一二三四五六七八九十两\d]{1,2})\s*(?:个|项|大)?"
    r"(?:部分|方面|项内容|块内容)"
)
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
       "十": 10}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN.get(text)
    return None


def check_outline(outline: Outline) -> list[Finding]:
    """Headings not in the 2021 wording or numbering, and a preamble listing other parts."""
    return [*_headings(outline), *_preamble(outline)]


def _looks_like(title: str, expected: str) -> bool:
    """True when the printed words are this heading in other words, not a line cut short by a
    page (a prefix of it) or a table row the importer took for the heading."""
    if expected.startswith(title) or "（" in title or "(" in title:
        return False
    candidates = (expected, *(_folded(n) for n in OLD_NAMES))
    return max(SequenceMatcher(None, title, c).ratio() for c in candidates) >= SIMILAR


def _headings(outline: Outline) -> list[Finding]:
    findings, misnumbered = [], []
    for index, printed in outline.headings:
        section = labels.SECTIONS[index]
        folded = _folded(printed)
        number = _PREFIX.match(folded)
        title = _PREFIX.sub("", folded)
        expected = _folded(section.title)
        if title != expected:
            if _looks_like(title, expected):
                findings.append(warning(
                    "structure/section-title", (section.heading,),
                    f"标题印作「{printed.strip()}」，全国统一格式为「{section.heading}」",
                ))
        elif number is not None and not number.group(0).startswith(_NUMBERS[index]):
            misnumbered.append(f"「{section.title}」编为「{number.group(0).strip()}」")
    if misnumbered:
        findings.append(warning(
            "structure/section-order", ("正文",),
            "六个部分的编号与全国统一格式不一致：" + "，".join(misnumbered)
            + "；应依次为一、总体情况至六、其他需要报告的事项",
        ))
    return findings


def _preamble(outline: Outline) -> list[Finding]:
    text = _folded("".join(outline.preamble))
    findings = []
    old = [name for name in OLD_NAMES if _folded(name) in text]
    if old:
        findings.append(warning(
            "structure/preamble-old-names", ("前言",),
            "前言列出的是 2019 年以前格式的部分名称：" + "、".join(f"「{n}」" for n in old)
            + "；2021 年格式为总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项",
        ))
    match = _PARTS.search(text)
    if match is not None and (count := _count(match.group(1))) is not None and count != 6:
        findings.append(warning(
            "structure/preamble-parts", ("前言",),
            f"前言说报告包括 {count} 个部分（「{match.group(0)[-12:]}」），2021 年格式为六个部分",
        ))
    return findings
