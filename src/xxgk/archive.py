"""`xxgk archive`: the package handed over to the archive (DA/T 47): the PDF/A, the .docx, the
.xlsx and the data file, with a 移交清单 (.xlsx and .csv) that ``verify_archive`` re-checks.

A package is made once and never rewritten: a folder that exists and is not empty, or a zip that
exists, is refused. It is built in a throw-away folder and moved into place whole (a folder by
one rename, a zip written beside and renamed), so an interrupted run leaves nothing half made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from xxgk.build import build_file
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.office import throwaway_folder
from xxgk.render.pdf.pdfa import pdfa_identification
from xxgk.render.transfer_list import (
    HEADINGS,
    Item,
    read_transfer_list,
    transfer_list_csv,
    transfer_list_xlsx,
)
from xxgk.render.zipfix import Deflated, write_zip

LIST_STEM = "移交清单"
LIST_CSV = f"{LIST_STEM}.csv"
LIST_XLSX = f"{LIST_STEM}.xlsx"
_KINDS = {  # suffix → (题名's note, 格式)
    ".pdf": ("PDF/A 归档版", "PDF/A-2b"),
    ".docx": ("Word 版", "DOCX"),
    ".xlsx": ("Excel 工作簿", "XLSX"),
}
_DATA_KINDS = {".yaml": "YAML", ".yml": "YAML", ".xlsx": "XLSX"}
_MAX_FILE = 512 * 1024 * 1024  # no file of a package is anywhere near this


@dataclass(frozen=True)
class Archive:
    """A package made: where, and its rows."""

    target: Path
    items: list[Item]
    findings: list[Finding]  # the build's warnings


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refuse_existing(target: Path) -> None:
    if target.suffix.lower() == ".zip":
        if target.exists() or target.is_symlink():
            raise XxgkError.single(
                "archive/exists", f"归档包 {target} 已存在：移交后的归档包不再改写，"
                "请另指定一个文件名", str(target))
        return
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise XxgkError.single("archive/not-folder",
                               f"{target} 不是文件夹：请指定一个新的归档文件夹（或 .zip 文件）",
                               str(target))
    if target.is_dir() and any(target.iterdir()):
        raise XxgkError.single(
            "archive/exists", f"归档文件夹 {target} 已存在且不为空：移交后的归档包不再改写，"
            "请另指定一个新的文件夹", str(target))


def make_archive(
    source: Path,
    target: Path,
    template: str | Path | None = None,
    now: dt.datetime | None = None,
) -> Archive:
    """Build ``source`` (check, .docx, .xlsx, PDF/A) and write the package to ``target``: a
    folder, or a zip when it ends in .zip. XxgkError on any error; nothing written then."""
    source, target = Path(source), Path(target)
    _refuse_existing(target)
    made = (now or dt.datetime.now(dt.timezone.utc)).astimezone().replace(microsecond=0)
    with throwaway_folder("xxgk-archive-") as work:
        result = build_file(source, work / "out", template, ("docx", "xlsx", "pdf"))
        if not result.ok or result.report is None:
            raise XxgkError(result.findings)
        report = result.report
        built = {p.suffix.lower(): p for p in result.outputs}
        files: list[tuple[str, bytes, str, str, str]] = []  # name, data, note, kind, pages
        pdf = built[".pdf"].read_bytes()
        facts = pdfa_identification(pdf)
        for suffix in (".pdf", ".docx", ".xlsx"):
            note, kind = _KINDS[suffix]
            pages = str(facts.pages) if suffix == ".pdf" else ""
            files.append((built[suffix].name, built[suffix].read_bytes(), note, kind, pages))
        data_name = source.name
        if data_name in {name for name, *_ in files}:
            data_name = f"数据文件-{data_name}"  # a workbook master beside the built workbook
        data_kind = _DATA_KINDS.get(source.suffix.lower(), source.suffix.lstrip(".").upper())
        files.append((data_name, source.read_bytes(), "数据文件", data_kind, ""))
        title = report.display_title.replace("\n", "")
        items = [
            Item(str(number), f"{title}（{note}）", report.organ, str(report.year), kind, pages,
                 str(len(data)), _sha256(data), made.isoformat(), name)
            for number, (name, data, note, kind, pages) in enumerate(files, start=1)
        ]
        listing = {
            LIST_CSV: transfer_list_csv(items),
            LIST_XLSX: transfer_list_xlsx(items, f"{title} 移交清单", made),
        }
        contents = [(name, data) for name, data, *_ in files] + list(listing.items())
        _publish(contents, target, work)
    return Archive(target, items, result.findings)


def _publish(contents: list[tuple[str, bytes]], target: Path, work: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".zip":
        data = write_zip((Deflated.of(name, blob) for name, blob in contents),
                         utf8_names=True, mode=0o644)
        staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            staged.write_bytes(data)
            _refuse_existing(target)  # not made meanwhile by another run
            os.replace(staged, target)
        finally:
            staged.unlink(missing_ok=True)
        return
    folder = work / "package"
    folder.mkdir()
    for name, blob in contents:
        (folder / name).write_bytes(blob)
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.move(str(folder), str(staged))  # across file systems if need be, then one rename
    try:
        if target.is_dir():
            target.rmdir()  # empty (checked): replaced by the package
        os.rename(staged, target)
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise XxgkError.single("archive/write-failed", f"无法写入归档文件夹：{exc}",
                               str(target)) from None


# ---------------------------------------------------------------- verify


def _package_files(target: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of a package folder or zip, by its name in the package."""
    if target.is_file() and target.suffix.lower() == ".zip":
        from xxgk.zip_limits import open_zip

        with open_zip(target.read_bytes(), str(target)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield PurePosixPath(info.filename).as_posix(), archive.read(info)
        return
    for path in sorted(target.rglob("*")):
        if path.is_file() and not path.is_symlink():
            if path.stat().st_size > _MAX_FILE:
                yield path.relative_to(target).as_posix(), b""
                continue
            yield path.relative_to(target).as_posix(), path.read_bytes()


def _finding(code: str, target: Path, message: str) -> Finding:
    return Finding(f"archive/{code}", Severity.ERROR, Location((), str(target)), message)


def verify_archive(target: Path) -> tuple[list[dict[str, str]], list[Finding]]:
    """The 移交清单's rows, and what differs between them and the package's files."""
    target = Path(target)
    if not target.exists():
        raise XxgkError.single("archive/missing", f"找不到归档包：{target}", str(target))
    try:
        files = dict(_package_files(target))
    except (zipfile.BadZipFile, OSError) as exc:
        raise XxgkError.single("archive/unreadable", f"无法读取归档包：{exc}",
                               str(target)) from None
    if LIST_CSV not in files:
        raise XxgkError.single("archive/no-list", f"归档包中没有 {LIST_CSV}，无法核对",
                               str(target))
    try:
        rows = read_transfer_list(files[LIST_CSV])
    except (UnicodeDecodeError, ValueError) as exc:
        raise XxgkError.single("archive/bad-list", f"{LIST_CSV} 无法读取：{exc}",
                               str(target)) from None
    findings: list[Finding] = []
    if not rows or any(h not in rows[0] for h in (*HEADINGS, "文件名")):
        findings.append(_finding("bad-list", target, f"{LIST_CSV} 的栏目不全：应有 "
                                 f"{'、'.join(HEADINGS)}、文件名"))
        return rows, findings
    listed = set()
    for row in rows:
        name, number = row["文件名"], row["件号"]
        listed.add(name)
        where = f"件号 {number}「{name}」"
        if name not in files:
            findings.append(_finding("file-missing", target, f"{where}：归档包中没有这个文件"))
            continue
        data = files[name]
        if str(len(data)) != row["大小（字节）"]:
            findings.append(_finding("size-differs", target,
                                     f"{where}：大小不符（清单 {row['大小（字节）']} 字节，"
                                     f"实际 {len(data)} 字节）"))
        if _sha256(data) != row["SHA-256"].lower():
            findings.append(_finding("hash-differs", target,
                                     f"{where}：SHA-256 不符（清单 {row['SHA-256']}，"
                                     f"实际 {_sha256(data)}），文件已被改动"))
        if row["格式"].startswith("PDF/A"):
            findings.extend(_check_pdf(target, where, row, data))
    for name in sorted(set(files) - listed - {LIST_CSV, LIST_XLSX}):
        findings.append(_finding("file-unlisted", target, f"「{name}」不在{LIST_STEM}中"))
    if LIST_XLSX not in files:
        findings.append(_finding("file-missing", target, f"归档包中没有 {LIST_XLSX}"))
    else:
        findings.extend(_check_workbook(target, files[LIST_XLSX], rows))
    return rows, findings


def _check_pdf(target: Path, where: str, row: dict[str, str], data: bytes) -> list[Finding]:
    try:
        facts = pdfa_identification(data)
    except Exception as exc:  # pikepdf raises its own kinds for a damaged file
        return [_finding("pdf-unreadable", target, f"{where}：PDF 无法读取（{exc}）")]
    found = []
    if not facts.is_pdfa_2b:
        found.append(_finding("not-pdfa", target,
                              f"{where}：不是 PDF/A-2b（标识 part={facts.part} "
                              f"conformance={facts.conformance}，输出意图 {facts.output_intent}，"
                              f"未嵌入的字体 {len(facts.fonts_not_embedded)} 个）"))
    if row["页数"] and row["页数"] != str(facts.pages):
        found.append(_finding("pages-differ", target,
                              f"{where}：页数不符（清单 {row['页数']} 页，实际 {facts.pages} 页）"))
    return found


def _check_workbook(target: Path, data: bytes, rows: list[dict[str, str]]) -> list[Finding]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        table = [tuple("" if v is None else str(v) for v in r)
                 for r in sheet.iter_rows(min_row=3, max_row=2 + len(rows) + 1,
                                          max_col=len(HEADINGS), values_only=True)]
    except Exception as exc:  # a damaged workbook: said, not a traceback
        return [_finding("list-unreadable", target, f"{LIST_XLSX} 无法读取（{exc}）")]
    expected = [tuple(row[h] for h in HEADINGS) for row in rows]
    table = [r for r in table if any(r)]
    if table != expected:
        return [_finding("lists-differ", target, f"{LIST_XLSX} 与 {LIST_CSV} 的内容不一致")]
    return []
