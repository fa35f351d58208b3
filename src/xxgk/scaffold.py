"""New data files: an empty one for an organ and year, or a draft seeded from last year's; and
the gate every data file a command writes passes first (init, sum, import)."""

from __future__ import annotations

import datetime as dt

from xxgk import labels
from xxgk.checks.meta import check_meta
from xxgk.checks.values import MAX_EXACT, check_values
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.inputs import dump_report, parse_report
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

# What the gate refuses beyond what the reader refuses: the errors `check` gives for values and
# the organ. Blank cells pass (an import that could not read a cell says so in the file).
_REFUSED_CODES = frozenset({"value/negative", "value/too-large", "value/bad-fee",
                            "meta/organ-missing"})


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


def scaffold_text(
    report: Report, seeded_from: Report | None = None, gaps: list[str] | None = None
) -> str:
    """The data file text for a new report, with a note when it is a draft from last year (and
    what last year's published report lacked, ``gaps``); XxgkError when `check` would refuse
    the file."""
    notes = []
    if seeded_from is not None:
        notes = [
            f"本文件由 {seeded_from.year} 年度数据生成：正文沿用上年，请逐段按本年情况改写；",
            f"“上年结转”已填入 {seeded_from.year} 年度的“结转下年度继续办理”，其余数字为 0。",
        ]
    if gaps:
        notes += ["【草稿】上年报告导入不完整，以下内容没有读出，请对照上年原文补全：",
                  *(f"  {gap}" for gap in gaps)]
    return data_file_text(report, notes=notes)


def seed_gaps(last: Report, findings: list[Finding]) -> list[str]:
    """What a draft from last year's published report would lack: tables and sections the
    import did not find, and the numbers a draft carries over (结转, 现行有效件数) left blank."""
    gaps = [f"{'/'.join(f.location.parts)}：{f.message}" for f in findings
            if f.code in ("import/missing-table", "import/missing-section")]
    carried = last.table3.row("carried_out").cells
    blank = sum(v is None for v in carried)
    if blank and not any(f.code == "import/missing-table" and f.location.parts[:1] == ("表三",)
                         for f in findings):
        gaps.append(f"表三「四、结转下年度继续办理」有 {blank} 格没有读出，"
                    "本年的“上年结转”因此空白")
    t2 = last.table2
    if t2.regulations.in_force is None or t2.normative_documents.in_force is None:
        gaps.append("表二的“现行有效件数”没有读出，本年的现行有效件数因此空白")
    return gaps


def data_file_text(report: Report, *, notes: list[str] | None = None) -> str:
    """The data file text of a report, after making sure it reads back and that `check` does
    not refuse its organ, year or values; XxgkError (nothing to write) otherwise."""
    text = dump_report(report, notes=notes)
    try:
        back, _ = parse_report(text)
    except XxgkError as exc:
        raise _refusal([f for f in exc.findings if f.is_error]) from None
    today = dt.date.today()
    problems = [
        f
        for f in check_values(back) + check_meta(back, today) + _oversized_totals(back)
        if f.is_error and f.code in _REFUSED_CODES
    ]
    if problems:
        raise _refusal(problems)
    return text


def _oversized_totals(report: Report) -> list[Finding]:
    """Totals past what Excel and WPS hold exactly (a sum of many organs can get there)."""
    totals = [row.total for row in report.table3.rows.values()]
    totals += [*report.table3.results_total(), report.table3.results_grand_total()]
    totals += [report.table4.block(b.id).total for b in labels.TABLE4_BLOCKS]
    big = [t for t in totals if t is not None and t > MAX_EXACT]
    if not big:
        return []
    return [
        Finding(
            "value/too-large",
            Severity.ERROR,
            Location(()),
            f"总计 {max(big)} 过大（超过 15 位有效数字，Excel/WPS 无法精确保存），请核对",
        )
    ]


def _refusal(findings: list[Finding]) -> XxgkError:
    head = Finding(
        "datafile/refused",
        Severity.ERROR,
        Location(()),
        "没有写出数据文件：写出的文件会被 xxgk check 拒绝，原因如下",
    )
    return XxgkError([head, *findings])
