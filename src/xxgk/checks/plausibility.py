"""What an evaluator finds implausible though no 勾稽 rule is broken: warnings with the numbers.

These are warnings, never errors: each has legitimate exceptions (a case brought against last
year's reply, a fee the organ collects for something else), and the clerk explains them in the text.
"""

from __future__ import annotations

import re

from xxgk import labels
from xxgk.checks.cells import all_cells
from xxgk.errors import Finding, warning
from xxgk.model import Count, Report

_S = labels.SECTION_BY_NUMBER

# 复议 and 诉讼 arise from applications (this year's or a recent year's): more than this many times
# the applications handled, and at least APPEALS_MINIMUM cases, is what evaluators query.
APPEALS_RATIO = 2
APPEALS_MINIMUM = 3
# Below these lengths (characters, spaces not counted) a section says nothing an evaluator can use.
SHORT_OVERVIEW = 200  # 一、总体情况 as a whole
SHORT_SUBSECTION = 10  # one （一）… subsection of 一
SHORT_PROBLEMS = 30  # 五、存在的主要问题及改进情况

# 六 saying no fee at all was charged (「未收取任何费用」), and 六 naming a fee charged. A statement
# about 信息处理费 alone does not speak of 表二's 行政事业性收费 (another fee): not compared.
_NO_FEE = re.compile(r"(?:未|没有|不曾|无)(?:收取|收)(?:任何|过)?(?:费用|费)(?!.{0,2}信息处理)")
_FEE_CHARGED = re.compile(
    r"(?<![未没无不])收取(?!信息处理)[^。；]{0,12}?费[^。；]{0,8}?([0-9.]+)\s*(?:万?元)"
)


def check_plausibility(report: Report) -> list[Finding]:
    """Warnings: 复议/诉讼 far above the applications, documents issued beyond the stock,
    the fee in 表二 against 六, sections too short to say anything."""
    return [
        *_appeals(report),
        *_issued_beyond_stock(report),
        *_fee_against_text(report),
        *_short_sections(report),
    ]


def _appeals(report: Report) -> list[Finding]:
    t3, t4 = report.table3, report.table4
    applications = _add(t3.row("new").total, t3.row("carried_in").total)
    cases = _add(t4.review.total, t4.direct_suit.total, t4.suit_after_review.total)
    if applications is None or cases is None:
        return []
    if cases < APPEALS_MINIMUM or cases <= APPEALS_RATIO * applications:
        return []
    return [
        warning(
            "plausibility/appeals-above-applications",
            ("表四",),
            f"行政复议、行政诉讼共 {cases} 件，远多于本年办理的申请 {applications} 件"
            f"（表三 一 + 二）；请核对表四，或在正文说明案件来自往年的申请",
        )
    ]


def _issued_beyond_stock(report: Report) -> list[Finding]:
    findings = []
    for field in ("regulations", "normative_documents"):
        counts = getattr(report.table2, field)
        if None in counts.cells():
            continue
        if counts.issued > counts.in_force + counts.repealed:
            label = labels.TABLE2_ROW_LABELS[field]
            issued, repealed, in_force = labels.TABLE2_DOCUMENT_COLUMNS
            findings.append(
                warning(
                    "plausibility/issued-above-stock",
                    ("表二", label, issued),
                    f"{issued} {counts.issued} 件，多于{in_force} {counts.in_force} 件 + "
                    f"{repealed} {counts.repealed} 件：本年制发的文件应仍有效或已废止",
                )
            )
    return findings


def _fee_against_text(report: Report) -> list[Finding]:
    fee = report.table2.fees
    if fee is None:
        return []
    place = ("表二", labels.TABLE2_ROW_LABELS["fees"])
    for paragraph in report.other_matters:
        if fee > 0 and (match := _NO_FEE.search(paragraph)):
            return [
                warning(
                    "plausibility/fee-against-text",
                    place,
                    f"表二收费金额为 {fee} 万元，但六、其他需要报告的事项说「{match.group(0)}」",
                )
            ]
        match = _FEE_CHARGED.search(paragraph) if fee == 0 else None
        if match and _charged(match):
            return [
                warning(
                    "plausibility/fee-against-text",
                    place,
                    f"表二收费金额为 0，但六、其他需要报告的事项说「{match.group(0)}」",
                )
            ]
    return []


def _charged(match: re.Match[str]) -> bool:
    # 「收取政府信息公开信息处理费 0 元」 says nothing about 表二's fee, nor does a zero amount.
    if "信息处理" in match.group(0):
        return False
    try:
        return float(match.group(1)) > 0
    except ValueError:  # 「1.2.3」
        return False


def _length(paragraphs: list[str]) -> int:
    return sum(len(re.sub(r"\s+", "", p)) for p in paragraphs)


def _short(parts: tuple[str, ...], length: int, minimum: int) -> Finding:
    return warning(
        "plausibility/short-section",
        parts,
        f"只有 {length} 个字（少于 {minimum} 个字），内容过于简略，请按本年实际情况写明",
    )


def _short_sections(report: Report) -> list[Finding]:
    # Empty sections are text/empty-section's; here only the ones with a little text.
    findings = []
    overview = report.overview
    whole = _length(overview.intro) + sum(_length(s.paragraphs) for s in overview.subsections)
    if 0 < whole < SHORT_OVERVIEW:
        findings.append(_short((_S["一"].heading,), whole, SHORT_OVERVIEW))
    for i, sub in enumerate(overview.subsections):
        length = _length(sub.paragraphs)
        if 0 < length < SHORT_SUBSECTION:
            place = (_S["一"].heading, f"{labels.subsection_marker(i)}{sub.title}")
            findings.append(_short(place, length, SHORT_SUBSECTION))
    problems = _length(report.problems)
    if 0 < problems < SHORT_PROBLEMS:
        findings.append(_short((_S["五"].heading,), problems, SHORT_PROBLEMS))
    return findings


def check_same_as_last_year(report: Report, previous: Report) -> list[Finding]:
    """A warning when every number of 表二, 表三 and 表四 equals last year's (some not 0)."""
    tables = ("table2", "table3", "table4")
    if any(getattr(report, t) != getattr(previous, t) for t in tables):
        return []
    now = [c.value for c in all_cells(report)]
    if not any(now):
        return []
    return [
        warning(
            "plausibility/same-as-last-year",
            ("表二、表三、表四",),
            f"三张表的 {len(now)} 个数字与 {previous.year} 年度报告完全相同，"
            "请核对是否沿用了上年数据",
        )
    ]


def _add(*values: Count) -> Count:
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)
