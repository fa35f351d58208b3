"""表三 rows of spaced text that lost their blank cells (importers/blankcells.py): placed only
where one placement fits the row's 总计, the laid-out positions and every 勾稽 relation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.layoutgen.score import report_cells
from xxgk import labels
from xxgk.importers import blankcells
from xxgk.importers import findings as codes
from xxgk.importers.blankcells import Anchored, ShortRow, place, placements
from xxgk.importers.txt import parse_text

DATA = Path(__file__).parent / "data" / "layouttext"
RESULT_IDS = [r.id for r in labels.TABLE3_RESULT_ROWS]
Cells = tuple[int | None, ...]


def _wrong(truth: dict[str, object], got: dict[str, object]) -> list[str]:
    """Cells imported with a number where the truth holds another or none (the fee is text in
    the truth file)."""
    return [
        k
        for k, v in truth.items()
        if got.get(k) is not None and (v is None or Decimal(str(got[k])) != Decimal(str(v)))
    ]


@st.composite
def consistent_tables(draw: st.DrawFn) -> dict[str, tuple[int, ...]]:
    """A 表三 whose every relation holds: rows' 总计, column sums, 一 + 二 = （七） + 四."""
    small = st.integers(0, 30) | st.just(0)
    table: dict[str, tuple[int, ...]] = {}
    for row_id in RESULT_IDS:
        six = [draw(small) for _ in range(6)]
        table[row_id] = (*six, sum(six))
    total = tuple(sum(table[r][c] for r in RESULT_IDS) for c in range(7))
    table[blankcells.TOTAL] = total
    out = [draw(st.integers(0, 10)) for _ in range(6)]
    table["carried_out"] = (*out, sum(out))
    carried_in = [draw(st.integers(0, total[c] + out[c])) for c in range(6)]
    table["carried_in"] = (*carried_in, sum(carried_in))
    new = [total[c] + out[c] - carried_in[c] for c in range(6)]
    table["new"] = (*new, sum(new))
    return table


@settings(max_examples=25, deadline=None)
@given(consistent_tables(), st.data())
def test_a_placed_cell_is_always_the_printed_one(
    table: dict[str, tuple[int, ...]], data: st.DataObject
) -> None:
    """Zeros printed blank in some rows, the rest read whole: every cell imported is the one
    printed (a number or blank), and an open cell's candidates hold the printed one."""
    full: dict[str, Cells] = {}
    short: dict[str, ShortRow | Anchored] = {}
    printed: dict[str, Cells] = {}
    for row_id, cells in table.items():
        blanked = tuple(
            None if v == 0 and data.draw(st.integers(0, 3), label=f"{row_id}.{c}") == 0 else v
            for c, v in enumerate(cells)
        )
        printed[row_id] = blanked
        numbers = tuple(v for v in blanked if v is not None)
        if len(numbers) == 7:
            full[row_id] = blanked
        elif numbers:
            short[row_id] = ShortRow(numbers, None, 7)
        else:
            full[row_id] = blanked  # nothing printed: read whole, all blank
    placed = place(full, short, use_relations=True)
    if placed is None:  # the search passed its bound: every short row stays blank
        return
    for row_id, result in placed.items():
        assert result.fits
        for c, value in enumerate(result.cells):
            if c in result.open:
                assert printed[row_id][c] in result.open[c]
            else:
                assert value == printed[row_id][c], (row_id, c)


def test_the_row_total_alone_settles_where_the_total_stands() -> None:
    """「7 0 0 16 14 37」: 37 is the sum of the other five, so it is the 总计."""
    options = placements(ShortRow((7, 0, 0, 16, 14, 37), None, 7))
    assert {o[-1] for o in options} == {37}
    assert len(options) == 6  # the blank among the six columns: not settled by the row alone


def test_a_number_never_stands_right_of_its_column() -> None:
    """Laid-out text moves text left into blank cells' room, never right: a number whose
    middle is past a column's rightmost position (by more than the slack) is not in it."""
    anchors = (28.0, 34.0, 42.0, 47.5, 53.5, 59.5, 65.5)
    row = ShortRow((5, 3, 8), None, 7, offsets=(47.0, 59.0, 65.0))
    options = placements(Anchored(row, anchors))
    assert options  # 5 and 3 can stand right of where they are printed, not left
    for option in options:
        assert option[:3] == (None, None, None)
        assert option[-1] == 8
    assert {o.index(5) for o in options} == {3, 4}


def test_relations_that_fail_for_every_placement_place_nothing() -> None:
    """The report's own arithmetic error: no placement fits, so nothing is imported."""
    full: dict[str, Cells] = dict.fromkeys(RESULT_IDS, (0,) * 7)
    full[blankcells.TOTAL] = (1, 0, 0, 0, 0, 0, 1)
    short: dict[str, ShortRow | Anchored] = {
        "granted": ShortRow((2, 2), None, 7),  # 2 in one column, 总计 2: the column sums fail
    }
    del full["granted"]
    placed = place(full, short, use_relations=True)
    assert placed is not None
    assert not placed["granted"].fits
    assert placed["granted"].cells == (None,) * 7


def test_laid_out_table_with_blank_cells_imports_without_a_wrong_cell() -> None:
    """A generated report (wps style) through LibreOffice and pdftotext -layout, zeros printed
    blank in places: the rows that lost blank cells are placed where one placement fits, and
    nothing is wrong."""
    text = (DATA / "r0014-wps.layout.txt").read_text(encoding="utf-8")
    truth = json.loads((DATA / "r0014-wps.truth.json").read_text(encoding="utf-8"))
    result = parse_text(text)
    got = report_cells(result.report)
    wrong = _wrong(truth, got)
    assert wrong == []
    row = [got[f"t3.unavailable.not_held.{i}"] for i in range(7)]
    assert row == [0, 14, 0, 0, 21, None, 35]  # its 其他 cell printed blank
    row = [got[f"t3.other_handling.other.{i}"] for i in range(7)]
    assert row == [25, None, 15, None, 9, 2, 51]
    counts = [
        f for f in result.findings if f.code == codes.CELL_COUNT and "表三" in str(f.location)
    ]
    placed = [f for f in counts if "只有一种分法" in f.message]
    assert len(placed) >= 5
    open_rows = [f for f in counts if "无法确定" in f.message]
    assert all("空白或0" in f.message or "导入为空值" in f.message for f in open_rows)


def test_raw_rows_whose_label_wraps_are_placed_too() -> None:
    """pdftotext -raw of the same report: a row whose label wraps comes as label lines and a
    line of numbers (the stacked reader); one that lost blank cells is placed the same way."""
    text = (DATA / "r0014-wps.raw.txt").read_text(encoding="utf-8")
    truth = json.loads((DATA / "r0014-wps.truth.json").read_text(encoding="utf-8"))
    got = report_cells(parse_text(text).report)
    wrong = _wrong(truth, got)
    assert wrong == []
    row = [got[f"t3.unavailable.not_held.{i}"] for i in range(7)]
    assert row == [0, 14, 0, 0, 21, None, 35]


def test_numbers_one_a_line_after_a_label_are_never_placed() -> None:
    """pdftotext's default mode prints labels and numbers apart: 「5.属于三类内部事务信息」 then
    「3」「3」 on lines of their own, which need not be that row's numbers (its 总计 is 6). Such
    numbers are never a short row, so no 总计 is taken from them."""
    text = (DATA / "r0032-split.default.txt").read_text(encoding="utf-8")
    truth = json.loads((DATA / "r0032-split.truth.json").read_text(encoding="utf-8"))
    got = report_cells(parse_text(text).report)
    wrong = _wrong(truth, got)
    assert wrong == []
    assert got["t3.refused.internal_affairs.6"] is None


def test_a_short_row_beside_a_line_of_stray_numbers_is_never_placed() -> None:
    """A narrow cell wraps 2099467 as 「209946」 above the row and 「7」 below it: the row's line
    has six numbers that its 总计 cannot confirm, so it stays blank with the reason."""
    text = (DATA / "r0014-wps.layout.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "一、本年新收政府信息公开申请数量" in line)
    # 「73 156 16 151 223 165 784」: the 总计 784 wrapped as 「78」 / 「4」 around the row
    row = lines[at]
    lines[at] = row[: row.rindex("784")].rstrip()
    lines.insert(at, " " * row.rindex("784") + "78")
    lines.insert(at + 2, " " * (row.rindex("784") + 1) + "4")
    result = parse_text("\n".join(lines))
    assert result.report.table3.row("new").cells == (None,) * 6
    found = [f for f in result.findings if "紧挨着另有一行数字" in f.message]
    assert [f.location.parts[-1] for f in found] == ["一、本年新收政府信息公开申请数量"]


def test_the_search_is_bounded() -> None:
    """A table of six-digit numbers split over pages, many rows with blank cells and no rows
    to align them with: the search for a whole reading stops at its bound (counted in sums
    formed, so it stops at the same place on any machine; it used to run for a minute), the
    rows stay blank saying so, and nothing is wrong."""
    text = (DATA / "r0067-split.layout.txt").read_text(encoding="utf-8")
    truth = json.loads((DATA / "r0067-split.truth.json").read_text(encoding="utf-8"))
    result = parse_text(text)
    got = report_cells(result.report)
    wrong = _wrong(truth, got)
    assert wrong == []
    assert any("可能的分法太多" in f.message for f in result.findings)


_FINDINGS = (
    "import sys; from pathlib import Path; from xxgk.importers.txt import parse_text; "
    "r = parse_text(Path(sys.argv[1]).read_text(encoding='utf-8')); "
    "print('\\n'.join(f'{f.code} {f.location} {f.message}' for f in r.findings))"
)


def test_the_reading_does_not_depend_on_the_hash_seed() -> None:
    """A label wrapped around pieces of merged cells (vertical style) was read or not depending
    on PYTHONHASHSEED: the pieces' order came from a set. Two seeds that differed read alike."""
    path = DATA / "r0003-vertical.layout.txt"
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _FINDINGS, str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
