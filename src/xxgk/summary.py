"""汇总: the cell-by-cell sum of many organs' reports, its draft text, why an input is refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from xxgk import labels
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.model import (
    ApplicantCounts,
    Count,
    DocumentCounts,
    Overview,
    Report,
    ReviewOutcomes,
    Subsection,
    Table2,
    Table3,
    Table4,
    sum_or_none,
)
from xxgk.pairing import organ_key

# 国办公开办函〔2021〕30号 governs reports for 2021 and later; the 2019 format the years before.
FIRST_2021_YEAR = 2021
LIST_SEPARATOR = "、"
DRAFT = "（请根据各机关报告归纳本级情况）"  # what the draft asks the supervisor to write


def _n(value: object) -> str:
    return "—" if value is None else str(value)


def draft_overview(total: Report, organs: int) -> Overview:
    """一、总体情况 of a 汇总 as a draft: the five usual subsections, the numbers written out
    from the summed tables (so the text agrees with them), the rest for the supervisor to fill."""
    t2, t3, t4 = total.table2, total.table3, total.table4
    results = t3.results_grand_total()
    suits = sum_or_none([t4.direct_suit.total, t4.suit_after_review.total])
    texts = {
        "主动公开": [
            f"本级 {organs} 个机关本年制发规章 {_n(t2.regulations.issued)} 件、行政规范性文件 "
            f"{_n(t2.normative_documents.issued)} 件，废止行政规范性文件 "
            f"{_n(t2.normative_documents.repealed)} 件，现行有效行政规范性文件 "
            f"{_n(t2.normative_documents.in_force)} 件；作出行政许可决定 {_n(t2.licensing)} 件、"
            f"行政处罚决定 {_n(t2.punishment)} 件、行政强制决定 {_n(t2.enforcement)} 件。{DRAFT}",
        ],
        "依申请公开": [
            f"本年新收政府信息公开申请 {_n(t3.row('new').total)} 件，上年结转 "
            f"{_n(t3.row('carried_in').total)} 件；本年办结 {_n(results)} 件，其中予以公开 "
            f"{_n(t3.row('granted').total)} 件、部分公开 {_n(t3.row('partial').total)} 件；"
            f"结转下年度继续办理 {_n(t3.row('carried_out').total)} 件。{DRAFT}",
        ],
        "政府信息管理": [DRAFT],
        "平台建设": [DRAFT],
        "监督保障": [
            f"本年因政府信息公开被申请行政复议 {_n(t4.review.total)} 件，"
            f"被提起行政诉讼 {_n(suits)} 件。{DRAFT}",
        ],
    }
    return Overview(
        intro=[f"本报告由本级 {organs} 个机关的年度报告汇总而成，各机关的主要数字见附件明细表。"],
        subsections=[Subsection(title=f"{t}情况", paragraphs=p) for t, p in texts.items()],
    )


def format_for_year(year: int) -> str:
    """The format version a report of this year must use."""
    return labels.FORMAT_2021 if year >= FIRST_2021_YEAR else labels.FORMAT_2019


def _fees(values: list[Decimal | None]) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def _documents(rows: list[DocumentCounts]) -> DocumentCounts:
    return DocumentCounts(
        **{f: sum_or_none([getattr(r, f) for r in rows]) for f in labels.TABLE2_DOCUMENT_FIELDS}
    )


def _table2(tables: list[Table2]) -> Table2:
    return Table2(
        regulations=_documents([t.regulations for t in tables]),
        normative_documents=_documents([t.normative_documents for t in tables]),
        licensing=sum_or_none([t.licensing for t in tables]),
        punishment=sum_or_none([t.punishment for t in tables]),
        enforcement=sum_or_none([t.enforcement for t in tables]),
        fees=_fees([t.fees for t in tables]),
    )


def _applicants(rows: list[ApplicantCounts]) -> ApplicantCounts:
    columns = range(len(labels.TABLE3_COLUMNS))
    cells: list[Count] = [sum_or_none([r.cells[c] for r in rows]) for c in columns]
    # Stated totals are dropped: the 汇总's totals are computed from its own cells.
    return ApplicantCounts(cells=(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]))


def _table3(tables: list[Table3]) -> Table3:
    return Table3(
        rows={r.id: _applicants([t.row(r.id) for t in tables]) for r in labels.TABLE3_ROWS}
    )


def _outcomes(blocks: list[ReviewOutcomes]) -> ReviewOutcomes:
    fields = [key for key, _ in labels.TABLE4_OUTCOMES]
    return ReviewOutcomes(**{f: sum_or_none([getattr(b, f) for b in blocks]) for f in fields})


def _table4(tables: list[Table4]) -> Table4:
    return Table4(
        **{b.id: _outcomes([t.block(b.id) for t in tables]) for b in labels.TABLE4_BLOCKS}
    )


def sum_reports(reports: list[Report], organ: str, year: int) -> Report:
    """The 汇总 report: 表二/三/四 summed cell by cell, 一 a draft of the five usual subsections
    (the organs themselves are listed in the 明细表, see ``xxgk.breakdown``), 五 and 六 empty."""
    if not reports:
        raise XxgkError.single("sum/no-inputs", "没有可汇总的报告")
    total = Report(
        format_version=format_for_year(year),
        organ=organ,
        year=year,
        table2=_table2([r.table2 for r in reports]),
        table3=_table3([r.table3 for r in reports]),
        table4=_table4([r.table4 for r in reports]),
    )
    return total.model_copy(update={"overview": draft_overview(total, len(reports))})


def common_year(reports: list[Report]) -> int:
    """The year every input reports on; XxgkError naming the years when they differ."""
    years = sorted({r.year for r in reports})
    if len(years) != 1:
        raise XxgkError.single(
            "sum/years-differ",
            f"输入的报告年度不一致（{'、'.join(str(y) for y in years)}）；请用 --year 指定汇总年度",
        )
    return years[0]


def _refusal(code: str, path: Path, message: str) -> Finding:
    return Finding(code, Severity.ERROR, Location((), str(path)), message)


def refusals(loaded: list[tuple[Path, Report, list[Finding]]], year: int) -> list[Finding]:
    """Why inputs cannot be summed: errors found, another year or format, an organ twice."""
    found: list[Finding] = []
    seen: dict[str, Path] = {}
    expected_format = format_for_year(year)
    for path, report, findings in loaded:
        errors = sum(1 for f in findings if f.is_error)
        if errors:
            found.append(_refusal(
                "sum/input-has-errors", path,
                f"有 {errors} 个错误，不能汇总；请先用 xxgk check 检查并改正",
            ))
        if report.year != year:
            found.append(_refusal(
                "sum/other-year", path, f"年度为 {report.year}，不是汇总的 {year} 年度",
            ))
        elif report.format_version != expected_format:
            found.append(_refusal(
                "sum/other-format", path,
                f"使用 {report.format_version} 格式，{year} 年度应使用 {expected_format} 格式"
                f"（{labels.FORMAT_DOCUMENTS[expected_format]}）",
            ))
        # Names compared as organ_key does (NFKC, invisible characters and spaces removed,
        # 人民政府 suffix): 「甲县教育局」 and 「甲县教育局\u200b」 are one organ, counted once.
        key = organ_key(report.organ)
        if key in seen:
            found.append(_refusal(
                "sum/duplicate-organ", path,
                f"机关「{report.organ.strip()}」已在 {seen[key]} 中，重复汇总会重复计数",
            ))
        else:
            seen[key] = path
    return found


def unread_refusal(path: Path, reading: list[Finding]) -> Finding | None:
    """Why a published report whose import left numbers unread cannot be summed: its missing
    numbers would be summed as nothing (said apart from the report's own errors)."""
    unread = [f for f in reading if f.is_error]
    if not unread:
        return None
    return _refusal(
        "sum/unread", path,
        f"导入时有 {len(unread)} 处没有读出（读取问题，不是该机关的错误），汇总会少算；"
        "请对照原文核实，或改用该机关的数据文件、工作簿",
    )
