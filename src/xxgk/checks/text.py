"""The narrative against the tables: empty sections, 信息处理费 in 六, numbers quoted in the text.
(Text repeated from last year's report: checks/paragraphs.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from xxgk import labels
from xxgk.errors import Finding, warning
from xxgk.model import Count, Report

_S = labels.SECTION_BY_NUMBER
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUM = r"([0-9０-９]+|[零〇一二两三四五六七八九十百]+)"
_GAP = r"[^。；;\d０-９]{0,%d}?"
FEE_WORD = "信息处理费"


def paragraphs_with_place(
    report: Report, titles: bool = True
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every narrative paragraph with its place: section heading (and subsection).

    With ``titles`` the subsection titles come too, each before its paragraphs.
    """
    head = _S["一"].heading
    for p in report.overview.intro:
        yield (head,), p
    for i, sub in enumerate(report.overview.subsections):
        place = (
            head,
            f"{labels.subsection_marker(i)}{sub.title}" if titles else labels.subsection_marker(i),
        )
        if titles:
            yield place, sub.title
        for p in sub.paragraphs:
            yield place, p
    for p in report.problems:
        yield (_S["五"].heading,), p
    for p in report.other_matters:
        yield (_S["六"].heading,), p


def check_text(report: Report) -> list[Finding]:
    """Warnings: empty sections, 六 silent on 信息处理费, numbers in the text against tables."""
    return [*_empty_sections(report), *_fee_report(report), *_quoted_numbers(report)]


def _empty_sections(report: Report) -> list[Finding]:
    findings = []
    overview = report.overview
    if not overview.intro and not overview.subsections:
        findings.append(warning("text/empty-section", (_S["一"].heading,), "本部分没有内容"))
    for i, sub in enumerate(overview.subsections):
        if not sub.paragraphs:
            findings.append(
                warning(
                    "text/empty-section",
                    (_S["一"].heading, f"{labels.subsection_marker(i)}{sub.title}"),
                    "本小节没有正文",
                )
            )
    if not report.problems:
        findings.append(warning("text/empty-section", (_S["五"].heading,), "本部分没有内容"))
    if not report.other_matters:
        findings.append(
            warning(
                "text/empty-section",
                (_S["六"].heading,),
                "本部分没有内容；没有需要报告的事项也应写「无」",
            )
        )
    return findings


def _fee_report(report: Report) -> list[Finding]:
    # The 2021 format asks 六 to report 信息处理费 collected under
    # 《政府信息公开信息处理费管理办法》;
    # 表三 （六）2 > 0 means fee notices went out. The 2019 format asked no such thing.
    if report.format_version != labels.FORMAT_2021:
        return []
    if any(FEE_WORD in p for p in report.other_matters):
        return []
    notices = report.table3.row("other_handling.fee_unpaid").total or 0
    extra = (
        f"；表三（六）2 有 {notices} 件因逾期未缴费不再处理，说明发出过收费通知" if notices else ""
    )
    return [
        warning(
            "text/fee-not-reported",
            (_S["六"].heading,),
            f"未报告{FEE_WORD}收取情况（2021 年格式要求说明，未收取也应说明）{extra}",
        )
    ]


@dataclass(frozen=True)
class QuotedNumber:
    """A number the text may quote, how to find it and which table cell it must equal."""

    name: str
    pattern: re.Pattern[str]
    cell: tuple[str, ...]
    value: Callable[[Report], Count]


def _t3_total(row_id: str) -> Callable[[Report], Count]:
    return lambda r: r.table3.row(row_id).total


def _cell(row_id: str) -> tuple[str, ...]:
    return ("表三", *labels.TABLE3_ROW_BY_ID[row_id].path, labels.TABLE3_TOTAL)


def _litigation(r: Report) -> Count:
    a, b = r.table4.direct_suit.total, r.table4.suit_after_review.total
    return None if a is None or b is None else a + b


QUOTED_NUMBERS = (
    QuotedNumber(
        "本年新收申请",
        re.compile(
            rf"(?:收到|受理|新收|接收){_GAP % 16}申请{_GAP % 12}{_NUM}\s*(?:件|条|份|宗|个)"
        ),
        _cell("new"),
        _t3_total("new"),
    ),
    QuotedNumber(
        "上年结转申请",
        re.compile(rf"上年度?结转{_GAP % 16}{_NUM}\s*(?:件|条)"),
        _cell("carried_in"),
        _t3_total("carried_in"),
    ),
    QuotedNumber(
        "结转下年度",
        re.compile(rf"结转(?:至|到)?下一?年度?{_GAP % 16}{_NUM}\s*(?:件|条)"),
        _cell("carried_out"),
        _t3_total("carried_out"),
    ),
    QuotedNumber(
        "办结申请",
        re.compile(rf"办结{_GAP % 12}{_NUM}\s*(?:件|条)"),
        ("表三", labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL, labels.TABLE3_TOTAL),
        lambda r: r.table3.results_grand_total(),
    ),
    QuotedNumber(
        "行政复议",
        re.compile(rf"行政复议(?:案件|申请)?{_GAP % 8}{_NUM}\s*(?:件|起)"),
        ("表四", labels.TABLE4_REVIEW, labels.TABLE4_TOTAL),
        lambda r: r.table4.review.total,
    ),
    QuotedNumber(
        "行政诉讼",
        re.compile(rf"行政诉讼(?:案件)?{_GAP % 8}{_NUM}\s*(?:件|起)"),
        ("表四", labels.TABLE4_LITIGATION, labels.TABLE4_TOTAL),
        _litigation,
    ),
    QuotedNumber(
        "制发行政规范性文件",
        re.compile(
            rf"(?:制发|印发|出台|制定)了?(?:行政)?规范性文件{_GAP % 6}{_NUM}\s*(?:件|份|个)"
        ),
        ("表二", "行政规范性文件", "本年制发件数"),
        lambda r: r.table2.normative_documents.issued,
    ),
    QuotedNumber(
        "制发规章",
        re.compile(rf"(?:制发|制定|出台|印发)了?(?:政府)?规章{_GAP % 6}{_NUM}\s*(?:件|部|个)"),
        ("表二", "规章", "本年制发件数"),
        lambda r: r.table2.regulations.issued,
    ),
)


def parse_number(text: str) -> int | None:
    """An integer written in digits (half or full width) or small Chinese numerals."""
    text = text.translate(_DIGITS)
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in "十百":
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
        else:
            return None
    return total + current


def _quoted_numbers(report: Report) -> list[Finding]:
    findings = []
    expected_values = [(quoted, quoted.value(report)) for quoted in QUOTED_NUMBERS]
    for place, paragraph in paragraphs_with_place(report):
        for quoted, expected in expected_values:
            if expected is None:
                continue
            for match in quoted.pattern.finditer(paragraph):
                said = parse_number(match.group(1))
                if said is None or said == expected:
                    continue
                findings.append(
                    warning(
                        "text/contradicts-table",
                        place,
                        f"正文「{match.group(0).strip()}」说{quoted.name} {said} 件，"
                        f"与 {'/'.join(quoted.cell)}（{expected}）不一致",
                    )
                )
    return findings
