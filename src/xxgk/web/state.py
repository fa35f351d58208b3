"""What the form server does, without HTTP: check, save, build, open and choose last year's file.

It touches only the data file it was given (and its ``.history/``), the output folder, and a
private temporary folder for uploaded files; every report goes through the library's own
functions (``api.check_source``, ``inputs.dump_report``, ``writer.write_outputs``,
``build.build_many``), so the page says and writes exactly what the CLI would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk.api import IMPORTED_SUFFIXES, check_source, load_source
from xxgk.build import DEFAULT_FORMATS, build_many
from xxgk.checks import check
from xxgk.errors import Finding, XxgkError, warning
from xxgk.inputs import dump_report
from xxgk.inputs.source import read_bytes
from xxgk.labels import TABLE4_BLOCKS
from xxgk.model import Report, file_safe
from xxgk.office import private_folder, remove_orphans
from xxgk.safe_text import shortened
from xxgk.scaffold import empty_report
from xxgk.web.form import form_to_report, placed, report_to_form
from xxgk.writer import HISTORY_DIR, write_outputs

DATA_SUFFIXES = (".yaml", ".yml")
UPLOADS_PREFIX = "xxgk-serve-"
_T4_BLOCKS = tuple(b.id for b in TABLE4_BLOCKS)
OPENABLE_SUFFIXES = (*DATA_SUFFIXES, *IMPORTED_SUFFIXES)


@dataclass
class Answer:
    """A reply to the page: JSON, and whether the request itself was wrong (HTTP 400)."""

    body: dict[str, Any]
    bad_request: bool = False


@dataclass
class FormState:
    """One served data file, its output folder, and last year's report (if chosen)."""

    datafile: Path | None
    outdir: Path
    previous: Path | None = None
    previous_name: str | None = None
    outputs: dict[str, tuple[Path, str]] = field(default_factory=dict)  # name → (path, SHA-256)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _uploads: Path | None = None  # made at the first upload; a killed server's, by the next
    _loaded: Report | None = None  # the data file as read at start, for the first page
    _known: bytes | None = None  # the data file's bytes as last read or written here

    @classmethod
    def open(cls, datafile: Path | None, outdir: Path, previous: Path | None) -> FormState:
        """The state for ``xxgk serve``; XxgkError when a file given cannot be served."""
        if datafile is not None and datafile.suffix.lower() not in DATA_SUFFIXES:
            raise XxgkError.single(
                "serve/not-a-datafile",
                "只能编辑数据文件（.yaml）；已发布的报告或 .xlsx 请在页面中用「打开…」导入，"
                "或先用 xxgk import 转为数据文件",
                str(datafile),
            )
        remove_orphans(UPLOADS_PREFIX)  # uploads a killed server (kill -9) left behind
        # A broken file is refused now, rather than overwritten later.
        loaded = load_source(datafile)[0] if datafile is not None and datafile.exists() else None
        state = cls(datafile, outdir, _loaded=loaded)
        if loaded is not None and datafile is not None:
            state._known = read_bytes(datafile)
        if previous is not None:
            report = load_source(previous)[0]
            state.previous, state.previous_name = previous, _describe(report, previous.name)
        return state

    def close(self) -> None:
        """Remove the uploaded files."""
        if self._uploads is not None:
            shutil.rmtree(self._uploads, ignore_errors=True)
            self._uploads = None

    # ------------------------------------------------------------ the first page

    def initial(self) -> dict[str, Any]:
        """The form's first values: the data file's report, or a new one (like ``xxgk init``)."""
        if self._loaded is not None:  # read once at start: the first page comes at once
            report, self._loaded = self._loaded, None
        elif self.datafile is not None and self.datafile.exists():
            report = load_source(self.datafile)[0]
        else:
            report = empty_report("", dt.date.today().year - 1)
        name = str(self.datafile) if self.datafile else "（保存时新建：机关名称+年度.yaml）"
        notice = "" if self.datafile is None or self.datafile.exists() else "新文件，保存时创建"
        return {
            "form": report_to_form(report),
            "file": name,
            "previous": self.previous_name,
            "notice": notice,
            "version": self._on_disk_version(),
        }

    def _on_disk_version(self) -> str:
        """The data file's version as the page holds it: the SHA-256 of its bytes ("" = none)."""
        if self.datafile is None or not self.datafile.exists():
            return ""
        try:
            return hashlib.sha256(read_bytes(self.datafile)).hexdigest()
        except XxgkError:  # replaced by a folder, a FIFO, something too large: not our version
            return "?"

    # ------------------------------------------------------------ check, save, build

    def _read(self, form: dict[str, Any]) -> tuple[Report, list[Finding]]:
        return form_to_report(form, dt.date.today().year - 1)

    def _findings(self, report: Report, problems: list[Finding]) -> tuple[list[Finding], bool]:
        """The findings of ``xxgk check`` on the data file this form would save, and whether
        that file would load at all.

        When the loader would refuse it (no 机关名称, say), its errors come with the checks run
        on the form's report directly, so the clerk still sees everything else.
        """
        data = dump_report(report).encode("utf-8")
        name = self.datafile or Path(f"{report.data_file_stem}.yaml")
        loadable = True
        try:
            findings = check_source(name, self.previous, data=data)[1]
        except XxgkError as exc:
            loadable = False
            refused = {f.location.parts for f in exc.findings}
            last = load_source(self.previous)[0] if self.previous is not None else None
            findings = exc.findings + [
                f for f in check(report, last) if f.location.parts not in refused
            ]
        # An unreadable input is blank in the report: its own message says more than "blank".
        unreadable = {f.location.parts for f in problems if f.is_error}
        return problems + [f for f in findings if f.location.parts not in unreadable], loadable

    def check(self, form: dict[str, Any]) -> Answer:
        """Every finding about the form as it stands."""
        report, problems = self._read(form)
        return Answer({"findings": placed(self._findings(report, problems)[0], report)})

    def _target(self, report: Report) -> Path:
        if self.datafile is not None:
            return self.datafile
        target = Path(f"{report.data_file_stem}.yaml")
        if target.exists():
            raise XxgkError.single(
                "serve/exists",
                "文件已存在，不会覆盖；请用 xxgk serve 该文件 打开它，或修改机关名称或年度",
                str(target),
            )
        return target

    def save(self, form: dict[str, Any]) -> Answer:
        """Write the data file (atomically, the earlier version kept in .history/)."""
        report, problems = self._read(form)
        findings, loadable = self._findings(report, problems)
        body: dict[str, Any] = {"findings": placed(findings, report), "saved": False}
        unreadable = [f for f in problems if f.is_error]
        if unreadable:
            body["message"] = f"有 {len(unreadable)} 处填写无法识别（见红色标记），未保存"
            return Answer(body)
        if not loadable:  # a file xxgk itself would refuse to read is never written
            body["message"] = "有必填项未填（见红色标记），未保存"
            return Answer(body)
        with self.lock:
            conflict = self._saved_elsewhere(form)
            if conflict is not None:
                body.update(conflict=True, message=conflict, version=self._on_disk_version())
                return Answer(body)
            try:
                target = self._target(report)
                before = read_bytes(target) if target.exists() else None
                data = dump_report(report, notes=_top_notes(before)).encode("utf-8")
                written = write_outputs({target: data})
            except (OSError, XxgkError) as exc:
                body["message"] = str(exc)
                return Answer(body)
            # Changed on disk since this page read it (an editor, a second page): that version
            # is not lost — write_outputs kept it — but the clerk should know.
            elsewhere = before is not None and self._known is not None and before != self._known
            self.datafile, self._known = target, data
        body.update(saved=True, file=str(target), elsewhere=elsewhere,
                    version=hashlib.sha256(data).hexdigest())
        if before is not None and written:
            body["kept"] = str(target.parent / HISTORY_DIR)
        return Answer(body)

    def _saved_elsewhere(self, form: dict[str, Any]) -> str | None:
        """Why this save would replace a version the page never saw (another tab's 保存, an
        editor), or None. The page holds the version it loaded or last saved; ``overwrite`` is
        the clerk's answer after being asked."""
        held = form.get("version")
        if not isinstance(held, str) or form.get("overwrite") is True:
            return None
        if held == self._on_disk_version():
            return None
        return ("数据文件在本页打开之后已被另一个页面或其他程序保存过；本页的内容未保存。"
                "请确认是否用本页内容覆盖（那一版会存入 .history/），或刷新页面载入新版本")

    def build(self, form: dict[str, Any], pdf: bool) -> Answer:
        """Save, then build the documents exactly as ``xxgk build`` does."""
        answer = self.save(form)
        body = answer.body
        body["built"] = False
        if not body["saved"]:
            return answer
        assert self.datafile is not None
        formats = (*DEFAULT_FORMATS, *(["pdf"] if pdf else []))
        with self.lock:
            result = build_many([self.datafile], self.outdir, None, formats, jobs=1)[0]
            report = result.report or self._read(form)[0]
            body["findings"] = placed(result.findings, report)
            if not result.ok:
                errors = sum(f.is_error for f in result.findings)
                body["message"] = (
                    f"有 {errors} 个错误，未生成；请按红色标记修改" if errors else "未生成"
                )
                return answer
            # What 生成 wrote, by content: a download serves these bytes or nothing (a link or
            # another file put in the folder since is refused, see ``download``).
            digests = {e.file: e.sha256 for e in result.entries}
            self.outputs = {p.name: (p, digests[p.name]) for p in result.outputs
                            if p.name in digests}
        body["built"] = True
        body["outputs"] = [{"name": p.name} for p in result.outputs]
        body["folder"] = str(self.outdir)
        return answer

    def output(self, name: str) -> bytes | None:
        """The bytes of a document the last build wrote, or None: nothing else in the folder is
        served, and not that name once it is a link or holds other bytes than 生成 wrote."""
        known = self.outputs.get(name)
        if known is None:
            return None
        path, digest = known
        try:
            data = _read_regular(path, MAX_DOWNLOAD)
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == digest else None

    # ------------------------------------------------------------ uploaded files

    def _upload(self, name: str, data: bytes, slot: str) -> Path:
        suffix = Path(name).suffix.lower()
        if suffix not in OPENABLE_SUFFIXES:
            raise XxgkError.single(
                "serve/unknown-file",
                "只能打开数据文件（.yaml）、本工具的 .xlsx 或已发布的报告（.docx/.txt/.html）",
                name,
            )
        if self._uploads is None:
            self._uploads = private_folder(UPLOADS_PREFIX)
        folder = self._uploads / slot
        folder.mkdir(exist_ok=True)
        # A browser sends any name: made safe and cut under the file system's 255 bytes (the
        # suffix kept, a hash keeping two long names apart).
        path = folder / shortened(file_safe(Path(name).stem), suffix)
        path.write_bytes(data)
        return path

    def open_file(self, name: str, data: bytes) -> Answer:
        """A data file, our workbook or a published report, as the form's values."""
        try:
            path = self._upload(name, data, "open")
            report, notes = load_source(path)
        except XxgkError as exc:
            return Answer(_refused(exc, name), bad_request=True)
        return Answer(
            {
                "form": report_to_form(report),
                "findings": placed(notes + _stated_totals(report), report),
                "source": name,
            }
        )

    def choose_previous(self, name: str, data: bytes) -> Answer:
        """Last year's report, against which the carry-over is checked from now on."""
        try:
            path = self._upload(name, data, "previous")
            report = load_source(path)[0]
        except XxgkError as exc:
            return Answer(_refused(exc, name), bad_request=True)
        with self.lock:
            self.previous, self.previous_name = path, _describe(report, name)
        return Answer({"previous": self.previous_name})


MAX_DOWNLOAD = 256 * 1024 * 1024  # far above any report's documents


def _read_regular(path: Path, limit: int) -> bytes:
    """A regular file's bytes, never through a link (OSError otherwise)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise OSError(f"not a regular file of at most {limit} bytes: {path}")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)


def _top_notes(data: bytes | None) -> list[str]:
    """The comment lines at the top of a data file other than the three every file begins with
    (``init --from`` and ``sum`` leave notes there; saving keeps them)."""
    if data is None:
        return []
    notes = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        if not line.startswith("#"):
            break
        notes.append(line[1:].strip())
    standard = dump_report(empty_report("", 2000)).splitlines()[1:3]
    return [
        n
        for n in notes[1:]  # the first line is the title, rewritten from the data
        if n and f"# {n}" not in standard
    ]


def _stated_totals(report: Report) -> list[Finding]:
    """What an imported report's printed 总计 said, said once: the form adds the cells up itself
    and keeps no printed total, so a wrong one would otherwise vanish without a word."""
    wrong = [f for f in check(report) if "stated" in f.code]
    t3, t4 = report.table3, report.table4
    stated = t3.stated_results_total is not None or any(
        row.stated_total is not None for row in t3.rows.values()
    )
    stated = stated or any(t4.block(b).stated_total is not None for b in _T4_BLOCKS)
    if not stated:
        return wrong
    note = warning(
        "web/stated-totals",
        (),
        "来源所列的“总计”不进入表单：表单中的总计由各格相加"
        + ("；所列总计有误，见上" if wrong else ""),
    )
    return [*wrong, note]


def _describe(report: Report, name: str) -> str:
    return f"{report.organ}{report.year}年（{name}）"


def _refused(exc: XxgkError, name: str) -> dict[str, Any]:
    findings = [
        {
            "target": None,
            "place": str(f.location),
            "code": f.code,
            "severity": f.severity.value,
            "message": f.message,
        }
        for f in exc.findings
    ]
    return {
        "findings": findings,
        "message": f"无法读取 {name}：" + "；".join(f.message for f in exc.findings[:3]),
    }
