"""Our workbook's 正文 sheet → the narrative: 一's introduction and subsections, 五 and 六."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from xxgk import labels
from xxgk import xlsx_layout as layout
from xxgk.errors import Finding, error
from xxgk.model import Overview, Subsection

_SECTION_BY_HEADING = {s.heading: s.number for s in labels.SECTIONS}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_text(ws: Worksheet, findings: list[Finding]) -> tuple[Overview, list[str], list[str]]:
    """The narrative, one paragraph per row; blank 章节/分项 cells continue the row above."""
    intro: list[str] = []
    subsections: list[Subsection] = []
    others: dict[str, list[str]] = {"五": [], "六": []}
    section: str | None = None
    marker: str | None = None
    for row, cells in enumerate(
        ws.iter_rows(min_row=layout.TEXT_FIRST_ROW, max_col=4, values_only=True),
        layout.TEXT_FIRST_ROW,
    ):
        heading, sub_marker, sub_title, paragraph = (_text(v) for v in cells)
        if heading is None and sub_marker is None and sub_title is None and paragraph is None:
            continue
        if heading is not None:
            number = _SECTION_BY_HEADING.get(heading.strip())
            if number not in layout.TEXT_SECTIONS:
                findings.append(error(
                    "import/unknown-section", (layout.SHEET_TEXT, f"A{row}"),
                    f"章节应为{'、'.join(_heading(n) for n in layout.TEXT_SECTIONS)}之一，"
                    f"实际为「{heading}」，该行未导入",
                ))
                continue
            if number != section:
                section, marker = number, None
        if section is None:
            findings.append(error("import/unknown-section", (layout.SHEET_TEXT, f"A{row}"),
                                  "未注明章节，该行未导入"))
            continue
        if section != "一":
            if paragraph is not None:
                others[section].append(paragraph)
            continue
        if sub_marker is not None and sub_marker != marker:
            marker = sub_marker
            subsections.append(Subsection(title=sub_title or "", paragraphs=[]))
        if paragraph is None:
            continue
        if marker is None:
            intro.append(paragraph)
        else:
            subsections[-1].paragraphs.append(paragraph)
    return Overview(intro=intro, subsections=subsections), others["五"], others["六"]


def _heading(number: str) -> str:
    return f"「{labels.SECTION_BY_NUMBER[number].heading}」"
