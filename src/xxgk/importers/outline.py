"""What a published report prints around its tables: the preamble and the six headings as printed.

The report itself keeps neither (the model holds the sections by their national titles), so the
importer hands them on for checks/outline.py: evaluators score a report whose headings are not
the 2021 format's or whose preamble lists other parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outline:
    """The lines between the title and the first heading, and each national section's heading
    as printed, with the index (0–5) of the section it was read as."""

    preamble: tuple[str, ...] = ()
    headings: tuple[tuple[int, str], ...] = field(default_factory=tuple)
