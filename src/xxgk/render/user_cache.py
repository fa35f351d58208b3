"""The per-user cache folder of what a run can keep for the next (compiled template, skeleton).

``XXGK_CACHE_DIR`` (empty: no cache), else the platform's cache folder. An entry is written to a
temporary file and renamed, so two runs at once never read half an entry; any failure to read or
write only costs the time the entry would have saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def cache_folder() -> Path | None:
    """Where entries are kept: XXGK_CACHE_DIR (empty: none), else the platform's."""
    chosen = os.environ.get("XXGK_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "xxgk" / "cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "xxgk"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xxgk"


def read_entry(name: str, max_size: int) -> bytes | None:
    """The entry's bytes, or None (no cache, missing, not a regular file, larger than max_size)."""
    folder = cache_folder()
    if folder is None:
        return None
    path = folder / name
    try:
        if not path.is_file() or path.stat().st_size > max_size:
            return None
        return path.read_bytes()
    except OSError:
        return None


def write_entry(name: str, data: bytes) -> None:
    """Keep an entry; any failure to write is silent (the cache only saves time)."""
    folder = cache_folder()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=f".{name.split('-')[0]}-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, folder / name)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def load_marshalled(name: str, max_size: int, fmt: int, key: str) -> dict[str, Any] | None:
    """A marshalled entry written by :func:`store_marshalled`, or None (missing, damaged, another
    format or key)."""
    data = read_entry(name, max_size)
    if data is None:
        return None
    try:
        entry = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != fmt or entry.get("key") != key:
        return None
    return entry


def store_marshalled(name: str, entry: dict[str, Any], fmt: int, key: str) -> None:
    """Keep an entry of marshal's types under its format and key; silent on any failure."""
    if cache_folder() is None:
        return
    write_entry(name, marshal.dumps({**entry, "format": fmt, "key": key}))


def code_digest(root: Path, modules: Iterable[str]) -> hashlib._Hash:
    """A SHA-256 begun with each module's name and bytes (a module missing counts as empty): an
    entry made by other code is never taken for this code's."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.encode("utf-8") + b"\0")
        with contextlib.suppress(OSError):
            digest.update((root / module).read_bytes())
    return digest
