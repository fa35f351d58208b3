"""The report's organ, year and format version."""

from __future__ import annotations

import datetime as dt

from xxgk import labels
from xxgk.errors import Finding, error, warning
from xxgk.model import Report

# 国办公开办函〔2021〕30号 governs reports for 2021 and later; the 2019 format those for 2019–2020.
FIRST_YEAR = {labels.FORMAT_2021: 2021, labels.FORMAT_2019: 2019}
LAST_YEAR = {labels.FORMAT_2019: 2020}


def check_meta(report: Report, today: dt.date) -> list[Finding]:
    """Organ present; year neither in the future nor outside its format's years (on-time
    publication is checks/published.py: its deadline depends on the organ and local rules)."""
    findings: list[Finding] = []
    if not report.organ.strip():
        findings.append(error("meta/organ-missing", (labels.KEY_ORGAN,), "机关名称不能为空"))
    fmt = report.format_version
    doc = labels.FORMAT_DOCUMENTS[fmt]
    if report.year > today.year:
        findings.append(
            warning(
                "meta/future-year",
                (labels.KEY_YEAR,),
                f"年度 {report.year} 晚于今年（{today.year}）",
            )
        )
    if report.year < FIRST_YEAR[fmt]:
        findings.append(
            warning(
                "meta/format-year",
                (labels.KEY_YEAR,),
                f"{fmt} 格式（{doc}）适用于 {FIRST_YEAR[fmt]} 年及以后的报告，"
                f"本报告年度为 {report.year}",
            )
        )
    if fmt in LAST_YEAR and report.year > LAST_YEAR[fmt]:
        findings.append(
            warning(
                "meta/format-year",
                (labels.KEY_FORMAT,),
                f"{report.year} 年度报告应使用 2021 格式（国办公开办函〔2021〕30号），"
                f"不应再用 {fmt} 格式（{doc}）",
            )
        )
    return findings
