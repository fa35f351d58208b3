"""One editor per master: the lock ``xxgk serve`` holds on the file it edits.

A report has one master (its data file or fill-in workbook). While a form edits it, a second
``serve`` on it would overwrite the first one's saves, and a ``build`` would publish a version the
clerk is still changing; both are refused with the editor's process id. The lock is the operating
system's own (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows) on a small file beside the
master, so it dies with its process: a killed server never leaves a master locked. The file itself
is removed when the server ends normally; a leftover one holds no lock and is simply reused.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import BinaryIO

from xxgk.errors import XxgkError

_HELD: set[Path] = set()  # masters this process edits (its own form may build them)


def lock_path(master: Path) -> Path:
    """The lock file of a master: hidden beside it, named after it (never LibreOffice's own
    ``.~lock.NAME#``, which it would take for its own)."""
    return master.parent / f".{master.name}.xxgk-edit"


class EditLock:
    """The held lock on one master (``release`` or the process's end lets it go)."""

    def __init__(self, master: Path, handle: BinaryIO) -> None:
        self.master = master
        self._handle: BinaryIO | None = handle

    def release(self) -> None:
        """Let the master go and remove the lock file."""
        if self._handle is None:
            return
        _HELD.discard(self.master.resolve())
        if sys.platform != "win32":  # the name goes while the lock is still held (see hold)
            with contextlib.suppress(OSError):
                lock_path(self.master).unlink()
        with contextlib.suppress(OSError):
            _unlock(self._handle)
        self._handle.close()
        self._handle = None
        if sys.platform == "win32":  # an open file cannot be removed there: after closing
            with contextlib.suppress(OSError):
                lock_path(self.master).unlink()


def hold(master: Path) -> EditLock:
    """Take the edit lock on ``master``; XxgkError (naming the holder) when another has it."""
    path = lock_path(master)
    for _ in range(10):
        handle = _open_lock(master, path)
        if not _try_lock(handle):
            holder = _holder(handle)
            handle.close()
            raise busy_error(master, holder)
        # Locked the file that still bears the name? The holder before us may have removed it
        # (it does so on leaving) between our open and our lock: then lock the new one.
        if _same_file(handle, path):
            break
        handle.close()
    else:
        raise busy_error(master, "")
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()).encode("ascii"))
    handle.flush()
    _HELD.add(master.resolve())
    return EditLock(master, handle)


def _open_lock(master: Path, path: Path) -> BinaryIO:
    try:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        return os.fdopen(os.open(path, flags, 0o666), "r+b")
    except OSError as exc:
        raise XxgkError.single(
            "serve/lock-failed",
            f"无法在「{master.parent}」中建立编辑锁（{exc.strerror}）：文件夹只读，或锁文件是链接；"
            "请把报告放到可写的文件夹",
            str(master),
        ) from exc


def _same_file(handle: BinaryIO, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except OSError:
        return False


def refuse_if_edited(master: Path) -> None:
    """XxgkError when a form is editing ``master`` now (``build`` and a second ``serve`` ask)."""
    path = lock_path(master)
    if not path.is_file() or master.resolve() in _HELD:
        return
    try:
        handle: BinaryIO = path.open("rb")
    except OSError:
        return
    with handle:
        if _try_lock(handle):
            _unlock(handle)
            return
        holder = _holder(handle)
    raise busy_error(master, holder)


def busy_error(master: Path, holder: str) -> XxgkError:
    """The message for a master another form is editing."""
    who = f"（进程 {holder}）" if holder else ""
    return XxgkError.single(
        "serve/being-edited",
        f"「{master.name}」正在网页表单中编辑{who}：同一份报告只能在一处修改。"
        "请在那个表单中保存，关闭它的命令窗口（或按 Ctrl+C）后再运行",
        str(master),
    )


def _holder(handle: BinaryIO) -> str:
    with contextlib.suppress(OSError):
        handle.seek(0)
        text = handle.read(20).decode("ascii", errors="replace").strip()
        return text if text.isdigit() else ""
    return ""


if sys.platform == "win32":
    import msvcrt

    # The lock covers a byte far past the pid written at the start, so reading the pid is allowed.
    _LOCKED_BYTE = 1 << 20

    def _try_lock(handle: BinaryIO) -> bool:
        handle.seek(_LOCKED_BYTE)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        handle.seek(_LOCKED_BYTE)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
