"""A .docx → PDF through LibreOffice headless, with a throw-away profile for every call."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.office import (
    DEBIAN_PACKAGES,
    find_soffice,
    missing_message,
    remove_orphans,
    run_soffice,
    throwaway_folder,
)
from xxgk.render.pdf.fonts import canonical_font_ids
from xxgk.render.pdf.pdfa import fixed_output_intent
from xxgk.render.pdf.prepare import for_libreoffice
from xxgk.render.pdf.verify import missing_characters

DEFAULT_TIMEOUT = 180  # seconds; a cold LibreOffice start with CJK fonts takes 5–20 s
PACKAGES = DEBIAN_PACKAGES
EXTRA_SECONDS_PER_FILE = 30  # added to the timeout for every further file of one call

# What LibreOffice 7.x writes that changes from run to run (it ignores SOURCE_DATE_EPOCH): the
# creation time, the file /ID and its private /DocChecksum. Each is rewritten in place with a
# value of the same length, so the cross-reference offsets stay valid.
_CREATION_DATE = re.compile(rb"/CreationDate\s*\(D:(\d{14})")
_FILE_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_DOC_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-Fa-f]+)")
# PDF/A keeps the creation time in the XMP metadata as well (uncompressed, and it must agree
# with the document information): <xmp:CreateDate>2026-12-04T18:42:40Z</xmp:CreateDate>.
_XMP_DATE = re.compile(
    rb"<xmp:(?:Create|Modify|Metadata)Date>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)Z<"
)

# Every PDF is PDF/A-2b (ISO 19005-2, level B): all fonts embedded, an sRGB output intent, the
# XMP identification (pdfaid:part 2, conformance B) — the archive copy DA/T 47 expects, and as
# good a public copy. LibreOffice's export filter option SelectPdfVersion=2 does it.
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def _program() -> str | None:
    return find_soffice()  # XXGK_SOFFICE / --soffice, PATH, then the usual install folders


def pdf_available() -> bool:
    """True when LibreOffice (soffice or libreoffice) is on PATH."""
    return _program() is not None


def require_pdf() -> None:
    """Raise the no-LibreOffice error (naming the packages to install) unless PDF is possible."""
    if not pdf_available():
        raise _missing()


def _missing() -> XxgkError:
    return XxgkError.single("output/no-libreoffice", missing_message())


def _fill_groups(pattern: re.Pattern[bytes], data: bytes, value: bytes) -> bytes:
    """Every match's groups overwritten with ``value`` repeated to the group's own length."""

    def fill(match: re.Match[bytes]) -> bytes:
        whole, start = match.group(0), match.start()
        for group in reversed(range(1, (match.lastindex or 0) + 1)):
            a, b = match.start(group) - start, match.end(group) - start
            whole = whole[:a] + (value * (b - a))[: b - a] + whole[b:]
        return whole

    return pattern.sub(fill, data)


def stabilize(pdf: bytes, created: dt.datetime) -> bytes:
    """The PDF with its creation time set and its /ID derived from its content, so that the
    same document converted on any day gives the same bytes (a naive time is taken as UTC)."""
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.timezone.utc)
    utc = created.astimezone(dt.timezone.utc)
    pdf = _fill_groups(_CREATION_DATE, pdf, utc.strftime("%Y%m%d%H%M%S").encode())
    pdf = _XMP_DATE.sub(
        lambda m: m.group(0).replace(m.group(1), utc.strftime("%Y-%m-%dT%H:%M:%S").encode()), pdf
    )
    blanked = _fill_groups(_DOC_CHECKSUM, _fill_groups(_FILE_ID, pdf, b"0"), b"0")
    digest = hashlib.md5(blanked, usedforsecurity=False).hexdigest().upper().encode()
    return _fill_groups(_DOC_CHECKSUM, _fill_groups(_FILE_ID, blanked, digest), digest)


def convert_to_pdf(
    docx_path: Path,
    outdir: Path,
    timeout: float = DEFAULT_TIMEOUT,
    created: dt.datetime | None = None,
) -> Path:
    """The PDF of a .docx, written to ``outdir/<stem>.pdf`` (replacing one already there);
    with ``created`` its bytes are reproducible (see :func:`stabilize`)."""
    return convert_many([docx_path], outdir, timeout, created)[0]


def pdf_of(docx: bytes, created: dt.datetime, name: str = "document") -> bytes:
    """The PDF of a .docx held in memory (the 更正说明), laid out as the report's PDF is and
    refused when a character would be lost; reproducible for the same ``created``."""
    with throwaway_folder("xxgk-one-pdf-") as folder:
        source = folder / "document.docx"
        source.write_bytes(docx)
        outcome = convert_each([source])[0]
    if isinstance(outcome, XxgkError):
        raise XxgkError([f.with_file(name) for f in outcome.findings]) from None
    return stabilize(outcome, created)


def _sources(docx_paths: list[Path]) -> list[Path]:
    paths = [Path(p) for p in docx_paths]
    for path in paths:
        if not path.is_file():
            raise XxgkError.single("output/pdf-source-missing", "找不到要转换的 Word 文件",
                                   str(path))
    stems: dict[str, Path] = {}
    for path in paths:
        if path.stem in stems:
            raise XxgkError.single(
                "output/pdf-same-name",
                f"与 {stems[path.stem]} 同名，转换后的 PDF 会互相覆盖",
                str(path),
            )
        stems[path.stem] = path
    return paths


def convert_many(
    docx_paths: list[Path],
    outdir: Path,
    timeout: float = DEFAULT_TIMEOUT,
    created: dt.datetime | None = None,
) -> list[Path]:
    """The PDFs of several .docx files from one LibreOffice start (about 4× faster than one
    start per file), as ``outdir/<stem>.pdf`` in the order given; nothing is moved into
    ``outdir`` unless every file converted."""
    require_pdf()
    sources = _sources(docx_paths)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    converted = convert_each(sources, timeout)
    for outcome in converted:
        if isinstance(outcome, XxgkError):
            raise outcome
    targets = [outdir / f"{s.stem}.pdf" for s in sources]
    # Written beside their targets first, so that each moves into place atomically.
    remove_orphans(".xxgk-pdf-", outdir)  # what a killed run left here
    work = Path(tempfile.mkdtemp(prefix=f".xxgk-pdf-{os.getpid()}-", dir=outdir))
    try:
        for number, (data, target) in enumerate(zip(converted, targets, strict=True)):
            assert isinstance(data, bytes)
            staged = work / f"{number:04d}.pdf"
            staged.write_bytes(data if created is None else stabilize(data, created))
            os.replace(staged, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return targets


def convert_each(
    docx_paths: list[Path], timeout: float = DEFAULT_TIMEOUT
) -> list[bytes | XxgkError]:
    """Each .docx's PDF bytes, or the error that concerns that file alone, from one LibreOffice
    start; a file LibreOffice could not convert costs the others nothing."""
    program = _program()
    if program is None:
        raise _missing()
    sources = [Path(p) for p in docx_paths]
    if not sources:
        return []  # nothing to start LibreOffice for
    with (
        throwaway_folder("xxgk-lo-profile-") as profile_dir,
        throwaway_folder("xxgk-pdf-") as work,
    ):
        work_dir = Path(work)
        # ASCII names, so the conversion does not depend on the locale.
        copies = [work_dir / f"report-{i:04d}.docx" for i in range(len(sources))]
        originals = [source.read_bytes() for source in sources]
        for original, copy in zip(originals, copies, strict=True):
            # LibreOffice gets a copy laid out for it (the filed .docx keeps Word's grid).
            copy.write_bytes(for_libreoffice(original))
        command = [
            program, f"-env:UserInstallation={Path(profile_dir).as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--convert-to", PDFA_FILTER, "--outdir", str(work_dir),
            *map(str, copies),
        ]
        budget = timeout + EXTRA_SECONDS_PER_FILE * (len(sources) - 1)
        result = _run_or_timeout(command, budget, sources[0], work_dir)
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        outcomes: list[bytes | XxgkError] = []
        for source, original, copy in zip(sources, originals, copies, strict=True):
            produced = copy.with_suffix(".pdf")
            if result.returncode != 0 or not produced.is_file():
                outcomes.append(XxgkError.single(
                    "output/pdf-failed",
                    f"LibreOffice 未能生成 PDF（退出码 {result.returncode}）"
                    + (f"：{' '.join(detail)}" if detail else ""),
                    str(source),
                ))
                continue
            pdf = produced.read_bytes()
            # A character LibreOffice lost would change a public document silently: no PDF.
            missing = missing_characters(original, pdf)
            if missing is not None:
                outcomes.append(XxgkError.single("output/pdf-lost-text", missing, str(source)))
                continue
            # The fonts' ids count across one LibreOffice run: fixed, so a batch's PDFs are
            # the bytes each would have alone.
            outcomes.append(fixed_output_intent(canonical_font_ids(pdf)))
    return outcomes


def _run_or_timeout(
    command: list[str], timeout: float, source: Path, scratch: Path
) -> subprocess.CompletedProcess[str]:
    try:
        return run_soffice(command, timeout, scratch)
    except subprocess.TimeoutExpired as exc:
        raise XxgkError.single(
            "output/pdf-timeout",
            f"LibreOffice 转换 PDF 超过 {timeout:g} 秒未完成，已中止",
            str(source),
        ) from exc
