"""Where a report's title breaks into lines (GB/T 9704-2012 7.3.3), as pure functions of its text.

标题 "回行时，要做到词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形". A title
that fits one line stays whole. One that does not is broken only at word boundaries the national
title pattern gives — after the organ or one of its administrative units (…省/市/县/区/镇/街道/局/
委员会/办公室…), after ``YYYY年``, or before ``工作年度报告`` — choosing the fewest lines, then a
梯形 or 菱形 (never a waist), then the most even lines; no line is left with one or two characters.
A clerk's own line breaks (a line break inside 标题 in the data file) are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations, pairwise

# 二号 (22 pt) characters in the 156 mm text block: 442 pt / 22 pt.
LINE_WIDTH = 20.0
MIN_LINE_CHARS = 3  # 7.3.3: never one or two characters alone on a line
MAX_LINES = 4

# Administrative units and organ words after which a title may break.
UNITS = (
    "特别行政区", "人民代表大会", "常务委员会", "管理委员会", "共和国", "办事处", "委员会",
    "管委会", "办公厅", "办公室", "人民政府", "自治区", "自治州", "自治县", "自治旗", "街道",
    "地区", "新区", "林区", "总局", "分局", "中心", "公署", "政府", "省", "市", "州", "盟",
    "县", "区", "旗", "镇", "乡", "局", "厅", "委", "部", "署", "办", "院", "会", "所", "站",
)
# Words a break must not cut, and words ending in a unit's character that are no unit (城市管理局).
PROTECTED = (
    "城市", "都市", "超市", "市场", "市政", "市容", "市民", "市区", "市县", "市级", "市直",
    "区域", "区划", "区县", "区级", "区直", "县域", "县级", "县区", "县市", "县直", "省级",
    "省直", "省市", "乡村", "乡镇", "镇区", "镇村", "镇级", "局长", "部门", "委员", "人民",
    "办公", "自治", "会议", "院校", "所属", "站点", "州市",
)
# A unit followed by these words is still a place to break: 某某市 / 民政局 (not 市民).
BREAK_BEFORE = ("民政", "民族", "民宗", "政务", "政法")
# These attach to the place before them: 某某市人民政府 is never 某某市 / 人民政府.
NO_BREAK_BEFORE = ("人民政府", "政府", "人民代表大会", "委员会", "常务委员会", "办事处")
_WORDS = tuple(sorted(set(UNITS) | set(PROTECTED), key=len, reverse=True))
_YEAR = re.compile(r"(?:19|20)\d{2}年(?:度)?")
# Some organs title their report 「…政府信息公开年度报告」, without 工作.
_REPORT_TAILS = ("政府信息公开工作年度报告", "工作年度报告", "政府信息公开年度报告")


def width(text: str) -> float:
    """Printed width in title characters: CJK and full-width 1, others ½, with the ¼ space
    Word and LibreOffice put between CJK and digits or Latin letters."""
    total, previous = 0.0, ""
    for char in text:
        wide = unicodedata.east_asian_width(char) in "WF"
        total += 1.0 if wide else 0.5
        if previous and wide != (unicodedata.east_asian_width(previous) in "WF") \
                and not char.isspace() and not previous.isspace():
            total += 0.25
        previous = char
    return total


def _unit_ends(organ: str) -> set[int]:
    """Positions right after an administrative unit of the organ name where a break keeps every
    word whole."""
    spans = [(i, i + len(word)) for word in _WORDS for i in _find_all(organ, word)]
    ends: set[int] = set()
    for end in range(2, len(organ) + 1):  # a unit needs a name before it (北京市, 某某镇)
        longest = next((w for w in _WORDS if organ.endswith(w, 0, end)), None)
        if longest is None or longest not in UNITS or end - len(longest) < 1:
            continue
        rest = organ[end:]
        if rest.startswith(NO_BREAK_BEFORE):
            continue
        inside = any(a < end < b for a, b in spans)
        if inside and not rest.startswith(BREAK_BEFORE):
            continue
        ends.add(end)
    return ends


def _find_all(text: str, word: str) -> list[int]:
    found, start = [], text.find(word)
    while start >= 0:
        found.append(start)
        start = text.find(word, start + 1)
    return found


def break_points(title: str, organ: str | None = None) -> list[int]:
    """Every position where the title may break: after the organ's units, after ``YYYY年``,
    before ``政府信息公开工作年度报告`` and ``工作年度报告``."""
    points: set[int] = set()
    year = _YEAR.search(title)
    head_end = year.start() if year else len(title)
    if organ and title.startswith(organ):
        points |= _unit_ends(organ)
        points.add(len(organ))
    else:
        points |= _unit_ends(title[:head_end])
    if year:
        points.add(year.start())
        points.add(year.end())
    for tail in _REPORT_TAILS:
        found = title.rfind(tail)
        if found > 0:
            points.add(found)
    return sorted(p for p in points if 0 < p < len(title))


def _split(title: str, cuts: tuple[int, ...]) -> list[str]:
    bounds = (0, *cuts, len(title))
    return [title[a:b] for a, b in pairwise(bounds)]


SHAPE_TOLERANCE = 1.0  # lines within one character of each other count as equal


def _shape_ok(widths: list[float]) -> bool:
    """梯形 (monotone) or 菱形 (rising then falling): never narrower in the middle."""
    peak = widths.index(max(widths))
    ups, downs = widths[: peak + 1], widths[peak:]
    rising = all(a <= b + SHAPE_TOLERANCE for a, b in pairwise(ups))
    falling = all(a + SHAPE_TOLERANCE >= b for a, b in pairwise(downs))
    return rising and falling


def _score(lines: list[str]) -> tuple[int, float, float, int]:
    widths = [width(line) for line in lines]
    spread = max(widths) - min(widths)
    # Fewest lines; a trapezoid or diamond; the most even; then the wider line below (正梯形).
    return (0 if _shape_ok(widths) else 1, spread, max(widths), 0 if widths[0] <= widths[-1] else 1)


def title_lines(title: str, organ: str | None = None, line_width: float = LINE_WIDTH) -> list[str]:
    """The title's lines: the clerk's own breaks when the title has any, else one line when it
    fits, else the most balanced 梯形/菱形 over the allowed break points."""
    given = [line.strip() for line in title.splitlines() if line.strip()]
    if len(given) > 1:
        return given
    title = given[0] if given else title.strip()
    if width(title) <= line_width:
        return [title]
    points = break_points(title, organ)
    for count in range(1, MAX_LINES):
        splits = (_split(title, cuts) for cuts in combinations(points, count))
        candidates = [
            lines for lines in splits
            if all(width(line) <= line_width and len(line) >= MIN_LINE_CHARS for line in lines)
        ]
        if candidates:
            return min(candidates, key=_score)
    return [title]  # no allowed break fits: left to the line filler rather than cut a word
