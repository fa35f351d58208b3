"""New data files: an empty one for an organ and year, or a draft seeded from last year's."""

from __future__ import annotations

from xxgk import labels
from xxgk.inputs import dump_report
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    DocumentHeader,
    Overview,
    Report,
    Subsection,
    Table2,
    Table3,
)


def empty_report(organ: str, year: int) -> Report:
    """A report with every number 0 and the usual five subsections of 一 without text."""
    subsections = [Subsection(title=t) for t in labels.OVERVIEW_SUBSECTIONS]
    return Report(organ=organ, year=year, overview=Overview(subsections=subsections))


def next_year_draft(last: Report, organ: str | None = None, year: int | None = None) -> Report:
    """This year's draft from last year's report.

    Keeps organ, 红头 and text as a draft; 上年结转 takes last year's 结转下年度继续办理 and
    现行有效件数 starts from last year's stock; every other number starts at 0.
    """
    rows = {row.id: ApplicantCounts() for row in labels.TABLE3_ROWS}
    rows["carried_in"] = ApplicantCounts(cells=last.table3.row("carried_out").cells)
    t2 = last.table2
    return Report(
        format_version=labels.FORMAT_2021,
        organ=organ or last.organ,
        year=year or last.year + 1,
        header=DocumentHeader(issuer_mark=last.header.issuer_mark, signer=last.header.signer),
        overview=last.overview,
        table2=Table2(
            regulations=DocumentCounts(issued=0, repealed=0, in_force=t2.regulations.in_force),
            normative_documents=DocumentCounts(
                issued=0, repealed=0, in_force=t2.normative_documents.in_force
            ),
        ),
        table3=Table3(rows=rows),
        problems=last.problems,
        other_matters=last.other_matters,
    )


def scaffold_text(report: Report, seeded_from: Report | None = None) -> str:
    """The data file text for a new report, with a note when it is a draft from last year."""
    notes = []
    if seeded_from is not None:
        notes = [
            f"本文件由 {seeded_from.year} 年度数据生成：正文沿用上年，请逐段按本年情况改写；",
            f"“上年结转”已填入 {seeded_from.year} 年度的“结转下年度继续办理”，其余数字为 0。",
        ]
    return dump_report(report, notes=notes)
