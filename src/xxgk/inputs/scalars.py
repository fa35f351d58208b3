"""Text scalars read from their source: every line typed is a line kept.

YAML folds the line breaks of plain, quoted and ``>`` scalars into spaces; a clerk who pressed
Enter meant a new paragraph. So a text value is read from the file's own characters between the
node's marks: one item per source line (and per ``\\n`` escape in double quotes), each stripped,
blank lines dropped. And a plain scalar ends at `` #``: what followed is found on the rest of the
line, so that a lost half-sentence can be reported rather than silently dropped.
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import ScalarNode

_TRAILING_BACKSLASHES = re.compile(r"(\\*)\Z")
_COMMENT_AFTER = re.compile(r"[ \t]+#(.*)")


def text_lines(node: ScalarNode, source: str) -> list[str]:
    """The scalar's lines as typed, each stripped of surrounding space; blank lines dropped."""
    style = node.style or None
    raw = source[node.start_mark.index : node.end_mark.index]
    if style == "|":
        lines = node.value.splitlines()
    elif style == ">":
        lines = raw.splitlines()[1:]  # the first line is the header (「>」, chomping, comment)
    elif style == "'":
        lines = raw[1:-1].replace("''", "'").splitlines()
    elif style == '"':
        lines = _double_quoted(node, raw)
    else:
        lines = raw.splitlines()
    return [s for line in lines if (s := line.strip())]


def _double_quoted(node: ScalarNode, raw: str) -> list[str]:
    """Lines of a double-quoted scalar: escapes decoded, a source line break kept as a break."""
    if "\n" not in raw and "\r" not in raw:
        return str(node.value).splitlines()
    pieces: list[str] = []
    joined = False  # the previous line ended with an escaped line break: no break here
    for line in raw[1:-1].splitlines():
        line = line.lstrip(" \t") if pieces else line
        ends_escaped = len(_TRAILING_BACKSLASHES.search(line.rstrip(" \t")).group(1)) % 2 == 1  # type: ignore[union-attr]
        body = line.rstrip(" \t")[:-1] if ends_escaped else line.rstrip(" \t")
        if pieces and not joined:
            pieces.append("\\n")
        pieces.append(body)
        joined = ends_escaped
    try:
        decoded = yaml.safe_load('"' + "".join(pieces) + '"')
    except yaml.YAMLError:  # not expected from a scalar the parser took; keep what it read
        decoded = node.value
    return str(decoded).splitlines()


def lost_comment(node: ScalarNode, source: str) -> str | None:
    """What follows a plain scalar as a `` #`` comment on its last line, or None."""
    if node.style not in (None, ""):
        return None
    end = node.end_mark.index
    line_end = source.find("\n", end)
    rest = source[end : len(source) if line_end < 0 else line_end].rstrip("\r")
    match = _COMMENT_AFTER.match(rest)
    return match.group(1).strip() if match else None
