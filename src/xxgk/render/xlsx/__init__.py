"""The archive workbook: the openpyxl reference (``workbook``) and its fast path (``fast``)."""

import xxgk.openpyxl_lean  # noqa: F401  # openpyxl without numpy, before any module imports it
from xxgk.render.xlsx.workbook import (
    build_workbook,
    render_xlsx,
    render_xlsx_reference,
    xxgk_version,
)

__all__ = ["build_workbook", "render_xlsx", "render_xlsx_reference", "xxgk_version"]
