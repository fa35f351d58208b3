"""Review that lasts: each finding has a fingerprint that stays the same from one run to the next
(organ, year, rule and place — not the file name, the line or the wording), so that the 复核 and
整改 a supervisor typed into last run's workbook come back on the same finding."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from xxgk.errors import Finding
from xxgk.pairing import organ_key

# The columns a supervisor fills in, in the workbook's order after the finding itself.
REVIEW = "复核"
REVIEW_NOTE = "复核说明"
OWNER = "责任单位"
STATUS = "整改状态"
FEEDBACK = "整改反馈"
MARK_HEADINGS = (REVIEW, REVIEW_NOTE, OWNER, STATUS, FEEDBACK)
REVIEW_CHOICES = ("确认", "排除")
STATUS_CHOICES = ("未整改", "整改中", "已整改")
FINGERPRINT = "编号"  # the column holding the fingerprint
FINGERPRINT_LENGTH = 12


@dataclass(frozen=True)
class Mark:
    """What a supervisor wrote on one finding, and enough of it to name it when it is gone."""

    fingerprint: str
    values: tuple[str, ...]  # in MARK_HEADINGS order
    organ: str = ""
    rule: str = ""
    place: str = ""
    sheet: str = ""

    @property
    def empty(self) -> bool:
        """True when nothing was written."""
        return not any(v.strip() for v in self.values)


def _base(organ: str, year: int | None, source: str, finding: Finding) -> str:
    who = organ_key(organ) or f"文件:{source}"  # a report without an organ: its file stands
    return "\x1f".join((who, str(year or ""), finding.code, str(finding.location)))


def fingerprints(
    organ: str, year: int | None, source: str, findings: Sequence[Finding]
) -> list[str]:
    """The fingerprint of each finding of one report; a second finding of the same rule at the
    same place is numbered (in order), so that every finding has its own."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        base = _base(organ, year, source, finding)
        n = seen.get(base, 0)
        seen[base] = n + 1
        key = base if n == 0 else f"{base}\x1f{n}"
        out.append(hashlib.sha256(key.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH].upper())
    return out


def unmatched(marks: Iterable[Mark], fingerprints_now: set[str]) -> Iterator[Mark]:
    """The marks (with something written) whose finding is no longer found."""
    for mark in marks:
        if not mark.empty and mark.fingerprint not in fingerprints_now:
            yield mark
