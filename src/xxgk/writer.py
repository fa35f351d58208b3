"""Writing outputs without ever losing one: temporary file + rename, earlier versions kept.

Every output is written to a temporary file in the target folder and renamed into place, so a
failed or killed build leaves the earlier file untouched and no partial file. When a rebuild would
replace a file whose bytes differ, the earlier file first moves to ``.history/`` beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import glob
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from xxgk.errors import XxgkError
from xxgk.safe_text import collision_key

HISTORY_DIR = ".history"


@dataclass(frozen=True)
class Staged:
    """An output ready to be put in place: its bytes sit in ``temporary`` beside the target
    (None when the file on disk already holds exactly these bytes). ``synced`` is False while
    the temporary's bytes may still be only in memory: committing syncs them first."""

    target: Path
    temporary: Path | None
    sha256: str
    synced: bool = True


def write_outputs(
    files: dict[Path, bytes],
    now: dt.datetime | None = None,
    keep_history: bool = True,
    moved: list[Path] | None = None,
    *,
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Write every file atomically (all temporaries first, then the renames); the paths written.

    ``inputs``: what the command read; an output that would replace one is refused first.

    Files whose current bytes are identical are left alone (an identical rebuild changes nothing);
    a file whose bytes differ first moves to ``.history/`` (unless ``keep_history`` is off), and
    its new path there is appended to ``moved`` when given (so the clerk is told where it went).
    """
    refuse_overwriting(files, inputs)
    return commit_outputs(stage_outputs(files), now, keep_history, moved)


def stage_outputs(
    files: dict[Path, bytes], *, sync_later: bool = False, swept: bool = False
) -> list[Staged]:
    """Write each file's bytes to a temporary beside it; nothing visible changes yet.

    ``sync_later``: a batch stages many files, and where the file system can be synced whole
    (Linux ``syncfs``) one sync before the commit replaces an fsync per file (each a journal
    commit: 0.5–4 ms on this machine's disk); elsewhere each file is synced now, as always.
    ``swept``: the caller has removed killed builds' temporaries from the folders already
    (:func:`sweep_temporaries`), which would otherwise be done for each target.

    On any failure every temporary is removed and the error says that nothing changed.
    """
    staged: list[Staged] = []
    deferred = sync_later and _syncfs() is not None
    try:
        for target, data in files.items():
            digest = hashlib.sha256(data).hexdigest()
            if _holds(target, data):
                staged.append(Staged(target, None, digest))
                continue
            _refuse_read_only(target)
            _refuse_unsafe_history(target.parent)
            temporary = _stage(target, data, sync=not deferred, sweep=not swept)
            staged.append(Staged(target, temporary, digest, synced=not deferred))
    except OSError as exc:
        discard(staged)
        raise write_error(exc, [], list(files)) from exc
    except BaseException:
        discard(staged)
        raise
    return staged


def commit_outputs(
    staged: list[Staged],
    now: dt.datetime | None = None,
    keep_history: bool = True,
    moved: list[Path] | None = None,
) -> list[Path]:
    """Rename the staged temporaries into place (earlier versions to ``.history/``, their new
    paths appended to ``moved`` when given); the paths written. A failure part way names what
    changed and what did not."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    done: list[Path] = []
    pending = [s for s in staged if s.temporary is not None]
    try:
        # Every temporary's bytes on disk before any rename: a crash then leaves the earlier
        # file or the whole new one, never an empty or partial one.
        sync_staged([s for s in pending if not s.synced])
        for item in pending:
            assert item.temporary is not None
            if item.target.exists() and keep_history:
                kept = _keep_history(item.target, stamp)
                if moved is not None:
                    moved.append(kept)
            os.replace(item.temporary, item.target)
            done.append(item.target)
        _sync_folders(done)  # the renames themselves, once per folder
    except OSError as exc:
        raise write_error(exc, done, [s.target for s in pending[len(done):]]) from exc
    finally:
        discard(staged)
    return done


def sync_staged(staged: list[Staged]) -> None:
    """Put the bytes of these temporaries on disk: one ``syncfs`` per file system where Linux
    has it (it writes out every dirty page of that file system, these included), else an fsync
    of each file. OSError when the disk refuses."""
    syncfs = _syncfs()
    devices: dict[int, Path] = {}
    for item in staged:
        assert item.temporary is not None
        if syncfs is None:
            _fsync_file(item.temporary)
        else:
            devices.setdefault(item.temporary.stat().st_dev, item.temporary)
    for temporary in devices.values():
        fd = os.open(temporary, os.O_RDONLY)
        try:
            assert syncfs is not None
            if syncfs(fd) != 0:
                import ctypes

                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code), str(temporary))
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folders(written: list[Path]) -> None:
    """fsync each folder the files were renamed into, so the new names survive a crash too
    (POSIX; Windows opens no folder as a file, and NTFS journals its renames)."""
    if os.name == "nt":
        return
    for folder in dict.fromkeys(p.parent for p in written):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        except OSError as exc:  # a file system that syncs no folder (some network ones)
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
                raise
        finally:
            os.close(fd)


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2) through the C library, or None where there is none."""
    if sys.platform != "linux":
        return None
    import ctypes  # here: most commands write no batch

    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return cast(Callable[[int], int], function)


def discard(staged: list[Staged]) -> None:
    """Remove the temporaries still lying beside their targets."""
    for item in staged:
        if item.temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                item.temporary.unlink()


def _holds(target: Path, data: bytes) -> bool:
    try:
        return target.is_file() and target.stat().st_size == len(data) and (
            target.read_bytes() == data
        )
    except OSError:
        return False


def overwritten_input(target: Path, inputs: Iterable[Path]) -> Path | None:
    """The input that writing ``target`` would replace, or None: the same path (compared as a
    case-insensitive file system would, after NFKC), the same file under another name (a hard or
    symbolic link), or a file inside a folder the command reads (``--previous-dir``)."""
    resolved = target.resolve()
    key = collision_key(str(resolved))
    for source in inputs:
        source = Path(source)
        where = source.resolve()
        if collision_key(str(where)) == key:
            return source
        try:
            if target.exists() and source.exists() and os.path.samefile(target, source):
                return source
        except OSError:
            pass
        if source.is_dir() and key.startswith(collision_key(str(where)) + collision_key(os.sep)):
            return source
    return None


def refuse_overwriting(targets: Path | Iterable[Path], inputs: Iterable[Path]) -> None:
    """XxgkError when an output would replace one of the command's own inputs: the one guard of
    every ``-o``/``--notice`` (see :func:`overwritten_input`)."""
    sources = list(inputs)
    for target in [targets] if isinstance(targets, Path) else targets:
        source = overwritten_input(target, sources)
        if source is None:
            continue
        what = "输入文件夹" if source.is_dir() else "输入文件"
        raise XxgkError.single(
            "output/overwrites-input",
            f"输出文件「{target.name}」会覆盖{what} {source}；未写入任何文件，"
            "请换一个输出文件名或文件夹",
            str(target),
        )


def _refuse_read_only(target: Path) -> None:
    # A rename would replace a read-only file silently; the clerk marked it so for a reason
    # (or, on Windows, another program holds it open), so leave it and say so.
    if target.exists() and not target.stat().st_mode & 0o222:
        raise XxgkError.single(
            "output/read-only",
            "目标文件是只读的（或正被其他程序打开），未覆盖；请关闭该文件或取消只读后重试",
            str(target),
        )


def _stage(target: Path, data: bytes, *, sync: bool = True, sweep: bool = True) -> Path:
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)  # parallel builds may make it at the same moment
    if sweep:
        _remove_stale_temporaries(target)
    # The writer's pid is in the name, so a later build can tell a killed build's leftovers.
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp")
    temporary = Path(name)
    try:
        # mkstemp makes the file private (0600); outputs get the usual mode a new file would.
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
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


def sweep_temporaries(folder: Path) -> None:
    """Delete every temporary in ``folder`` left by a build that was killed, in one pass over
    the folder (a batch does this once, not once for each of its thousands of outputs)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # no folder yet: nothing left in it
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        parts = name[1:-len(".tmp")].rsplit(".", 2)  # {target name}.{pid}.{random}
        if len(parts) == 3 and parts[1].isdigit() and not _alive(int(parts[1])):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def remove_temporaries_of(folder: Path, pids: Iterable[int]) -> None:
    """Delete the temporaries that these (ended) processes left in ``folder``."""
    for pid in pids:
        for leftover in folder.glob(f".*.{pid}.*.tmp"):
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


def _refuse_unsafe_history(folder: Path) -> None:
    # A `.history` planted as a symbolic link (or a file) would carry earlier versions out of
    # the output folder: refuse before anything is written.
    history = folder / HISTORY_DIR
    if history.is_symlink() or (history.exists() and not history.is_dir()):
        raise XxgkError.single(
            "output/unsafe-history",
            f"{HISTORY_DIR} 是符号链接或不是文件夹，旧版本可能被移到输出文件夹以外，"
            f"未写入任何文件；请移走 {HISTORY_DIR} 后重试",
            str(history),
        )


def _keep_history(target: Path, stamp: str) -> Path:
    history = target.parent / HISTORY_DIR
    _refuse_unsafe_history(target.parent)
    with contextlib.suppress(FileExistsError):
        history.mkdir()
    names = (f"{target.stem}.{stamp}{target.suffix}",
             *(f"{target.stem}.{stamp}-{n}{target.suffix}" for n in range(2, 10_000)))
    # os.rename, not os.replace: only rename is listed as taking dir_fd (on POSIX both are
    # rename(2), and the name chosen is free, so nothing is replaced).
    if os.rename in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW"):
        # Moved relative to the folder opened without following links: a link planted after
        # the check above makes the open fail instead of redirecting the move.
        try:
            fd = os.open(history, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            _refuse_unsafe_history(target.parent)
            raise
        try:
            name = next(n for n in names if not _exists_in(fd, n))
            _link_or_move(target, name, fd)
        finally:
            os.close(fd)
        return history / name
    kept = next(history / n for n in names if not (history / n).exists())
    os.replace(target, kept)
    return kept


def move_to_history(target: Path, now: dt.datetime | None = None) -> Path:
    """Move a file (a stale output) into ``.history/`` beside it; where it went."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    try:
        kept = _keep_history(target, stamp)
        if target.exists() and kept.exists() and os.path.samefile(target, kept):
            target.unlink()  # kept by a hard link: the name in out/ goes
    except OSError as exc:
        raise write_error(exc, [], [target]) from exc
    return kept


def _link_or_move(target: Path, name: str, folder_fd: int) -> None:
    """Keep ``target`` as ``name`` in the history folder: a hard link where the file system has
    them, so the target never goes missing (the new file then replaces it in one rename, and a
    build killed in between leaves the earlier file where it was); a move where it has not."""
    if os.link in os.supports_dir_fd:
        try:
            os.link(target, name, dst_dir_fd=folder_fd, follow_symlinks=False)
            return
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                raise
    os.rename(target, name, dst_dir_fd=folder_fd)


def _exists_in(folder_fd: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _names(paths: list[Path]) -> str:
    return "、".join(p.name for p in paths)


def write_error(exc: OSError, changed: list[Path], unchanged: list[Path]) -> XxgkError:
    """The error for a failed write, naming what changed and what did not."""
    where = exc.filename or ""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        cause = "没有写入权限（文件夹只读，或文件正被其他程序打开）"
    elif exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        cause = "磁盘空间不足"
    elif exc.errno == errno.ENAMETOOLONG:
        cause = "文件名过长，文件系统不接受"
    else:
        cause = f"写入失败：{exc.strerror}"
    if not changed:
        outcome = "原有文件未改动"
    else:
        outcome = f"已更新：{_names(changed)}；未改动：{_names(unchanged) or '（无）'}"
    return XxgkError.single("output/write-failed", f"{cause}；{outcome}", str(where))
