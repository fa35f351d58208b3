"""Blank, negative and malformed values in the tables."""

from __future__ import annotations

from decimal import Decimal

from xxgk import labels
from xxgk.checks.cells import all_cells
from xxgk.errors import Finding, error
from xxgk.model import Report


def check_values(report: Report) -> list[Finding]:
    """An error for every blank cell, negative count, and fee that is not a non-negative amount."""
    findings: list[Finding] = []
    for cell in all_cells(report):
        if cell.value is None:
            findings.append(error("value/missing", cell.parts, "缺少数值（空白）；没有发生请填 0"))
        elif isinstance(cell.value, Decimal):
            exponent = cell.value.as_tuple().exponent
            too_precise = isinstance(exponent, int) and exponent < -labels.FEE_DECIMALS
            if not cell.value.is_finite() or cell.value < 0 or too_precise:
                findings.append(
                    error(
                        "value/bad-fee",
                        cell.parts,
                        f"收费金额应为不小于 0 的万元数，最多 {labels.FEE_DECIMALS} 位小数，"
                        f"实际为「{cell.value}」",
                    )
                )
        elif cell.value < 0:
            findings.append(
                error("value/negative", cell.parts, f"应为非负整数，实际为「{cell.value}」")
            )
    return findings
