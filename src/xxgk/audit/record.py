"""One audit record per report: who, which year, how many errors, the key figures, copied text.

Records are small and independent of the report they came from, so that an audit of thousands
of reports keeps only the records and lets each report go once it has been checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from xxgk.audit.batch import against_batch, batch_findings
from xxgk.audit.present import present
from xxgk.audit.samples import paragraph_samples
from xxgk.checks.cells import cell_values
from xxgk.checks.paragraphs import copied_share, narrative
from xxgk.errors import Finding, Severity
from xxgk.figures import FIGURES, Figure
from xxgk.model import Report
from xxgk.pairing import NameIndex, organ_key
from xxgk.rates import Rate, rates
from xxgk.rules import rule_name

CellValue = int | Decimal | None
FIRST_FINDINGS = 3  # findings spelt out in the 总表 row; the rest are on the rule sheets


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
    reading: tuple[Finding, ...] = ()  # what the import could not read: never the organ's errors
    # For the batch's own rules (audit/crossorgan.py, audit/parent.py, audit/spikes.py):
    paragraphs: tuple[tuple[str, str], ...] = ()  # (place, text) of every narrative paragraph
    published: dt.date | None = None  # 发布日期, from the source
    previous_figures: tuple[Figure, ...] = ()  # last year's FIGURES, when paired
    cells: tuple[CellValue, ...] = ()  # every entered cell, for the sum against a published parent
    rates: tuple[Rate, ...] = ()  # in RATES order
    samples: tuple[frozenset[str], ...] = ()  # per paragraph, for audit/crossorgan.py

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many findings are warnings (information findings are neither)."""
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def read(self) -> bool:
        """True when the report could be read (a published one our import failed on cannot)."""
        return bool(self.figures)

    @property
    def ok(self) -> bool:
        """True when the report was read and no finding is an error."""
        return self.errors == 0 and self.read

    def first_findings(self, count: int = FIRST_FINDINGS) -> str:
        """The first findings in words, errors first, one a line."""
        ordered = sorted(self.findings, key=lambda f: not f.is_error)
        lines = [f"{f.severity.chinese}·{rule_name(f.code)}：{_place(f)}{f.message}"
                 for f in ordered[:count]]
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
            "read": self.read,
            "errors": self.errors,
            "warnings": self.warnings,
            "previous": self.previous,
            "copied": None if self.copied is None else round(self.copied, 4),
            "figures": {
                name: (str(v) if isinstance(v, Decimal) else v)
                for (name, _), v in zip(FIGURES, self.figures, strict=False)
            },
            "findings": [f.as_dict() | {"rule": rule_name(f.code)} for f in self.findings],
            "reading": [f.as_dict() | {"rule": rule_name(f.code)} for f in self.reading],
        }


def _place(finding: Finding) -> str:
    place = str(finding.location)
    return f"{place}：" if place else ""


def audit_record(
    source: str, report: Report, findings: Iterable[Finding],
    previous: Report | None = None, previous_source: str | None = None,
    *, published: bool = False,
) -> AuditRecord:
    """The record of one report, checked (against last year's when paired); ``published`` when
    it was imported from a published report (its import's reading problems kept apart)."""
    copied = copied_share(report, previous) if previous else None
    paragraphs = tuple(("/".join(p.place), p.text) for p in narrative(report))
    said = present(findings, published=published)
    return AuditRecord(
        source=source,
        organ=report.organ,
        year=report.year,
        format_version=report.format_version,
        figures=tuple(value(report) for _, value in FIGURES),
        findings=said.own,
        previous=previous_source,
        copied=copied,
        reading=said.reading,
        paragraphs=paragraphs,
        samples=paragraph_samples(report.organ, paragraphs),
        published=report.published,
        previous_figures=tuple(value(previous) for _, value in FIGURES) if previous else (),
        cells=cell_values(report),
        rates=rates(report),
    )


def unreadable_record(
    source: str, findings: Iterable[Finding], *, published: bool = False
) -> AuditRecord:
    """The record of a source that could not be read: its loading errors (a published report's
    as reading problems: our importer failed, not the organ), no figures."""
    said = present(findings, published=published)
    return AuditRecord(source, "", None, "", (), said.own, None, None, said.reading)


def with_batch(record: AuditRecord, batch: int | None) -> AuditRecord:
    """The record with its errors against the batch's year and format (see ``audit.batch``)."""
    errors = batch_findings(record.year, record.format_version, batch, record.source)
    if not errors:
        return record
    return replace(record, findings=tuple(against_batch(record.findings, errors)))


@dataclass(frozen=True)
class RuleFinding:
    """One finding on a rule sheet, with the report it belongs to."""

    record: AuditRecord
    finding: Finding


def by_rule(records: Iterable[AuditRecord]) -> dict[str, list[RuleFinding]]:
    """Every finding grouped by its code (the rule), codes sorted, errors' codes first and
    information (提示) last."""
    groups: dict[str, list[RuleFinding]] = {}
    for record in records:
        for finding in record.findings:
            groups.setdefault(finding.code, []).append(RuleFinding(record, finding))
    rank = list(Severity).index

    def order(item: tuple[str, list[RuleFinding]]) -> tuple[int, str]:
        return min(rank(i.finding.severity) for i in item[1]), item[0]

    return dict(sorted(groups.items(), key=order))


def missing_organs(roster: Sequence[str], records: Iterable[AuditRecord]) -> list[str]:
    """The organs of the roster with no report among the records (names compared by organ_key,
    or through a province/city/county prefix: 淮安市洪泽区人民政府 is 洪泽区人民政府)."""
    names = NameIndex(roster)
    submitted = {names.position(r.organ) for r in records if r.organ}
    seen: set[str] = set()
    missing = []
    for i, name in enumerate(roster):
        key = organ_key(name)
        if key and i not in submitted and names.exact.get(key) == i and key not in seen:
            missing.append(name.strip())
        seen.add(key)
    return missing


def duplicates(records: Iterable[AuditRecord]) -> list[list[AuditRecord]]:
    """Reports of one organ and year submitted more than once (names compared by organ_key)."""
    groups: dict[tuple[str, int | None], list[AuditRecord]] = {}
    for record in records:
        if record.organ:
            groups.setdefault((organ_key(record.organ), record.year), []).append(record)
    return [group for group in groups.values() if len(group) > 1]


def in_roster_order(records: Sequence[AuditRecord], roster: Sequence[str]) -> list[AuditRecord]:
    """The records in the roster's order (names compared as missing_organs does); reports of
    organs not on the roster after them, in the order given."""
    names = NameIndex(roster)
    last = len(roster)

    def place(record: AuditRecord) -> int:
        found = names.position(record.organ) if record.organ else None
        return last if found is None else found

    return sorted(records, key=place)
