"""A workbook skeleton kept on disk between runs, so one `xxgk build` does not need openpyxl's
rendering (≈ 40 ms, the largest part of a single build after the imports).

Within a run, a shape's skeleton is made from openpyxl's package for one report, checked byte for
byte against it, and then filled for every later report (``fast.py``). This keeps that checked
skeleton for the next run, per user (``render/user_cache.py``), under the SHA-256 of every module
whose code shapes a workbook, the versions of Python, zlib, openpyxl (and whether it writes
through lxml), lxml and xxgk, and the shape: a changed renderer, layout or label, or any upgrade,
makes and checks a skeleton afresh — exactly what the next report of one run would be given.
Only a skeleton that reproduced openpyxl is kept. The entry carries the SHA-256 of its contents:
a damaged, foreign or unreadable entry is ignored (the skeleton made again and rewritten).
Entries hold only text and numbers (marshal, no code).
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import zlib
from pathlib import Path
from typing import Any

import lxml.etree
import openpyxl
import openpyxl.xml

from xxgk.render.user_cache import code_digest, load_marshalled, store_marshalled

_FORMAT = 1
_MAX_ENTRY = 16 * 1024 * 1024  # a skeleton is ≈ 0.1 MB; anything far larger is not ours

_XXGK = Path(__file__).resolve().parents[2]
# Every module whose code decides the bytes openpyxl writes for a report or the way fast.py cuts
# and fills them: the renderer and every xxgk module it imports (tests/test_skeleton_cache.py
# checks that list), the layout it shares with the importer, the labels it prints, the model's
# derived fields, text cleaning, numbers as printed, the zip writer.
_SHAPING = (
    *sorted(p.relative_to(_XXGK).as_posix() for p in (_XXGK / "render" / "xlsx").glob("*.py")),
    "render/__init__.py", "render/clean.py", "render/printed.py", "render/zipfix.py",
    "render/user_cache.py", "xlsx_layout.py", "labels.py", "model.py", "rules.py", "errors.py",
    "openpyxl_lean.py",
)


def entry_key(shape: object, version: str) -> str:
    """The entry's name: the shape, the shaping modules' bytes and every version that matters."""
    digest = code_digest(_XXGK, _SHAPING)
    # openpyxl writes through lxml or through its own writer (OPENPYXL_LXML): other bytes.
    context = [sys.version, zlib.ZLIB_RUNTIME_VERSION, openpyxl.__version__,
               f"lxml-writer={openpyxl.xml.LXML}", lxml.etree.__version__, version, repr(shape),
               f"format={_FORMAT}"]
    digest.update(";".join(context).encode("utf-8"))
    return digest.hexdigest()


def _name(key: str) -> str:
    return f"skeleton-{key}.bin"


def load(key: str) -> Any | None:
    """The stored skeleton's contents (as ``store`` was given them), or None."""
    entry = load_marshalled(_name(key), _MAX_ENTRY, _FORMAT, key)
    if (entry is None or not isinstance(entry.get("contents"), bytes)
            or entry.get("sha256") != hashlib.sha256(entry["contents"]).hexdigest()):
        return None
    try:
        return marshal.loads(entry["contents"])
    except (ValueError, EOFError, TypeError):
        return None


def store(key: str, contents: Any) -> None:
    """Keep a checked skeleton's contents (tuples, dicts, str, bytes, int: marshal's types)."""
    packed = marshal.dumps(contents)
    store_marshalled(_name(key), {"sha256": hashlib.sha256(packed).hexdigest(),
                                  "contents": packed}, _FORMAT, key)
