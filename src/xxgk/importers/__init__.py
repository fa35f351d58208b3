"""Importers: published reports (.txt, .html, .docx) and our .xlsx → Report, honestly.

Every importer returns an ``ImportResult``: the report it could read (blank cells stay ``None``,
totals the source printed are kept as stated totals) and a finding for everything it could not
read. ``import_source`` picks the importer by the file's suffix.
"""

from __future__ import annotations

import importlib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.errors import Finding, XxgkError
from xxgk.importers.hints import Hints
from xxgk.importers.outline import Outline
from xxgk.model import Report
from xxgk.zip_limits import check_zip_file

# What a truncated or bit-flipped .docx/.xlsx raises from zipfile, zlib and the XML parsers
# (lxml's XMLSyntaxError and ElementTree's ParseError are SyntaxErrors; zipfile raises
# NotImplementedError for a header whose flipped bits ask for a zip version or method it lacks).
DAMAGED_FILE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, NotImplementedError)

# suffix → module in this package exposing ``read(path: Path) -> ImportResult``
IMPORTERS = {
    ".txt": "txt",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pdf": "pdf",
    ".doc": "oldword",
    ".wps": "oldword",
}


@dataclass
class ImportResult:
    """What an importer read: the report, the source's format (2021/2019) and the findings."""

    report: Report
    source_format: str
    findings: list[Finding] = field(default_factory=list)
    # Where each place of the report stands in the source, when the importer knows (our
    # workbook: the cell, e.g. 「正文!D7」), for the checks' findings.
    cells: dict[tuple[str, ...], str] = field(default_factory=dict)
    # A published report's preamble and headings as printed (None for our workbook).
    outline: Outline | None = None


def import_source(path: str | Path, hints: Hints | None = None) -> ImportResult:
    """Read one published report or workbook into a Report; XxgkError when it cannot be read.

    ``hints``: the organ and year the caller gave (--organ/--year); they win over the source's.
    """
    p = Path(path)
    given = hints or Hints()
    hints = Hints(given.organ, given.year, given.file_name or p.stem)
    kind = IMPORTERS.get(p.suffix.lower())
    if kind is None:
        known = "、".join(sorted(IMPORTERS))
        raise XxgkError.single(
            "import/unknown-type", f"不支持的文件类型「{p.suffix}」，可导入：{known}", str(p)
        )
    if not p.is_file():  # a FIFO or device is refused here, before anything opens it
        if p.exists():
            message = "这不是普通文件（是文件夹、管道或设备），不能导入"
            raise XxgkError.single("input/not-a-file", message, str(p))
        raise XxgkError.single("input/missing-file", "文件不存在", str(p))
    if kind in ("docx", "xlsx"):
        check_zip_file(p)  # zip bombs, encrypted or oddly compressed members: refused first
    module = importlib.import_module(f"xxgk.importers.{kind}")
    try:
        reader = getattr(module, "read_with_hints", None)
        result: ImportResult = reader(p, hints) if reader is not None else module.read(p)
    except DAMAGED_FILE_ERRORS as exc:
        # A damaged zip or XML part can surface late, while a part is read: one message for all.
        raise XxgkError.single(
            "import/damaged-file",
            f"文件已损坏，无法读取（{type(exc).__name__}）；请重新下载或另存后再导入",
            str(p),
        ) from exc
    result.findings = [
        f.with_file(str(p)) if f.location.file is None else f for f in result.findings
    ]
    given_identity = {"organ": hints.organ, "year": hints.year}
    update = {k: v for k, v in given_identity.items() if v is not None}
    if update:  # a workbook names its organ and year itself; the caller's still win
        result.report = result.report.model_copy(update=update)
    return result
