"""A template's compiled form kept on disk between runs, so one `xxgk build` does not compile it.

Compiling the report template (docxtpl's patch, Jinja's parse and compile, the checks, the static
parts deflated) is ≈ 40 % of a single build's time, and the same on every run for the same file.
The result is stored per user (``XXGK_CACHE_DIR``, else the platform's cache folder) under the
SHA-256 of the template's bytes and the versions of Python, Jinja, docxtpl and xxgk: a changed
template, or any upgrade, compiles afresh. Only a template that compiled without an error is
stored. A missing, unreadable, foreign or damaged entry is ignored (compiled again and rewritten);
a folder that cannot be written costs only the time. Entries are written to a temporary file and
renamed, so two builds at once never read half an entry.

Entries hold code objects (marshal): like any cache of compiled Python (``__pycache__``), the
folder must be writable only by its user.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

_FORMAT = 1
_MAX_ENTRY = 64 * 1024 * 1024  # a compiled template is ≈ 1 MB; anything far larger is not ours


# The modules whose code decides what a compiled template is (the environment, its limits, the
# checks): their bytes are part of the key, so a development tree never runs a stale entry.
_SHAPING = ("template.py", "limits.py", "wellformed.py", "context.py", "inside.py",
            "compiled_cache.py")


def _versions() -> str:
    here = Path(__file__).parent
    code = hashlib.sha256()
    for module in _SHAPING:
        with contextlib.suppress(OSError):
            code.update((here / module).read_bytes())
    found = [code.hexdigest()]
    for package in ("xxgk", "Jinja2", "docxtpl", "lxml"):
        try:
            found.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package}=?")
    return ";".join([sys.version, *found, f"format={_FORMAT}"])


def cache_folder() -> Path | None:
    """Where compiled templates are kept: XXGK_CACHE_DIR (empty: none), else the platform's."""
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


def entry_key(template_bytes: bytes) -> str:
    """The entry's name: the template's bytes and every version that shapes the compiled code."""
    digest = hashlib.sha256(template_bytes)
    digest.update(_versions().encode("utf-8"))
    return digest.hexdigest()


def load(key: str) -> dict[str, Any] | None:
    """The stored entry, or None (missing, damaged, another format)."""
    folder = cache_folder()
    if folder is None:
        return None
    path = folder / f"template-{key}.bin"
    try:
        if not path.is_file() or path.stat().st_size > _MAX_ENTRY:
            return None
        entry = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != _FORMAT or entry.get("key") != key:
        return None
    return entry


def store(key: str, entry: dict[str, Any]) -> None:
    """Keep an entry; any failure to write is silent (the cache only saves time)."""
    folder = cache_folder()
    if folder is None:
        return
    data = marshal.dumps({**entry, "format": _FORMAT, "key": key})
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=".template-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, folder / f"template-{key}.bin")
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
