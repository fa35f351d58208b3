"""``out/manifest.json``: each current output with the hashes of what it was built from.

The archive bureau verifies what it received against it: the output's SHA-256, the SHA-256 of the
data file and of the template it came from, and the xxgk version. No clock in it, so an identical
rebuild leaves it byte-identical.

The manifest never lies: at every moment each entry's SHA-256 is that of the file on disk, or the
entry is absent. :func:`publish` holds a lock on the folder (so concurrent builds take turns),
first removes the entries of the files about to change, then renames the outputs into place, then
records the entries of what is now on disk — each manifest write atomic, so a build killed at any
point leaves missing entries, never wrong ones. The lock is the operating system's own
(``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows): released by the kernel when its holder
dies, so a killed build never leaves a stale lock, and no dependency is needed for it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import BinaryIO

from xxgk.errors import XxgkError
from xxgk.inputs.source import read_bytes
from xxgk.safe_text import encodable
from xxgk.writer import (
    Staged,
    commit_outputs,
    discard,
    move_to_history,
    write_error,
    write_outputs,
)

MANIFEST = "manifest.json"
LOCK = ".manifest.lock"


@functools.cache  # importlib.metadata searches sys.path each time: 2 ms, twice per report
def xxgk_version() -> str:
    """The installed xxgk version."""
    try:
        return version("xxgk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


@dataclass(frozen=True)
class ManifestEntry:
    """One output file and what it was built from."""

    file: str
    sha256: str
    source: str
    source_sha256: str
    template_sha256: str
    xxgk_version: str

    @classmethod
    def of(
        cls, target: Path, data: bytes, source: Path, source_sha256: str, template_sha256: str
    ) -> ManifestEntry:
        """The entry for ``data`` about to be written at ``target``."""
        return cls(
            encodable(target.name),
            hashlib.sha256(data).hexdigest(),
            encodable(source.name),
            source_sha256,
            template_sha256,
            xxgk_version(),
        )


MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # ~50 000 entries; a planted /dev/zero link stops here


def read_manifest(outdir: Path) -> dict[str, ManifestEntry]:
    """The manifest's entries by file name (empty when there is none yet).

    Only a regular file up to ``MAX_MANIFEST_BYTES`` is read (a FIFO would hang every build into
    the folder while it holds the lock); anything but the shape we write — nesting, a field of
    another type — is a damaged manifest, said in one message.
    """
    path = outdir / MANIFEST
    if not path.exists() and not path.is_symlink():
        return {}
    damaged = XxgkError.single(
        "output/bad-manifest",
        "清单文件已损坏（不是 xxgk 写的清单、不是普通文件或过大），请移走后重新生成",
        str(path),
    )
    try:
        text = read_bytes(path, MAX_MANIFEST_BYTES).decode("utf-8")
        data = json.loads(text)
    except (XxgkError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise damaged from exc
    names = [f.name for f in fields(ManifestEntry)]
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(
        isinstance(e, dict) and sorted(e) == sorted(names)
        and all(isinstance(e[n], str) for n in names)
        for e in files
    ):
        raise damaged
    return {e["file"]: ManifestEntry(**e) for e in files}


def update_manifest(outdir: Path, entries: list[ManifestEntry]) -> None:
    """Record these entries for files already on disk (each kept only if its SHA-256 matches)."""
    with manifest_lock(outdir):
        current = read_manifest(outdir)
        _write(outdir, _reconciled(outdir, current, {e.file: e for e in entries}))


def publish(
    outdir: Path,
    outputs: list[tuple[Staged, ManifestEntry]],
    keep_history: bool = True,
    moved: list[Path] | None = None,
) -> list[Path]:
    """Put staged outputs in place and record them in the manifest; the paths written (earlier
    versions moved to ``.history/`` are appended to ``moved`` when given).

    On a failure the error says which outputs changed, which did not, and what the manifest
    now holds for them; the manifest stays true in every case.
    """
    if not outputs:
        return []
    try:
        with manifest_lock(outdir):
            return _publish_locked(outdir, outputs, keep_history, moved)
    finally:
        _discard(outputs)  # whatever was not put in place (a temporary moved is gone already)


def _publish_locked(
    outdir: Path,
    outputs: list[tuple[Staged, ManifestEntry]],
    keep_history: bool,
    moved: list[Path] | None,
) -> list[Path]:
    current = read_manifest(outdir)
    new = {entry.file: entry for _, entry in outputs}
    changing = {s.target.name for s, _ in outputs if s.temporary is not None}
    if changing & current.keys():
        # Before any output moves, so no entry ever names bytes the disk no longer holds.
        _write(outdir, {k: v for k, v in current.items() if k not in changing})
    try:
        written = commit_outputs([s for s, _ in outputs], keep_history=keep_history, moved=moved)
    except XxgkError as exc:
        _record_after_failure(outdir, current, new, exc)
        raise
    try:
        _write(outdir, _reconciled(outdir, current, new))
    except XxgkError as exc:
        names = "、".join(p.name for p in written) or "（无）"
        raise XxgkError.single(
            "output/manifest-failed",
            f"输出文件已更新：{names}；但清单 {MANIFEST} 未能更新（{_first(exc)}），"
            "清单中已去掉这些文件的条目（没有错误的条目）；请腾出空间后重新生成",
            str(outdir / MANIFEST),
        ) from exc
    return written


def retire(outdir: Path, paths: list[Path], moved: list[Path] | None = None) -> None:
    """Move stale outputs into ``.history/`` and drop their entries (their new paths are appended
    to ``moved``): out/ then holds no version of a report older than the others."""
    present = [p for p in paths if p.is_file()]
    if not present:
        return
    with manifest_lock(outdir):
        current = read_manifest(outdir)
        names = {p.name for p in present}
        _write(outdir, {k: v for k, v in current.items() if k not in names})
        for path in present:
            kept = move_to_history(path)
            if moved is not None:
                moved.append(kept)


def _record_after_failure(
    outdir: Path, current: dict[str, ManifestEntry], new: dict[str, ManifestEntry], exc: XxgkError
) -> None:
    # Some outputs may have moved: record what the disk holds now, if the disk still lets us.
    try:
        _write(outdir, _reconciled(outdir, current, new))
        note = f"清单 {MANIFEST} 已按磁盘上的文件更新"
    except XxgkError:
        note = f"清单 {MANIFEST} 中已去掉将改动文件的条目（没有错误的条目）"
    exc.findings = [
        type(f)(f.code, f.severity, f.location, f"{f.message}；{note}") for f in exc.findings
    ]


def _first(exc: XxgkError) -> str:
    # The cause only (磁盘空间不足, 没有写入权限…): what the outputs became is said around it.
    return (exc.findings[0].message if exc.findings else str(exc)).split("；", 1)[0]


def _discard(outputs: list[tuple[Staged, ManifestEntry]]) -> None:
    discard([s for s, _ in outputs])


def _sha256_on_disk(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _reconciled(
    outdir: Path, current: dict[str, ManifestEntry], new: dict[str, ManifestEntry]
) -> dict[str, ManifestEntry]:
    """The entries the disk bears out: for each touched file the new entry if the file holds its
    bytes, else the old one if it still does, else none; untouched entries whose file exists."""
    kept = {name: e for name, e in current.items() if name not in new and (outdir / name).exists()}
    for name, entry in new.items():
        digest = _sha256_on_disk(outdir / name)
        if digest == entry.sha256:
            kept[name] = entry
        elif name in current and digest == current[name].sha256:
            kept[name] = current[name]
    return kept


def _write(outdir: Path, entries: dict[str, ManifestEntry]) -> None:
    files = [asdict(entries[name]) for name in sorted(entries)]
    text = json.dumps({"files": files}, ensure_ascii=False, indent=2)
    write_outputs({outdir / MANIFEST: (text + "\n").encode("utf-8")}, keep_history=False)


@contextlib.contextmanager
def manifest_lock(outdir: Path) -> Iterator[None]:
    """Hold the output folder's lock (waiting for it) while the manifest is read and rewritten."""
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / LOCK
    try:
        # Not following a link: one planted as the lock file must not make us create or open
        # a file outside the output folder.
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        handle: BinaryIO = os.fdopen(os.open(path, flags, 0o666), "r+b")
    except OSError as exc:
        if path.is_symlink():
            raise XxgkError.single(
                "output/unsafe-lock",
                f"{LOCK} 是符号链接，可能指向输出文件夹以外，未写入任何文件；请删除它后重试",
                str(path),
            ) from exc
        if not path.is_file():  # a read-only folder: the write that follows says so
            raise write_error(exc, [], []) from exc
        handle = path.open("rb")  # a lock on a read-only handle still excludes others
    with handle:
        _lock(handle)
        try:
            yield
        finally:
            _unlock(handle)


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: BinaryIO) -> None:
        handle.seek(0)
        while True:  # LK_LOCK gives up after 10 attempts a second apart: keep waiting
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue

    def _unlock(handle: BinaryIO) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _unlock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
