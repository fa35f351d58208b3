"""Blank, negative, oversized and malformed values in the tables."""

from __future__ import annotations

from decimal import Decimal

from xxgk import labels
from xxgk.checks.cells import Cell, all_cells
from xxgk.errors import Finding, error, warning
from xxgk.model import Report

# Excel and WPS hold numbers as doubles: 15 significant digits are exact, more are not.
EXACT_DIGITS = 15
MAX_EXACT = 10**EXACT_DIGITS - 1
FEE_DECIMALS_PRINTED = 6  # to the fen, as some reports print it (a warning past 4)
_TOO_LARGE = "数值 {} 过大（超过 15 位有效数字，Excel/WPS 无法精确保存），请核对"


def check_values(report: Report) -> list[Finding]:
    """An error for every blank cell, negative or oversized count, and malformed fee."""

    if _all_counts_plain(report):
        return []
    findings: list[Finding] = []
    for cell in all_cells(report):
        message = _problem(cell)
        if message is not None:
            findings.append(error(message[0], cell.parts, message[1]))
        elif cell.is_amount and _over_precise(cell.value):
            said = (
                f"收费金额「{cell.value}」超过 {labels.FEE_DECIMALS} 位小数（精确到元以下），"
                "按报告所列保留，请核对"
            )
            findings.append(warning("value/fee-precision", cell.parts, said))
    return findings


def _over_precise(value: object) -> bool:
    if not isinstance(value, Decimal):
        return False
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -labels.FEE_DECIMALS


def _all_counts_plain(report: Report) -> bool:
    """True when every count is a whole number in range and the fee is fine: the common case,
    answered without building a located cell for each of the ~170 numbers."""
    counts = [v for row in report.table3.rows.values() for v in row.cells]
    counts += [v for b in labels.TABLE4_BLOCKS for v in report.table4.block(b.id).cells()]
    t2 = report.table2
    counts += [
        *t2.regulations.cells(),
        *t2.normative_documents.cells(),
        t2.licensing,
        t2.punishment,
        t2.enforcement,
    ]
    if any(v is None or v < 0 or v > MAX_EXACT for v in counts):
        return False
    fee = Cell((), t2.fees, is_amount=True)
    return t2.fees is not None and _problem(fee) is None and not _over_precise(t2.fees)


def _problem(cell: Cell) -> tuple[str, str] | None:
    value = cell.value
    if value is None:
        return "value/missing", "缺少数值（空白）；没有发生请填 0"
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if (
            not value.is_finite()
            or value < 0
            or (isinstance(exponent, int) and exponent < -FEE_DECIMALS_PRINTED)
        ):
            return "value/bad-fee", (
                f"收费金额应为不小于 0 的万元数，最多 {labels.FEE_DECIMALS} 位小数（报告原文精确到"
                f"分的，最多 {FEE_DECIMALS_PRINTED} 位），实际为「{value}」"
            )
        if value.adjusted() >= EXACT_DIGITS - labels.FEE_DECIMALS:
            return "value/too-large", _TOO_LARGE.format(value)
        return None
    if value < 0:
        return "value/negative", f"应为非负整数，实际为「{value}」"
    if value > MAX_EXACT:
        return "value/too-large", _TOO_LARGE.format(value)
    return None
