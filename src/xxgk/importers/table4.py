"""表四 from rows of cell texts: its headings by label, then its one row of numbers."""

from __future__ import annotations

from dataclasses import dataclass

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers.cells import is_number_like, label_core, normalize
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row
from xxgk.importers.tables import fit_values, trim_trailing
from xxgk.model import ReviewOutcomes, Table4

T4 = "表四"
TABLE4_HEADERS = frozenset(
    normalize(x)
    for x in (
        labels.TABLE4_REVIEW,
        labels.TABLE4_LITIGATION,
        *(b.label for b in labels.TABLE4_BLOCKS),
        *(o for _, o in labels.TABLE4_OUTCOMES),
    )
)


@dataclass
class Table4Reader:
    """表四: header rows by label, then the one row of 15 (or 12, without 总计) numbers."""

    out: Collector
    data: Row | None = None
    seen: bool = False

    def claims(self, norms: list[str]) -> bool:
        """True when the row carries a 表四 heading."""
        return any(label_core(n) in TABLE4_HEADERS for n in norms if n)

    def feed(self, row: Row) -> None:
        """Take one row of 表四."""
        self.seen = True
        if self.claims([normalize(c) for c in row.cells]):
            return
        numbers = sum(1 for c in row.cells if c and is_number_like(c))
        if self.data is None and (numbers >= 4 or row.values_dropped):
            self.data = row

    def result(self) -> Table4:
        """表四 as read; its 总计 cells are kept as stated totals."""
        if self.data is None:
            self.out.error(
                codes.MISSING_TABLE, (T4,), "没有找到表四的数字行（行政复议、行政诉讼情况）"
            )
            blank = ReviewOutcomes(upheld=None, corrected=None, other=None, pending=None)
            return Table4(review=blank, direct_suit=blank, suit_after_review=blank)
        row = self.data
        cells = list(row.cells)
        while cells and cells[0] and not is_number_like(cells[0]):
            cells.pop(0)  # a row heading such as 「件数」 before the numbers
        # Without its three 总计 columns the row has exactly 12 cells; otherwise 15 are expected.
        width = 4 if len(trim_trailing(cells)) == 12 and not row.leading_gap else 5
        values, extra = fit_values(cells, 3 * width, row.leading_gap and not row.in_table)
        if extra:
            self.out.warn(codes.EXTRA_CELLS, (T4,), f"多出 {extra} 个单元格，已忽略", row.line)
        blocks = {}
        for b, block in enumerate(labels.TABLE4_BLOCKS):
            chunk = values[b * width : (b + 1) * width]
            got = {
                key: self.out.count(
                    chunk[k], (T4, *block.path, name), row.line, not row.values_dropped
                )
                for k, (key, name) in enumerate(labels.TABLE4_OUTCOMES)
            }
            stated = None
            if width == 5:
                stated = self.out.count(
                    chunk[4], (T4, *block.path, labels.TABLE4_TOTAL), row.line, report_blank=False
                )
            blocks[block.id] = ReviewOutcomes(**got, stated_total=stated)
        return Table4(**blocks)
