"""What a correction changed between two versions of a report, in words fit for a 更正说明.

Numbers are compared cell by cell (every entered cell of the three tables); paragraphs are aligned
section by section and a changed paragraph is shown clause by clause: 将“…”更正为“…”.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from xxgk import labels
from xxgk.checks.cells import all_cells
from xxgk.checks.text import paragraphs_with_place
from xxgk.errors import XxgkError
from xxgk.model import Report

# A clause: text up to and including its closing punctuation (a decimal point does not close one).
_CLAUSE_END = "，。；：！？、,;:!?\n"
_CLAUSE = re.compile(f"[^{_CLAUSE_END}]+[{_CLAUSE_END}]*|[{_CLAUSE_END}]+")
# Spacing an import brings that a reader does not see as a change: whitespace beside a CJK
# character or punctuation (PDF and page-to-text tools space out justified lines), or between
# two digits split by a line's justification (「20 25年」).
_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_LOOSE_SPACE = re.compile(
    f"(?<=[{_CJK}])\\s+|\\s+(?=[{_CJK}])|(?<=\\d)[ \\t\u00a0]+(?=\\d)"
)


def loose(text: str) -> str:
    """The text without the spacing an import brings (see _LOOSE_SPACE)."""
    return _LOOSE_SPACE.sub("", text)


@dataclass(frozen=True)
class Change:
    """One difference: a number, a field or a paragraph, at its place in the report."""

    kind: str  # number | field | paragraph
    location: str
    old: str | None
    new: str | None
    # For paragraphs: the section (and subsection) in the report's words, and the 1-based
    # paragraph number (None for a subsection title), so a 更正说明 can word the place.
    parts: tuple[str, ...] = ()
    paragraph: int | None = None

    def __str__(self) -> str:
        if self.kind == "paragraph":
            if self.old is None:
                return f"{self.location}：增加“{self.new}”"
            if self.new is None:
                return f"{self.location}：删除“{self.old}”"
            return f"{self.location}：将“{self.old}”更正为“{self.new}”"
        return f"{self.location}：{_shown(self.old)} → {_shown(self.new)}"

    def as_dict(self) -> dict[str, str | None]:
        """The JSON shape."""
        return {"kind": self.kind, "location": self.location, "old": self.old, "new": self.new}


def _shown(value: str | None) -> str:
    return "（空白）" if value is None or value == "" else value


def diff_reports(old: Report, new: Report, *, imported: bool = False) -> list[Change]:
    """Every change from ``old`` to ``new``: fields, then numbers, then paragraphs.

    ``imported``: either side was imported from a published report, whose text carries spaces
    beside CJK characters and digits that the reader does not see; they are not changes."""
    return [*_fields(old, new), *_numbers(old, new), *_paragraphs(old, new, imported)]


def require_same_year(old: Report, new: Report) -> None:
    """Two versions of one report, or XxgkError: two years are compared by ``xxgk compare``."""
    if old.year != new.year:
        raise XxgkError.single(
            "diff/different-years",
            f"两个文件的年度不同（{old.year} 年与 {new.year} 年），不是同一份报告的两个版本；"
            "比较两个年度的报告请用 xxgk compare",
        )


def _fields(old: Report, new: Report) -> Iterator[Change]:
    pairs = [
        (labels.KEY_FORMAT, old.format_version, new.format_version),
        (labels.KEY_ORGAN, old.organ, new.organ),
        (labels.KEY_YEAR, str(old.year), str(new.year)),
        (labels.KEY_TITLE, old.display_title, new.display_title),
        (
            f"{labels.KEY_HEADER}/{labels.KEY_ISSUER_MARK}",
            old.header.issuer_mark,
            new.header.issuer_mark,
        ),
        (
            f"{labels.KEY_HEADER}/{labels.KEY_DOC_NUMBER}",
            old.header.doc_number,
            new.header.doc_number,
        ),
        (f"{labels.KEY_HEADER}/{labels.KEY_DATE}", _date(old), _date(new)),
        (f"{labels.KEY_HEADER}/{labels.KEY_SIGNER}", _signer(old), _signer(new)),
    ]
    for place, before, after in pairs:
        if before != after:
            yield Change("field", place, before, after)


def _signer(report: Report) -> str | None:
    """The 署名 as published: printed only with a 成文日期, the organ's name when left blank.

    A published report cannot tell a blank 署名 from one equal to the organ, nor keep a 署名
    without a date, so comparing the data as written would report changes nobody can see.
    """
    if report.header.date is None:
        return None
    return report.header.signer or report.organ


def _date(report: Report) -> str | None:
    return report.header.date.isoformat() if report.header.date else None


def _numbers(old: Report, new: Report) -> Iterator[Change]:
    for before, after in zip(all_cells(old), all_cells(new), strict=True):
        if before.value != after.value:
            yield Change("number", "/".join(before.parts), _num(before.value), _num(after.value))
    # A total a source printed is part of what was published: compare what each version shows
    # (the stated total, else the sum), so a printed total that was wrong and got corrected shows.
    for row in labels.TABLE3_ROWS:
        stated = (old.table3.row(row.id).stated_total, new.table3.row(row.id).stated_total)
        a, b = _shown_total(old, row.id), _shown_total(new, row.id)
        if stated != (None, None) and a != b:
            place = "/".join(("表三", *row.path, labels.TABLE3_TOTAL))
            yield Change("number", place, _num(a), _num(b))


def _shown_total(report: Report, row_id: str) -> int | None:
    row = report.table3.row(row_id)
    return row.stated_total if row.stated_total is not None else row.total


def _num(value: object) -> str | None:
    return None if value is None else str(value)


def _titles(old: Report, new: Report, imported: bool) -> Iterator[Change]:
    a = [s.title for s in old.overview.subsections]
    b = [s.title for s in new.overview.subsections]
    if imported:
        a, b = [loose(t) for t in a], [loose(t) for t in b]
    for i in range(max(len(a), len(b))):
        before = a[i] if i < len(a) else None
        after = b[i] if i < len(b) else None
        if before != after:
            head, marker = labels.SECTIONS[0].heading, labels.subsection_marker(i)
            place = f"{head}/{marker} 标题"
            yield Change("paragraph", place, before, after, (head, marker))


def _paragraphs(old: Report, new: Report, imported: bool) -> Iterator[Change]:
    yield from _titles(old, new, imported)
    before, after = _by_place(old, imported), _by_place(new, imported)
    # Paragraphs are matched by subsection number, shown with the (new) title.
    head = labels.SECTIONS[0].heading
    names = {
        f"{head}/{labels.subsection_marker(i)}": f"{head}/{labels.subsection_marker(i)}{sub.title}"
        for r in (old, new)
        for i, sub in enumerate(r.overview.subsections)
    }
    places = list(dict.fromkeys([*before, *after]))
    for place in places:
        a, b = before.get(place, []), after.get(place, [])
        for i1, i2, j1, j2 in _changed_runs(a, b):
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else None
                n = news[k] if k < len(news) else None
                number = (i1 if o is not None else j1) + k + 1
                named = names.get(place, place)
                where = f"{named} 第{number}段"
                parts = tuple(named.split("/"))
                if o is None or n is None:
                    yield Change("paragraph", where, o, n, parts, number)
                else:
                    for change in _clauses(where, o, n):
                        yield replace(change, parts=parts, paragraph=number)


def _by_place(report: Report, imported: bool = False) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for parts, paragraph in paragraphs_with_place(report, titles=False):
        result.setdefault("/".join(parts), []).append(loose(paragraph) if imported else paragraph)
    return result


def _clauses(where: str, old: str, new: str) -> Iterator[Change]:
    """Each changed run of whole clauses of a paragraph (clauses are what a 更正说明 quotes)."""
    a, b = _CLAUSE.findall(old), _CLAUSE.findall(new)
    for i1, i2, j1, j2 in _changed_runs(a, b):
        i1, i2, j1, j2 = _widen(a, b, i1, i2, j1, j2)
        yield Change("paragraph", where, "".join(a[i1:i2]).strip(), "".join(b[j1:j2]).strip())


def _changed_runs(a: Sequence[str], b: Sequence[str]) -> Iterator[tuple[int, int, int, int]]:
    """The runs ``a[i1:i2]`` → ``b[j1:j2]`` that differ, in order, between matched items."""
    i = j = 0
    for bi, bj in [*_matches(a, b, 0, len(a), 0, len(b)), (len(a), len(b))]:
        if bi > i or bj > j:
            yield i, bi, j, bj
        i, j = bi + 1, bj + 1


def _matches(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Index pairs of equal items, increasing in both (patience alignment).

    difflib alone is quadratic in the number of items between changes; instead the common head
    and tail are matched first, then the items that occur once in each side anchor the alignment
    (their longest increasing run, found in n log n), and difflib only aligns the short stretches
    between anchors. Clauses of a report rarely repeat, so a 1 MB paragraph aligns in well under
    a second (``bench/run.py`` (g)).
    """
    head: list[tuple[int, int]] = []
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        head.append((alo, blo))
        alo, blo = alo + 1, blo + 1
    tail: list[tuple[int, int]] = []
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
        tail.append((ahi, bhi))
    anchors = _unique_anchors(a, b, alo, ahi, blo, bhi)
    middle: list[tuple[int, int]] = []
    if not anchors:
        matcher = difflib.SequenceMatcher(a=a[alo:ahi], b=b[blo:bhi], autojunk=False)
        for i, j, size in matcher.get_matching_blocks():
            middle += [(alo + i + k, blo + j + k) for k in range(size)]
    else:
        i, j = alo, blo
        for ai, bj in anchors:
            middle += [*_matches(a, b, i, ai, j, bj), (ai, bj)]
            i, j = ai + 1, bj + 1
        middle += _matches(a, b, i, ahi, j, bhi)
    return [*head, *middle, *reversed(tail)]


def _unique_anchors(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """The longest increasing run of pairs of items found exactly once in each range."""
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
    pairs = [
        (i, where_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and a[i] in where_b
    ]
    # Patience sorting: piles' tops in increasing order of j, each pair linked to its predecessor.
    tops: list[int] = []
    top_pair: list[int] = []
    before: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        before[n] = top_pair[pile - 1] if pile else -1
        if pile == len(tops):
            tops.append(j)
            top_pair.append(n)
        else:
            tops[pile], top_pair[pile] = j, n
    run: list[tuple[int, int]] = []
    n = top_pair[-1] if top_pair else -1
    while n >= 0:
        run.append(pairs[n])
        n = before[n]
    return run[::-1]


def _widen(
    a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int
) -> tuple[int, int, int, int]:
    """An inserted or deleted clause is shown with the unchanged clause after it (else before).

    将“乙。”更正为“丙，乙。” says where the new words go; 将“”更正为“丙，” would not.
    """
    if i1 != i2 and j1 != j2:
        return i1, i2, j1, j2
    if i2 < len(a) and j2 < len(b):
        return i1, i2 + 1, j1, j2 + 1
    if i1 > 0 and j1 > 0:
        return i1 - 1, i2, j1 - 1, j2
    return i1, i2, j1, j2
