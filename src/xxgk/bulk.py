"""Importing many sources in one call: a bad file never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xxgk.audit.present import Presented, present
from xxgk.checks import check
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.importers import import_source, oldword
from xxgk.importers.hints import Hints
from xxgk.safe_text import collision_key, name_safe, shortened
from xxgk.scaffold import data_file_text
from xxgk.writer import write_outputs


@dataclass
class ImportRow:
    """One source's line in the bulk summary."""

    source: Path
    organ: str | None = None
    year: int | None = None
    source_format: str | None = None
    errors: int = 0
    warnings: int = 0
    output: Path | None = None
    # What `xxgk check` finds in the imported report: the report's own errors, not the import's.
    check_errors: int | None = None
    check_warnings: int | None = None
    arithmetic_errors: int | None = None  # of check_errors: 勾稽 relations the report breaks


def import_many(
    sources: Sequence[Path],
    outdir: Path,
    progress: Any = None,
    on_findings: Callable[[Presented], None] | None = None,
    hints: Hints | None = None,
) -> list[ImportRow]:
    """Import each source into ``outdir/{organ}{year}.yaml``; one summary row per source.

    Old Word/WPS files are converted with one LibreOffice start for the whole batch.
    """
    rows: list[ImportRow] = []
    taken: set[str] = set()
    bar = progress if progress is not None else _NoProgress()
    with bar, oldword.batch([Path(s) for s in sources]):
        for source in sources:
            row, findings = _import_one(Path(source), outdir, taken, hints)
            rows.append(row)
            if on_findings is not None and (findings.own or findings.reading):
                on_findings(findings)
            bar.update(1)
    return rows


def _import_one(
    source: Path, outdir: Path, taken: set[str], hints: Hints | None = None
) -> tuple[ImportRow, Presented]:
    row = ImportRow(source)
    try:
        result = import_source(source, hints)
        report = result.report
        row.organ, row.year, row.source_format = report.organ, report.year, result.source_format
        name = shortened(name_safe(report.data_file_stem), ".yaml")
        target = _free_name(outdir / name, taken)
        notes = [f"导入自 {source.name}（{result.source_format} 格式）"]
        said = presented(source, result.findings)
        notes += [
            f"{head}：{f.location}：{f.message}" if str(f.location) else f"{head}：{f.message}"
            for head, kept in (("导入提示", said.own), ("读取问题", said.reading))
            for f in kept
        ]
        write_outputs({target: data_file_text(report, notes=notes).encode("utf-8")})
        row.output = target
        findings = result.findings
        if name != f"{report.data_file_stem}.yaml":
            findings = [*findings, _renamed(report.data_file_stem, target, source)]
        checked = check(report)
        row.check_errors = sum(f.is_error for f in checked)
        row.check_warnings = len(checked) - row.check_errors
        row.arithmetic_errors = sum(
            f.is_error and f.code.startswith(_ARITHMETIC) for f in checked
        )
    except XxgkError as exc:  # refused: every finding is why, said as it is
        findings = [f if f.location.file else f.with_file(str(source)) for f in exc.findings]
        row.errors = sum(f.is_error for f in findings)
        row.warnings = len(findings) - row.errors
        return row, Presented(tuple(findings), ())
    said = presented(source, findings)
    row.errors = sum(f.is_error for f in (*said.own, *said.reading))
    row.warnings = len(said.own) + len(said.reading) - row.errors
    return row, said


def presented(source: Path, findings: list[Finding]) -> Presented:
    """An import's findings as its reader needs them: a table's many blanks said once, what
    we could not read apart from what the report itself lacks (``audit.present``)."""
    return present(findings, published=source.suffix.lower() != ".xlsx")  # our own workbook


_ARITHMETIC = ("t3/", "t4/")  # 总计 and 勾稽 relations of 表三 and 表四


def _free_name(target: Path, taken: set[str]) -> Path:
    # Two sources of one organ and year in one run (a report and its correction) both survive,
    # also when their names differ only as a case-insensitive file system would not tell.
    candidate, n = target, 1
    while collision_key(candidate.name) in taken:
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    taken.add(collision_key(candidate.name))
    return candidate


def _renamed(stem: str, target: Path, source: Path) -> Finding:
    return Finding(
        "import/renamed-output",
        Severity.WARNING,
        Location((), str(source)),
        f"机关名称含有不能用于文件名的字符或过长，数据文件名改为「{target.name}」"
        f"（原应为「{stem}.yaml」）",
    )


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None
