"""The supervisor's batch work: each report paired with its organ's last-year report, checked,
audited as a stream of small records, and one organ's two years compared.

Reports are loaded and checked one at a time; only last year's reports (needed for pairing) and
the audit records stay in memory, so that thousands of reports audit in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from xxgk.api import IMPORTED_SUFFIXES, check_loaded, load_placed, load_source
from xxgk.audit import AuditRecord, audit_record, unreadable_record
from xxgk.compare import Comparison, compare_reports
from xxgk.errors import Finding, Location, Severity, XxgkError, warning
from xxgk.model import Report
from xxgk.pairing import YearIndex

SOURCE_SUFFIXES = (".yaml", ".yml", *IMPORTED_SUFFIXES)
Previous = tuple[Path, Report]


def sources_in(folder: Path) -> list[Path]:
    """Every report source under a folder (subfolders included, hidden ones such as .history not),
    in name order. XxgkError when the folder does not exist."""
    if not folder.is_dir():
        raise XxgkError.single("pairing/no-folder", "上年报告文件夹不存在或不是文件夹", str(folder))
    return sorted(
        p for p in folder.rglob("*")
        if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


@dataclass
class PreviousReports:
    """Last year's reports by organ and year, and what could not be read."""

    index: YearIndex[Previous]
    unreadable: list[Finding]

    def pair(self, report: Report) -> tuple[Previous | None, Finding | None]:
        """Last year's report of the same organ, or a note why there is none to use."""
        found = self.index.find(report.organ, report.year - 1)
        if len(found) == 1:
            return found[0], None
        if not found:
            return None, None
        names = "、".join(str(p) for p, _ in found)
        return None, warning(
            "pairing/ambiguous-previous",
            ("机关名称",),
            f"「{report.organ}」{report.year - 1} 年度的上年报告有 {len(found)} 份（{names}），"
            "无法确定用哪一份核对结转；请只保留一份",
        )


def load_previous(paths: Iterable[Path]) -> PreviousReports:
    """Last year's reports from any source xxgk reads; a file that cannot be read is a warning."""
    index: YearIndex[Previous] = YearIndex()
    unreadable = []
    for path in paths:
        try:
            report = load_source(path)[0]
        except XxgkError as exc:
            reason = exc.findings[0].message if exc.findings else ""
            unreadable.append(Finding(
                "pairing/previous-unreadable", Severity.WARNING, Location((), str(path)),
                f"上年报告无法读取，未用于核对：{reason}",
            ))
            continue
        index.add(report.organ, report.year, (path, report))
    return PreviousReports(index, unreadable)


@dataclass(frozen=True)
class PairedCheck:
    """One input checked against its organ's last-year report (when there is one)."""

    path: Path
    report: Report | None  # None when the source could not be read
    findings: list[Finding]
    previous: Previous | None

    @property
    def unpaired(self) -> bool:
        """True when a readable report has no last-year report to be checked against."""
        return self.report is not None and self.previous is None


def check_paired(
    path: Path, previous: PreviousReports | None, explicit: Previous | None = None
) -> PairedCheck:
    """The findings of one input; carry-over and copied text against ``explicit`` when given,
    else against the organ's report of the year before found in ``previous``."""
    try:
        report, notes, lines = load_placed(path)
    except XxgkError as exc:
        found = [f if f.location.file else f.with_file(str(path)) for f in exc.findings]
        return PairedCheck(path, None, found, None)
    pairing_notes: list[Finding] = []
    last = explicit
    if last is None and previous is not None:
        last, note = previous.pair(report)
        pairing_notes = [note.with_file(str(path))] if note else []
    findings = check_loaded(path, report, notes, lines, last[1] if last else None)
    return PairedCheck(path, report, pairing_notes + findings, last)


def check_many(
    paths: Iterable[Path], previous: PreviousReports | None, explicit: Previous | None = None
) -> Iterator[PairedCheck]:
    """check_paired for each input, in order, one at a time."""
    for path in paths:
        yield check_paired(path, previous, explicit)


def audit_many(
    paths: Iterable[Path], previous: PreviousReports | None
) -> Iterator[AuditRecord]:
    """One audit record per input, in order, one report in memory at a time."""
    for checked in check_many(paths, previous):
        if checked.report is None:
            yield unreadable_record(str(checked.path), checked.findings)
            continue
        last = checked.previous
        yield audit_record(
            str(checked.path), checked.report, checked.findings,
            last[1] if last else None, str(last[0]) if last else None,
        )


def read_roster(path: Path) -> list[str]:
    """The organ names of a roster: a .txt one name a line, or the first column of an .xlsx
    (a first cell reading 机关/名称/单位 is taken for a header)."""
    if path.suffix.lower() == ".xlsx":
        names = _roster_xlsx(path)
    else:
        from xxgk.inputs.source import read_text

        names = read_text(path)[0].splitlines()
    cleaned = [n.strip().lstrip("\ufeff") for n in names]
    if cleaned and any(word in cleaned[0] for word in ("机关", "名称", "单位")):
        cleaned = cleaned[1:]
    return [n for n in cleaned if n and not n.startswith("#")]


def _roster_xlsx(path: Path) -> list[str]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise XxgkError.single(
            "audit/roster-unreadable", f"机关名单无法读取（{type(exc).__name__}）；"
            "请用 Excel 另存为 .xlsx，或改用每行一个机关名称的 .txt", str(path),
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [str(row[0]) for row in sheet.iter_rows(max_col=1, values_only=True)
                if row and row[0] is not None]
    finally:
        workbook.close()


def compare_files(last: Path, this: Path) -> Comparison:
    """The comparison of one organ's two reports, from any sources xxgk reads."""
    last_report, last_notes, last_lines = load_placed(last)
    this_report, this_notes, this_lines = load_placed(this)
    if last_report.year >= this_report.year:
        raise XxgkError.single(
            "compare/order", f"第一个文件是 {last_report.year} 年度，第二个是 {this_report.year}"
            " 年度；请先给上年的报告，再给本年的", str(last),
        )
    return compare_reports(
        last_report, this_report, str(last), str(this),
        check_loaded(last, last_report, last_notes, last_lines),
        check_loaded(this, this_report, this_notes, this_lines, last_report),
    )
