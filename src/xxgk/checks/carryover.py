"""Across years: this year's 上年结转 against last year's 结转下年度继续办理, and 表二 stock."""

from __future__ import annotations

from xxgk import labels
from xxgk.errors import Finding, error, warning
from xxgk.model import Report
from xxgk.pairing import same_organ


def check_carryover(report: Report, previous: Report) -> list[Finding]:
    """Errors where 二、上年结转 differs from last year's 四、结转下年度继续办理, per column."""
    findings: list[Finding] = []
    if previous.year != report.year - 1:
        findings.append(
            warning(
                "carryover/not-last-year",
                (labels.KEY_YEAR,),
                f"对照的上年报告年度为 {previous.year}，本报告年度为 {report.year}，不是相邻年度",
            )
        )
    if not same_organ(previous.organ, report.organ):
        findings.append(
            warning(
                "carryover/other-organ",
                (labels.KEY_ORGAN,),
                f"对照的上年报告机关为「{previous.organ}」，本报告为「{report.organ}」",
            )
        )
    this_in = report.table3.row("carried_in")
    last_out = previous.table3.row("carried_out")
    row = labels.TABLE3_ROW_BY_ID["carried_in"]
    columns = [
        *zip(labels.TABLE3_COLUMN_LABELS, this_in.cells, last_out.cells, strict=True),
        (labels.TABLE3_TOTAL, this_in.total, last_out.total),
    ]
    mismatched = False
    for label, now, before in columns:
        if now is None or before is None or now == before:
            continue
        if label == labels.TABLE3_TOTAL and mismatched:
            break  # the 总计 follows from the columns already named
        mismatched = True
        findings.append(
            error(
                "carryover/mismatch",
                ("表三", *row.path, label),
                f"上年结转为 {now}，但 {previous.year} 年度报告的"
                f"“{labels.TABLE3_CARRIED_OUT}”为 {before}",
            )
        )
    return findings + _stock_drift(report, previous)


def _stock_drift(report: Report, previous: Report) -> list[Finding]:
    # 现行有效件数 ≈ last year's + 本年制发件数 − 本年废止件数; amendments and restructuring
    # break it legitimately, so this is a warning.
    findings = []
    for field in ("regulations", "normative_documents"):
        now, before = getattr(report.table2, field), getattr(previous.table2, field)
        if None in (now.issued, now.repealed, now.in_force, before.in_force):
            continue
        expected = before.in_force + now.issued - now.repealed
        if now.in_force != expected:
            label = labels.TABLE2_ROW_LABELS[field]
            findings.append(
                warning(
                    "carryover/in-force-drift",
                    ("表二", label, labels.TABLE2_DOCUMENT_COLUMNS[2]),
                    f"现行有效件数为 {now.in_force}，按上年 {before.in_force} + "
                    f"本年制发 {now.issued} − 本年废止 {now.repealed} 应为 {expected}"
                    "（如有修订、机构调整请在正文说明）",
                )
            )
    return findings
