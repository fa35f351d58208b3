"""Report → the companion Excel workbook (.xlsx bytes), reproducible and readable back as data.

Sheets: 封面, 表二 主动公开, 表三 申请处理, 表四 复议诉讼, 正文, 校验 (see ``xxgk.xlsx_layout``).
It is at once the archive copy ``build`` writes and the fill-in workbook ``init`` writes: input
cells are yellow and unlocked, everything else is protected (no password), each input cell has
data validation and an input message. Every 总计 is a live ``=SUM()`` with its result cached in the
cell (``cached.py``), 校验's rules are formulas with their results, and ``fullCalcOnLoad`` makes
Excel, WPS and LibreOffice recompute on open.
"""

from __future__ import annotations

import importlib.metadata
import io
import zipfile
from collections.abc import Callable
from functools import cache

from openpyxl import Workbook
from openpyxl.workbook.protection import WorkbookProtection

from xxgk.model import Report
from xxgk.render.clean import clean_report
from xxgk.render.xlsx.cached import fill_results, sheet_results
from xxgk.render.xlsx.fast import render_fast
from xxgk.render.xlsx.sheets import write_checks, write_cover, write_text
from xxgk.render.xlsx.tables import write_grid
from xxgk.render.zipfix import CORE_PATH, core_xml, document_time, rezip
from xxgk.xlsx_layout import GRIDS

LAST_MODIFIED_BY = "xxgk"


@cache  # asking importlib.metadata costs more than a whole workbook's sheets
def xxgk_version() -> str:
    """The installed xxgk version, shown on the cover."""
    try:
        return importlib.metadata.version("xxgk")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "0+unknown"


def build_workbook(report: Report, *, data_sha256: str) -> Workbook:
    """The openpyxl workbook of a report (for callers that want to add to it before saving)."""
    report, _ = clean_report(report)  # the build has cleaned already; this keeps a lone call safe
    wb = Workbook()
    write_cover(wb, report, data_sha256=data_sha256, version=xxgk_version())
    for grid in GRIDS:
        write_grid(wb, grid, report)
    write_text(wb, report)
    write_checks(wb, report)
    wb.calculation.fullCalcOnLoad = True
    # Sheets cannot be renamed, moved or deleted: the importer finds everything by sheet name.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    return wb


def _core(report: Report) -> bytes:
    return core_xml(
        title=report.display_title,
        creator=report.organ,
        last_modified_by=LAST_MODIFIED_BY,
        when=document_time(report.header.date, report.year),
    )


def render_xlsx_reference(
    report: Report, *, data_sha256: str, extend: Callable[[Workbook], None] | None = None
) -> bytes:
    """The workbook's bytes through openpyxl: what ``render_xlsx`` must give, byte for byte.
    ``extend`` adds sheets after the report's own (the 汇总's 明细表) before the one save, so
    every formula keeps its cached result (a reloaded and re-saved workbook loses them)."""
    report, _ = clean_report(report)  # core.xml below holds the organ and title too
    wb = build_workbook(report, data_sha256=data_sha256)
    if extend is not None:
        extend(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    package = buffer.getvalue()
    parts: dict[str, bytes] = {CORE_PATH: _core(report)}
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for name, results in sheet_results(report).items():
            parts[name] = fill_results(z.read(name).decode("ascii"), results).encode("ascii")
    return rezip(package, parts)


def render_xlsx(report: Report, *, data_sha256: str) -> bytes:
    """The workbook's bytes: the same report and hash always give the same bytes."""
    report, _ = clean_report(report)
    return render_fast(report, data_sha256=data_sha256, version=xxgk_version(),
                       core=_core(report), reference=render_xlsx_reference)
