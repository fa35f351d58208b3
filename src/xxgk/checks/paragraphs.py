"""Text copied from last year's report, measured paragraph by paragraph.

A section measure lets four verbatim subsections pass once the introduction is rewritten; here
each paragraph of this year is looked for among all of last year's paragraphs (wherever they
stood), and a section is reported with the paragraphs that are last year's, word for word or
with only numbers changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from xxgk import labels
from xxgk.checks.shingles import containment, paragraph_shingles
from xxgk.errors import Finding, warning
from xxgk.model import Report

COPIED_PARAGRAPH = 0.9  # share of a paragraph's shingles found in one paragraph of last year
_S = labels.SECTION_BY_NUMBER


@dataclass(frozen=True)
class Paragraph:
    """One narrative paragraph: its section number, subsection place and text."""

    section: str  # 一 / 五 / 六
    place: tuple[str, ...]
    text: str


def narrative(report: Report) -> Iterator[Paragraph]:
    """Every paragraph of 一 (introduction and subsections, titles aside), 五 and 六."""
    head = _S["一"].heading
    for text in report.overview.intro:
        yield Paragraph("一", (head,), text)
    for i, sub in enumerate(report.overview.subsections):
        place = (head, f"{labels.subsection_marker(i)}{sub.title}")
        for text in sub.paragraphs:
            yield Paragraph("一", place, text)
    for text in report.problems:
        yield Paragraph("五", (_S["五"].heading,), text)
    for text in report.other_matters:
        yield Paragraph("六", (_S["六"].heading,), text)


@dataclass(frozen=True)
class CopiedParagraph:
    """A paragraph of this year found in last year's report."""

    paragraph: Paragraph
    share: float  # of its shingles found in (the first found) paragraph of last year


def copied_paragraphs(
    report: Report, previous: Report
) -> tuple[list[Paragraph], list[CopiedParagraph]]:
    """This year's paragraphs long enough to compare, and those found in last year's report."""
    theirs = [s for p in narrative(previous) if (s := paragraph_shingles(p.text))]
    everything = frozenset().union(*theirs)
    compared, copied = [], []
    for paragraph in narrative(report):
        mine = paragraph_shingles(paragraph.text)
        if not mine:
            continue
        compared.append(paragraph)
        if containment(mine, everything) < COPIED_PARAGRAPH:
            continue  # not even last year's whole text holds it: no single paragraph can
        # Last year's paragraph in the same position first: a copied report keeps its order.
        at = len(compared) - 1
        order = sorted(range(len(theirs)), key=lambda j: abs(j - at))
        best = next((share for j in order
                     if (share := containment(mine, theirs[j])) >= COPIED_PARAGRAPH), None)
        if best is not None:
            copied.append(CopiedParagraph(paragraph, best))
    return compared, copied


def copied_share(report: Report, previous: Report) -> float | None:
    """The share of this year's narrative shingles found anywhere in last year's (None when this
    year has no paragraph long enough to compare)."""
    mine = frozenset().union(*(paragraph_shingles(p.text) for p in narrative(report)))
    if not mine:
        return None
    theirs = frozenset().union(*(paragraph_shingles(p.text) for p in narrative(previous)))
    return containment(mine, theirs)


def check_copied_paragraphs(report: Report, previous: Report) -> list[Finding]:
    """One warning naming every section and paragraph of 一 and 五 that is last year's text
    (六 is often a fixed 「无」 or the fee sentence, the same every year by rule)."""
    compared, copied = copied_paragraphs(report, previous)
    found = {id(c.paragraph) for c in copied}
    places: dict[tuple[str, ...], list[bool]] = {}
    for paragraph in compared:
        if paragraph.section != "六":
            places.setdefault(paragraph.place, []).append(id(paragraph) in found)
    parts, copied_count, total = [], 0, 0
    for place, marks in places.items():
        which = [str(n) for n, mark in enumerate(marks, 1) if mark]
        total += len(marks)
        copied_count += len(which)
        if which:
            parts.append(f"{place[-1]}第 {'、'.join(which)} 段")
    if not copied_count:
        return []
    share = copied_count / total
    return [warning(
        "text/copied-from-last-year", ("正文",),
        f"{total} 段正文中有 {copied_count} 段（{share:.0%}）与 {previous.year} 年度报告"
        f"相同或只改了数字：{'；'.join(parts)}。请按本年实际情况撰写",
    )]
