"""Build reports' documents: load → check → clean → render → write, nothing partial.

Errors in the data stop that report before anything is rendered; every document of a report is
rendered in memory before any file is written, so a failure leaves the output folder as it was.
Many reports build in a process pool; the manifest is written once, by the parent, at the end.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from xxgk import labels
from xxgk.api import check_source
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.inputs.source import read_bytes
from xxgk.manifest import ManifestEntry, update_manifest
from xxgk.model import Report
from xxgk.render.clean import clean_report
from xxgk.writer import write_outputs

DEFAULT_FORMATS = ("docx", "xlsx")
ALL_FORMATS = ("docx", "xlsx", "html", "pdf")


@dataclass
class BuildResult:
    """One input's build: what it wrote (or left alone, identical) and what it said."""

    source: Path
    report: Report | None = None
    outputs: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    entries: list[ManifestEntry] = field(default_factory=list)
    history: list[Path] = field(default_factory=list)  # earlier versions moved to .history/

    @property
    def ok(self) -> bool:
        """True when the documents were built."""
        return self.report is not None and not any(f.is_error for f in self.findings)


def render_documents(
    report: Report,
    data_sha256: str,
    template: str | Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> dict[str, bytes]:
    """The bytes of each requested document that renders in memory (docx, xlsx, html)."""
    documents: dict[str, bytes] = {}
    if "docx" in formats or "pdf" in formats:
        from xxgk.render.docx import render_docx

        documents["docx"] = render_docx(report, template)
    if "xlsx" in formats:
        from xxgk.render.xlsx import render_xlsx

        documents["xlsx"] = render_xlsx(report, data_sha256=data_sha256)
    if "html" in formats:
        from xxgk.render.html import render_html

        documents["html"] = render_html(report)
    return documents


def build_file(
    path: str | Path,
    outdir: str | Path = "out",
    template: str | Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> BuildResult:
    """Check one data source and write its documents into ``outdir``; XxgkError on any error."""
    source = Path(path)
    # The same findings, words and lines as `xxgk check`.
    data = read_bytes(source)
    report, findings = check_source(source, data=data)
    if report.format_version != labels.FORMAT_2021:
        findings.append(
            Finding(
                "build/old-format",
                Severity.ERROR,
                Location((labels.KEY_FORMAT,), str(source)),
                f"只能按 2021 格式（{labels.FORMAT_DOCUMENTS[labels.FORMAT_2021]}）生成报告；"
                f"这是 {report.format_version} 格式的数据，"
                "可用 xxgk init --from 转为新一年度的草稿",
            )
        )
    if any(f.is_error for f in findings):
        raise XxgkError(findings)
    report, cleaned = clean_report(report)
    findings += [f.with_file(str(source)) for f in cleaned]
    data_sha256 = hashlib.sha256(data).hexdigest()
    documents = render_documents(report, data_sha256, template, formats)
    if "pdf" in formats:
        documents["pdf"] = _pdf_bytes(report, documents["docx"])
    wanted = {suffix: data for suffix, data in documents.items() if suffix in formats}
    folder = Path(outdir)
    files = {folder / f"{report.file_stem}.{suffix}": data for suffix, data in wanted.items()}
    history: list[Path] = []
    written = write_outputs(files, moved=history)
    template_sha256 = _template_sha256(template)
    entries = [
        ManifestEntry.of(target, data, source, data_sha256, template_sha256)
        for target, data in files.items()
    ]
    return BuildResult(source, report, list(files), written, findings, entries, history)


def _pdf_bytes(report: Report, docx: bytes) -> bytes:
    from xxgk.render.pdf.convert import convert_to_pdf
    from xxgk.render.zipfix import document_time

    with tempfile.TemporaryDirectory(prefix="xxgk-pdf-") as tmp:
        docx_path = Path(tmp) / f"{report.file_stem}.docx"
        docx_path.write_bytes(docx)
        # LibreOffice stamps the clock and a random id: dated from the data, the bytes repeat.
        created = document_time(report.header.date, report.year)
        return convert_to_pdf(docx_path, Path(tmp), created=created).read_bytes()


def _template_sha256(template: str | Path | None) -> str:
    if template is not None:
        path = Path(template)
        return _file_sha256(path.resolve(), path.stat().st_mtime_ns)
    return _default_template_sha256()


@cache  # one read per template version, not one per report
def _file_sha256(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _default_template_sha256() -> str:
    from importlib.resources import files

    return hashlib.sha256(files("xxgk").joinpath("data/report-2021.docx").read_bytes()).hexdigest()


def _build_safely(
    path: Path, outdir: Path, template: Path | None, formats: tuple[str, ...]
) -> BuildResult:
    # Runs in a worker process: an XxgkError does not survive pickling, so return its findings.
    try:
        return build_file(path, outdir, template, formats)
    except XxgkError as exc:
        findings = [f if f.location.file else f.with_file(str(path)) for f in exc.findings]
        return BuildResult(path, findings=findings)


def _warm_up(template: Path | None, formats: tuple[str, ...]) -> None:
    """Load the renderers and compile the template before the pool starts: forked workers
    inherit them instead of each paying for it (where processes are spawned, nothing is lost)."""
    if "docx" in formats:
        from xxgk.render.docx import load_template

        try:
            load_template(template)
        except XxgkError:
            return  # every input will report the broken template itself
    if "xlsx" in formats:
        import xxgk.render.xlsx  # noqa: F401


def build_many(
    paths: Sequence[Path],
    outdir: Path,
    template: Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    jobs: int = 1,
    on_result: Callable[[BuildResult], None] | None = None,
) -> list[BuildResult]:
    """Build every input (in ``jobs`` processes); a failing input never stops the others.

    The results come back in input order; ``out/manifest.json`` is updated once at the end.
    """
    fmt = tuple(formats)
    # Many PDFs come from one LibreOffice start after the documents (one start each is 4× slower).
    batch_pdf = "pdf" in fmt and len(paths) > 1
    if batch_pdf:
        fmt = tuple(f for f in fmt if f != "pdf")
    results: list[BuildResult] = []
    if jobs > 1 and len(paths) > 1:
        _warm_up(template, fmt)
        with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
            futures = [pool.submit(_build_safely, p, outdir, template, fmt) for p in paths]
            for future in futures:
                results.append(future.result())
                if on_result:
                    on_result(results[-1])
    else:
        for p in paths:
            results.append(_build_safely(p, outdir, template, fmt))
            if on_result:
                on_result(results[-1])
    if batch_pdf:
        add_pdfs([r for r in results if r.ok], outdir)
    entries = [e for r in results for e in r.entries]
    if entries:
        update_manifest(outdir, entries)
    return results


def add_pdfs(results: list[BuildResult], outdir: Path) -> None:
    """Convert the built .docx of these results to PDF in one LibreOffice run, and write them.

    Each PDF is the bytes that report gets built alone. A failure concerns only its own report:
    reports whose .docx overwrote each other (same organ and year) get an error and no PDF, a
    file LibreOffice cannot convert gets an error, and every other report still gets its PDF.
    """
    from xxgk.render.pdf.convert import convert_each

    built = [(r, next(p for p in r.outputs if p.suffix == ".docx")) for r in results]
    by_docx: dict[Path, list[BuildResult]] = {}
    for result, docx in built:
        by_docx.setdefault(docx, []).append(result)
    unique = [(r, docx) for r, docx in built if len(by_docx[docx]) == 1]
    for docx, same in by_docx.items():
        if len(same) > 1:
            for result in same:
                others = "、".join(str(o.source) for o in same if o is not result)
                result.findings.append(Finding(
                    "output/pdf-same-name", Severity.ERROR, Location((), str(result.source)),
                    f"与 {others} 生成同一个文件 {docx.name}（机关名称和年度相同），"
                    "未生成 PDF；请删除重复的数据文件后重新生成",
                ))
    if not unique:
        return
    try:
        outcomes = convert_each([docx for _, docx in unique])
    except XxgkError as exc:  # LibreOffice missing or timed out: every report is concerned
        outcomes = [exc] * len(unique)
    for (result, docx), outcome in zip(unique, outcomes, strict=True):
        if isinstance(outcome, XxgkError):
            result.findings += [f.with_file(str(result.source)) for f in outcome.findings]
            continue
        _add_pdf(result, docx, outcome)


def _add_pdf(result: BuildResult, docx: Path, pdf: bytes) -> None:
    from xxgk.render.pdf.convert import stabilize
    from xxgk.render.zipfix import document_time

    assert result.report is not None
    data = stabilize(pdf, document_time(result.report.header.date, result.report.year))
    target = docx.with_suffix(".pdf")
    result.written += write_outputs({target: data}, moved=result.history)
    result.outputs.append(target)
    docx_entry = next(e for e in result.entries if e.file == docx.name)
    result.entries.append(
        ManifestEntry.of(
            target, data, result.source, docx_entry.source_sha256, docx_entry.template_sha256
        )
    )


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
