"""The audit's tables as plain rows, shared by the workbook, the web page and any other output."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xxgk.audit.marks import (
    FEEDBACK,
    FINGERPRINT,
    MARK_HEADINGS,
    REVIEW,
    REVIEW_CHOICES,
    REVIEW_NOTE,
    STATUS,
    STATUS_CHOICES,
    Mark,
    fingerprints,
)
from xxgk.audit.record import AuditRecord, RuleFinding, by_rule, duplicates
from xxgk.audit.spikes import spikes
from xxgk.errors import Finding, Severity
from xxgk.figures import FIGURES, Figure
from xxgk.rates import RATES
from xxgk.rules import rule_name

Value = str | int | float | Figure


@dataclass(frozen=True)
class Column:
    """A column of an audit table: its heading and whether it holds a number."""

    heading: str
    numeric: bool = False
    wide: bool = False  # prose that wraps (findings, messages)
    choices: tuple[str, ...] = ()  # a column filled in by choosing (复核: 确认/排除)
    entry: bool = False  # a column the supervisor fills in (drawn as an input column)
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
    Column("读取问题", numeric=True),
    *(Column(name, numeric=True) for name, _ in FIGURES),
    Column("文字沿用上年", numeric=True),
    *(Column(rule.name, numeric=True, percent=True) for rule in RATES),
    Column(SPIKES_COLUMN, wide=True),
    Column("主要问题", wide=True),
)
MARK_COLUMNS: tuple[Column, ...] = tuple(
    Column(h, choices=REVIEW_CHOICES if h == REVIEW else STATUS_CHOICES if h == STATUS else (),
           wide=h in (REVIEW_NOTE, FEEDBACK), entry=True)
    for h in MARK_HEADINGS
)
RULE_COLUMNS: tuple[Column, ...] = (
    Column("机关名称"),
    Column("年度", numeric=True),
    Column("严重程度"),
    Column("规则"),
    Column("文件"),
    Column("原文位置"),
    Column("报告中的位置"),
    Column("说明", wide=True),
    Column("规则代码"),
    Column(FINGERPRINT),
    *MARK_COLUMNS,
)
FINGERPRINT_COLUMN = len(RULE_COLUMNS) - len(MARK_COLUMNS) - 1
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
    notes: list[str] = field(default_factory=list)  # lines under the title (how to read it)
    entry_note: str = ""  # how to fill the entry columns: shown only where they are (workbook)

    def all_notes(self, with_entries: bool = True) -> list[str]:
        """The lines under the title; the entry note only where the entry columns are shown."""
        return [*self.notes, self.entry_note] if self.entry_note and with_entries else self.notes


def summary_row(number: int, record: AuditRecord, paired: bool) -> list[Value]:
    """The 总表 row of one report."""
    # A fee as printed: 2, never 2.0 (the sum of 0.5 four times keeps Decimal's trailing zero).
    figures = [v.normalize() if isinstance(v, Decimal) else v for v in record.figures]
    figures = figures or [None] * len(FIGURES)
    previous = record.previous or ("无" if paired and record.organ else "")
    return [
        number, record.organ, record.year,
        f"{record.format_version}版" if record.format_version else "", record.source, previous,
        record.errors, record.warnings, len(record.reading), *figures, record.copied,
        *([r.value for r in record.rates] or [None] * len(RATES)),
        "\n".join(spikes(record.figures, record.previous_figures)), record.first_findings(),
    ]


def summary_sheet(records: Sequence[AuditRecord], paired: bool) -> Sheet:
    """总表: one row per report, in input order."""
    return Sheet(
        "总表",
        f"审核总表（{len(records)} 份报告，{sum(r.errors > 0 for r in records)} 份有错误）",
        SUMMARY_COLUMNS,
        [summary_row(i, r, paired) for i, r in enumerate(records, 1)],
        [not r.ok for r in records],  # an unread report is marked too
    )


Marks = Mapping[str, Mark]


# Sources whose line numbers are lines a reader sees in an editor; a .docx, .pdf or web page
# counts rows of its own reading, which would mislead (their place is the report's words).
LINED_SUFFIXES = (".yaml", ".yml", ".txt", ".md")


def source_place(finding: Finding, source: str = "") -> str:
    """Where the finding stands in the file as given: the workbook cell (「表三 申请处理!D6」),
    else the line of a text file; empty where only the report's own words can say it."""
    where = finding.location
    if where.cell:
        return where.cell
    lined = source.lower().endswith(LINED_SUFFIXES) or not source
    return f"第 {where.line} 行" if where.line and lined else ""


def _rule_row(item: RuleFinding, fingerprint: str, marks: Marks) -> list[Value]:
    f, r = item.finding, item.record
    mark = marks.get(fingerprint)
    typed: list[Value] = list(mark.values) if mark else [""] * len(MARK_COLUMNS)
    return [r.organ, r.year, f.severity.chinese, rule_name(f.code), r.source,
            source_place(f, r.source),
            str(f.location), f.message, f.code, fingerprint, *typed]


def _fingerprinted(records: Sequence[AuditRecord], reading: bool) -> dict[int, str]:
    """id(finding) → fingerprint, for every finding of the records (own or reading)."""
    found: dict[int, str] = {}
    for r in records:
        items = r.reading if reading else r.findings
        prefix = "R" if reading else ""
        for f, key in zip(items, fingerprints(r.organ, r.year, r.source, items), strict=True):
            found[id(f)] = prefix + key
    return found


def all_fingerprints(records: Sequence[AuditRecord]) -> set[str]:
    """Every finding's fingerprint in the audit (what a mark of the last run can land on)."""
    return {*_fingerprinted(records, False).values(), *_fingerprinted(records, True).values()}


_RULE_NOTE = (
    "在「复核」栏选择确认或排除并写明说明，整改情况填在「责任单位」「整改状态」「整改反馈」栏；"
    "下次审核时用 --review 给出本表，填写的内容按「编号」带到同一问题上。"
)


def rule_sheets(records: Sequence[AuditRecord], marks: Marks | None = None) -> list[Sheet]:
    """One sheet per rule (finding code) with every report that breaks it, errors' rules first;
    a reading problem of an import is never here (see reading_sheet)."""
    keys = _fingerprinted(records, False)
    sheets = []
    for code, items in by_rule(records).items():
        worst = min((i.finding.severity for i in items), key=list(Severity).index)
        severity = worst.chinese  # 错误, 警告, or 提示 for a rule that only informs
        name = rule_name(code)
        sheets.append(Sheet(
            name, f"{name}（{severity}，{len({id(i.record) for i in items})} 份报告）",
            RULE_COLUMNS, [_rule_row(i, keys[id(i.finding)], marks or {}) for i in items],
            [i.finding.is_error for i in items], entry_note=_RULE_NOTE,
        ))
    return sheets


def reading_sheet(records: Sequence[AuditRecord], marks: Marks | None = None) -> Sheet | None:
    """读取问题: what our import could not read of published reports — not the organs' errors;
    None when every report was read whole."""
    keys = _fingerprinted(records, True)
    items = [RuleFinding(r, f) for r in records for f in r.reading]
    if not items:
        return None
    reports = len({id(i.record) for i in items})
    return Sheet(
        "读取问题", f"读取问题：本工具未能读出的内容（{reports} 份报告，不计入机关的错误）",
        RULE_COLUMNS, [_rule_row(i, keys[id(i.finding)], marks or {}) for i in items],
        [False] * len(items), mark="note",
        notes=["这些是导入已发布报告时未能确定的内容（表格、行、数字或机关名称），"
               "请对照原文核实；它们不是报告本身的错误。"],
    )


def names_sheet(name: str, title: str, heading: str, names: Sequence[str]) -> Sheet:
    """A one-column list (the organs that have not submitted, or have no last-year report)."""
    return Sheet(name, title, (Column("序号", numeric=True), Column(heading)),
                 [[i, n] for i, n in enumerate(names, 1)], [False] * len(names))


def audit_sheets(
    records: Sequence[AuditRecord], *, paired: bool, missing: Sequence[str] | None = None,
    marks: Marks | None = None, lost: Sequence[Mark] = (),
) -> list[Sheet]:
    """Every table of the audit: 总表, 未报送 (with a roster), 重复报送, 无上年报告 (when
    paired), one sheet per rule, 读取问题, and 复核未对应 (marks of the last run whose finding
    is gone)."""
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
    sheets += rule_sheets(records, marks)
    reading = reading_sheet(records, marks)
    if reading is not None:
        sheets.append(reading)
    if lost:
        sheets.append(lost_marks_sheet(lost))
    return sheets


def lost_marks_sheet(lost: Sequence[Mark]) -> Sheet:
    """复核未对应: what was written on findings the last run had and this run no longer has."""
    columns = (Column("序号", numeric=True), Column("机关名称"), Column("规则"),
               Column("报告中的位置"), Column(FINGERPRINT), Column("原工作表"),
               *(Column(c.heading, wide=c.wide) for c in MARK_COLUMNS))
    rows: list[list[Value]] = [
        [i, m.organ, m.rule, m.place, m.fingerprint, m.sheet, *m.values]
        for i, m in enumerate(lost, 1)
    ]
    return Sheet("复核未对应", f"上次复核过、本次已不再出现的问题（{len(lost)} 条）", columns,
                 rows, [True] * len(rows), mark="note",
                 notes=["这些问题本次审核已没有（已改正，或报告已更换）；请核对后再归档。"])
