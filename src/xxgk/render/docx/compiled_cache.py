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

import hashlib
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from xxgk.render.user_cache import cache_folder, code_digest, load_marshalled, store_marshalled

__all__ = ["cache_folder", "entry_key", "load", "store"]

_FORMAT = 1
_MAX_ENTRY = 64 * 1024 * 1024  # a compiled template is ≈ 1 MB; anything far larger is not ours


# The modules whose code decides what a compiled template is (the environment, its limits, the
# checks, the context it is rendered with): every module of the Word renderer, so that no
# development tree or unversioned install ever runs an entry another code compiled.
_HERE = Path(__file__).resolve().parent
_SHAPING = (*sorted(p.name for p in _HERE.glob("*.py")), "../user_cache.py")


def _versions() -> str:
    code = code_digest(_HERE, _SHAPING)
    found = [code.hexdigest()]
    for package in ("xxgk", "Jinja2", "docxtpl", "lxml"):
        try:
            found.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package}=?")
    return ";".join([sys.version, *found, f"format={_FORMAT}"])


def entry_key(template_bytes: bytes) -> str:
    """The entry's name: the template's bytes and every version that shapes the compiled code."""
    digest = hashlib.sha256(template_bytes)
    digest.update(_versions().encode("utf-8"))
    return digest.hexdigest()


def load(key: str) -> dict[str, Any] | None:
    """The stored entry, or None (missing, damaged, another format)."""
    return load_marshalled(f"template-{key}.bin", _MAX_ENTRY, _FORMAT, key)


def store(key: str, entry: dict[str, Any]) -> None:
    """Keep an entry; any failure to write is silent (the cache only saves time)."""
    store_marshalled(f"template-{key}.bin", entry, _FORMAT, key)
