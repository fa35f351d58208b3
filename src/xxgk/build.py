"""Build reports' documents: load → check → clean → render → write, nothing partial.

Errors in the data stop that report before anything is rendered; every document of a report is
rendered in memory before any file is written, so a failure leaves the output folder as it was.
Many reports build in a process pool; the manifest is written once, by the parent, at the end.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from xxgk import labels
from xxgk.api import check_source
from xxgk.editlock import refuse_if_edited
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.inputs.source import read_bytes
from xxgk.manifest import ManifestEntry, publish, retire
from xxgk.model import Report
from xxgk.office import end_all_soffice, interrupted_by_sigterm
from xxgk.render.clean import clean_report
from xxgk.safe_text import collision_key, name_safe, shortened
from xxgk.writer import (
    Staged,
    discard,
    remove_temporaries_of,
    stage_outputs,
    sweep_temporaries,
)

if TYPE_CHECKING:  # imported where a batch uses them: one build's start-up does without
    from concurrent.futures import Future, ProcessPoolExecutor

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
    staged: list[Staged] = field(default_factory=list)  # written beside, not yet in place
    retired: list[Path] = field(default_factory=list)  # stale outputs to move to .history/
    pdf_held: bool = False  # out/ holds this report's PDF: the batch's conversion remakes it
    held: list[str] = field(default_factory=list)  # kinds not asked for, made as out/ held them

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


def held_kinds(outdir: Path, stem: str) -> tuple[str, ...]:
    """The output kinds of one report (by its file stem) that ``outdir`` holds now."""
    return tuple(k for k in ALL_FORMATS if (outdir / f"{stem}.{k}").is_file())


def is_empty(report: Report) -> bool:
    """True when the report says nothing: no paragraph anywhere and no number but 0 or blank
    (a report as ``xxgk init`` makes it)."""
    from xxgk.checks.cells import all_cells

    texts = [*report.overview.intro, *report.problems, *report.other_matters,
             *(p for s in report.overview.subsections for p in s.paragraphs)]
    return not any(t.strip() for t in texts) and not any(c.value for c in all_cells(report))


def _empty_refused(source: Path) -> Finding:
    return Finding(
        "build/empty-report",
        Severity.ERROR,
        Location((), str(source)),
        "报告是空的：三张表没有一个非零数字，正文一段也没有。这样的报告不能报送；"
        "填写后再生成，只想看版式时加 --draft（每页标明「草稿」）",
    )


def build_file(
    path: str | Path,
    outdir: str | Path = "out",
    template: str | Path | None = None,
    formats: Sequence[str] = DEFAULT_FORMATS,
    publish_now: bool = True,
    draft: bool = False,
    pdf_later: bool = False,
) -> BuildResult:
    """Check one data source and write its documents into ``outdir`` (recorded in its
    manifest); XxgkError on any error. With ``publish_now`` off the documents are only staged
    (``result.staged``) for the caller to :func:`publish` with others (the caller sweeps the
    folder of killed builds' temporaries first; the publishing syncs them to disk).

    Every kind of this report that ``outdir`` already holds is written too, so that out/ never
    holds two versions of one report; a PDF that cannot be made here (LibreOffice missing) is
    moved to ``.history/`` instead (``result.retired``). ``pdf_later``: the caller converts the
    PDFs of a batch itself. ``draft`` marks every page 草稿 and lets an empty report build.
    """
    source = Path(path)
    refuse_if_edited(source)
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
    if not draft and is_empty(report):
        findings.append(_empty_refused(source))
    if any(f.is_error for f in findings):
        raise XxgkError(findings)
    report, cleaned = clean_report(report)
    findings += [f.with_file(str(source)) for f in cleaned]
    folder = Path(outdir)
    stem, note = output_stem(report)
    if note is not None:
        findings.append(note.with_file(str(source)))
    asked = tuple(formats)
    formats, retired, said = _with_held(folder, stem, asked, pdf_later)
    findings += [f.with_file(str(source)) for f in said]
    data_sha256 = hashlib.sha256(data).hexdigest()
    documents = render_documents(report, data_sha256, template, formats)
    documents = _with_breakdown(source, report, documents, data_sha256)
    if draft:
        documents = _marked(documents)
    if "pdf" in formats:
        documents["pdf"] = _pdf_bytes(report, documents["docx"], source)
    wanted = {suffix: data for suffix, data in documents.items() if suffix in formats}
    files = {folder / f"{stem}.{suffix}": data for suffix, data in wanted.items()}
    template_sha256 = _template_sha256(template)
    entries = [
        ManifestEntry.of(target, data, source, data_sha256, template_sha256)
        for target, data in files.items()
    ]
    result = BuildResult(source, report, list(files), [], findings, entries)
    result.retired = retired
    holds = held_kinds(folder, stem)  # one look at the folder, not one for each kind
    result.held = [k for k in formats if k in holds and k not in asked]
    result.pdf_held = "pdf" in holds and "pdf" not in formats and pdf_later
    # In a batch (not published now) the batch has swept the folder, and syncs all it staged
    # at once before publishing (writer.sync_staged).
    batch = not publish_now
    result.staged = stage_outputs(files, sync_later=batch, swept=batch)
    result.written = [s.target for s in result.staged if s.temporary is not None]
    if publish_now:
        note_other_source(result, built_from(folder))
        publish(folder, list(zip(result.staged, entries, strict=True)), moved=result.history)
        result.staged = []
        retire(folder, result.retired, moved=result.history)
    return result


def _with_held(
    folder: Path, stem: str, formats: tuple[str, ...], pdf_later: bool
) -> tuple[tuple[str, ...], list[Path], list[Finding]]:
    """The kinds to write (those asked and those out/ holds), the outputs to move to .history/
    (a PDF LibreOffice cannot remake here) and what to say about them."""
    held = [k for k in held_kinds(folder, stem) if k not in formats]
    said: list[Finding] = []
    retired: list[Path] = []
    if "pdf" in held:
        held.remove("pdf")
        if not pdf_later:
            from xxgk.render.pdf.convert import pdf_available

            if pdf_available():
                held.append("pdf")
            else:
                retired.append(folder / f"{stem}.pdf")
                said.append(Finding(
                    "build/stale-moved", Severity.WARNING, Location(()),
                    f"输出文件夹中原有的 {stem}.pdf 是旧版本，本机没有 LibreOffice 无法重新生成，"
                    f"已移入 {folder / '.history'}，以免与新的 Word 文件不一致",
                ))
    ordered = tuple(k for k in ALL_FORMATS if k in formats or k in held)
    return ordered, retired, said


def built_from(outdir: Path) -> dict[str, set[str]]:
    """The sources out/'s manifest names for each report (by output stem), read once a build."""
    from xxgk.manifest import read_manifest

    try:
        entries = read_manifest(outdir)
    except XxgkError:
        return {}  # the build's own publishing reports the damaged manifest
    sources: dict[str, set[str]] = {}
    for name, entry in entries.items():
        sources.setdefault(name.rsplit(".", 1)[0], set()).add(entry.source)
    return sources


def note_other_source(result: BuildResult, sources: dict[str, set[str]]) -> None:
    """A warning when this report's outputs were last built from another file: one report,
    two masters (a data file and a workbook, say) — the clerk should keep one."""
    if not result.outputs:
        return
    others = sorted(sources.get(result.outputs[0].stem, set()) - {result.source.name})
    if not others:
        return
    result.findings.append(Finding(
        "build/other-source", Severity.WARNING, Location((), str(result.source)),
        f"这份报告上次由「{'」「'.join(others)}」生成，这次由「{result.source.name}」生成：同一机关"
        "同一年度只应有一个母本，另一份的修改会被这次生成覆盖；请只保留一个并在它上面修改",
    ))


def _marked(documents: dict[str, bytes]) -> dict[str, bytes]:
    from xxgk.render.draft import mark_docx, mark_html, mark_xlsx

    marks = {"docx": mark_docx, "xlsx": mark_xlsx, "html": mark_html}
    return {k: marks[k](v) if k in marks else v for k, v in documents.items()}


def output_stem(report: Report) -> tuple[str, Finding | None]:
    """The outputs' file name without suffix, made safe to show; shortened with a hash (and a
    warning saying so) when too long for the file system."""
    stem = name_safe(report.file_stem)
    short = shortened(stem, ".xlsx").removesuffix(".xlsx")
    if short == stem:
        return stem, None
    return short, Finding(
        "build/long-name",
        Severity.WARNING,
        Location((labels.KEY_ORGAN,)),
        f"机关名称过长，文件名超过文件系统的长度限制，已缩短为「{short}」"
        "（末尾是完整名称的哈希值，不同机关不会重名）",
    )


def _with_breakdown(
    source: Path, report: Report, documents: dict[str, bytes], data_sha256: str
) -> dict[str, bytes]:
    """The documents of a 汇总 with its 明细表 (when ``xxgk sum`` wrote one beside the data)."""
    from xxgk.breakdown import breakdown_path, check_breakdown, parse_breakdown

    companion = breakdown_path(source)
    if not companion.is_file():
        return documents
    from xxgk.inputs.source import read_text
    from xxgk.render.breakdown import (
        add_breakdown_docx,
        add_breakdown_html,
        render_breakdown_xlsx,
    )

    breakdown = parse_breakdown(read_text(companion)[0], str(companion))
    mismatched = check_breakdown(breakdown, report, str(companion))
    if mismatched:
        raise XxgkError(mismatched)
    added = {"docx": add_breakdown_docx, "html": add_breakdown_html}
    out = {k: added[k](v, breakdown) if k in added else v for k, v in documents.items()}
    if "xlsx" in out:  # rendered again in one pass, the 明细表 sheet included
        out["xlsx"] = render_breakdown_xlsx(report, breakdown, data_sha256=data_sha256)
    return out


def _pdf_bytes(report: Report, docx: bytes, source: Path) -> bytes:
    from xxgk.render.pdf.convert import convert_to_pdf
    from xxgk.render.zipfix import document_time

    with tempfile.TemporaryDirectory(prefix="xxgk-pdf-") as tmp:
        docx_path = Path(tmp) / f"{report.file_stem}.docx"
        docx_path.write_bytes(docx)
        # LibreOffice stamps the clock and a random id: dated from the data, the bytes repeat.
        created = document_time(report.header.date, report.year)
        try:
            return convert_to_pdf(docx_path, Path(tmp), created=created).read_bytes()
        except XxgkError as exc:  # named after the throw-away .docx: say which input it was
            raise XxgkError([f.with_file(str(source)) for f in exc.findings]) from None


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
    path: Path,
    outdir: Path,
    template: Path | None,
    formats: tuple[str, ...],
    draft: bool = False,
    pdf_later: bool = False,
) -> BuildResult:
    # Runs in a worker process: an XxgkError does not survive pickling, so return its findings.
    try:
        return build_file(path, outdir, template, formats, False, draft, pdf_later)
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
    draft: bool = False,
) -> list[BuildResult]:
    """Build every input (in ``jobs`` processes); a failing input never stops the others.

    Every document is rendered and staged beside its target first; then, when no two inputs
    would write one file, all are put in place and recorded in ``out/manifest.json`` at once.
    The results come back in input order. XxgkError (nothing written) on a collision.
    """
    fmt = tuple(formats)
    # Many PDFs come from one LibreOffice start after the documents (one start each is 4× slower).
    batch_pdf = len(paths) > 1 and ("pdf" in fmt or _can_convert())
    wants_pdf = "pdf" in fmt
    if batch_pdf:
        fmt = tuple(f for f in fmt if f != "pdf")
    results: list[BuildResult] = []
    later = (draft, batch_pdf)
    sources = built_from(outdir)
    sweep_temporaries(outdir)  # killed builds' leftovers: once here, not once for each output

    def arrived(result: BuildResult) -> None:
        note_other_source(result, sources)
        if on_result:
            on_result(result)

    try:
        if jobs > 1 and len(paths) > 1:
            _warm_up(template, fmt)
            results = _in_pool(
                paths, outdir, template, fmt, min(jobs, len(paths)), arrived, later
            )
        else:
            for p in paths:
                results.append(_build_safely(p, outdir, template, fmt, *later))
                arrived(results[-1])
        # The template is an input too, and a batch's PDFs (made after) are outputs already.
        inputs = [*paths, *([template] if template is not None else [])]
        refuse_collisions(results, inputs, pdfs_later=batch_pdf)
    except BaseException:
        discard([s for r in results for s in r.staged])
        raise
    outputs = [(s, e) for r in results for s, e in zip(r.staged, r.entries, strict=True)]
    for r in results:
        r.staged = []
    moved: list[Path] = []
    publish(outdir, outputs, moved=moved)
    retire(outdir, [p for r in results for p in r.retired], moved=moved)
    for r in results:
        r.history += [m for m in moved if _kept_of(m, r) or m in r.retired]
    if batch_pdf:
        add_pdfs([r for r in results if r.ok and (wants_pdf or r.pdf_held)], outdir, jobs)
    return results


def _can_convert() -> bool:
    from xxgk.render.pdf.convert import pdf_available

    return pdf_available()


def _in_pool(
    paths: Sequence[Path],
    outdir: Path,
    template: Path | None,
    fmt: tuple[str, ...],
    workers: int,
    on_result: Callable[[BuildResult], None] | None,
    later: tuple[bool, bool] = (False, False),
) -> list[BuildResult]:
    results: list[BuildResult] = []
    pool = worker_pool(workers)
    futures: list[Future[BuildResult]] = []
    try:
        # Submitting forks the workers. Ctrl-C is held back meanwhile: delivered inside
        # Python's at-fork hooks it would be swallowed ("Exception ignored") and the build
        # would run on; held, it arrives just after, where it stops the build.
        with _sigint_held():
            futures.extend(
                pool.submit(_build_safely, p, outdir, template, fmt, *later) for p in paths
            )
        for future in futures:
            results.append(future.result())
            if on_result:
                on_result(results[-1])
    except BaseException:
        # Ctrl-C (or any failure): the workers are ended at once (a graceful shutdown can hang
        # when the interrupt lands inside the pool's own bookkeeping), and nothing any of them
        # staged is left behind.
        workers_ended = _end_workers(pool)
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                discard(future.result().staged)
        remove_temporaries_of(outdir, workers_ended)
        raise
    pool.shutdown()
    return results


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):  # Windows: spawned workers, no at-fork hooks
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _end_workers(pool: ProcessPoolExecutor) -> list[int]:
    """Kill the pool's workers and let it go; their process ids. (Python 3.14 has
    ``terminate_workers``; before it the processes are only reachable as ``_processes``.)"""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            process.join(5)
    pool.shutdown(wait=False, cancel_futures=True)
    return [process.pid for process in processes if process.pid is not None]


def refuse_collisions(
    results: Sequence[BuildResult], inputs: Sequence[Path] = (), pdfs_later: bool = False
) -> None:
    """XxgkError naming both inputs when two would write one file (one organ and year, or names
    equal once case and Unicode forms are folded), or an output would replace an input.
    ``pdfs_later``: each report's PDF (made after the batch) counts among its outputs."""
    inputs_by_key = {collision_key(str(p.resolve())): p for p in inputs}
    inputs_by_file = {}  # the same file under another name (a hard link) is the same input
    for p in inputs:
        with contextlib.suppress(OSError):
            info = p.stat()
            inputs_by_file[(info.st_dev, info.st_ino)] = p
    owners: dict[str, int] = {}
    findings: list[Finding] = []
    for n, result in enumerate(results):
        later = [p.with_suffix(".pdf") for p in result.outputs if p.suffix == ".docx"]
        for target in [*result.outputs, *(later if pdfs_later and result.ok else [])]:
            key = collision_key(str(target.resolve()))
            try:
                info = target.stat()
                same_file = inputs_by_file.get((info.st_dev, info.st_ino))
            except OSError:
                same_file = None
            if key in inputs_by_key or same_file is not None:
                source = inputs_by_key.get(key) or same_file
                message = f"输出文件「{target.name}」就是输入文件 {source}，生成会覆盖它"
            elif owners.setdefault(key, n) != n:
                other = results[owners[key]].source
                message = (
                    f"与 {other} 生成同一个文件「{target.name}」（同一机关、同一年度，"
                    "或名称仅大小写、全角半角不同），后生成的会覆盖先生成的"
                    if other != result.source
                    else f"这个输入给出了不止一次，会两次生成「{target.name}」"
                )
            else:
                continue
            findings.append(
                Finding(
                    "build/same-output",
                    Severity.ERROR,
                    Location((), str(result.source)),
                    f"{message}；未写入任何文件。请删去重复的输入或改正其机关名称、年度",
                )
            )
            break
    if findings:
        raise XxgkError(findings)


def add_pdfs(results: list[BuildResult], outdir: Path, jobs: int = 1) -> None:
    """Convert the built .docx of these results to PDF in one LibreOffice run per job (each with
    its own profile, on its own share of the reports), and write them.

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
    outputs: list[tuple[Staged, ManifestEntry]] = []
    try:
        try:
            outcomes = _converted([d for _, d in unique], jobs, convert_each)
        except XxgkError as exc:  # LibreOffice missing or timed out: every report is concerned
            outcomes = [exc] * len(unique)
        for (result, docx), outcome in zip(unique, outcomes, strict=True):
            if isinstance(outcome, XxgkError):
                result.findings += [
                    f if f.location.file else f.with_file(str(result.source))
                    for f in outcome.findings
                ]
                continue
            outputs.append(_staged_pdf(result, docx, outcome))
    except BaseException:
        discard([s for s, _ in outputs])
        raise
    moved: list[Path] = []
    publish(outdir, outputs, moved=moved)
    for result, _ in unique:
        result.history += [m for m in moved if _kept_of(m, result)]


def _converted(
    docx: list[Path],
    jobs: int,
    convert_each: Callable[[list[Path]], list[bytes | XxgkError]],
) -> list[bytes | XxgkError]:
    """Every .docx's PDF or error, in order: LibreOffice converts one file at a time, so with
    ``jobs`` > 1 the files are cut into that many consecutive shares, each converted by its own
    LibreOffice (started from a thread: the work is in the child process)."""
    shares = min(max(jobs, 1), len(docx))
    if shares <= 1:
        return list(convert_each(docx))
    size = -(-len(docx) // shares)
    chunks = [docx[i : i + size] for i in range(0, len(docx), size)]
    from concurrent.futures import ThreadPoolExecutor

    outcomes: list[bytes | XxgkError] = []
    with ThreadPoolExecutor(len(chunks)) as pool, interrupted_by_sigterm():
        futures = [pool.submit(convert_each, chunk) for chunk in chunks]
        try:
            for future, chunk in zip(futures, chunks, strict=True):
                try:
                    outcomes += future.result()
                except XxgkError as exc:  # that LibreOffice missing or timed out: its share only
                    outcomes += [exc] * len(chunk)
        except BaseException:
            # Ctrl-C or SIGTERM: the threads' LibreOffices end now, their profiles are removed
            # as the threads return, and the pool is left only then.
            end_all_soffice()
            raise
    return outcomes


def _kept_of(kept: Path, result: BuildResult) -> bool:
    """True when ``kept`` (in .history/) is an earlier version of one of the result's outputs
    (kept as ``{stem}.{stamp}[-n]{suffix}``)."""
    return any(
        kept.suffix == p.suffix and kept.name.startswith(f"{p.stem}.") for p in result.outputs
    )


def _staged_pdf(
    result: BuildResult, docx: Path, pdf: bytes
) -> tuple[Staged, ManifestEntry]:
    from xxgk.render.pdf.convert import stabilize
    from xxgk.render.zipfix import document_time

    assert result.report is not None
    data = stabilize(pdf, document_time(result.report.header.date, result.report.year))
    target = docx.with_suffix(".pdf")
    staged = stage_outputs({target: data})[0]
    result.written += [target] if staged.temporary is not None else []
    result.outputs.append(target)
    docx_entry = next(e for e in result.entries if e.file == docx.name)
    entry = ManifestEntry.of(
        target, data, result.source, docx_entry.source_sha256, docx_entry.template_sha256
    )
    result.entries.append(entry)
    return staged, entry


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def capped_jobs(requested: int | None) -> tuple[int, str | None]:
    """The number of worker processes to use (at most one per CPU) and, when the request was
    more, the warning that says so: more processes than CPUs only add memory and switching."""
    cpus = default_jobs()
    if requested is None or requested <= cpus:
        return requested or cpus, None
    return cpus, f"--jobs {requested} 超过本机可用的 CPU 数 {cpus}，已按 {cpus} 个进程运行"


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers end when this process ends, even by kill -9."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),)
    )


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """In a worker: end when the parent does. Linux delivers SIGKILL at the parent's death
    (prctl PR_SET_PDEATHSIG); elsewhere a thread notices the parent is gone within a second."""
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    # Ctrl-C reaches the whole process group: the parent alone decides (it drops the queue
    # and cleans up); a worker interrupted mid-report would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)
