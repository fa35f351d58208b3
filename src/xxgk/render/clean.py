"""Text cleaning done once, before any renderer: drop what XML 1.0 and Excel cannot hold."""

from __future__ import annotations

import collections
import re
from typing import Any

from pydantic import BaseModel

from xxgk.errors import Finding, warning
from xxgk.model import Report

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
# Lone surrogates and U+FFFE/U+FFFF are also refused by Word, WPS and Excel.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text: str) -> tuple[str, int]:
    """The text without characters XML cannot hold, and how many were dropped."""
    cleaned, dropped = _NOT_XML.subn("", text)
    return cleaned, dropped


def clean_report(report: Report) -> tuple[Report, list[Finding]]:
    """The report with every text field cleaned, and a warning naming each field that changed."""
    if any(report is known for known in _CLEANED):
        return report, []  # cleaned already (the build cleans, then each renderer asks again)
    findings: list[Finding] = []
    data = _clean(report.model_dump(), (), findings)
    cleaned = Report.model_validate(data) if findings else report
    _CLEANED.append(cleaned)
    return cleaned, findings


# The last reports this process cleaned (frozen models, held here so no other object can take
# their id): asking again for one of them finds nothing to clean, so it is not walked again.
_CLEANED: collections.deque[Report] = collections.deque(maxlen=4)


def _clean(value: Any, path: tuple[str, ...], findings: list[Finding]) -> Any:
    if isinstance(value, str):
        cleaned, dropped = clean_text(value)
        if dropped:
            findings.append(
                warning(
                    "render/dropped-characters",
                    path,
                    f"删除了 {dropped} 个 Word/Excel 无法保存的控制字符",
                )
            )
        return cleaned
    if isinstance(value, dict):
        return {k: _clean(v, (*path, str(k)), findings) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_clean(v, (*path, str(i + 1)), findings) for i, v in enumerate(value)]
        return type(value)(items)
    if isinstance(value, BaseModel):  # pragma: no cover - model_dump gives plain data
        return value
    return value
