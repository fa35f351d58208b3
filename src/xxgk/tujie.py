"""`xxgk tujie`: the 图解 of a report (PNG and PDF) written beside its other outputs.

The report is checked as `build` checks it (with last year's report when given, for the
carry-over and for the changes the 图解 shows): a report with errors gets no 图解, since the
picture is published beside the report and must not show numbers the report cannot stand by.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xxgk.api import check_source, load_source
from xxgk.errors import Finding, XxgkError
from xxgk.render.clean import clean_report
from xxgk.writer import refuse_overwriting, write_outputs

SUFFIX = "图解"


@dataclass(frozen=True)
class TujieResult:
    written: list[Path]
    outputs: list[Path]
    findings: list[Finding]


def tujie_file(source: Path, outdir: Path, previous: Path | None = None) -> TujieResult:
    """Check ``source`` and write ``{报告名}图解.png`` and ``.pdf`` into ``outdir``."""
    from xxgk.render.tujie import render_tujie

    report, findings = check_source(source, previous)
    if any(f.is_error for f in findings):
        raise XxgkError(findings)
    last = load_source(previous)[0] if previous is not None else None
    report, cleaned = clean_report(report)
    drawn = render_tujie(report, clean_report(last)[0] if last is not None else None)
    stem = f"{report.file_stem}{SUFFIX}"
    files = {Path(outdir) / f"{stem}.png": drawn.png, Path(outdir) / f"{stem}.pdf": drawn.pdf}
    for target in files:
        refuse_overwriting(target, [p for p in (source, previous) if p is not None])
    Path(outdir).mkdir(parents=True, exist_ok=True)
    written = write_outputs(files)
    return TujieResult(written, list(files), findings + [f.with_file(str(source)) for f in cleaned])
