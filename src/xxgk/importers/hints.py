"""What the caller knows about a source besides its text: --organ/--year and the file's name.

A report's own title names its organ and year; an editor's fragment saved from a portal often has
no title. The caller's --organ/--year then come first, the file's name last (see ``document``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hints:
    """The organ and year the caller gave (None: not given) and the source file's name."""

    organ: str | None = None
    year: int | None = None
    file_name: str | None = None
