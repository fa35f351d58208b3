"""Reports and helpers shared by the workbook tests (render, import, LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook

from xxgk import labels
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    DocumentHeader,
    Overview,
    Report,
    ReviewOutcomes,
    Subsection,
    Table2,
    Table3,
    Table4,
)
from xxgk.render.xlsx import render_xlsx

SHA = "0123456789abcdef" * 4
N = len(labels.TABLE3_COLUMNS)


def rich_table3() -> Table3:
    """A consistent 表三 with a different number in nearly every cell (so a swap shows)."""
    rows: dict[str, ApplicantCounts] = {}
    others = [r for r in labels.TABLE3_RESULT_ROWS if r.id != "granted"]
    for i, row in enumerate(others):
        rows[row.id] = ApplicantCounts(cells=tuple((i + c) % 4 for c in range(N)))
    new = tuple(40 + c for c in range(N))
    carried_in = tuple(2 + c % 2 for c in range(N))
    carried_out = tuple(1 + c for c in range(N))
    granted = []
    for c in range(N):
        rest = sum(rows[r.id].cells[c] or 0 for r in others)
        granted.append(new[c] + carried_in[c] - carried_out[c] - rest)
    assert min(granted) > 0
    rows["granted"] = ApplicantCounts(cells=tuple(granted))
    rows["new"] = ApplicantCounts(cells=new)
    rows["carried_in"] = ApplicantCounts(cells=carried_in)
    rows["carried_out"] = ApplicantCounts(cells=carried_out)
    return Table3(rows=rows)


def rich_report() -> Report:
    """Non-zero numbers, no stated totals, a header with a date, a fee of 1.2345 万元, all text."""
    return Report(
        organ="某某市某某局",
        year=2025,
        header=DocumentHeader(issuer_mark="某某市某某局文件", doc_number="某政〔2026〕3号",
                              date=dt.date(2026, 1, 20), signer="某某市某某局办公室"),
        overview=Overview(
            intro=["2025年，我局坚持公开为常态。", "主要做法如下："],
            subsections=[
                Subsection(title="主动公开", paragraphs=["全年主动公开信息 120 条。", "第二段。"]),
                Subsection(title="依申请公开", paragraphs=["全年收到申请 255 件。"]),
                Subsection(title="政府信息管理", paragraphs=[]),
                Subsection(title="平台建设", paragraphs=["网站改版。"]),
                Subsection(title="监督保障", paragraphs=["纳入绩效考核。"]),
            ],
        ),
        table2=Table2(
            regulations=DocumentCounts(issued=1, repealed=2, in_force=3),
            normative_documents=DocumentCounts(issued=4, repealed=5, in_force=6),
            licensing=7, punishment=8, enforcement=9, fees=Decimal("1.2345"),
        ),
        table3=rich_table3(),
        table4=Table4(
            review=ReviewOutcomes(upheld=1, corrected=2, other=3, pending=4),
            direct_suit=ReviewOutcomes(upheld=0, corrected=1, other=0, pending=5),
            suit_after_review=ReviewOutcomes(upheld=2, corrected=0, other=0, pending=0),
        ),
        problems=["一是公开的时效性不够强。", "二是解读形式单一。"],
        other_matters=["本年度未收取信息处理费。"],
    )


def open_rendered(report: Report) -> Workbook:
    """The report's workbook as openpyxl reads it back."""
    return load_workbook(io.BytesIO(render_xlsx(report, data_sha256=SHA)))


def write_rendered(report: Report, path: Path) -> Path:
    """Write the report's workbook to ``path`` and return the path."""
    path.write_bytes(render_xlsx(report, data_sha256=SHA))
    return path


def sheet_part(data: bytes, sheet: str) -> str:
    """The zip member holding a sheet, found through workbook.xml and its relationships."""
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)
    assert rid is not None, sheet
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) \
        or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target is not None
    name = target.group(1).lstrip("/")
    return name if name.startswith("xl/") else f"xl/{name}"


def with_sheet_xml(path: Path, sheet: str, edit: Callable[[str], str]) -> Path:
    """Rewrite one sheet's XML in place, as Excel saves what openpyxl cannot write."""
    import zipfile

    data = path.read_bytes()
    part = sheet_part(data, sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                body = edit(body.decode()).encode()
            dst.writestr(info, body)
    path.write_bytes(out.getvalue())
    return path


def with_cell_xml(path: Path, sheet: str, ref: str, cell_xml: str) -> Path:
    """Put a raw ``<c>`` element at ``ref`` of a sheet (replacing the one there, or adding it to
    its row), as Excel saves what openpyxl cannot write: a formula together with a cached value."""
    import re

    def edit(xml: str) -> str:
        cell = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
        if cell.search(xml):
            return cell.sub(lambda _: cell_xml, xml, count=1)
        row = int(re.sub(r"[A-Z]+", "", ref))
        opened = re.compile(rf'(<row r="{row}"[^>]*>)')
        if opened.search(xml):
            return opened.sub(lambda m: m.group(1) + cell_xml, xml, count=1)
        # (str.replace: the cell's XML may hold 「\1」, no group reference)
        xml = xml.replace("</sheetData>", f'<row r="{row}">{cell_xml}</row></sheetData>')
        return xml.replace("<sheetData/>", f'<sheetData><row r="{row}">{cell_xml}</row>'
                           "</sheetData>")

    return with_sheet_xml(path, sheet, edit)
    return path
