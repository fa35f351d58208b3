"""Narrative lines → the model's paragraphs and the （一）… subsections of 一、总体情况.

A paste breaks paragraphs mid-sentence (a line that does not end a sentence, then the rest on the
next line, sometimes after a blank line): such lines are joined. A subsection heading
「（二）依申请公开情况：2021 年度……」 gives the title before the colon and a paragraph after it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from xxgk.model import Overview, Subsection

# Characters that end a paragraph; a closing quote or bracket after one of them also does.
_ENDINGS = frozenset("。；：！？!?;:…")
_CLOSERS = frozenset("”’」』）)】")
_SUBHEADING = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.*)$")
# 「1.信息公开情况」 standing alone is a heading of its own, not half a sentence.
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[.．、]")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_TITLE_MAX = 25
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_SIGNER_MAX = 30
# Website furniture after the report (footer, print links): the report ends before it.
_FURNITURE_MAX = 60  # a footer line is short; a paragraph naming 主办单位 is not furniture
_PAGE_FURNITURE = (
    "版权所有",
    "主办单位",
    "网站标识码",
    "ICP备",
    "关闭窗口",
    "打印本页",
    "【打印】",
    "分享到",
    "相关链接",
    "扫一扫在手机打开",
    "【关闭】",
)


def ends_paragraph(text: str) -> bool:
    """True when a line ends a sentence (so the next line starts a new paragraph)."""
    tail = text.rstrip()
    if not tail:
        return True
    if tail[-1] in _CLOSERS and len(tail) > 1:
        tail = tail[:-1].rstrip()
    return tail[-1] in _ENDINGS or tail[-1] in _CLOSERS


def is_page_furniture(text: str) -> bool:
    """True for a website's footer or tool line, which marks the end of the report."""
    return len(text) <= _FURNITURE_MAX and any(mark in text for mark in _PAGE_FURNITURE)


def _open(paragraph: str) -> bool:
    short_heading = len(paragraph) <= _TITLE_MAX and _NUMBERED.match(paragraph) is not None
    return not ends_paragraph(paragraph) and not short_heading


def paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from non-blank lines, joining a line broken mid-sentence with its continuation."""
    result: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if result and _open(result[-1]):
            result[-1] += text
        else:
            result.append(text)
    return result


def _split_heading(rest: str) -> tuple[str, str]:
    for separators in ("：:", "。"):
        positions = [i for i in (rest.find(s) for s in separators) if i >= 0]
        if positions and min(positions) <= _TITLE_MAX:
            i = min(positions)
            return rest[:i].strip(), rest[i + 1 :].strip()
    if len(rest) <= _TITLE_MAX:
        return rest.strip().rstrip("，,。.:："), ""
    return "", rest.strip()


@dataclass
class _Builder:
    intro: list[str] = field(default_factory=list)
    subsections: list[tuple[str, list[str]]] = field(default_factory=list)

    def add(self, text: str) -> None:
        target = self.subsections[-1][1] if self.subsections else self.intro
        if target and _open(target[-1]):
            target[-1] += text
        else:
            target.append(text)


def overview(lines: list[str]) -> Overview:
    """一、总体情况 from its lines: intro paragraphs, then one subsection per （一）… heading."""
    builder = _Builder()
    for line in lines:
        text = line.strip()
        if not text:
            continue
        match = _SUBHEADING.match(text)
        if match is None:
            builder.add(text)
            continue
        title, first = _split_heading(match.group(2))
        builder.subsections.append((_CJK_GAP.sub("", title), [first] if first else []))
    return Overview(
        intro=builder.intro,
        subsections=[Subsection(title=t, paragraphs=p) for t, p in builder.subsections],
    )


def signature(lines: list[str]) -> tuple[list[str], str | None, dt.date | None]:
    """The closing 署名 and 成文日期 split off the last lines, before joining."""
    paras = [line.strip() for line in lines if line.strip()]
    if not paras:
        return paras, None, None
    match = _DATE.match(paras[-1])
    if match is None:
        return paras, None, None
    try:
        date = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return paras, None, None
    rest = paras[:-1]
    signer = None
    if rest and len(rest[-1]) <= _SIGNER_MAX and not ends_paragraph(rest[-1]):
        signer = rest.pop()
    return rest, signer, date
