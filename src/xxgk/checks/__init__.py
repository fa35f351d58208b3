"""Checks: pure functions Report → findings. ``check`` runs every one of them."""

from __future__ import annotations

import datetime as dt

from xxgk.checks import (
    carryover,
    meta,
    paragraphs,
    plausibility,
    staleyear,
    table3,
    table4,
    text,
    values,
)
from xxgk.errors import Finding
from xxgk.model import Report


def check(
    report: Report, previous: Report | None = None, today: dt.date | None = None
) -> list[Finding]:
    """Every finding about a report: 勾稽 rules, blanks, text against tables, and carry-over
    from last year's report when it is given."""
    findings = [
        *meta.check_meta(report, today or dt.date.today()),
        *values.check_values(report),
        *table3.check_table3(report.table3),
        *table4.check_table4(report.table4),
        *text.check_text(report),
        *plausibility.check_plausibility(report),
        *staleyear.check_stale_years(report),
    ]
    if previous is not None:
        findings += carryover.check_carryover(report, previous)
        findings += paragraphs.check_copied_paragraphs(report, previous)
        findings += plausibility.check_same_as_last_year(report, previous)
    return findings


__all__ = ["check"]
