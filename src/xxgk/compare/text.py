"""Text against last year's: how much was copied, section by section, which sentences changed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from xxgk import labels
from xxgk.model import Report

SHINGLE = 5  # characters: long enough that shared words alone do not count as copying
COPIED_RATIO = 0.9  # the same threshold as checks.text's text/copied-from-last-year
_S = labels.SECTION_BY_NUMBER
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")

NEW, CHANGED, COPIED, REMOVED = "新增", "改写", "沿用", "删除"


_SPACE = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def shingles(text: str) -> set[str]:
    """Every run of SHINGLE characters of the text, spaces dropped and widths normalised."""
    squeezed = _squeeze(text)
    return {squeezed[i : i + SHINGLE] for i in range(max(len(squeezed) - SHINGLE + 1, 0))}


def copied_share(now: str, before: str) -> float | None:
    """The share of this year's text found in last year's (0–1); None when there is no text."""
    mine = shingles(now)
    if not mine:
        return None
    return len(mine & shingles(before)) / len(mine)


def sentences(paragraphs: list[str]) -> list[str]:
    """The sentences of some paragraphs, stripped, in order."""
    found = []
    for paragraph in paragraphs:
        found += [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]
    return found


@dataclass(frozen=True)
class SectionText:
    """One section or subsection of one year: its place and paragraphs."""

    place: str  # 一、总体情况/（一）主动公开
    key: str  # what pairs it with the other year's
    paragraphs: list[str]


def section_texts(report: Report) -> Iterator[SectionText]:
    """一's introduction and each subsection, 五 and 六 (the narrative sections)."""
    head = _S["一"].heading
    yield SectionText(f"{head}/概述", "一/概述", list(report.overview.intro))
    for i, sub in enumerate(report.overview.subsections):
        title = _squeeze(sub.title).removesuffix("情况")
        place = f"{head}/{labels.subsection_marker(i)}{sub.title}"
        yield SectionText(place, f"一/{title}", list(sub.paragraphs))
    yield SectionText(_S["五"].heading, "五", list(report.problems))
    yield SectionText(_S["六"].heading, "六", list(report.other_matters))


@dataclass(frozen=True)
class SectionChange:
    """How one section's text changed: status, copied share and the sentences added or removed."""

    place: str
    status: str  # 新增 / 改写 / 沿用 / 删除
    share: float | None  # of this year's text found in last year's
    added: list[str]
    removed: list[str]


def _status(now: list[str], before: list[str] | None, share: float | None) -> str:
    if before is None or not "".join(before).strip():
        return NEW
    if not "".join(now).strip():
        return REMOVED
    return COPIED if share is not None and share >= COPIED_RATIO else CHANGED


def section_changes(last: Report, this: Report) -> list[SectionChange]:
    """Each narrative section of this year against last year's of the same title (or number)."""
    before = {s.key: s for s in section_texts(last)}
    changes = []
    for now in section_texts(this):
        old = before.pop(now.key, None)
        if old is None and not now.paragraphs:
            continue
        share = copied_share("".join(now.paragraphs), "".join(old.paragraphs if old else []))
        mine = sentences(now.paragraphs)
        theirs = sentences(old.paragraphs) if old else []
        theirs_set, mine_set = {_squeeze(s) for s in theirs}, {_squeeze(s) for s in mine}
        changes.append(SectionChange(
            now.place,
            _status(now.paragraphs, old.paragraphs if old else None, share),
            share,
            [s for s in mine if _squeeze(s) not in theirs_set],
            [s for s in theirs if _squeeze(s) not in mine_set],
        ))
    for old in before.values():  # last year's sections with no counterpart this year
        if old.paragraphs:
            changes.append(SectionChange(old.place, REMOVED, None, [], sentences(old.paragraphs)))
    return changes


def report_text(report: Report) -> str:
    """All narrative text of a report, for the copied share of the whole."""
    return "".join("".join(s.paragraphs) for s in section_texts(report))
