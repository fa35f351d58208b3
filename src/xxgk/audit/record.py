"""One audit record per report: who, which year, how many errors, the key figures, copied text.

Records are small and independent of the report they came from, so that an audit of thousands
of reports keeps only the records and lets each report go once it has been checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from xxgk import labels
from xxgk.compare.text import copied_share, report_text
from xxgk.errors import Finding
from xxgk.model import Count, Report
from xxgk.pairing import organ_key

Figure = int | Decimal | None
FIRST_FINDINGS = 3  # findings spelt out in the 总表 row; the rest are on the rule sheets


def _t3(row_id: str) -> Callable[[Report], Figure]:
    return lambda r: r.table3.row(row_id).total


def _group(group: str) -> Callable[[Report], Figure]:
    rows = [row.id for row in labels.TABLE3_RESULT_ROWS if row.id.startswith(f"{group}.")]

    def total(r: Report) -> Figure:
        values: list[Count] = [r.table3.row(i).total for i in rows]
        return None if None in values else sum(v for v in values if v is not None)

    return total


def _t2(field: str, column: int | None = None) -> Callable[[Report], Figure]:
    def value(r: Report) -> Figure:
        found = getattr(r.table2, field)
        value: Figure = found if column is None else found.cells()[column]
        return value

    return value


def _litigation(r: Report) -> Figure:
    a, b = r.table4.direct_suit.total, r.table4.suit_after_review.total
    return None if a is None or b is None else a + b


# The key figures of the 总表, in the order a supervisor reads them: 表二, 表三, 表四.
FIGURES: tuple[tuple[str, Callable[[Report], Figure]], ...] = (
    ("规章制发", _t2("regulations", 0)),
    ("规章废止", _t2("regulations", 1)),
    ("规章现行有效", _t2("regulations", 2)),
    ("规范性文件制发", _t2("normative_documents", 0)),
    ("规范性文件废止", _t2("normative_documents", 1)),
    ("规范性文件现行有效", _t2("normative_documents", 2)),
    ("行政许可", _t2("licensing")),
    ("行政处罚", _t2("punishment")),
    ("行政强制", _t2("enforcement")),
    ("收费（万元）", _t2("fees")),
    ("本年新收", _t3("new")),
    ("上年结转", _t3("carried_in")),
    ("予以公开", _t3("granted")),
    ("部分公开", _t3("partial")),
    ("不予公开", _group("refused")),
    ("无法提供", _group("unavailable")),
    ("不予处理", _group("not_processed")),
    ("其他处理", _group("other_handling")),
    ("办理结果总计", lambda r: r.table3.results_grand_total()),
    ("结转下年度", _t3("carried_out")),
    ("行政复议", lambda r: r.table4.review.total),
    ("行政诉讼", _litigation),
)


@dataclass(frozen=True)
class AuditRecord:
    """What the audit keeps of one report."""

    source: str
    organ: str
    year: int | None
    format_version: str
    figures: tuple[Figure, ...]  # in FIGURES order; empty when the report could not be read
    findings: tuple[Finding, ...]
    previous: str | None  # last year's source paired with it
    copied: float | None  # share of the text found in last year's report

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return len(self.findings) - self.errors

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return self.errors == 0

    def first_findings(self, count: int = FIRST_FINDINGS) -> str:
        """The first findings in words, errors first, one a line."""
        ordered = sorted(self.findings, key=lambda f: not f.is_error)
        lines = [f"{f.severity.chinese}：{_place(f)}{f.message}" for f in ordered[:count]]
        if len(ordered) > count:
            lines.append(f"……另有 {len(ordered) - count} 条")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: file, organ, year, counts, figures by name, copied share, findings."""
        return {
            "file": self.source,
            "organ": self.organ,
            "year": self.year,
            "format": self.format_version,
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "previous": self.previous,
            "copied": None if self.copied is None else round(self.copied, 4),
            "figures": {
                name: (str(v) if isinstance(v, Decimal) else v)
                for (name, _), v in zip(FIGURES, self.figures, strict=False)
            },
            "findings": [f.as_dict() for f in self.findings],
        }


def _place(finding: Finding) -> str:
    place = str(finding.location)
    return f"{place}：" if place else ""


def audit_record(
    source: str, report: Report, findings: Iterable[Finding],
    previous: Report | None = None, previous_source: str | None = None,
) -> AuditRecord:
    """The record of one report, checked (against last year's when paired)."""
    copied = copied_share(report_text(report), report_text(previous)) if previous else None
    return AuditRecord(
        source=source,
        organ=report.organ,
        year=report.year,
        format_version=report.format_version,
        figures=tuple(value(report) for _, value in FIGURES),
        findings=tuple(findings),
        previous=previous_source,
        copied=copied,
    )


def unreadable_record(source: str, findings: Iterable[Finding]) -> AuditRecord:
    """The record of a source that could not be read: its loading errors, no figures."""
    return AuditRecord(source, "", None, "", (), tuple(findings), None, None)


@dataclass(frozen=True)
class RuleFinding:
    """One finding on a rule sheet, with the report it belongs to."""

    record: AuditRecord
    finding: Finding


def by_rule(records: Iterable[AuditRecord]) -> dict[str, list[RuleFinding]]:
    """Every finding grouped by its code (the rule), codes sorted, errors' codes first."""
    groups: dict[str, list[RuleFinding]] = {}
    for record in records:
        for finding in record.findings:
            groups.setdefault(finding.code, []).append(RuleFinding(record, finding))
    return dict(sorted(groups.items(), key=lambda kv: (not kv[1][0].finding.is_error, kv[0])))


def missing_organs(roster: Iterable[str], records: Iterable[AuditRecord]) -> list[str]:
    """The organs of the roster with no report among the records (names compared by organ_key)."""
    submitted = {organ_key(r.organ) for r in records if r.organ}
    seen: set[str] = set()
    missing = []
    for name in roster:
        key = organ_key(name)
        if key and key not in submitted and key not in seen:
            missing.append(name.strip())
        seen.add(key)
    return missing
