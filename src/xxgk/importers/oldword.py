"""Old Word and WPS files (.doc, .wps) → .docx through LibreOffice headless, then the .docx path.

LibreOffice starts once for a whole batch (``batch``): starting it costs seconds, converting a
report a fraction of one. It runs with a profile of its own, so a LibreOffice the user has open
(or another conversion running) is neither disturbed nor in the way. Without LibreOffice the
message says how to install it or how to save the file as .docx by hand.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.importers import ImportResult
from xxgk.importers.hints import Hints
from xxgk.office import find_soffice, run_soffice, throwaway_folder

OLD_SUFFIXES = (".doc", ".wps")
_SECONDS_PER_FILE = 30.0
_START_SECONDS = 60.0
# Files converted by the running batch: original path → its .docx (see ``batch``).
_CONVERTED: dict[Path, Path] = {}


def _program() -> str | None:
    # The same search as for PDFs (XXGK_SOFFICE, PATH, the usual Windows and macOS folders).
    try:
        return find_soffice()
    except XxgkError:  # XXGK_SOFFICE names nothing: the caller says LibreOffice is missing
        return None


def _missing(path: Path) -> XxgkError:
    return XxgkError.single(
        "import/no-libreoffice",
        "读取旧版 Word/WPS 文件（.doc、.wps）需要 LibreOffice，但没有找到 soffice。"
        "请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），"
        "或用 Word/WPS 将文件另存为 .docx 后再导入",
        str(path),
    )


def convert(paths: Sequence[Path], outdir: Path) -> dict[Path, Path]:
    """Each old file's .docx in ``outdir`` (one LibreOffice start); missing when it failed."""
    program = _program()
    if program is None:
        raise _missing(paths[0])
    staged = outdir / "in"
    staged.mkdir(parents=True, exist_ok=True)
    # Numbered copies: 「报告.doc」 and 「报告.wps」 in one batch must not overwrite each other.
    copies = {}
    for i, path in enumerate(paths):
        copy = staged / f"{i:05d}{path.suffix.lower()}"
        shutil.copyfile(path, copy)
        copies[path] = copy
    profile = (outdir / "profile").resolve().as_uri()
    command = [
        program,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(outdir),
        *(str(c) for c in copies.values()),
    ]
    try:
        run_soffice(command, _START_SECONDS + _SECONDS_PER_FILE * len(paths), outdir)
    except subprocess.TimeoutExpired as exc:
        raise XxgkError.single(
            "import/libreoffice-timeout", "LibreOffice 转换旧版 Word/WPS 文件超时", str(paths[0])
        ) from exc
    done = {}
    for path, copy in copies.items():
        target = outdir / f"{copy.stem}.docx"
        if target.is_file() and target.stat().st_size:
            done[path] = target
    return done


@contextmanager
def batch(paths: Sequence[Path]) -> Iterator[None]:
    """Convert every old file among ``paths`` with one LibreOffice start, for this block."""
    old = [Path(p) for p in paths if Path(p).suffix.lower() in OLD_SUFFIXES and Path(p).is_file()]
    if not old or _program() is None:  # without LibreOffice each file says so when it is read
        yield
        return
    with throwaway_folder("xxgk-doc-") as tmp:
        _CONVERTED.update(convert(old, tmp))
        try:
            yield
        finally:
            for path in old:
                _CONVERTED.pop(path, None)


def read(path: Path) -> ImportResult:
    """The report in an old Word or WPS file."""
    return read_with_hints(path, Hints(file_name=path.stem))


def read_with_hints(path: Path, hints: Hints) -> ImportResult:
    """The report in an old Word or WPS file, converted to .docx first."""
    from xxgk.importers import docx

    named = Hints(hints.organ, hints.year, hints.file_name or path.stem)
    ready = _CONVERTED.get(path)
    if ready is not None:
        return docx.read_converted(ready, named, path)
    with throwaway_folder("xxgk-doc-") as tmp:
        converted = convert([path], tmp).get(path)
        if converted is None:
            raise XxgkError.single(
                "import/bad-doc",
                "LibreOffice 无法打开这个文件（可能已损坏或不是 Word/WPS 文件）",
                str(path),
            )
        return docx.read_converted(converted, named, path)
