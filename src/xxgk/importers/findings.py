"""The importers' findings and the reading of one number cell into a value or a finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from xxgk.errors import Finding, Severity, error, warning
from xxgk.importers.cells import CellStatus, as_printed_note, parse_amount, parse_count

BLANK_CELL = "import/blank-cell"
UNREADABLE_CELL = "import/unreadable-cell"
NO_COUNTERPART = "import/no-counterpart"
MISSING_ROW = "import/missing-row"
MISSING_TABLE = "import/missing-table"
UNKNOWN_ROW = "import/unknown-row"
EXTRA_CELLS = "import/extra-cells"
FUZZY_LABEL = "import/fuzzy-label"
DUPLICATE_ROW = "import/duplicate-row"
UNIT = "import/unit"
GROUP_SUBTOTAL = "import/group-subtotal"
SINGLE_OTHER_HANDLING = "import/single-other-handling"
CELL_COUNT = "import/cell-count"
RUN_TOGETHER = "import/run-together"
COLUMN_ORDER = "import/column-order"


@dataclass
class Collector:
    """Findings gathered while reading one source, in the order they were met."""

    findings: list[Finding] = field(default_factory=list)

    def warn(
        self, code: str, parts: tuple[str, ...], message: str, line: int | None = None
    ) -> None:
        """Add a warning."""
        self.findings.append(warning(code, parts, message, line))

    def error(
        self, code: str, parts: tuple[str, ...], message: str, line: int | None = None
    ) -> None:
        """Add an error."""
        self.findings.append(error(code, parts, message, line))

    def _cell(
        self, status: CellStatus, text: str, parts: tuple[str, ...], line: int | None
    ) -> None:
        if status is CellStatus.BLANK:
            self.warn(BLANK_CELL, parts, "报告未填，导入为空值（不按 0 处理）", line)
        elif status is CellStatus.UNREADABLE:
            self.error(
                UNREADABLE_CELL, parts, f"无法识别的数字「{text.strip()}」，导入为空值", line
            )

    def count(
        self, text: str, parts: tuple[str, ...], line: int | None, report_blank: bool = True
    ) -> int | None:
        """A count cell's value; a blank or unreadable cell is None and a finding."""
        value, status = parse_count(text)
        if status is not CellStatus.BLANK or report_blank:
            self._cell(status, text, parts, line)
        self._as_printed(status, text, parts, line)
        return value

    def amount(
        self, text: str, parts: tuple[str, ...], line: int | None, divisor: int = 1
    ) -> Decimal | None:
        """An amount cell in 万元; a blank or unreadable cell is None and a finding."""
        value, status = parse_amount(text, divisor)
        self._cell(status, text, parts, line)
        self._as_printed(status, text, parts, line)
        return value

    def _as_printed(
        self, status: CellStatus, text: str, parts: tuple[str, ...], line: int | None
    ) -> None:
        """A cell read from a unit or a dash: imported as printed, and said so."""
        note = as_printed_note(text) if status is CellStatus.NUMBER else None
        if note is not None:
            self.warn(UNIT, parts, note, line)

    @property
    def severities(self) -> set[Severity]:
        """The severities met so far."""
        return {f.severity for f in self.findings}
