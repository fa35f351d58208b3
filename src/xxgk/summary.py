"""汇总: the cell-by-cell sum of many organs' reports, and the reasons to refuse an input."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from xxgk import labels
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.model import (
    ApplicantCounts,
    Count,
    DocumentCounts,
    Report,
    ReviewOutcomes,
    Table2,
    Table3,
    Table4,
    sum_or_none,
)

# 国办公开办函〔2021〕30号 governs reports for 2021 and later; the 2019 format the years before.
FIRST_2021_YEAR = 2021
LIST_SEPARATOR = "、"


def included_organs_paragraph(organs: list[str]) -> str:
    """六's sentence naming the organs a 汇总 includes."""
    return f"本汇总包括以下 {len(organs)} 个机关：{LIST_SEPARATOR.join(organs)}。"


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
    """The 汇总 report: 表二/三/四 summed cell by cell, 六 naming the organs, other text empty."""
    if not reports:
        raise XxgkError.single("sum/no-inputs", "没有可汇总的报告")
    return Report(
        format_version=format_for_year(year),
        organ=organ,
        year=year,
        table2=_table2([r.table2 for r in reports]),
        table3=_table3([r.table3 for r in reports]),
        table4=_table4([r.table4 for r in reports]),
        other_matters=[included_organs_paragraph([r.organ for r in reports])],
    )


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
        organ = report.organ.strip()
        if organ in seen:
            found.append(_refusal(
                "sum/duplicate-organ", path,
                f"机关「{organ}」已在 {seen[organ]} 中，重复汇总会重复计数",
            ))
        else:
            seen[organ] = path
    return found
