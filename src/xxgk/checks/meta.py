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
    """Organ present; year neither in the future nor outside its format's years."""
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
    findings += _published_on_time(report)
    return findings


# 《政府信息公开条例》第五十条: the report for a year is published by 31 January of the next.
DEADLINE_MONTH, DEADLINE_DAY = 1, 31


def _published_on_time(report: Report) -> list[Finding]:
    """A warning when the report went online after 31 January of the next year (or before the
    year it reports on ended), when the publication date is known."""
    published = report.published
    if published is None:
        return []
    deadline = dt.date(report.year + 1, DEADLINE_MONTH, DEADLINE_DAY)
    where = (labels.KEY_PUBLISHED,)
    if published > deadline:
        late = (published - deadline).days
        said = (
            f"报告发布于 {published.isoformat()}，晚于《条例》第五十条规定的"
            f" {deadline.year} 年 1 月 31 日（迟 {late} 天）"
        )
        return [warning("meta/published-late", where, said)]
    if published.year <= report.year:
        said = f"发布日期 {published.isoformat()} 早于 {report.year} 年度结束，请核对发布日期或年度"
        return [warning("meta/published-early", where, said)]
    return []
