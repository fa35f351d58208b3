"""A batch of reports has one year and the format that year must use: a report of another year,
or in the 2019 format for a year of the 2021 format, is an error of that report (in ``check`` and
``audit`` as in ``sum``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from xxgk import labels
from xxgk.errors import Finding, Location, Severity
from xxgk.summary import format_for_year

OTHER_YEAR = "batch/other-year"
OTHER_FORMAT = "batch/other-format"


def batch_year(years: Iterable[int | None]) -> int | None:
    """The year most reports share (the later one on a tie); None when no year is known."""
    counted = Counter(y for y in years if y is not None)
    if not counted:
        return None
    return max(counted, key=lambda y: (counted[y], y))


def batch_findings(
    year: int | None, format_version: str, batch: int | None, file: str | None = None
) -> list[Finding]:
    """The errors of a report against its batch's year and the format of that year."""
    if batch is None or year is None:
        return []
    found = []
    if year != batch:
        found.append(Finding(
            OTHER_YEAR, Severity.ERROR, Location((labels.KEY_YEAR,), file),
            f"本报告是 {year} 年度的，本批次审核的是 {batch} 年度；"
            f"请报送 {batch} 年度的报告（或用 --year 指定审核年度）",
        ))
    expected = format_for_year(batch)
    if format_version and format_version != expected:
        found.append(Finding(
            OTHER_FORMAT, Severity.ERROR, Location((labels.KEY_FORMAT,), file),
            f"本报告使用 {format_version} 格式（{labels.FORMAT_DOCUMENTS[format_version]}），"
            f"{batch} 年度应使用 {expected} 格式（{labels.FORMAT_DOCUMENTS[expected]}）；"
            "按新格式才有的栏目不再逐格列为空白",
        ))
    return found


def against_batch(findings: Iterable[Finding], batch_errors: list[Finding]) -> list[Finding]:
    """A report's findings with its batch errors first; a report in the wrong format loses the
    blanks that are only the format's (meta/format-year is said by the batch error too)."""
    wrong_format = any(f.code == OTHER_FORMAT for f in batch_errors)
    kept = [f for f in findings
            if not (wrong_format and f.code in ("value/missing", "meta/format-year"))]
    return [*batch_errors, *kept]
