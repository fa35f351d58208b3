"""The audit's tables as plain rows, shared by the workbook, the web page and any other output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xxgk.audit.record import AuditRecord, RuleFinding, by_rule, duplicates
from xxgk.audit.spikes import spikes
from xxgk.figures import FIGURES, Figure
from xxgk.rates import RATES

Value = str | int | float | Figure


@dataclass(frozen=True)
class Column:
    """A column of an audit table: its heading and whether it holds a number."""

    heading: str
    numeric: bool = False
    wide: bool = False  # prose that wraps (findings, messages)
    percent: bool = False  # a share 0–1, shown as a percentage


SPIKES_COLUMN = "与上年相比突变"
SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column("序号", numeric=True),
    Column("机关名称"),
    Column("年度", numeric=True),
    Column("格式版本"),
    Column("文件"),
    Column("上年报告"),
    Column("错误", numeric=True),
    Column("警告", numeric=True),
    *(Column(name, numeric=True) for name, _ in FIGURES),
    Column("文字沿用上年", numeric=True),
    *(Column(rule.name, numeric=True, percent=True) for rule in RATES),
    Column(SPIKES_COLUMN, wide=True),
    Column("主要问题", wide=True),
)
RULE_COLUMNS: tuple[Column, ...] = (
    Column("机关名称"),
    Column("年度", numeric=True),
    Column("严重程度"),
    Column("文件"),
    Column("行", numeric=True),
    Column("位置"),
    Column("说明", wide=True),
)
COPIED_COLUMN = "文字沿用上年"  # a share, shown as a percentage


@dataclass(frozen=True)
class Sheet:
    """One table of the audit: its name, columns, rows and which rows fail."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: list[list[Value]]
    failing: list[bool]  # rows drawn with the mark
    mark: str = "fail"  # "fail": red, a rule broken; "note": yellow, worth a look (a change)


def summary_row(number: int, record: AuditRecord, paired: bool) -> list[Value]:
    """The 总表 row of one report."""
    figures = list(record.figures) or [None] * len(FIGURES)
    previous = record.previous or ("无" if paired and record.organ else "")
    return [
        number, record.organ, record.year,
        f"{record.format_version}版" if record.format_version else "", record.source, previous,
        record.errors, record.warnings, *figures, record.copied,
        *([r.value for r in record.rates] or [None] * len(RATES)),
        "\n".join(spikes(record.figures, record.previous_figures)), record.first_findings(),
    ]


def summary_sheet(records: Sequence[AuditRecord], paired: bool) -> Sheet:
    """总表: one row per report, in input order."""
    return Sheet(
        "总表",
        f"审核总表（{len(records)} 份报告，{sum(not r.ok for r in records)} 份有错误）",
        SUMMARY_COLUMNS,
        [summary_row(i, r, paired) for i, r in enumerate(records, 1)],
        [not r.ok for r in records],
    )


def _rule_row(item: RuleFinding) -> list[Value]:
    f, r = item.finding, item.record
    return [r.organ, r.year, f.severity.chinese, r.source, f.location.line,
            str(f.location), f.message]


def rule_sheets(records: Sequence[AuditRecord]) -> list[Sheet]:
    """One sheet per rule (finding code) with every report that breaks it, errors' rules first."""
    sheets = []
    for code, items in by_rule(records).items():
        severity = items[0].finding.severity.chinese
        sheets.append(Sheet(
            code, f"{code}（{severity}，{len({id(i.record) for i in items})} 份报告）",
            RULE_COLUMNS, [_rule_row(i) for i in items], [i.finding.is_error for i in items],
        ))
    return sheets


def names_sheet(name: str, title: str, heading: str, names: Sequence[str]) -> Sheet:
    """A one-column list (the organs that have not submitted, or have no last-year report)."""
    return Sheet(name, title, (Column("序号", numeric=True), Column(heading)),
                 [[i, n] for i, n in enumerate(names, 1)], [False] * len(names))


def audit_sheets(
    records: Sequence[AuditRecord], *, paired: bool, missing: Sequence[str] | None = None
) -> list[Sheet]:
    """Every table of the audit: 总表, 未报送 (with a roster), 无上年报告 (when paired), rules."""
    sheets = [summary_sheet(records, paired)]
    if missing is not None:
        sheets.append(names_sheet("未报送", f"名单中未报送的机关（{len(missing)} 个）",
                                  "机关名称", missing))
    repeated = duplicates(records)
    if repeated:
        names = [f"{g[0].organ}（{g[0].year} 年度）：" + "、".join(r.source for r in g)
                 for g in repeated]
        title = f"同一机关同一年度报送了多份的报告（{len(names)} 个机关）"
        sheets.append(names_sheet("重复报送", title, "机关名称（年度）：文件", names))
    if paired:
        unpaired = [f"{r.organ}（{r.source}）" for r in records if r.organ and not r.previous]
        title = f"没有上年报告、未核对结转的报告（{len(unpaired)} 份）"
        sheets.append(names_sheet("无上年报告", title,
                                  "机关名称（文件）", unpaired))
    return sheets + rule_sheets(records)
