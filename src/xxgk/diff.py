"""What a correction changed between two versions of a report, in words fit for a 更正说明.

Numbers are compared cell by cell (every entered cell of the three tables); paragraphs are aligned
section by section and a changed paragraph is shown clause by clause: 将“…”更正为“…”.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from xxgk import labels
from xxgk.checks.cells import all_cells
from xxgk.checks.text import paragraphs_with_place
from xxgk.model import Report

# Tokens for the word-level diff: Latin words and numbers whole, each CJK character alone.
_TOKEN = re.compile(r"[A-Za-z0-9０-９.%．]+|\s+|.", re.DOTALL)
_CLAUSE_END = set("，。；：！？、,;:!?\n")


@dataclass(frozen=True)
class Change:
    """One difference: a number, a field or a paragraph, at its place in the report."""

    kind: str  # number | field | paragraph
    location: str
    old: str | None
    new: str | None

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


def diff_reports(old: Report, new: Report) -> list[Change]:
    """Every change from ``old`` to ``new``: fields, then numbers, then paragraphs."""
    return [*_fields(old, new), *_numbers(old, new), *_paragraphs(old, new)]


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
        (f"{labels.KEY_HEADER}/{labels.KEY_SIGNER}", old.header.signer, new.header.signer),
    ]
    for place, before, after in pairs:
        if before != after:
            yield Change("field", place, before, after)


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


def _titles(old: Report, new: Report) -> Iterator[Change]:
    a = [s.title for s in old.overview.subsections]
    b = [s.title for s in new.overview.subsections]
    for i in range(max(len(a), len(b))):
        before = a[i] if i < len(a) else None
        after = b[i] if i < len(b) else None
        if before != after:
            place = f"{labels.SECTIONS[0].heading}/{labels.subsection_marker(i)} 标题"
            yield Change("paragraph", place, before, after)


def _paragraphs(old: Report, new: Report) -> Iterator[Change]:
    yield from _titles(old, new)
    before, after = _by_place(old), _by_place(new)
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
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else None
                n = news[k] if k < len(news) else None
                where = f"{names.get(place, place)} 第{(i1 if o is not None else j1) + k + 1}段"
                if o is None or n is None:
                    yield Change("paragraph", where, o, n)
                else:
                    yield from _clauses(where, o, n)


def _by_place(report: Report) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for parts, paragraph in paragraphs_with_place(report, titles=False):
        result.setdefault("/".join(parts), []).append(paragraph)
    return result


def _clauses(where: str, old: str, new: str) -> Iterator[Change]:
    """Each changed stretch of a paragraph, widened to whole clauses on both sides."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    spans: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i1, i2 = _widen(a, i1, i2)
        j1, j2 = _widen(b, j1, j2)
        if spans and (i1 <= spans[-1][1] or j1 <= spans[-1][3]):
            p1, _, q1, _ = spans.pop()
            i1, j1 = min(i1, p1), min(j1, q1)
        spans.append((i1, i2, j1, j2))
    for i1, i2, j1, j2 in spans:
        yield Change("paragraph", where, "".join(a[i1:i2]).strip(), "".join(b[j1:j2]).strip())


def _widen(tokens: list[str], start: int, end: int) -> tuple[int, int]:
    while start > 0 and tokens[start - 1] not in _CLAUSE_END:
        start -= 1
    while end < len(tokens) and (end == start or tokens[end - 1] not in _CLAUSE_END):
        end += 1
    return start, end
