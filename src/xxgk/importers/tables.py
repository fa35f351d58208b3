"""表三 from rows of cell texts, recognised by its labels (never by position).

A row's label is the last cell that names a 表三 row (a merged 三、本年度办理结果 or （三）不予公开
cell may stand before it, or may have been flattened away); its numbers are the cells after it.
Empty cells between the label and the numbers are the remains of merged label cells when there are
more cells than columns; otherwise they are blank cells, reported as such.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from xxgk import labels
from xxgk.importers import blankcells
from xxgk.importers import findings as codes
from xxgk.importers.cells import is_number_like, label_core, normalize
from xxgk.importers.findings import Collector
from xxgk.importers.rows import Row
from xxgk.model import ApplicantCounts, Table3

T3 = "表三"
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}\.|\([一二三四五六七八九十]{1,2}\)|\d{1,2}\.)"
)
_FUZZY_CUTOFF = 0.85
_FRAGMENT_MAX = 120  # characters of a label broken over lines, kept until its row comes

ROW, GROUP, RESULTS, TOTAL, HEADER = "row", "group", "results", "total", "header"
_COLUMN_TOTAL = labels.TABLE3_TOTAL


def _unnumbered(norm: str) -> str:
    return _NUMBERING.sub("", norm)


def _table3_index() -> dict[str, tuple[str, str]]:
    full: dict[str, tuple[str, str]] = {}
    for row in labels.TABLE3_ROWS:
        full[normalize(row.label)] = (ROW, row.id)
    for partial in labels.TABLE3_2019_PARTIAL_LABELS:
        full[normalize(partial)] = (ROW, "partial")
    for group in labels.TABLE3_GROUPS:
        full[normalize(group.label)] = (GROUP, group.id)
    full[normalize(labels.TABLE3_RESULTS)] = (RESULTS, "")
    full[normalize(labels.TABLE3_RESULTS_TOTAL)] = (TOTAL, "")
    headers = {
        normalize(h)
        for h in (
            labels.TABLE3_CORNER,
            labels.TABLE3_APPLICANTS,
            labels.TABLE3_ORGANISATIONS,
            *labels.TABLE3_COLUMN_LABELS,
        )
    }
    # Without 「1.」 or 「（一）」 a label is still unique, except where it would collide with a
    # column heading (「3.其他」 vs the column 其他): those keep their numbering.
    short: dict[str, list[tuple[str, str]]] = {}
    for norm, entry in full.items():
        short.setdefault(_unnumbered(norm), []).append(entry)
    index = dict(full)
    for norm, entries in short.items():
        if len(set(entries)) == 1 and norm not in headers and norm != normalize(_COLUMN_TOTAL):
            index.setdefault(norm, entries[0])
    for h in headers:
        index.setdefault(h, (HEADER, h))
    index.setdefault(normalize(_COLUMN_TOTAL), (HEADER, normalize(_COLUMN_TOTAL)))
    return index


TABLE3_INDEX = _table3_index()
_SHARED_HEADINGS = frozenset({"其他", normalize(labels.TABLE4_TOTAL)})
_TOTAL_CORE = label_core(_COLUMN_TOTAL)
_COLUMN_HEADINGS = frozenset(normalize(c) for c in labels.TABLE3_COLUMN_LABELS)
_FUZZY_KEYS = [k for k, (kind, _) in TABLE3_INDEX.items() if kind == ROW and len(k) >= 6]


def trim_trailing(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def fit_values(cells: list[str], expected: int, leading_gap: bool = False) -> tuple[list[str], int]:
    """Exactly ``expected`` value cells (blank-padded) and how many extras were cut.

    Surplus empty cells are dropped from the front first (the slots of a merged label cell), then
    from the end; a row with blank cells of its own at the end keeps them in place.
    """
    values = list(cells)
    while len(values) > expected and not values[0]:
        values.pop(0)
    while len(values) > expected and not values[-1]:
        values.pop()
    if len(values) < expected:
        values = trim_trailing(values)
    extra = sum(1 for v in values[expected:] if v.strip())  # blank surplus cells cost nothing
    values = values[:expected]
    pad = [""] * (expected - len(values))
    return (pad + values if leading_gap else values + pad), extra


def report_extra_numbers(
    out: Collector, path: tuple[str, ...], values: list[str], columns: int, line: int | None
) -> None:
    """A row with more numbers than its table has columns (a stray ruled column, a hidden copy,
    numbers of the next row): which belong where is not known, so none is taken — the finding
    names them all. One wording for 表二, 表三 and 表四."""
    numbers = [v.strip() for v in values if v.strip()]
    out.error(
        codes.EXTRA_CELLS,
        path,
        f"这一行有 {len(numbers)} 个数字（{'、'.join(numbers)}），多于 {columns} 列；"
        "无法确定哪些数字属于哪一列，整行导入为空值",
        line,
    )


# Merged label cells flattened into one: 「（三）不予公开1.属于国家秘密」 names the sub-item.
_PREFIXES = tuple(
    sorted(
        {
            p
            for g in labels.TABLE3_GROUPS
            for p in (normalize(g.label), _unnumbered(normalize(g.label)))
        }
        | {normalize(labels.TABLE3_RESULTS), _unnumbered(normalize(labels.TABLE3_RESULTS))},
        key=lambda p: (-len(p), p),  # longest first; ties by text, never by a set's hash order
    )
)


# A laid-out PDF line starts with a piece of a merged label cell: 「（三）不 4.保护第三方合法权益」,
# 「理结 1.属于国家秘密」, 「理结 （三）不 1.属于国家秘密」. The pieces are parts of group labels;
# the row's own label follows them.
_MERGED_TEXT = "".join(_PREFIXES)
_ROW_START = re.compile(r"(?:\d{1,2}\.|\([一二三四五六七]\))")
_PIECE_MAX = 8


def _merged_pieces(text: str) -> bool:
    """True when ``text`` is a piece of a merged label cell, or one such piece from each of the
    two merged columns side by side: 「理结 （三）不 1.属于国家秘密」."""
    return any(
        text[:k] in _MERGED_TEXT and text[k:] in _MERGED_TEXT for k in range(len(text) + 1)
    )


@lru_cache(maxsize=4096)
def _match(norm: str) -> tuple[str, str] | None:
    found = TABLE3_INDEX.get(norm) or TABLE3_INDEX.get(_unnumbered(norm))
    if found is not None:
        return found
    for prefix in _PREFIXES:
        if norm.startswith(prefix) and len(norm) > len(prefix):
            return _match(norm[len(prefix) :])
    for start in _ROW_START.finditer(norm, 1):
        piece = norm[: start.start()]
        if len(piece) <= _PIECE_MAX and _merged_pieces(piece):
            rest = TABLE3_INDEX.get(norm[start.start() :])
            if rest is not None and rest[0] == ROW:
                return rest
    return None


def match_label(norm: str) -> tuple[str, str] | None:
    """What a normalised cell names in 表三 (row, group, header …), or None."""
    return _match(norm)


@dataclass
class Table3Reader:
    """Collects 表三 rows by label; ``result`` builds the table and reports what is missing."""

    out: Collector
    rows: dict[str, ApplicantCounts] = field(default_factory=dict)
    stated_results_total: ApplicantCounts | None = None
    single_other_handling: bool = False  # set by ``result``: （六）其他处理 printed as one row
    stated_other_handling: ApplicantCounts | None = None  # that row, in a 2021-format report
    _group_row: ApplicantCounts | None = None
    seen: bool = False
    _fragment: str = ""
    _loose: bool = False  # the fragment holds text lines outside any table (a converter's)
    _dangling: Row | None = None
    _dangling_prefix: str = ""  # the label text on the lines above the dangling row
    _dangling_tail: str = ""  # … and on the lines below it, so far
    _dangling_lines: int = 0
    _headers_seen: bool = False
    _total_heading: bool = False  # the header rows name a 总计 column
    _columns_named: set[str] = field(default_factory=set)  # applicant headings read whole
    _placed_lines: dict[int, str] = field(default_factory=dict)  # text line → row read from it
    _stray_lines: list[int] = field(default_factory=list)  # lines of numbers no row took
    _order: dict[int, int] = field(default_factory=dict)  # text line → its place among the rows
    # rows of spaced text with fewer numbers than columns, placed in ``result`` (blankcells)
    _short: dict[str, blankcells.ShortRow] = field(default_factory=dict)
    _aligned: dict[int, list[tuple[float, ...]]] = field(default_factory=dict)  # page → offsets

    def claims(self, norms: list[str]) -> bool:
        """True when the row carries a 表三 label (其他, 总计 alone are 表四's headings too)."""
        return any(n and n not in _SHARED_HEADINGS and _match(n) is not None for n in norms)

    def _locate(self, row: Row) -> tuple[int, tuple[str, str]] | None:
        """The last label cell of the row, or None when text it cannot place follows the label."""
        found = None
        stray = numbers = False
        for i, cell in enumerate(row.cells):
            norm = normalize(cell)
            if not norm:
                continue
            entry = _match(norm)
            if entry is not None and entry[0] != HEADER:
                found, stray = (i, entry), False
            elif is_number_like(cell):
                numbers = True
            elif found is not None and not numbers:
                stray = True  # e.g. the first half of a sub-item label broken over two lines
        return None if stray else found

    def feed(self, row: Row) -> None:
        """Take one row of 表三 (a header, a data row, or a fragment of a broken label)."""
        self.seen = True
        if row.line is not None:  # rows in the order fed: blank lines between do not count
            self._order[row.line] = len(self._order)
        norms = [normalize(c) for c in row.cells]
        if self._locate(row) is None and any(
            TABLE3_INDEX.get(n, ("", ""))[0] == HEADER for n in norms
        ):
            # a header row: the six applicant columns and 总计 are in the national order
            self._headers_seen = True
            self._total_heading |= any(label_core(n) == _TOTAL_CORE for n in norms)
            self._columns_named |= {n for n in norms if n in _COLUMN_HEADINGS}
            return
        has_numbers = row.values_dropped or any(c and is_number_like(c) for c in row.cells)
        if not has_numbers:
            self._fragment_row(row)
            return
        if self._dangling is not None:  # no continuation came for the row before
            self._give_up(self._dangling)
            self._dangling = None
            # the lines kept for it may be the first half of this row's label
            self._fragment = (self._fragment + self._dangling_tail)[-_FRAGMENT_MAX:]
            self._loose |= bool(self._dangling_tail)
            self._dangling_tail = ""
        fragment, self._fragment = self._fragment, ""
        if row.in_table and self._loose:
            # Loose lines above a table row name no row: a converter writes them before or after
            # their own row alike (科委 2024); detached.py gives such rows a label where certain.
            fragment = ""
        self._loose = False
        if self._take(row):
            return
        if fragment:  # the first half of this row's label came on the line before
            row = _prefix_first_text(row, fragment)
            if self._take(row):
                return
        joined = _join_label_cells(row)  # a label split over two cells of a hand-made table
        if joined is not None and self._take(joined):
            return
        fuzzy = self._fuzzy(row) if not _cut_short(row) else None
        if fuzzy is not None and self._take(fuzzy):
            return
        # a label cut short (「…不再处理其政府」) waits for its end on the next line
        self._dangling, self._dangling_prefix = row, fragment
        self._dangling_tail, self._dangling_lines = "", 0

    def _fragment_row(self, row: Row) -> None:
        located = self._locate(row)
        text = "".join(normalize(c) for c in row.cells)
        if self._dangling is not None:  # the rest of a label whose numbers came on the line before
            dangling = self._dangling
            joined = _suffix_last_text(dangling, text)
            if self._take(joined):
                self._dangling = None
                return
            # A laid-out PDF wraps a long label around its numbers, with pieces of the merged
            # group cell in between: 「本年 （二）部分公开…只计这一」 / numbers / 「度办 情形…）」.
            self._dangling_tail += text
            self._dangling_lines += 1
            label = None
            if not dangling.in_table:  # a converter's table rows lose their labels for good
                head = _label_text(dangling)  # the prefix is in it when the row had a label
                prefix = "" if head.startswith(self._dangling_prefix) else self._dangling_prefix
                wrapped = prefix + head + self._dangling_tail
                label = noisy_label(wrapped)
            if label is not None:
                self._dangling = None
                if self._take(_with_label(dangling, label)):
                    return
            elif located is None and not dangling.in_table and self._dangling_lines < _WRAP:
                return  # the label may go on for another line
            self._dangling = None
            if _cut_short(dangling):
                self._give_up(dangling)
            else:
                self._unknown(joined)
        if located is not None:
            self._fragment, self._loose = "", False
            return
        if _starts_label(text) and _ROW_START.search(self._fragment) is None:
            # what came before names no row (the headings' words): it is no part of this label
            self._fragment, self._loose = text, not row.in_table
            return
        self._fragment = (self._fragment + text)[-_FRAGMENT_MAX:]
        self._loose |= not row.in_table

    def _fuzzy(self, row: Row) -> Row | None:
        texts = [(i, normalize(c)) for i, c in enumerate(row.cells) if c and not is_number_like(c)]
        if not texts:
            return None
        i, norm = texts[-1]
        # Certain or not at all: one standard label close enough, no second one, and the same
        # numbering (「2.」 is not 「3.」's typo).
        close = difflib.get_close_matches(norm, _FUZZY_KEYS, n=3, cutoff=_FUZZY_CUTOFF)
        ids = {TABLE3_INDEX[k][1] for k in close}
        if len(ids) > 1:
            names = "」「".join(labels.TABLE3_ROW_BY_ID[r].label for r in sorted(ids))
            self.out.warn(
                codes.UNKNOWN_ROW,
                (T3,),
                f"行标签「{row.cells[i].strip()}」与「{names}」都相近，无法确定是哪一行，整行未导入",
                row.line,
            )
            return None
        if not close or not _same_numbering(norm, TABLE3_INDEX[close[0]][1]):
            return None
        _kind, row_id = TABLE3_INDEX[close[0]]
        label = labels.TABLE3_ROW_BY_ID[row_id].label
        self.out.warn(
            codes.FUZZY_LABEL,
            (T3, *labels.TABLE3_ROW_BY_ID[row_id].path),
            f"行标签「{row.cells[i].strip()}」与标准不同，按「{label}」导入",
            row.line,
        )
        cells = list(row.cells)
        cells[i] = label
        return Row(tuple(cells), row.text, row.line, row.in_table, row.leading_gap)

    def _give_up(self, row: Row) -> None:
        """A row whose label never came whole: taken by its closest label, else unknown."""
        fuzzy = self._fuzzy(row) if _cut_short(row) else None
        if fuzzy is None or not self._take(fuzzy):
            self._unknown(row)

    def _unknown(self, row: Row) -> None:
        texts = [c for c in row.cells if c and not is_number_like(c)]
        numbers = any(c.strip() and is_number_like(c) for c in row.cells)
        short = len(normalize("".join(texts))) < _FUZZY_MIN  # no label, or a piece of one
        if numbers and short and not row.in_table and row.line is not None:
            self._stray_lines.append(row.line)
        self.out.warn(
            codes.UNKNOWN_ROW,
            (T3,),
            f"无法识别的行「{'/'.join(texts) or row.text}」，已跳过",
            row.line,
        )

    def _take(self, row: Row) -> bool:
        located = self._locate(row)
        if located is None:
            return False
        i, (kind, row_id) = located
        values = list(row.cells[i + 1 :])
        if kind == ROW:
            self._record(row_id, values, row)
        elif kind == TOTAL:
            path = (T3, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
            self.stated_results_total = self._counts(
                values, path, row, report_blank=False, key=blankcells.TOTAL
            )
        elif kind == GROUP and row_id == "other_handling" and self._group_row is None:
            # The 2019 format's （六）其他处理 has no sub-items (decided in ``result``).
            path = (T3, labels.TABLE3_RESULTS, labels.TABLE3_2019_OTHER_HANDLING)
            self._group_row = self._counts(values, path, row, not row.values_dropped)
        else:
            self._unknown(row)
        return True

    def _drop_beside_stray_numbers(self, rows: dict[str, ApplicantCounts]) -> None:
        """Numbers on a line of their own that no row took, right above or below a row read
        from its line, may be the rest of that row's numbers (a number wrapped in a narrow
        cell, a row broken by a page break: 「4958」 then 「0」): that row is blank."""
        blank = ApplicantCounts(cells=(None,) * len(labels.TABLE3_COLUMNS))  # type: ignore[arg-type]
        at = {self._order.get(line): line for line in self._placed_lines}
        for stray in self._stray_lines:
            place = self._order.get(stray)
            if place is None:
                continue
            for line in (at.get(place - 1), at.get(place + 1)):
                row_id = None if line is None else self._placed_lines.get(line)
                if row_id is None or rows.get(row_id) == blank:
                    continue
                rows[row_id] = blank
                self.out.error(
                    codes.CELL_COUNT,
                    (T3, *labels.TABLE3_ROW_BY_ID[row_id].path),
                    "紧挨着这一行另有一行数字，可能是这一行的数字折行或跨页的部分，"
                    "无法确定各数字属于哪一格，整行导入为空值",
                    line,
                )

    def _beside_stray(self, line: int | None) -> bool:
        """True when a line of numbers no row took stands right above or below ``line``."""
        place = self._order.get(line) if line is not None else None
        if place is None:
            return False
        return any(
            self._order.get(stray) in (place - 1, place + 1) for stray in self._stray_lines
        )

    def _place_short_rows(self, rows: dict[str, ApplicantCounts], is_2019: bool) -> None:
        """Rows that lost their blank cells, placed where the 勾稽 relations leave one placement
        (``blankcells``); rows read whole, with a number in every column, are what they check."""
        if not self._short:
            return

        def whole(counts: ApplicantCounts | None, columns: int) -> blankcells.Cells | None:
            if counts is None or None in counts.cells:
                return None
            if columns == len(labels.TABLE3_COLUMNS) + 1 and counts.stated_total is None:
                return None
            return (*counts.cells, counts.stated_total)

        columns = next(iter(self._short.values())).columns
        full = {
            r: c
            for r, c in (
                *((r, whole(v, columns)) for r, v in rows.items() if r not in self._short),
                (blankcells.TOTAL, whole(self.stated_results_total, columns)),
            )
            if c is not None and r not in self._short
        }
        short: dict[str, blankcells.ShortRow | blankcells.Anchored] = {}
        for key, row in self._short.items():
            if self._beside_stray(row.line):  # its numbers may be wrapped: never placed
                blankcells.report(self.out, _short_path(key), row, None, beside_stray=True)
            else:
                short[key] = blankcells.aligned(row, self._anchors(row.page, row.columns))
        relations = not is_2019 and self._group_row is None
        placed = blankcells.place(full, short, relations)
        for key, given in short.items():
            row = given.row if isinstance(given, blankcells.Anchored) else given
            cells = blankcells.report(
                self.out, _short_path(key), row, None if placed is None else placed[key]
            )
            counts = ApplicantCounts(cells=cells[:-1], stated_total=cells[-1])  # type: ignore[arg-type]
            if key == blankcells.TOTAL:
                self.stated_results_total = counts
            else:
                rows[key] = counts

    def _anchors(self, page: int, columns: int) -> list[float] | None:
        """Where the page's rows with a number in every column put each column (the rightmost
        middle of each), when enough such rows are on the page."""
        lines = [o for o in self._aligned.get(page, []) if len(o) == columns]
        if len(lines) < blankcells.MIN_ALIGNED_ROWS:
            return None
        return [max(o[c] for o in lines) for c in range(columns)]

    def _place_group_row(self, rows: dict[str, ApplicantCounts], is_2019: bool) -> None:
        """A （六）其他处理 row with numbers: a subtotal over its sub-rows (checked against them),
        the 2019 single row (its numbers are 3.其他's), or a 2021 report printing （六） as one row
        (its sub-rows blank: the split of the stated total is not printed)."""
        if self._group_row is None:
            return
        group = labels.TABLE3_GROUPS[-1].label
        items = [r for r in labels.TABLE3_RESULT_ROWS if r.group == group]
        path = (T3, labels.TABLE3_RESULTS, group)
        if any(r.id in rows for r in items):
            sums = _column_sums([rows.get(r.id) for r in items])
            if sums is not None and sums != _row_values(self._group_row):
                self.out.warn(
                    codes.GROUP_SUBTOTAL,
                    path,
                    f"这一行印的小计（{_listed(_row_values(self._group_row))}）与分项之和"
                    f"（{_listed(sums)}）不符；按分项导入，小计未导入",
                )
                return
            self.out.warn(
                codes.GROUP_SUBTOTAL, path, "这一行的数字是分项小计，与分项之和相符，按分项导入"
            )
            return
        self.single_other_handling = True
        if is_2019:
            rows[items[-1].id] = self._group_row
            return
        self.stated_other_handling = self._group_row
        blank = ApplicantCounts(cells=(None,) * len(labels.TABLE3_COLUMNS))  # type: ignore[arg-type]
        for item in items:
            rows[item.id] = blank
        self.out.warn(
            codes.SINGLE_OTHER_HANDLING,
            path,
            f"报告把「{group}」印成一行，没有 1–3 分项（仍是 2021 年格式）：印出的合计为 "
            f"{_listed(_row_values(self._group_row))}，三个分项无法拆分，导入为空值"
            f"{self._checked_against_total(rows, items)}",
        )

    def _checked_against_total(
        self, rows: dict[str, ApplicantCounts], items: list[labels.Table3Row]
    ) -> str:
        """How the one-row （六） agrees with （七）总计 and the rows above it, for the finding."""
        stated = self.stated_results_total
        others = [rows.get(r.id) for r in labels.TABLE3_RESULT_ROWS if r not in items]
        above = _column_sums(others)
        six = _row_values(self._group_row) if self._group_row is not None else None
        if stated is None or above is None or six is None or None in six:
            return "；（七）总计或其上各行不全，未能核对"
        total = _row_values(stated)
        expected = tuple(a + b for a, b in zip(above, six, strict=True))  # type: ignore[operator]
        if None in total or expected == total:
            return "；与（七）总计核对相符" if None not in total else "；（七）总计不全，未能核对"
        return (
            f"；但（一）至（五）各行加这一行为 {_listed(expected)}，"
            f"与（七）总计 {_listed(total)} 不符"
        )

    def _record(self, row_id: str, values: list[str], row: Row) -> None:
        spec = labels.TABLE3_ROW_BY_ID[row_id]
        if row_id in self.rows:
            self._again(row_id, values, row)
            return
        report = not row.values_dropped  # dropped values are already a finding on the row
        self.rows[row_id] = self._counts(
            values, (T3, *spec.path), row, report_blank=report, key=row_id
        )
        if not row.in_table and row.line is not None:
            self._placed_lines[row.line] = row_id

    def _again(self, row_id: str, values: list[str], row: Row) -> None:
        """A row met twice (two copies of the table): kept where both agree, blank where not."""
        path = (T3, *labels.TABLE3_ROW_BY_ID[row_id].path)
        short = self._short.pop(row_id, None)
        if short is not None:  # the first copy lost its blank cells: neither is placed
            blankcells.report(self.out, path, short, None, duplicate=True)
        first = self.rows[row_id]
        second = self._counts(values, path, row, report_blank=False)
        if second == first:
            self.out.warn(codes.DUPLICATE_ROW, path, "该行出现两次，数字相同", row.line)
            return
        old, new = (*first.cells, first.stated_total), (*second.cells, second.stated_total)
        kept = [a if a == b else None for a, b in zip(old, new, strict=True)]
        names = (*labels.TABLE3_COLUMN_LABELS, _COLUMN_TOTAL)
        shown = "；".join(
            f"{name}：{_shown(a)} 或 {_shown(b)}"
            for name, a, b in zip(names, old, new, strict=True)
            if a != b
        )
        self.out.error(
            codes.DUPLICATE_ROW,
            path,
            f"该行出现两次，数字不同（{shown}），无法确定哪一份是报告的；不同的单元格导入为空值",
            row.line,
        )
        self.rows[row_id] = ApplicantCounts(cells=tuple(kept[:-1]), stated_total=kept[-1])  # type: ignore[arg-type]

    def _counts(
        self,
        values: list[str],
        path: tuple[str, ...],
        row: Row,
        report_blank: bool,
        key: str | None = None,
    ) -> ApplicantCounts:
        expected = len(labels.TABLE3_COLUMNS) + 1  # a missing 总计 column pads as a blank total
        filled = sum(1 for v in values if v.strip())
        spaced = not row.in_table and "\t" not in row.text and not row.values_dropped
        # Text split at spaces keeps no blank cells: the numbers are placed only when there is
        # one for every column (seven, or six under headers without 总计).
        # A 总计 heading missing means no such column only when the headings could be read: in a
        # narrow column they are printed a character a line (「总」「计」) and found by none.
        no_total = not self._total_heading and self._columns_named >= _COLUMN_HEADINGS
        width = expected - 1 if self._headers_seen and no_total else expected
        short = blankcells.short_row(values, width, row) if spaced and key else None
        if spaced and row.offsets and filled == width == len(row.offsets[-width:]):
            self._aligned.setdefault(row.page, []).append(row.offsets[-width:])
        if short is not None and key is not None and key not in self._short:
            self._short[key] = short  # placed by the 勾稽 relations in ``result``, or blank
            values, report_blank = [], False
        elif spaced and filled > 0 and filled != width:
            self.out.error(
                codes.CELL_COUNT,
                path,
                f"这一行有 {filled} 个数字，应为 {width} 个；文本中空白单元格没有留下位置，"
                "无法确定各数字属于哪一列，整行导入为空值",
                row.line,
            )
            values, report_blank = [], False
        gap = row.leading_gap and not row.in_table and not spaced
        cells, extra = fit_values(values, expected, gap)
        if extra:  # which of the numbers belong to the row cannot be told: none is taken
            report_extra_numbers(self.out, path, values, expected, row.line)
            cells, report_blank = [""] * expected, False
        names = (*labels.TABLE3_COLUMN_LABELS, _COLUMN_TOTAL)
        numbers = [
            self.out.count(cells[c], (*path, names[c]), row.line, report_blank)
            for c in range(len(labels.TABLE3_COLUMNS))
        ]
        stated = self.out.count(cells[-1], (*path, _COLUMN_TOTAL), row.line, report_blank=False)
        return ApplicantCounts(cells=tuple(numbers), stated_total=stated)  # type: ignore[arg-type]

    def result(self, is_2019: bool = False) -> Table3:
        """表三 as read; rows not found are blank (None) and each is a finding.

        ``is_2019``: the report is in the 2019 format (told by its 表二), so a one-row
        （六）其他处理 is 3.其他; in a 2021 report it is a stated total with blank sub-rows.
        """
        if self._dangling is not None:
            self._give_up(self._dangling)
            self._dangling = None
        if not self.seen:
            self.out.error(
                codes.MISSING_TABLE, (T3,), "没有找到表三（收到和处理政府信息公开申请情况）"
            )
        rows = dict(self.rows)
        self._drop_beside_stray_numbers(rows)
        self._place_group_row(rows, is_2019)
        self._place_short_rows(rows, is_2019)
        blank = ApplicantCounts(cells=(None,) * len(labels.TABLE3_COLUMNS))  # type: ignore[arg-type]
        for spec in labels.TABLE3_ROWS:
            if spec.id in rows:
                continue
            in_six = spec.group == labels.TABLE3_GROUPS[-1].label
            if is_2019 and self.single_other_handling and in_six:
                rows[spec.id] = ApplicantCounts()  # 2019: all of （六） is counted in 3.其他
                continue
            rows[spec.id] = blank
            if self.seen:
                self.out.warn(codes.MISSING_ROW, (T3, *spec.path), "没有找到这一行，导入为空值")
        return Table3(
            rows=rows,
            stated_results_total=self.stated_results_total,
            stated_other_handling=self.stated_other_handling,
        )


def _short_path(key: str) -> tuple[str, ...]:
    if key == blankcells.TOTAL:
        return (T3, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
    return (T3, *labels.TABLE3_ROW_BY_ID[key].path)


_ITEM_NUMBER = re.compile(r"\d{1,2}\.|\([一二三四五六七八九十]{1,2}\)")


def _same_numbering(printed: str, row_id: str) -> bool:
    """True unless the printed label's own number differs from the row's (「2.」 is not 「3.」's
    typo). Its own number is the last one printed: a merged group cell may come before it."""
    standard = _ITEM_NUMBER.findall(normalize(labels.TABLE3_ROW_BY_ID[row_id].label))
    numbers = _ITEM_NUMBER.findall(printed)
    if not numbers or not standard:
        return True
    if standard[-1][0].isdigit():  # a sub-item: only its arabic number is its own
        numbers = [n for n in numbers if n[0].isdigit()]
    return not numbers or numbers[-1] == standard[-1]


def _row_values(row: ApplicantCounts) -> tuple[int | None, ...]:
    return (*row.cells, row.stated_total)


def _column_sums(rows: list[ApplicantCounts | None]) -> tuple[int, ...] | None:
    """Per column (six and 总计), the sum of the rows; None when one is missing or blank."""
    values = [None if r is None else _row_values(r) for r in rows]
    if any(v is None or None in v for v in values):
        return None
    return tuple(sum(v[c] for v in values) for c in range(len(labels.TABLE3_COLUMNS) + 1))  # type: ignore[index,misc]


def _listed(values: tuple[int | None, ...]) -> str:
    return "、".join("空" if v is None else str(v) for v in values)


_WRAP = 2  # lines of a wrapped label below its numbers
_FUZZY_MIN = 6  # characters of a label cut short before it is taken for the start of one
_NOISE_MAX = 8  # characters of merged group cells mixed into a wrapped label
_ROW_KEYS = [(k, i) for k, (kind, i) in TABLE3_INDEX.items() if kind == ROW and len(k) >= 6]


def _shown(value: object) -> str:
    return "空" if value is None else str(value)


def _leftover_runs(label: str, text: str) -> list[str] | None:
    """What is left of ``text`` when ``label`` is read in order out of it (None: it is not)."""
    runs: list[str] = []
    run: list[str] = []
    at = 0
    for ch in text:
        if at < len(label) and ch == label[at]:
            at += 1
            if run:
                runs.append("".join(run))
                run = []
        else:
            run.append(ch)
    if run:
        runs.append("".join(run))
    return runs if at == len(label) else None


def noisy_label(text: str) -> str | None:
    """The one row label read in order out of ``text``, the rest being pieces of merged cells.

    Each leftover run must be a piece of a group label (「本年」「度办」「（三）不」), and all
    of them together short: a laid-out line of a merged cell, not another row's words.
    """
    norm = normalize(text)
    found = set()
    for key, row_id in _ROW_KEYS:
        runs = _leftover_runs(key, norm)
        if runs is None or sum(map(len, runs)) > _NOISE_MAX:
            continue
        if all(run in _MERGED_TEXT for run in runs):
            found.add(row_id)
    if len(found) != 1:
        return None
    return labels.TABLE3_ROW_BY_ID[found.pop()].label


def _starts_label(text: str) -> bool:
    """True when ``text`` is the beginning of a row label, not all of it."""
    return len(text) >= _FUZZY_MIN and any(
        key.startswith(text) and key != text for key, _ in _ROW_KEYS
    )


def _cut_short(row: Row) -> bool:
    """True when the row's label is the beginning of one row label, not all of it."""
    return _starts_label(_label_text(row))


def _label_text(row: Row) -> str:
    return "".join(normalize(c) for c in row.cells if c and not is_number_like(c))


def _with_label(row: Row, label: str) -> Row:
    """The row with its text cells replaced by ``label`` before its numbers."""
    last_text = max((i for i, c in enumerate(row.cells) if c and not is_number_like(c)), default=-1)
    cells = (label, *row.cells[last_text + 1 :])
    return Row(cells, row.text, row.line, row.in_table, row.leading_gap)


def _join_label_cells(row: Row) -> Row | None:
    """The row with the text cells before its first number joined into one, if there are several."""
    first = next((i for i, c in enumerate(row.cells) if c and is_number_like(c)), len(row.cells))
    texts = [c for c in row.cells[:first] if c]
    if len(texts) < 2:
        return None
    cells = ("".join(texts), *row.cells[first:])
    return Row(cells, row.text, row.line, row.in_table, row.leading_gap)


def _prefix_first_text(row: Row, prefix: str) -> Row:
    cells = list(row.cells)
    for i, cell in enumerate(cells):
        if cell and not is_number_like(cell):
            cells[i] = prefix + cell
            break
    else:
        # A row of numbers only, right under lines that together are exactly one row's label
        # (a converter put the label outside the table): the label is the row's.
        entry = _match(normalize(prefix))
        if entry is not None and entry[0] == ROW:
            cells.insert(0, prefix)
    return Row(tuple(cells), row.text, row.line, row.in_table, row.leading_gap)


def _suffix_last_text(row: Row, suffix: str) -> Row:
    cells = list(row.cells)
    for i in range(len(cells) - 1, -1, -1):
        if cells[i] and not is_number_like(cells[i]):
            cells[i] += suffix
            break
    return Row(tuple(cells), row.text, row.line, row.in_table, row.leading_gap)


def misprinted_label(text: str) -> str | None:
    """The id of the one 表三 row whose label ``text`` is a misprint of, whole: numbered as that
    row, close to it and to no other, and not the beginning of a label; else None."""
    norm = normalize(text)
    if not _ITEM_NUMBER.findall(norm) or _starts_label(norm):
        return None
    close = difflib.get_close_matches(norm, _FUZZY_KEYS, n=3, cutoff=_FUZZY_CUTOFF)
    ids = {TABLE3_INDEX[k][1] for k in close}
    if len(ids) != 1 or not _same_numbering(norm, TABLE3_INDEX[close[0]][1]):
        return None
    return ids.pop()
