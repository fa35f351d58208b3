"""The supervisor's batch work: each report paired with its organ's last-year report, checked,
audited as a stream of small records, and one organ's two years compared.

Reports are loaded and checked one at a time; only last year's reports (needed for pairing) and
the audit records stay in memory, so that thousands of reports audit in seconds.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from xxgk.api import IMPORTED_SUFFIXES, check_loaded, load_placed, load_source
from xxgk.audit import AuditRecord, audit_record, unreadable_record
from xxgk.audit.marks import FINGERPRINT, MARK_HEADINGS, Mark
from xxgk.audit.parent import ParentComparison
from xxgk.checks.cells import all_cells
from xxgk.compare import Comparison, compare_reports
from xxgk.errors import Finding, Location, Severity, XxgkError, warning
from xxgk.model import Report
from xxgk.pairing import YearIndex

SOURCE_SUFFIXES = (".yaml", ".yml", *IMPORTED_SUFFIXES)
Previous = tuple[Path, Report]
AUDIT_POOL_MINIMUM = 50  # below this, starting processes costs more than it saves
AUDIT_CHUNK = 25  # inputs handed to a worker at a time


def expand_inputs(paths: Iterable[Path], besides: Iterable[Path | None] = ()) -> list[Path]:
    """The inputs as given, a folder standing for every report inside it (recursively, by kind:
    data files, our workbooks and published reports; hidden folders such as .history not), each
    file once. ``besides``: the command's own files (its output, roster, last review), never
    taken from a folder as a report."""
    found: list[Path] = []
    own = {p.resolve() for p in besides if p is not None}
    seen: set[Path] = set()
    for path in paths:
        inside = [p for p in sources_in(path) if p.resolve() not in own] if path.is_dir() else []
        for item in inside if path.is_dir() else [path]:
            key = item.resolve() if item.exists() else item
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


MAX_FOLDER_DEPTH = 64  # levels below --previous-dir; a real archive has two or three
MAX_FOLDER_ENTRIES = 200_000


def sources_in(folder: Path) -> list[Path]:
    """Every report source under a folder (subfolders included, hidden ones such as .history not),
    in name order. XxgkError when the folder does not exist, or is deeper or larger than any
    archive of reports (walked with a stack of our own: no recursion to exhaust)."""
    if not folder.is_dir():
        raise XxgkError.single("pairing/no-folder", "上年报告文件夹不存在或不是文件夹", str(folder))
    found: list[Path] = []
    stack: list[tuple[Path, int]] = [(folder, 0)]
    seen = 0
    while stack:
        current, depth = stack.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    seen += 1
                    if seen > MAX_FOLDER_ENTRIES:
                        raise _folder_refused(folder, f"文件和文件夹超过 {MAX_FOLDER_ENTRIES} 个")
                    if entry.name.startswith("."):
                        continue
                    path = Path(entry.path)
                    if entry.is_dir(follow_symlinks=False):
                        if depth + 1 > MAX_FOLDER_DEPTH:
                            raise _folder_refused(folder, f"子文件夹超过 {MAX_FOLDER_DEPTH} 层")
                        stack.append((path, depth + 1))
                    elif (path.suffix.lower() in SOURCE_SUFFIXES and entry.is_file()
                          and not _is_audit_workbook(path)):
                        found.append(path)
        except OSError as exc:
            raise _folder_refused(folder, f"无法读取其中的「{current.name}」（{exc.strerror}）") \
                from exc
    return sorted(found)


def _folder_refused(folder: Path, why: str) -> XxgkError:
    return XxgkError.single(
        "pairing/folder-too-deep",
        f"上年报告文件夹{why}，未读取；请给出只放上年报告的文件夹", str(folder))


def _is_audit_workbook(path: Path) -> bool:
    """True for an audit or comparison workbook xxgk wrote (kept beside the reports it audited):
    its core properties name xxgk as the creator and carry no report's organ."""
    if path.suffix.lower() != ".xlsx":
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive, archive.open("docProps/core.xml") as member:
            core = member.read(4096)  # a few hundred bytes; never inflate more
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False  # the importer says what is wrong with it
    return b"<dc:creator>xxgk</dc:creator>" in core


@dataclass
class PreviousReports:
    """Last year's reports by organ and year, and what could not be read."""

    index: YearIndex[Previous]
    unreadable: list[Finding]

    def pair(self, report: Report) -> tuple[Previous | None, Finding | None]:
        """Last year's report of the same organ, or a note why there is none to use."""
        found, near = self.index.find_near(report.organ, report.year - 1)
        note = None
        if near is not None and found:
            last_name = found[0][1].organ
            note = warning(
                "pairing/by-prefix", ("机关名称",),
                f"上年报告的机关名称为「{last_name}」，与本报告的「{report.organ}」只差省、市或县的"
                "前缀，按同一机关配对",
            )
        if len(found) > 1 and _same_numbers([r for _, r in found]):
            # One report in several forms (last year's out/: .docx, .xlsx, .html beside the
            # data file): the most exact source stands for all.
            found = sorted(found, key=lambda item: _PREFERRED.get(item[0].suffix.lower(), 9))[:1]
        if len(found) == 1:
            return found[0], note
        if not found:
            return None, None
        names = "、".join(str(p) for p, _ in found)
        return None, warning(
            "pairing/ambiguous-previous",
            ("机关名称",),
            f"「{report.organ}」{report.year - 1} 年度的上年报告有 {len(found)} 份（{names}），"
            "无法确定用哪一份核对结转；请只保留一份",
        )


def _load_one(path: Path) -> tuple[Path, Report | Finding]:
    try:
        return path, load_source(path)[0]
    except XxgkError as exc:
        reason = exc.findings[0].message if exc.findings else ""
        return path, Finding(
            "pairing/previous-unreadable", Severity.WARNING, Location((), str(path)),
            f"上年报告无法读取，未用于核对：{reason}",
        )


# Which form of one report pairs when several are found: the data file, then our workbook (exact
# numbers), then the published forms.
_PREFERRED = {".yaml": 0, ".yml": 0, ".xlsx": 1, ".docx": 2, ".html": 3, ".htm": 3, ".txt": 4}


def _same_numbers(reports: list[Report]) -> bool:
    first = [c.value for c in all_cells(reports[0])]
    return all([c.value for c in all_cells(r)] == first for r in reports[1:])


def load_previous(paths: Sequence[Path], jobs: int = 1) -> PreviousReports:
    """Last year's reports from any source xxgk reads (in ``jobs`` processes when there are
    many); a file that cannot be read is a warning, never a stop."""
    index: YearIndex[Previous] = YearIndex()
    unreadable = []
    if jobs > 1 and len(paths) >= AUDIT_POOL_MINIMUM:
        with ProcessPoolExecutor(max_workers=min(jobs, len(paths), os.cpu_count() or 1)) as pool:
            loaded = list(pool.map(_load_one, paths, chunksize=AUDIT_CHUNK))
    else:
        loaded = [_load_one(path) for path in paths]
    for path, found in loaded:
        if isinstance(found, Finding):
            unreadable.append(found)
        else:
            index.add(found.organ, found.year, (path, found))
    return PreviousReports(index, unreadable)


@dataclass(frozen=True)
class PairedCheck:
    """One input checked against its organ's last-year report (when there is one)."""

    path: Path
    report: Report | None  # None when the source could not be read
    findings: list[Finding]
    previous: Previous | None

    @property
    def unpaired(self) -> bool:
        """True when a readable report has no last-year report at all (several candidates are
        a pairing/ambiguous-previous warning among the findings instead)."""
        return (self.report is not None and self.previous is None
                and not any(f.code == "pairing/ambiguous-previous" for f in self.findings))


def check_paired(
    path: Path, previous: PreviousReports | None, explicit: Previous | None = None
) -> PairedCheck:
    """The findings of one input; carry-over and copied text against ``explicit`` when given,
    else against the organ's report of the year before found in ``previous``."""
    try:
        loaded = load_placed(path)
    except XxgkError as exc:
        found = [f if f.location.file else f.with_file(str(path)) for f in exc.findings]
        return PairedCheck(path, None, found, None)
    pairing_notes: list[Finding] = []
    last = explicit
    if last is None and previous is not None:
        last, note = previous.pair(loaded.report)
        pairing_notes = [note.with_file(str(path))] if note else []
    findings = check_loaded(path, loaded, last[1] if last else None)
    return PairedCheck(path, loaded.report, pairing_notes + findings, last)


def check_many(
    paths: Iterable[Path], previous: PreviousReports | None, explicit: Previous | None = None
) -> Iterator[PairedCheck]:
    """check_paired for each input, in order, one at a time."""
    for path in paths:
        yield check_paired(path, previous, explicit)


def audit_one(path: Path, previous: PreviousReports | None) -> AuditRecord:
    """The audit record of one input (checked against its organ's last-year report)."""
    checked = check_paired(path, previous)
    if checked.report is None:
        return unreadable_record(str(checked.path), checked.findings,
                                 published=is_published(checked.path))
    last = checked.previous
    return audit_record(
        str(checked.path), checked.report, checked.findings,
        last[1] if last else None, str(last[0]) if last else None,
        published=is_published(checked.path),
    )


def is_published(path: Path) -> bool:
    """True for a published report (imported), whose reading problems are ours, not the organ's;
    a data file or our own workbook is the clerk's and says the clerk's problems."""
    return path.suffix.lower() in IMPORTED_SUFFIXES and path.suffix.lower() != ".xlsx"


_WORKER_PREVIOUS: list[PreviousReports | None] = [None]  # each worker's copy, set once


def _start_worker(previous: PreviousReports | None) -> None:
    _WORKER_PREVIOUS[0] = previous


def _audit_in_worker(path: Path) -> AuditRecord:
    return audit_one(path, _WORKER_PREVIOUS[0])


def audit_many(
    paths: Sequence[Path], previous: PreviousReports | None, jobs: int = 1
) -> Iterator[AuditRecord]:
    """One audit record per input, in input order, as each is ready.

    With ``jobs`` > 1 the inputs are checked in that many processes, last year's reports handed to
    each worker once; either way only the small records come back, never the reports.
    """
    if jobs <= 1 or len(paths) < AUDIT_POOL_MINIMUM:
        for path in paths:
            yield audit_one(path, previous)
        return
    # Forked workers inherit last year's reports from the parent's memory; other start methods
    # (Windows, macOS) receive one pickled copy each.
    _WORKER_PREVIOUS[0] = previous
    workers = min(jobs, len(paths), os.cpu_count() or 1)  # more than the CPUs only adds waiting
    if multiprocessing.get_start_method(allow_none=False) == "fork":
        pool = ProcessPoolExecutor(max_workers=workers)
    else:
        pool = ProcessPoolExecutor(
            max_workers=workers, initializer=_start_worker, initargs=(previous,)
        )
    try:
        with pool:
            yield from pool.map(_audit_in_worker, paths, chunksize=AUDIT_CHUNK)
    finally:
        _WORKER_PREVIOUS[0] = None


def read_roster(path: Path) -> list[str]:
    """The organ names of a roster, in its order: a .txt one name a line, or the first column of
    a .csv or an .xlsx (a first cell reading 机关/名称/单位 is taken for a header). Text in UTF-8,
    GBK or UTF-16 with a BOM (Excel's and WPS's 「Unicode 文本」), columns by tabs or commas."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        names = _roster_xlsx(path)
    elif suffix in (".txt", ".csv"):
        names = _first_column(roster_text(path), comma=suffix == ".csv", path=path)
    else:
        raise XxgkError.single(
            "audit/roster-format", "机关名单应为 .txt（每行一个机关名称）、.csv 或 .xlsx（第一列）",
            str(path),
        )
    cleaned = [n.strip().lstrip("\ufeff").strip() for n in names]
    if cleaned and any(word in cleaned[0] for word in ("机关", "名称", "单位")):
        cleaned = cleaned[1:]
    return [n for n in cleaned if n and not n.startswith("#")]


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def roster_text(path: Path) -> str:
    """A text file as Excel and WPS save it: UTF-16 with a BOM (「Unicode 文本」), UTF-8 with or
    without a BOM, or GBK (「文本文件（制表符分隔）」, 「CSV（逗号分隔）」)."""
    from xxgk.inputs.source import decode, read_bytes

    data = read_bytes(path)
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise XxgkError.single(
                "audit/roster-unreadable", "机关名单标明是 UTF-16 编码，但内容不是；"
                "请在 Excel/WPS 中另存为「CSV UTF-8」或「Unicode 文本」", str(path),
            ) from None
    return decode(data, str(path))[0]


def _first_column(text: str, comma: bool, path: Path) -> list[str]:
    import csv

    lines = text.splitlines()
    tabbed = any("\t" in line for line in lines[:5])
    if not tabbed and not comma:
        return lines
    # Read as CSV from the text itself, not line by line: a quoted name may hold a line break.
    rows = csv.reader(io.StringIO(text), delimiter="\t" if tabbed else ",")
    try:
        return [row[0] if row else "" for row in rows]
    except csv.Error as exc:  # a field over csv's limit, a quote never closed
        raise XxgkError.single(
            "audit/roster-unreadable", f"机关名单不是有效的 CSV（{exc}）；"
            "请用 Excel 另存为 .csv，或改用每行一个机关名称的 .txt", str(path),
        ) from None


MAX_ROSTER_ROWS = 100_000


def _roster_xlsx(path: Path) -> list[str]:
    from openpyxl import load_workbook

    from xxgk.inputs.source import read_bytes
    from xxgk.zip_limits import MAX_TOTAL_BYTES, open_zip

    data = read_bytes(path, MAX_TOTAL_BYTES)  # a regular file of bounded size
    try:
        open_zip(data, str(path)).close()  # the same zip checks as every workbook we read
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                return [str(row[0]) for row in sheet.iter_rows(
                    max_row=MAX_ROSTER_ROWS, max_col=1, values_only=True)
                    if row and row[0] is not None]
            finally:
                workbook.close()
    except XxgkError:
        raise
    except Exception as exc:  # openpyxl raises whatever a damaged package makes it meet
        raise XxgkError.single(
            "audit/roster-unreadable", f"机关名单无法读取（{type(exc).__name__}）；"
            "请用 Excel 另存为 .xlsx，或改用每行一个机关名称的 .txt", str(path),
        ) from None


def compare_files(last: Path, this: Path) -> Comparison:
    """The comparison of one organ's two reports, from any sources xxgk reads."""
    last_loaded = load_placed(last)
    this_loaded = load_placed(this)
    last_report, this_report = last_loaded.report, this_loaded.report
    if last_report.year >= this_report.year:
        raise XxgkError.single(
            "compare/order", f"第一个文件是 {last_report.year} 年度，第二个是 {this_report.year}"
            " 年度；请先给上年的报告，再给本年的", str(last),
        )
    return compare_reports(
        last_report, this_report, str(last), str(this),
        check_loaded(last, last_loaded),
        check_loaded(this, this_loaded, last_loaded.report),
    )


def read_marks(path: Path) -> list[Mark]:
    """The 复核 and 整改 a supervisor wrote in an earlier audit workbook, by finding fingerprint
    (every sheet whose heading row has 编号 and the mark columns)."""
    import zipfile

    from openpyxl import load_workbook

    from xxgk.zip_limits import check_zip_file

    if path.suffix.lower() != ".xlsx":
        raise XxgkError.single("audit/review-format", "--review 需要上次生成的审核表（.xlsx）",
                               str(path))
    try:
        check_zip_file(path)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, XxgkError) as exc:
        reason = exc.findings[0].message if isinstance(exc, XxgkError) and exc.findings else (
            type(exc).__name__)
        raise XxgkError.single(
            "audit/review-unreadable", f"上次的审核表无法读取（{reason}）；请给出 xxgk audit 生成、"
            "在 Excel/WPS 中填写复核后保存的 .xlsx", str(path),
        ) from None
    marks: list[Mark] = []
    try:
        for sheet in workbook.worksheets:
            marks += _sheet_marks(sheet.title, sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    return marks


_HEADING_ROWS = 10  # the heading row is among the first rows (after the title and its notes)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _sheet_marks(name: str, rows: Iterator[tuple[object, ...]]) -> list[Mark]:
    heading: dict[str, int] | None = None
    marks = []
    for n, row in enumerate(rows):
        cells = [_text(v) for v in row]
        if heading is None:
            if FINGERPRINT in cells and all(h in cells for h in MARK_HEADINGS):
                heading = {h: i for i, h in reversed(list(enumerate(cells)))}
            elif n >= _HEADING_ROWS:
                return []
            continue
        fingerprint = _at(heading, cells, FINGERPRINT)
        if fingerprint:
            marks.append(Mark(
                fingerprint, tuple(_at(heading, cells, h) for h in MARK_HEADINGS),
                _at(heading, cells, "机关名称"), _at(heading, cells, "规则"),
                _at(heading, cells, "报告中的位置"), name,
            ))
    return marks


def _at(heading: dict[str, int], cells: list[str], column: str) -> str:
    i = heading.get(column)
    return cells[i] if i is not None and i < len(cells) else ""


def parent_comparison(
    path: Path, records: Sequence[AuditRecord], missing: Sequence[str] = ()
) -> ParentComparison:
    """The published parent report in ``path`` against the sum of the audited reports."""
    from xxgk.audit.parent import compare_parent

    try:
        parent = load_source(path)[0]
    except XxgkError as exc:
        raise XxgkError([f if f.location.file else f.with_file(f"{path}（--parent 本级报告）")
                         for f in exc.findings]) from None
    return compare_parent(parent, str(path), records, missing)
