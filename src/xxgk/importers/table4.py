"""表四 from rows of cell texts: its headings by label, then its one row of numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers.cells import is_number_like, label_core, normalize
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row
from xxgk.importers.tables import fit_values, report_extra_numbers, trim_trailing
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


_DIRECT = normalize(labels.TABLE4_BLOCKS[1].label)
_AFTER = normalize(labels.TABLE4_BLOCKS[2].label)
_REVIEW = normalize(labels.TABLE4_REVIEW)
_LITIGATION = normalize(labels.TABLE4_LITIGATION)
_TOTAL = label_core(labels.TABLE4_TOTAL)
_BLOCK_WIDTHS = (len(labels.TABLE4_OUTCOMES), len(labels.TABLE4_OUTCOMES) + 1)


def _block_named(norm: str) -> str | None:
    """The 表四 block a heading names alone (「### 行政诉讼（复议后起诉）」), or None."""
    if _AFTER in norm:
        return labels.TABLE4_BLOCKS[2].id
    if _DIRECT in norm:
        return labels.TABLE4_BLOCKS[1].id
    if _REVIEW in norm and _LITIGATION not in norm:
        return labels.TABLE4_BLOCKS[0].id
    return None


@dataclass
class Table4Reader:
    """表四: header rows by label, then its one row of 15 (or 12, without 总计) numbers.

    A converter may cut 表四 into three small tables, each under a heading naming its block
    (「行政复议」「行政诉讼（未经复议直接起诉）」「行政诉讼（复议后起诉）」): each block's row
    of 5 (or 4) numbers is then taken for the block its heading named, never by position alone.
    """

    out: Collector
    data: Row | None = None
    seen: bool = False
    _block: str | None = None
    _blocks: dict[str, Row] = field(default_factory=dict)
    _headers_seen: bool = False
    _total_heading: bool = False  # the header rows name 总计 columns
    _copies_differ: bool = False  # a second, different row of all the numbers

    def claims(self, norms: list[str]) -> bool:
        """True when the row carries a 表四 heading."""
        return any(label_core(n) in TABLE4_HEADERS for n in norms if n)

    def feed(self, row: Row) -> None:
        """Take one row of 表四."""
        self.seen = True
        norms = [normalize(c) for c in row.cells]
        texts = [n for n in norms if n and not is_number_like(n)]
        numbers = sum(1 for c in row.cells if c and is_number_like(c))
        if texts and not numbers:
            self._headers_seen |= self.claims(norms)
            self._total_heading |= any(_TOTAL in n for n in texts)  # headings run together too
            named = {_block_named(n) for n in texts} - {None}
            if named:  # a heading over one block alone; the full header row names all three
                self._block = named.pop() if len(named) == 1 and len(texts) == 1 else None
            return
        if self.claims(norms):
            return
        if self.data is None and (
            numbers > max(_BLOCK_WIDTHS) or row.values_dropped or _placed_row(row)
        ):
            self.data = row
        elif self.data is not None and numbers > max(_BLOCK_WIDTHS):
            if _numbers_of(row) != _numbers_of(self.data):
                self._copies_differ = True  # two different copies of the table: neither taken
        elif numbers in _BLOCK_WIDTHS and self._block is not None:
            self._blocks.setdefault(self._block, row)
            self._block = None

    def result(self) -> Table4:
        """表四 as read; its 总计 cells are kept as stated totals."""
        blank = ReviewOutcomes(upheld=None, corrected=None, other=None, pending=None)
        if self.data is None and self._blocks:
            named = labels.TABLE4_BLOCKS
            return Table4(**{b.id: self._block_row(b.id, b.path, blank) for b in named})
        if self.data is None:
            self.out.error(
                codes.MISSING_TABLE, (T4,), "没有找到表四的数字行（行政复议、行政诉讼情况）"
            )
            return Table4(review=blank, direct_suit=blank, suit_after_review=blank)
        if self._copies_differ:
            self.out.error(
                codes.DUPLICATE_ROW,
                (T4,),
                "表四出现两份且数字不同，无法确定哪一份是报告的；表四导入为空值",
                self.data.line,
            )
            return Table4(review=blank, direct_suit=blank, suit_after_review=blank)
        row = self.data
        cells = list(row.cells)
        while cells and cells[0] and not is_number_like(cells[0]):
            cells.pop(0)  # a row heading such as 「件数」 before the numbers
        numbers = sum(1 for c in cells if c and is_number_like(c))
        spaced = not row.in_table and "\t" not in row.text
        widths = (15 if self._total_heading else 12,) if self._headers_seen else (12, 15)
        if spaced and not row.values_dropped and numbers not in widths:
            # Text split at spaces: which number is missing cannot be told, so none is placed.
            self.out.error(
                codes.CELL_COUNT,
                (T4,),
                f"表四这一行有 {numbers} 个数字，应为 {'或'.join(map(str, widths))} 个；"
                "无法确定各数字属于哪一列，"
                "整行导入为空值",
                row.line,
            )
            row = Row(("",) * 15, row.text, row.line, values_dropped=True)
            cells = list(row.cells)
        # Without its three 总计 columns the row has exactly 12 cells; otherwise 15 are expected.
        width = 4 if len(trim_trailing(cells)) == 12 and not row.leading_gap else 5
        if _placed_row(row) and self._total_heading:
            width = 5  # every cell in its place: blank 总计 cells at the end are cells too
        gap = row.leading_gap and not row.in_table and not spaced
        values, extra = fit_values(cells, 3 * width, gap)
        if extra:  # which of the numbers belong where cannot be told: none is taken
            report_extra_numbers(self.out, (T4,), cells, 3 * width, row.line)
            row = Row(("",) * 15, row.text, row.line, values_dropped=True)
            values = [""] * (3 * width)
        blocks = {}
        for b, block in enumerate(labels.TABLE4_BLOCKS):
            chunk = values[b * width : (b + 1) * width]
            blocks[block.id] = self._outcomes(chunk, block.path, row, width)
        return Table4(**blocks)

    def _block_row(
        self, block_id: str, path: tuple[str, ...], blank: ReviewOutcomes
    ) -> ReviewOutcomes:
        row = self._blocks.get(block_id)
        if row is None:
            self.out.warn(codes.MISSING_ROW, (T4, *path), "没有找到这一块的数字，导入为空值")
            return blank
        cells = [c for c in row.cells if c.strip()]
        return self._outcomes(cells, path, row, len(cells))

    def _outcomes(
        self, chunk: list[str], path: tuple[str, ...], row: Row, width: int
    ) -> ReviewOutcomes:
        got = {
            key: self.out.count(chunk[k], (T4, *path, name), row.line, not row.values_dropped)
            for k, (key, name) in enumerate(labels.TABLE4_OUTCOMES)
        }
        stated = None
        if width == 5:
            stated = self.out.count(
                chunk[4], (T4, *path, labels.TABLE4_TOTAL), row.line, report_blank=False
            )
        return ReviewOutcomes(**got, stated_total=stated)


def _placed_row(row: Row) -> bool:
    """True for a row of exactly the fifteen cells, each in its place (tab-separated, blank
    cells kept, as a PDF without rulings gives a row whose columns it established): a row
    with many blank cells is 表四's numbers though it holds fewer than one block's width."""
    cells = row.cells
    return (
        "\t" in row.text
        and len(cells) == 3 * max(_BLOCK_WIDTHS)
        and any(c and is_number_like(c) for c in cells)
        and all(not c or is_number_like(c) for c in cells)
    )


def _numbers_of(row: Row) -> list[str]:
    return [normalize(c) for c in row.cells if c and is_number_like(c)]
