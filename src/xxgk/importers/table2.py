"""表二 from rows of cell texts: each value is taken under its column heading, by label.

The 2021 and the 2019 layouts are both read the same way: a 「信息内容」 row names the value columns
of the block below it, and a row labelled 规章, 行政许可 … gives one value per column. What the
values mean (and what has no 2021 counterpart) is decided in ``result`` once the layout is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers import format2019
from xxgk.importers.cells import label_core, normalize
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row
from xxgk.importers.tables import fit_values, report_extra_numbers
from xxgk.model import DocumentCounts, Table2

T2 = "表二"
ALL_BLOCKS = (*labels.TABLE2_BLOCKS, *labels.TABLE2_2019_BLOCKS)
ROW_LABELS = {normalize(label): label for b in ALL_BLOCKS for _, label in b.rows}
ITEMS = {normalize(b.item) for b in ALL_BLOCKS}
CONTENT = normalize(labels.TABLE2_CONTENT_HEADING)
# A row's columns when the source printed no 「信息内容」 row: those of its 2021 block.
_DEFAULT_COLUMNS = {
    normalize(label): tuple(label_core(c) for c in b.columns)
    for b in reversed(ALL_BLOCKS)
    for _, label in b.rows
}
_YUAN, _WAN = "元", "万元"
# Short names organs print for a 2021 row (under the 2021 headings).
_SHORT_NAMES = {normalize(labels.TABLE2_ROW_LABELS["normative_documents"]): normalize("规范性文件")}
YUAN_PER_WAN = 10_000
# Headings printed cut short (seen on real report pages: 「现行有效件」), by their full heading.
_HEADING_ALIASES = {label_core("现行有效件"): label_core(labels.TABLE2_DOCUMENT_COLUMNS[2])}


def default_columns(norm: str) -> tuple[str, ...]:
    """The value columns of a row (by its normalised label) when no 「信息内容」 row names them."""
    return _DEFAULT_COLUMNS[norm]


@dataclass(frozen=True)
class Cell:
    """One value of 表二 as printed, with its column heading and line."""

    text: str
    line: int | None
    dropped: bool = False  # the row's values were dropped (already a finding): blank, not reported


@dataclass
class Table2Reader:
    """Collects 表二 values by (row label, column heading)."""

    out: Collector
    values: dict[str, dict[str, Cell]] = field(default_factory=dict)
    columns: tuple[str, ...] | None = None
    fee_divisor: int = 1
    seen: bool = False

    def claims(self, norms: list[str]) -> bool:
        """True when the row carries a 表二 label."""
        return any(n in ROW_LABELS or n in ITEMS or n == CONTENT for n in norms if n)

    def feed(self, row: Row) -> None:
        """Take one row of 表二."""
        self.seen = True
        norms = [normalize(c) for c in row.cells]
        if any(n in ITEMS for n in norms):
            self.columns = None  # a new 第二十条 block: its own heading row follows
            return
        if CONTENT in norms:
            start = norms.index(CONTENT) + 1
            self.columns = tuple(
                _HEADING_ALIASES.get(label_core(c), label_core(c))
                for c in row.cells[start:]
                if c.strip()
            )
            self._fee_unit(norms[start:])
            return
        label_at = next((i for i, n in enumerate(norms) if n in ROW_LABELS), None)
        if label_at is None:
            return
        label = norms[label_at]
        columns = self.columns or _DEFAULT_COLUMNS[label]
        cells = list(row.cells[label_at + 1 :])
        filled = [c for c in cells if c.strip()]
        trimmed = list(cells)
        while trimmed and not trimmed[-1].strip():
            trimmed.pop()
        dropped = row.values_dropped
        if len(filled) == len(columns):
            texts = filled  # merges misaligned from row to row: the values in order
        elif len(cells) == len(columns) or len(trimmed) == len(columns):
            texts = cells[: len(columns)]  # each value in its own cell: blanks stay blanks
        elif len(filled) > 0 and not dropped and (
            len(trimmed) < len(columns) or len(filled) > len(columns)
        ):
            # Fewer or more values than columns: which goes where is unknown.
            self.out.error(
                codes.CELL_COUNT,
                (T2, ROW_LABELS[label]),
                f"这一行有 {len(filled)} 个数，应为 {len(columns)} 个，无法确定各数字属于哪一列；"
                "整行导入为空值",
                row.line,
            )
            texts, dropped = [""] * len(columns), True
        else:
            texts, extra = fit_values(trimmed, len(columns))
            if extra:  # more numbers than columns: none placed for sure
                report_extra_numbers(
                    self.out, (T2, ROW_LABELS[label]), trimmed, len(columns), row.line
                )
                texts, dropped = [""] * len(columns), True
        slot = self.values.setdefault(label, {})
        for column, text in zip(columns, texts, strict=True):
            before = slot.get(column)
            if before is None:
                slot[column] = Cell(text, row.line, dropped)
            elif not dropped and not before.dropped and normalize(before.text) != normalize(text):
                # Two copies of the table that differ here: neither number is the report's for sure.
                self.out.error(
                    codes.DUPLICATE_ROW,
                    (T2, ROW_LABELS[label], column),
                    f"该单元格出现两次，数字不同（「{before.text}」或「{text}」），"
                    "无法确定哪一份是报告的；导入为空值",
                    row.line,
                )
                slot[column] = Cell("", row.line, dropped=True)

    def _fee_unit(self, heads: list[str]) -> None:
        fee = label_core(labels.TABLE2_FEE_COLUMN)
        for head in heads:
            if head.startswith(fee):
                self.fee_divisor = 1 if _WAN in head or _YUAN not in head else YUAN_PER_WAN

    @property
    def is_2019(self) -> bool:
        """True when the rows or columns are those of the 2019 format."""
        columns = {c for slot in self.values.values() for c in slot}
        return format2019.table2_is_2019(set(self.values), columns)

    def result(self) -> Table2:
        """表二 as read (2021 meaning; 2019 values mapped, the rest reported)."""
        if not self.seen:
            self.out.error(codes.MISSING_TABLE, (T2,), "没有找到表二（主动公开政府信息情况）")
        if self.is_2019:
            return format2019.table2(self.count, self.out)
        fields: dict[str, object] = {}
        for block in labels.TABLE2_BLOCKS:
            for name, label in block.rows:
                if name in ("regulations", "normative_documents"):
                    fields[name] = DocumentCounts(
                        **{
                            key: self.count(label, column)
                            for key, column in zip(
                                labels.TABLE2_DOCUMENT_FIELDS, block.columns, strict=True
                            )
                        }
                    )
                elif name == "fees":
                    fields[name] = self.amount(label, block.columns[0])
                else:
                    fields[name] = self.count(label, block.columns[0])
        return Table2.model_validate(fields)

    def cell(self, label: str, column: str) -> Cell | None:
        """The printed value under a column of a row, or None (reported) when the row is missing."""
        slot = self.values.get(normalize(label))
        short = _SHORT_NAMES.get(normalize(label))
        if slot is None and short is not None:
            slot = self.values.get(short)
        if slot is None:
            if self.seen:
                self.out.warn(codes.MISSING_ROW, (T2, label), "没有找到这一行，导入为空值")
            return None
        found = slot.get(label_core(column))
        if found is None:
            self.out.warn(codes.MISSING_ROW, (T2, label, column), "没有找到这一列，导入为空值")
        return found

    def count(self, label: str, column: str) -> int | None:
        """A count of 表二 by row and column label."""
        found = self.cell(label, column)
        if found is None:
            return None
        return self.out.count(
            found.text, (T2, label, column), found.line, report_blank=not found.dropped
        )

    def amount(self, label: str, column: str) -> Decimal | None:
        """The fee amount in 万元 (converted when the heading said 元)."""
        found = self.cell(label, column)
        if found is None:
            return None
        if found.dropped:
            return None
        if self.fee_divisor != 1:
            self.out.warn(
                codes.UNIT, (T2, label, column), "表头单位为「元」，已换算为万元", found.line
            )
        return self.out.amount(found.text, (T2, label, column), found.line, self.fee_divisor)
