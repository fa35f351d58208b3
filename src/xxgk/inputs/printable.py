"""Text from a data file made safe to print in a message, on any console.

A message may quote what the clerk typed (a key, a value, a file name). That text can hold what
no terminal should receive: control characters (ESC sequences, carriage returns), bidi controls,
lone surrogates from a non-UTF-8 file name or a ``"\\ud800"`` escape. They are shown escaped
(``\\x1b``, ``\\u202e``, ``\\udcff``) and long text is shortened, so a message stays one short line.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

# Bidi controls reorder what follows them on screen; the rest of Cf (zero-width joiners used in
# some scripts) is harmless and kept.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALWAYS_SHOWN = frozenset("\u3000")  # the ideographic space is printable and common


def unsafe(ch: str) -> bool:
    """Whether a character must not reach a terminal as it is."""
    if ch in _ALWAYS_SHOWN:
        return False
    category = unicodedata.category(ch)
    # Private-use and not-yet-assigned code points stay: rare 汉字 live there in some fonts.
    return category in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI or ch == "\ufeff"


def shown(text: str, limit: int = 40) -> str:
    """The text with unsafe characters escaped, cut to ``limit`` characters with 「…」."""
    if len(text) <= limit and text.isprintable():  # nothing to escape (the common case)
        return text
    cut = len(text) > limit
    part = text[:limit]
    escaped = "".join(_escape(ch) if unsafe(ch) else ch for ch in part)
    return escaped + ("…" if cut else "")


def shown_path(path: str | Path) -> str:
    """A file name fit for a message (bytes that are not UTF-8 shown as \\xNN-like escapes)."""
    return shown(os.fspath(path), limit=4096)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\x{code:02x}")
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
