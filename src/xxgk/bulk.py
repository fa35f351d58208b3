"""Importing many sources in one call: a bad file never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xxgk.checks import check
from xxgk.errors import Finding, XxgkError
from xxgk.importers import import_source, oldword
from xxgk.importers.hints import Hints
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
    on_findings: Callable[[list[Finding]], None] | None = None,
    hints: Hints | None = None,
) -> list[ImportRow]:
    """Import each source into ``outdir/{organ}{year}.yaml``; one summary row per source.

    Old Word/WPS files are converted with one LibreOffice start for the whole batch.
    """
    rows: list[ImportRow] = []
    taken: set[Path] = set()
    bar = progress if progress is not None else _NoProgress()
    with bar, oldword.batch([Path(s) for s in sources]):
        for source in sources:
            row, findings = _import_one(Path(source), outdir, taken, hints)
            rows.append(row)
            if on_findings is not None and findings:
                on_findings(findings)
            bar.update(1)
    return rows


def _import_one(
    source: Path, outdir: Path, taken: set[Path], hints: Hints | None = None
) -> tuple[ImportRow, list[Finding]]:
    row = ImportRow(source)
    try:
        result = import_source(source, hints)
        report = result.report
        row.organ, row.year, row.source_format = report.organ, report.year, result.source_format
        target = _free_name(outdir / f"{report.data_file_stem}.yaml", taken)
        notes = [f"导入自 {source.name}（{result.source_format} 格式）"]
        notes += [
            f"导入提示：{f.location}：{f.message}" if str(f.location) else f"导入提示：{f.message}"
            for f in result.findings
        ]
        write_outputs({target: data_file_text(report, notes=notes).encode("utf-8")})
        row.output = target
        findings = result.findings
        checked = check(report)
        row.check_errors = sum(f.is_error for f in checked)
        row.check_warnings = len(checked) - row.check_errors
        row.arithmetic_errors = sum(
            f.is_error and f.code.startswith(_ARITHMETIC) for f in checked
        )
    except XxgkError as exc:
        findings = [f if f.location.file else f.with_file(str(source)) for f in exc.findings]
    row.errors = sum(f.is_error for f in findings)
    row.warnings = len(findings) - row.errors
    return row, findings


_ARITHMETIC = ("t3/", "t4/")  # 总计 and 勾稽 relations of 表三 and 表四


def _free_name(target: Path, taken: set[Path]) -> Path:
    # Two sources of one organ and year in one run (a report and its correction) both survive.
    candidate, n = target, 1
    while candidate in taken:
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    taken.add(candidate)
    return candidate


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None
