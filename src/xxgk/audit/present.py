"""A report's findings as a reader of another organ's report needs them: one finding per problem,
and what our importer could not read kept apart from what the organ got wrong.

- a blank cell is said once: the import's 「报告未填」 and the check's 「缺少数值」 of the same cell
  are one blank;
- a table with many blanks is one finding (「表三 120 格留空（未填 0）」), not 120;
- a cell left blank because the import could not read its table, row or number is not the organ's
  blank: it is covered by the reading problem that says so;
- reading problems (``rules.is_reading``) are returned apart and never counted as errors;
- the blank sub-rows of a （六）其他处理 the report prints as one row are said by the finding
  that says so, not as blanks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xxgk import labels
from xxgk.errors import Finding, Location, Severity
from xxgk.rules import is_reading

# The report prints （六）其他处理 as one row: said once, for its blank sub-rows too.
ONE_ROW_OTHER_HANDLING = frozenset({"import/single-other-handling", "t3/other-handling-one-row"})
BLANK_BLOCK = 3  # this many blanks in one table of a published report are said as one finding
# A clerk's own data file or workbook: each blank has its line to fix; only a table left mostly
# empty is said as one finding.
OWN_BLANK_BLOCK = 10
BLANK = "value/missing"
IMPORT_BLANK = "import/blank-cell"
SHOWN_PLACES = 3  # blank places spelt out in a block's message
# A blank of a published report, said to whoever reads it (not to the clerk who would fill it).
PUBLISHED_BLANK = "报告此格留空（未填 0），按空白计，不按 0 计"


@dataclass(frozen=True)
class Presented:
    """The report's own problems and the import's reading problems, each said once."""

    own: tuple[Finding, ...]
    reading: tuple[Finding, ...]


def _group(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The （六） group's place, whether the finding stands at the group or at its 合计 line."""
    return parts[:-1] if parts and parts[-1] == labels.TABLE3_OTHER_HANDLING_TOTAL_KEY else parts


def _covered(parts: tuple[str, ...], reading_places: list[tuple[str, ...]]) -> bool:
    return any(p and parts[: len(p)] == p for p in reading_places)


def _blank_block(table: str, blanks: list[Finding], published: bool = False) -> Finding:
    first = blanks[0]
    places = "、".join("/".join(f.location.parts[1:]) for f in blanks[:SHOWN_PLACES])
    more = f"等 {len(blanks)} 格" if len(blanks) > SHOWN_PLACES else ""
    severity = Severity.ERROR if any(f.is_error for f in blanks) else Severity.WARNING
    where = Location((table,), first.location.file, first.location.line, first.location.cell)
    return Finding(
        BLANK, severity, where,
        f"{table} {len(blanks)} 格留空（未填 0）：{places}{more}；"
        + ("报告未填的格按空白计，不按 0 计" if published else "没有发生的应填 0"),
    )


def merge_blanks(
    findings: Iterable[Finding], block: int = BLANK_BLOCK, published: bool = False
) -> list[Finding]:
    """Blank cells said once each, and a table's many blanks as one finding (in the place of
    its first blank; worded for a reader of the report when ``published``); every other finding
    as it was, in order."""
    kept: list[Finding | None] = []
    blanks: dict[tuple[str, ...], int] = {}  # place → index in kept
    for finding in findings:
        if finding.code in (BLANK, IMPORT_BLANK):
            parts = finding.location.parts
            if parts in blanks:
                index = blanks[parts]
                existing = kept[index]
                assert existing is not None
                if finding.is_error and not existing.is_error:  # the check's error stands
                    kept[index] = Finding(BLANK, finding.severity, existing.location,
                                          finding.message)
                continue
            blanks[parts] = len(kept)
            kept.append(Finding(BLANK, finding.severity, finding.location, finding.message))
        else:
            kept.append(finding)
    by_table: dict[str, list[int]] = {}
    for parts, index in blanks.items():
        by_table.setdefault(parts[0] if parts else "", []).append(index)
    for table, indexes in by_table.items():
        if len(indexes) >= block and table:
            items = [kept[i] for i in sorted(indexes)]
            kept[min(indexes)] = _blank_block(table, [f for f in items if f is not None],
                                              published)
            for i in indexes:
                if i != min(indexes):
                    kept[i] = None
    return [f for f in kept if f is not None]


def present(
    findings: Iterable[Finding], *, published: bool, block: int | None = None
) -> Presented:
    """The findings of one report, each problem once, reading problems apart."""
    if block is None:
        block = BLANK_BLOCK if published else OWN_BLANK_BLOCK
    own: list[Finding] = []
    reading: list[Finding] = []
    for finding in findings:
        (reading if is_reading(finding.code, published) else own).append(finding)
    places = [f.location.parts for f in reading]
    # （六） printed as one row: its sub-rows are blank because the report has none, and the
    # finding that says so says it for them.
    places += [_group(f.location.parts) for f in own if f.code in ONE_ROW_OTHER_HANDLING]
    own = [f for f in own
           if f.code not in (BLANK, IMPORT_BLANK) or not _covered(f.location.parts, places)]
    merged = merge_blanks(own, block, published)
    if published:
        merged = [Finding(f.code, f.severity, f.location, PUBLISHED_BLANK)
                  if f.code == BLANK and len(f.location.parts) > 1 else f for f in merged]
    return Presented(tuple(merged), tuple(reading))
