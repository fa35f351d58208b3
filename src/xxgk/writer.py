"""Writing outputs without ever losing one: temporary file + rename, earlier versions kept.

Every output is written to a temporary file in the target folder and renamed into place, so a
failed or killed build leaves the earlier file untouched and no partial file. When a rebuild would
replace a file whose bytes differ, the earlier file first moves to ``.history/`` beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import glob
import os
import tempfile
from pathlib import Path

from xxgk.errors import XxgkError

HISTORY_DIR = ".history"


def write_outputs(
    files: dict[Path, bytes],
    now: dt.datetime | None = None,
    keep_history: bool = True,
    moved: list[Path] | None = None,
) -> list[Path]:
    """Write every file atomically (all temporaries first, then the renames); the paths written.

    Files whose current bytes are identical are left alone (an identical rebuild changes nothing);
    a file whose bytes differ first moves to ``.history/`` (unless ``keep_history`` is off), and
    its new path there is appended to ``moved`` when given (so the clerk is told where it went).
    """
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            if target.exists() and target.read_bytes() == data:
                continue
            _refuse_read_only(target)
            staged.append((_stage(target, data), target))
        for temporary, target in staged:
            if target.exists() and keep_history:
                kept = _keep_history(target, stamp)
                if moved is not None:
                    moved.append(kept)
            os.replace(temporary, target)
    except OSError as exc:
        raise _os_error(exc) from exc
    finally:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
    return [target for _, target in staged]


def _refuse_read_only(target: Path) -> None:
    # A rename would replace a read-only file silently; the clerk marked it so for a reason
    # (or, on Windows, another program holds it open), so leave it and say so.
    if target.exists() and not target.stat().st_mode & 0o222:
        raise XxgkError.single(
            "output/read-only",
            "目标文件是只读的（或正被其他程序打开），未覆盖；请关闭该文件或取消只读后重试",
            str(target),
        )


def _stage(target: Path, data: bytes) -> Path:
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)  # parallel builds may make it at the same moment
    _remove_stale_temporaries(target)
    # The writer's pid is in the name, so a later build can tell a killed build's leftovers.
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp")
    temporary = Path(name)
    try:
        # mkstemp makes the file private (0600); outputs get the usual mode a new file would.
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _remove_stale_temporaries(target: Path) -> None:
    """Delete temporaries of ``target`` left by a build that was killed (its process is gone)."""
    prefix = f".{target.name}."
    for leftover in target.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = leftover.name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _alive(pid: int) -> bool:
    # On Windows os.kill(pid, 0) would send CTRL_C_EVENT: never probe there, keep the file.
    if pid == os.getpid() or os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _keep_history(target: Path, stamp: str) -> Path:
    history = target.parent / HISTORY_DIR
    history.mkdir(exist_ok=True)
    kept = history / f"{target.stem}.{stamp}{target.suffix}"
    n = 1
    while kept.exists():
        n += 1
        kept = history / f"{target.stem}.{stamp}-{n}{target.suffix}"
    os.replace(target, kept)
    return kept


def _os_error(exc: OSError) -> XxgkError:
    where = exc.filename or ""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        message = "没有写入权限（文件夹只读，或文件正被其他程序打开）；原有文件未改动"
    elif exc.errno == errno.ENOSPC:
        message = "磁盘空间不足；原有文件未改动"
    else:
        message = f"写入失败：{exc.strerror}；原有文件未改动"
    return XxgkError.single("output/write-failed", message, str(where))
