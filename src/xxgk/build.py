"""Build one report's documents: load → check → clean → render → write, nothing partial.

Errors in the data stop the build before anything is rendered; every document is rendered in
memory before any file is written, so a failure leaves the output folder as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.api import load_source
from xxgk.checks import check
from xxgk.errors import Finding, XxgkError
from xxgk.model import Report
from xxgk.render.clean import clean_report
from xxgk.writer import write_outputs

DEFAULT_FORMATS = ("docx", "xlsx")


@dataclass
class BuildResult:
    """What a build wrote (or left alone because it was identical) and what it warned about."""

    source: Path
    report: Report
    outputs: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def render_documents(
    report: Report,
    data_sha256: str,
    template: str | Path | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> dict[str, bytes]:
    """The bytes of each requested document, by suffix."""
    documents: dict[str, bytes] = {}
    if "docx" in formats:
        from xxgk.render.docx import render_docx

        documents["docx"] = render_docx(report, template)
    if "xlsx" in formats:
        from xxgk.render.xlsx import render_xlsx

        documents["xlsx"] = render_xlsx(report, data_sha256=data_sha256)
    return documents


def build_file(
    path: str | Path,
    outdir: str | Path = "out",
    template: str | Path | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
) -> BuildResult:
    """Check one data file and write its documents into ``outdir``; XxgkError on any error."""
    source = Path(path)
    report, notes = load_source(source)
    findings = notes + [f.with_file(str(source)) for f in check(report)]
    if any(f.is_error for f in findings):
        raise XxgkError(findings)
    report, cleaned = clean_report(report)
    findings += [f.with_file(str(source)) for f in cleaned]
    data_sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    documents = render_documents(report, data_sha256, template, formats)
    folder = Path(outdir)
    files = {folder / f"{report.file_stem}.{suffix}": data for suffix, data in documents.items()}
    written = write_outputs(files)
    return BuildResult(source, report, list(files), written, findings)
