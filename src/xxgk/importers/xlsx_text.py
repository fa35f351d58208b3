"""Our workbook's 正文 sheet → the narrative: 一's introduction and subsections, 五 and 六."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def read_text(
    rows: Iterable[tuple[int, tuple[Any, ...]]],
    findings: list[Finding],
    places: dict[tuple[str, ...], str] | None = None,
) -> tuple[Overview, list[str], list[str]]:
    """The narrative from 正文's (row number, first four values) rows, one paragraph per row;
    blank 章节/分项 cells continue the section above.

    A row whose 章节 is 「（接上行）」 holds the rest of the paragraph above it (one longer than a
    cell holds): it is joined to that paragraph exactly, adding nothing between. ``places`` gets
    the first paragraph cell of each section and subsection, for findings about the text.
    """
    places = {} if places is None else places
    intro: list[str] = []
    subsections: list[Subsection] = []
    others: dict[str, list[str]] = {"五": [], "六": []}
    section: str | None = None
    marker: str | None = None
    last: list[str] | None = None  # the list holding the paragraph read last
    for row, cells in rows:
        heading, sub_marker, sub_title, paragraph = (_text(v) for v in cells)
        if heading is None and sub_marker is None and sub_title is None and paragraph is None:
            continue
        if heading is not None and heading.strip() == layout.TEXT_CONTINUATION:
            if paragraph is None:
                continue
            if last is None:
                findings.append(error(
                    "import/orphan-continuation", (layout.SHEET_TEXT,),
                    "「接上行」的上一行没有段落，该行未导入",
                ).in_cell(f"{layout.SHEET_TEXT}!A{row}"))
                continue
            last[-1] += paragraph
            continue
        if heading is not None:
            number = _SECTION_BY_HEADING.get(heading.strip())
            if number not in layout.TEXT_SECTIONS:
                findings.append(error(
                    "import/unknown-section", (layout.SHEET_TEXT,),
                    f"章节应为{'、'.join(_heading(n) for n in layout.TEXT_SECTIONS)}之一，"
                    f"实际为「{heading}」，该行未导入",
                ).in_cell(f"{layout.SHEET_TEXT}!A{row}"))
                last = None
                continue
            if number != section:
                section, marker = number, None
        if section is None:
            findings.append(error("import/unknown-section", (layout.SHEET_TEXT,),
                                  "未注明章节，该行未导入").in_cell(f"{layout.SHEET_TEXT}!A{row}"))
            continue
        last = None
        places.setdefault((labels.SECTION_BY_NUMBER[section].heading,),
                         f"{layout.SHEET_TEXT}!D{row}")
        if section != "一":
            if paragraph is not None:
                others[section].append(paragraph)
                last = others[section]
            continue
        if sub_marker is not None and sub_marker != marker:
            marker = sub_marker
            subsections.append(Subsection(title=sub_title or "", paragraphs=[]))
            places.setdefault((labels.SECTION_BY_NUMBER["一"].heading,
                              f"{labels.subsection_marker(len(subsections) - 1)}{sub_title or ''}"),
                             f"{layout.SHEET_TEXT}!D{row}")
        if paragraph is None:
            continue
        last = intro if marker is None else subsections[-1].paragraphs
        last.append(paragraph)
    return Overview(intro=intro, subsections=subsections), others["五"], others["六"]


def _heading(number: str) -> str:
    return f"「{labels.SECTION_BY_NUMBER[number].heading}」"
