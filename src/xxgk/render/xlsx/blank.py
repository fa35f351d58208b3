"""``xxgk init 2025.xlsx``: the fill-in workbook, a blank one or next year's draft from last year's.

It is the workbook ``build`` writes (the same sheets, formulas, protection and input messages),
made from the report that ``xxgk.scaffold`` makes for a new data file, so that a clerk who
prefers Excel or WPS starts from exactly what a clerk who prefers the data file starts from.
"""

from __future__ import annotations

from xxgk.model import Report
from xxgk.render.xlsx.workbook import render_xlsx
from xxgk.scaffold import empty_report, next_year_draft

NO_DATA_FILE = ""  # the cover's 数据文件 SHA-256: a workbook from init has no data file behind it


def init_report(organ: str | None, year: int | None, last: Report | None) -> Report:
    """The report a new workbook starts from: blank (every number 0) or last year's draft."""
    if last is not None:
        return next_year_draft(last, organ, year)
    if not organ or year is None:
        raise ValueError("organ and year are needed without last year's report")
    return empty_report(organ, year)


def init_workbook(organ: str | None, year: int | None, last: Report | None = None) -> bytes:
    """The .xlsx bytes of a new fill-in workbook."""
    return render_xlsx(init_report(organ, year, last), data_sha256=NO_DATA_FILE)
