"""Text that is safe to show: on a terminal, in a JSON line and as an output file name.

Data files, file names and template text can carry characters a terminal obeys rather than
shows (ESC sequences that recolour or retitle it, a carriage return that overwrites a line),
bidi controls that reverse what the clerk reads (a name ending ``…txt.exe`` shown as ``…exe.txt``),
line separators some JSON readers break lines on, and lone surrogates (from a non-UTF-8 file name
decoded with ``surrogateescape``) that no encoder accepts. Each is shown as a visible escape.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

# C0 controls but tab and newline, DEL, C1 controls (U+0085 included), the bidi embeddings,
# overrides and isolates, the marks LRM/RLM/ALM, the line and paragraph separators, and surrogates.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
# In a JSON line: what json.dumps(ensure_ascii=False) leaves raw but readers may split on or
# cannot encode (it escapes C0 controls itself).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# In an output file name: every control and bidi character, and zero-width characters that make
# two names look the same.
_UNSAFE_IN_NAMES = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff"
    "\ud800-\udfff]"
)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def console_safe(text: object) -> str:
    """The text with every control, bidi and unpaired-surrogate character shown as an escape
    (``\\x1b``, ``\\u202e``); tab and newline are kept."""
    return _UNSAFE.sub(lambda m: _escape(m.group(0)), str(text))


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """The text with each lone surrogate written as an escape (``\\xff`` for a byte of a
    non-UTF-8 file name), so it can be encoded as UTF-8; everything else unchanged."""
    return _SURROGATE.sub(lambda m: _escape(m.group(0)), text)


def json_line(data: object) -> str:
    """One JSON line with Chinese kept readable and every line separator, C1 control, bidi
    control and lone surrogate written as a ``\\uXXXX`` escape (which decodes back unchanged)."""
    text = json.dumps(data, ensure_ascii=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


# A name's bytes on disk stay under 255 with room for what the writer adds around it: the
# temporary file's ``.{name}.{pid}.{random}.tmp`` and the history copy's ``.{stamp}-{n}``.
MAX_NAME_BYTES = 180
_HASH_CHARS = 10


def name_safe(stem: str) -> str:
    """A file name stem with control, bidi and zero-width characters replaced by 「_」."""
    return _UNSAFE_IN_NAMES.sub("_", stem)


def shortened(stem: str, suffix: str) -> str:
    """``stem + suffix``, or, when longer than :data:`MAX_NAME_BYTES` in UTF-8, the stem cut at
    a character boundary with a hash of the whole stem appended (so two long names that share
    their beginning still differ)."""
    if len((stem + suffix).encode("utf-8")) <= MAX_NAME_BYTES:
        return stem + suffix
    digest = hashlib.sha256(stem.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - _HASH_CHARS - 1
    cut = stem.encode("utf-8", "surrogatepass")[:budget].decode("utf-8", "ignore")
    return f"{cut}-{digest}{suffix}"


def collision_key(name: str) -> str:
    """What two file names are compared by: NFKC and case-folded, as a case-insensitive file
    system (Windows, macOS) or a copy onto one would treat them."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
