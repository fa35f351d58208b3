"""Importing many sources in one call: a bad file never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.importers import import_source
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


def import_many(
    sources: Sequence[Path],
    outdir: Path,
    progress: Any = None,
    on_findings: Callable[[list[Finding]], None] | None = None,
) -> list[ImportRow]:
    """Import each source into ``outdir/{organ}{year}.yaml``; one summary row per source."""
    rows: list[ImportRow] = []
    taken: set[str] = set()
    bar = progress if progress is not None else _NoProgress()
    with bar:
        for source in sources:
            row, findings = _import_one(Path(source), outdir, taken)
            rows.append(row)
            if on_findings is not None and findings:
                on_findings(findings)
            bar.update(1)
    return rows


def _import_one(source: Path, outdir: Path, taken: set[str]) -> tuple[ImportRow, list[Finding]]:
    row = ImportRow(source)
    try:
        result = import_source(source)
        report = result.report
        row.organ, row.year, row.source_format = report.organ, report.year, result.source_format
        name = shortened(name_safe(report.data_file_stem), ".yaml")
        target = _free_name(outdir / name, taken)
        notes = [f"导入自 {source.name}（{result.source_format} 格式）"]
        notes += [
            f"导入提示：{f.location}：{f.message}" if str(f.location) else f"导入提示：{f.message}"
            for f in result.findings
        ]
        write_outputs({target: data_file_text(report, notes=notes).encode("utf-8")})
        row.output = target
        findings = result.findings
        if name != f"{report.data_file_stem}.yaml":
            findings = [*findings, _renamed(report.data_file_stem, target, source)]
    except XxgkError as exc:
        findings = [f if f.location.file else f.with_file(str(source)) for f in exc.findings]
    row.errors = sum(f.is_error for f in findings)
    row.warnings = len(findings) - row.errors
    return row, findings


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
