"""The library's front door: load a data source, check it, build its documents.

Each function works without click; the CLI is a thin shell over these.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xxgk.checks import check
from xxgk.checks.outline import check_outline
from xxgk.checks.table3 import OTHER_HANDLING_ONE_ROW
from xxgk.errors import Finding, XxgkError
from xxgk.importers.findings import SINGLE_OTHER_HANDLING
from xxgk.importers.outline import Outline
from xxgk.inputs import load_with_findings
from xxgk.inputs.datafile import LineIndex, load_with_lines
from xxgk.model import Report

# Sources other than a data file are imported first (our .xlsx, published .docx/.txt/.html).
IMPORTED_SUFFIXES = (".xlsx", ".docx", ".txt", ".md", ".html", ".htm", ".pdf", ".doc", ".wps")


def load_source(path: str | Path) -> tuple[Report, list[Finding]]:
    """The report in a data file (.yaml), our workbook or a published report, and its warnings."""
    p = Path(path)
    if p.suffix.lower() in IMPORTED_SUFFIXES:
        from xxgk.importers import import_source

        result = import_source(p)
        return result.report, result.findings
    return load_with_findings(p)


@dataclass(frozen=True)
class Loaded:
    """A loaded source: its report, loading warnings, and where each place stands in it."""

    report: Report
    notes: list[Finding]
    lines: LineIndex  # a data file's line of each place (empty for other sources)
    cells: dict[tuple[str, ...], str] | None = None  # our workbook: the cell of each place
    outline: Outline | None = None  # a published report's preamble and headings as printed


def load_placed(path: str | Path, data: bytes | None = None) -> Loaded:
    """The report in a source, its loading warnings and where each place stands in the file.

    XxgkError when the source cannot be loaded at all.
    """
    if Path(path).suffix.lower() in IMPORTED_SUFFIXES:
        from xxgk.importers import import_source

        result = import_source(path)
        return Loaded(result.report, result.findings, LineIndex(), result.cells, result.outline)
    return Loaded(*load_with_lines(path, data))


def check_loaded(path: str | Path, loaded: Loaded, last: Report | None = None) -> list[Finding]:
    """Every finding about a loaded report (against last year's when given), placed in its file
    (line, or cell of our workbook), in the file's order as the clerk reads it (what concerns
    the whole file first)."""
    # A cell that could not be read is blank in the report: its own message (what to type)
    # says more than the checks' "blank", so the checks say nothing more of that place.
    unreadable = {f.location.parts for f in loaded.notes if f.is_error}
    # An import that read （六）其他处理 as one row has said so (and checked it against （七）):
    # the checks' note of the same fact would be a second line for it.
    one_row_said = any(f.code == SINGLE_OTHER_HANDLING for f in loaded.notes)
    found = [
        loaded.lines.place(f.with_file(str(path)))
        for f in check(loaded.report, last)
        if f.location.parts not in unreadable
        and not (one_row_said and f.code == OTHER_HANDLING_ONE_ROW)
    ]
    if Path(path).suffix.lower() == ".xlsx":
        from xxgk.importers.xlsx import place

        found = [place(f, loaded.cells) for f in found]
    if loaded.outline is not None:  # a published report: its preamble and headings as printed
        found += [f.with_file(str(path)) for f in check_outline(loaded.outline)]
    return sorted(loaded.notes + found, key=lambda f: f.location.line or 0)


def check_source(
    path: str | Path, previous: str | Path | None = None, data: bytes | None = None
) -> tuple[Report, list[Finding]]:
    """The report in a source and every finding about it, each placed at its file and line.

    ``data`` is a data file's bytes when the caller has read them already (one read, so the
    report and the hash of what it was built from cannot disagree). XxgkError when the source
    (or the previous year's) cannot be loaded at all.
    """
    loaded = load_placed(path, data)
    last = load_source(previous)[0] if previous is not None else None
    return loaded.report, check_loaded(path, loaded, last)


def check_file(path: str | Path, previous: str | Path | None = None) -> list[Finding]:
    """Every finding about one data file: loading problems, 勾稽 rules, text, carry-over.

    A file that cannot be loaded gives its loading errors as findings rather than raising,
    so that many files can be checked in one call.
    """
    try:
        return check_source(path, previous)[1]
    except XxgkError as exc:
        return [f if f.location.file else f.with_file(str(path)) for f in exc.findings]
