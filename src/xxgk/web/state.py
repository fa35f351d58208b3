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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xxgk.api import IMPORTED_SUFFIXES, check_source, load_source
from xxgk.build import ALL_FORMATS, DEFAULT_FORMATS, build_many, held_kinds, output_stem
from xxgk.checks import check
from xxgk.editlock import EditLock, hold
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
WORKBOOK_SUFFIX = ".xlsx"
# What a clerk may edit in the form: a data file or our fill-in workbook (the report's master).
MASTER_SUFFIXES = (*DATA_SUFFIXES, WORKBOOK_SUFFIX)
UPLOADS_PREFIX = "xxgk-serve-"
_T4_BLOCKS = tuple(b.id for b in TABLE4_BLOCKS)
OPENABLE_SUFFIXES = (*DATA_SUFFIXES, *IMPORTED_SUFFIXES)
# Published reports: opened from the picker they become a new master (a fill-in workbook).
PUBLISHED_SUFFIXES = tuple(s for s in IMPORTED_SUFFIXES if s != WORKBOOK_SUFFIX)


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
    folder: Path = Path()  # where a new master is created (the clerk's folder)
    new_suffix: str = ".yaml"  # the kind of a new master: .xlsx when serving a folder
    previous_name: str | None = None
    outputs: dict[str, tuple[Path, str]] = field(default_factory=dict)  # name → (path, SHA-256)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _uploads: Path | None = None  # made at the first upload; a killed server's, by the next
    _loaded: Report | None = None  # the data file as read at start, for the first page
    _known: bytes | None = None  # the data file's bytes as last read or written here
    _lock: EditLock | None = None  # held on the master while this form edits it
    _notice: str = ""  # said on the first page (which file of a folder was opened)

    @classmethod
    def open(
        cls, datafile: Path | None, outdir: Path | None, previous: Path | None
    ) -> FormState:
        """The state for ``xxgk serve``; XxgkError when a file given cannot be served.

        ``datafile`` may be a folder (the clerk's): its report is opened, or a new one is made
        there as a fill-in workbook; ``outdir`` then defaults to its ``out``.
        """
        folder, new_suffix, notice = Path(), ".yaml", ""
        if datafile is not None and datafile.is_dir():
            folder, new_suffix = datafile, WORKBOOK_SUFFIX
            datafile, notice = master_in(datafile)
            outdir = outdir or folder / "out"
        outdir = outdir or Path("out")
        if datafile is not None and datafile.suffix.lower() not in MASTER_SUFFIXES:
            raise XxgkError.single(
                "serve/not-a-master",
                "只能编辑数据文件（.yaml）或本工具的填写用工作簿（.xlsx）；已发布的报告"
                "（.pdf/.doc/.docx/.wps/.html/.txt）请不带文件名运行 xxgk serve，"
                "在页面中用「打开…」导入：导入时建立一份 .xlsx 母本",
                str(datafile),
            )
        remove_orphans(UPLOADS_PREFIX)  # uploads a killed server (kill -9) left behind
        lock = hold(datafile) if datafile is not None else None
        try:
            # A broken file is refused now, rather than overwritten later.
            exists = datafile is not None and datafile.exists()
            loaded = load_source(datafile)[0] if datafile is not None and exists else None
            state = cls(datafile, outdir, folder=folder, new_suffix=new_suffix, _loaded=loaded)
            state._lock, state._notice = lock, notice
            if loaded is not None and datafile is not None:
                state._known = read_bytes(datafile)
            if previous is not None:
                report = load_source(previous)[0]
                state.previous, state.previous_name = previous, _describe(report, previous.name)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return state

    def close(self) -> None:
        """Remove the uploaded files and let the master go."""
        if self._uploads is not None:
            shutil.rmtree(self._uploads, ignore_errors=True)
            self._uploads = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # ------------------------------------------------------------ the first page

    def initial(self) -> dict[str, Any]:
        """The form's first values: the data file's report, or a new one (like ``xxgk init``)."""
        if self._loaded is not None:  # read once at start: the first page comes at once
            report, self._loaded = self._loaded, None
        elif self.datafile is not None and self.datafile.exists():
            report = load_source(self.datafile)[0]
        else:
            report = empty_report("", dt.date.today().year - 1)
        name = (
            str(self.datafile)
            if self.datafile
            else f"（保存时新建：{self.folder / ('机关名称+年度' + self.new_suffix)}）"
        )
        notice = "" if self.datafile is None or self.datafile.exists() else "新文件，保存时创建"
        return {
            "form": report_to_form(report),
            "file": name,
            "previous": self.previous_name,
            "notice": self._notice or notice,
            "kinds": self.kinds(report),
            "version": self._on_disk_version(),
        }

    def kinds(self, report: Report | None = None) -> dict[str, Any]:
        """What 生成 offers: every kind the CLI makes, whether PDF can be made here, and the
        kinds out/ already holds for this report (a build rewrites them all)."""
        from xxgk.render.pdf.convert import pdf_available

        held: list[str] = []
        if report is not None and report.organ:
            held = list(held_kinds(self.outdir, output_stem(report)[0]))
        try:
            pdf = pdf_available()
        except XxgkError:  # a wrong XXGK_SOFFICE: no PDF here, the documents still
            pdf = False
        return {"all": list(ALL_FORMATS), "pdf": pdf, "held": held}

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
        # Checked as the data file it amounts to (a workbook master is read back the same way).
        name = self.datafile or Path(f"{report.data_file_stem}.yaml")
        if name.suffix.lower() not in DATA_SUFFIXES:
            name = name.with_suffix(".yaml")
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
        target = self.folder / f"{report.data_file_stem}{self.new_suffix}"
        others = [target.with_suffix(s) for s in MASTER_SUFFIXES]
        existing = next((p for p in others if p.exists()), None)
        if existing is not None:  # one master per organ and year, whatever its kind
            raise XxgkError.single(
                "serve/exists",
                f"这份报告已有母本「{existing.name}」，不会另建一份；请用 xxgk serve "
                f"{existing.name} 打开它，或修改机关名称或年度",
                str(existing),
            )
        return target

    def _encoded(self, report: Report, target: Path, before: bytes | None) -> bytes:
        """The master's new bytes: the data file as ``dump_report`` writes it, or the fill-in
        workbook as ``xxgk init`` makes it (yellow input cells, live totals)."""
        if target.suffix.lower() == WORKBOOK_SUFFIX:
            from xxgk.render.xlsx.blank import NO_DATA_FILE
            from xxgk.render.xlsx.workbook import render_xlsx

            return render_xlsx(report, data_sha256=NO_DATA_FILE)
        return dump_report(report, notes=_top_notes(before)).encode("utf-8")

    def _adopt(self, target: Path) -> None:
        """Hold the edit lock on a master this form has just created."""
        if self._lock is None or self._lock.master != target:
            lock = hold(target)
            if self._lock is not None:
                self._lock.release()
            self._lock = lock

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
                self._adopt(target)
                before = read_bytes(target) if target.exists() else None
                data = self._encoded(report, target, before)
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

    def build(self, form: dict[str, Any], kinds: Sequence[str] = ()) -> Answer:
        """Save, then build the documents exactly as ``xxgk build`` does: Word and Excel, the
        kinds asked for (``html``, ``pdf``), and every kind out/ already holds."""
        unknown = [k for k in kinds if k not in ALL_FORMATS]
        if unknown:
            return Answer({"message": f"没有这种输出：{'、'.join(unknown)}"}, bad_request=True)
        answer = self.save(form)
        body = answer.body
        body["built"] = False
        if not body["saved"]:
            return answer
        assert self.datafile is not None
        formats = (*DEFAULT_FORMATS, *(k for k in ALL_FORMATS if k in kinds))
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
        body["history"] = [str(p) for p in result.history]
        notes = [f.message for f in result.findings if f.code.startswith("build/")]
        if notes:
            body["notes"] = notes
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
                "只能打开数据文件（.yaml）、本工具的 .xlsx 或已发布的报告"
                "（.pdf/.doc/.docx/.wps/.html/.txt）",
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
        """A data file, our workbook or a published report, as the form's values.

        A published report opened by a form that has no master yet becomes one at once (a
        fill-in workbook in the clerk's folder, or a data file), said so; a second import of
        the same report finds that master and makes no other.
        """
        try:
            path = self._upload(name, data, "open")
            report, notes = load_source(path)
        except XxgkError as exc:
            return Answer(_refused(exc, name), bad_request=True)
        body: dict[str, Any] = {
            "form": report_to_form(report),
            "findings": placed(notes + _stated_totals(report), report),
            "source": name,
        }
        if self.datafile is None and Path(name).suffix.lower() in PUBLISHED_SUFFIXES:
            body.update(self._create_master(report, name))
        return Answer(body)

    def _create_master(self, report: Report, source: str) -> dict[str, Any]:
        """Write an imported report as this form's master; what to tell the clerk."""
        if not report.organ:
            return {"created": False, "message": f"已导入 {source}，但未读出机关名称：填写后点"
                    f"「保存」建立母本（{self.new_suffix}）"}
        with self.lock:
            try:
                target = self._target(report)
                self._adopt(target)
                data = self._encoded(report, target, None)
                write_outputs({target: data})
            except (OSError, XxgkError) as exc:
                return {"created": False, "message": f"已导入 {source}，未建立母本：{exc}"}
            self.datafile, self._known = target, data
        return {
            "created": True,
            "file": str(target),
            "version": hashlib.sha256(data).hexdigest(),
            "message": f"已由 {source} 建立这份报告的母本「{target}」；今后请在此文件上修改"
            f"（网页表单、Excel 或 WPS 均可），不必再导入 {source}",
        }

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
    stated = t3.stated_results_total is not None or t3.stated_other_handling is not None
    stated = stated or any(row.stated_total is not None for row in t3.rows.values())
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


def master_in(folder: Path) -> tuple[Path | None, str]:
    """The report a folder holds (a data file or one of our workbooks, not in out/), and what to
    say about the choice; None when it holds none (a new one is made there)."""
    found = sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in MASTER_SUFFIXES
         and not p.name.startswith((".", "~$"))),
        key=lambda p: (p.stat().st_mtime, p.name),
    )
    if not found:
        return None, (
            f"「{folder}」中还没有报告：填写后点「保存」建立母本，或用「打开…」导入已发布的报告"
        )
    chosen = found[-1]
    if len(found) == 1:
        return chosen, ""
    others = "、".join(p.name for p in found[:-1])
    return chosen, (
        f"文件夹中有 {len(found)} 份报告，已打开最近修改的「{chosen.name}」；"
        f"其他（{others}）请用 xxgk serve 文件名 打开"
    )
