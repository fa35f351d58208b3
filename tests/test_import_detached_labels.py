"""表三 rows whose labels a PDF → markdown converter detached from their numbers (importers/detached.py).

Real converter output (上海 科委 2024, 办公厅 2025) leaves a tall label cell as loose text lines
and its row as a pipe row of numbers only, or with a piece of its label; such a row is given its
label only by the national order between two rows read by their own labels, when the count fits,
the label is printed and the table adds up. The hypothesis test cuts a consistent 表三 into pipe
tables at random, detaching, wrapping and dropping labels and whole rows, and asserts no number
ever lands in another row.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports import consistent_table3
from xxgk import labels
from xxgk.importers import import_source
from xxgk.importers.detached import DETACHED_LABEL
from xxgk.importers.markdown import parse_markdown
from xxgk.model import Table3

REAL = Path(__file__).parent / "data" / "real"
_ROWS = [*labels.TABLE3_ROWS[:-1], None, labels.TABLE3_ROWS[-1]]  # None: （七）总计


def _truth_rows(name: str) -> dict[str, list[int | None]]:
    truth = json.loads((REAL / f"{name}.truth.json").read_text("utf-8"))
    return {k: v for k, v in truth["t3"].items() if k != "results_total"}


def _imported(table3: Table3) -> dict[str, list[int | None]]:
    return {row_id: [*counts.cells, counts.stated_total] for row_id, counts in table3.rows.items()}


def test_rows_left_as_numbers_beside_loose_labels_are_read_by_the_national_order() -> None:
    # 科委: ten rows as 「| 0 | 0 | … |」 with their labels as loose lines (one of them a
    # stray 「1」 line that the table's sums show belongs to no row).
    result = import_source(REAL / "shanghai-kewei-2024.md")
    assert _imported(result.report.table3) == _truth_rows("shanghai-kewei-2024")
    placed = [f for f in result.findings if f.code == DETACHED_LABEL]
    assert len(placed) == 11
    assert any("「1」" in f.message and "已跳过" in f.message for f in placed)


def test_rows_with_a_piece_of_their_label_are_read_by_the_national_order() -> None:
    # 办公厅: 「| 行政机关不再处理其政府信息公 | 40 | … |」 is （六）1 (the piece fits 1 and 2;
    # the order says 1), 「| 缴纳费用、 | 行政机关不再处理其政 | 0 | … |」 is （六）2.
    report = import_source(REAL / "shanghai-office-2025.md").report
    assert _imported(report.table3) == _truth_rows("shanghai-office-2025")
    assert report.table3.row("other_handling.no_correction").cells == (40, 1, 0, 0, 2, 0)


_HEAD = (
    "某局2024年政府信息公开工作年度报告\n一、总体情况\n概述。\n三、收到和处理政府信息公开申请情况\n"
)
_TAIL = "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n"
_MODES = ("whole", "whole", "detached", "fragment", "label-lost", "absent")


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _markdown(table3: Table3, modes: list[str], data: st.DataObject, blank_zeros: bool) -> str:
    """表三 as a converter might leave it: pipe rows, cut into tables, labels detached; with
    ``blank_zeros`` every 0 printed as an empty cell."""
    lines = [_pipe(["", *labels.TABLE3_COLUMN_LABELS, "总计"]), "|---" * 8 + "|"]
    for spec, mode in zip(_ROWS, modes, strict=True):
        if spec is None:
            values = [*table3.results_total(), table3.results_grand_total()]
            label = labels.TABLE3_RESULTS_TOTAL
        else:
            counts = table3.row(spec.id)
            values, label = [*counts.cells, counts.total], spec.label
        numbers = ["" if blank_zeros and v == 0 else str(v) for v in values]
        if mode == "absent":
            continue
        loose: list[str] = []
        if mode == "whole":
            row = _pipe([label, *numbers])
        elif mode == "fragment" and len(label) >= 12:
            cut = data.draw(st.integers(8, len(label) - 2))
            loose, row = [label[:cut]], _pipe([label[cut:], *numbers])
        else:
            row = _pipe(numbers)
            if mode != "label-lost":  # the label wrapped over one or two loose lines
                cut = data.draw(st.integers(1, len(label)))
                loose = [p for p in (label[:cut], label[cut:]) if p]
        block = [*loose, row] if data.draw(st.booleans()) else [row, *loose]
        if data.draw(st.booleans()):  # a table cut into one table per row
            block += ["|---|---|---|---|---|---|---|", ""]
        lines += block
    return _HEAD + "\n".join(lines) + "\n" + _TAIL


@settings(max_examples=60, deadline=None)
@given(consistent_table3(max_value=40), st.data())
def test_a_consistent_table_cut_into_pipe_tables_is_never_read_wrong(
    table3: Table3, data: st.DataObject
) -> None:
    modes = [data.draw(st.sampled_from(_MODES)) for _ in _ROWS]
    blank_zeros = data.draw(st.booleans())
    text = _markdown(table3, modes, data, blank_zeros)
    imported = parse_markdown(text).report.table3
    lost = {"label-lost", "absent"}
    certain = modes[0] == modes[-1] == "whole" and not lost & set(modes) and not blank_zeros
    for spec in labels.TABLE3_ROWS:
        got = imported.row(spec.id).cells
        want = table3.row(spec.id).cells
        if blank_zeros:  # a cell printed empty is never given a number
            want = tuple(None if w == 0 else w for w in want)  # type: ignore[assignment]
        assert all(g is None or g == w for g, w in zip(got, want, strict=True)), (spec.id, modes)
        if certain:
            assert got == want, (spec.id, modes, text)


# ---------------------------------------------------------------- the layout generator's reports
# Its seven table styles as a Word → markdown converter writes them (tests/layoutgen/md_out.py),
# then 表三 as a PDF → markdown converter leaves it: some rows' labels moved out of the table to
# loose lines before or after their row, the tables cut into one table per row.


def _detach(markdown: str, rng: random.Random) -> str:
    from xxgk.importers.cells import is_number_like, normalize
    from xxgk.importers.tables import ROW, match_label

    out: list[str] = []
    for line in markdown.split("\n"):
        cells = (
            [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        )
        labelled = [
            i
            for i, c in enumerate(cells)
            if c and not is_number_like(c) and (m := match_label(normalize(c))) and m[0] == ROW
        ]
        if not labelled or rng.random() < 0.5:
            out.append(line)
            continue
        at = labelled[-1]
        numbers = cells[at + 1 :]
        loose = [p for p in cells[: at + 1] if p]
        row = ["| " + " | ".join(numbers) + " |", "|" + "---|" * len(numbers), ""]
        out += [*loose, *row] if rng.random() < 0.5 else [*row, *loose]
    return "\n".join(out)


def test_generated_reports_with_detached_labels_are_never_read_wrong() -> None:
    from tests.layoutgen import docx_out, md_out
    from tests.layoutgen.score import report_cells
    from tests.layoutgen.styles import STYLES, layout
    from tests.layoutgen.truth import random_truth

    exact = blank = 0
    names = list(STYLES)
    for i in range(70):
        rng = random.Random(f"detached-{i}")
        truth = random_truth(rng)
        doc, choices = layout(truth, names[i % len(names)], rng)
        text = _detach(md_out.render(docx_out.render(doc)), rng)
        got = report_cells(parse_markdown(text).report)
        for key, want in truth.cells(choices.six_one_row, choices.fee_digits).items():
            if not key.startswith("t3."):
                continue
            have = got.get(key)
            assert have is None or have == want, (i, key, have, want)
            exact += have is not None and have == want
            blank += want is not None and have is None
    assert exact > 0.85 * (exact + blank), (exact, blank)  # 90.0 % when written


def _rows_markdown(*rows: str) -> str:
    head = "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"
    return _HEAD + "\n".join([head, *rows]) + "\n" + _TAIL


def test_a_loose_label_after_its_row_never_names_the_next_row() -> None:
    # Found by the hypothesis test: 「…申请」 printed after its row 「| 数量 | 3 | … |」, then
    # 「| 数量 | 5 | … |」 — the loose line and the next row's 「数量」 made 一's label whole, and
    # 二's numbers were read into 一. A loose line above a pipe row never starts its label.
    text = (
        _HEAD
        + "\n".join(
            [
                "| 数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
                "一、本年新收政府信息公开申请",
                "| 数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |",
                "二、上年结转政府信息公开申请",
                "| （一）予以公开 | 8 | 0 | 0 | 0 | 0 | 0 | 8 |",
            ]
        )
        + "\n"
        + _TAIL
    )
    table3 = parse_markdown(text).report.table3
    assert table3.row("new").cells[0] in (None, 3)
    assert table3.row("carried_in").cells[0] in (None, 5)


def test_a_loose_label_is_never_fuzzed_onto_a_pipe_row_with_a_piece_of_another() -> None:
    # Found by the hypothesis test: loose 「2.没有现成信息需要另行制作」 then 「| 明确 | … |」
    # (the end of 3.补正后申请内容仍不明确) was fuzzy-matched to 2. as 「2.没有…制作明确」.
    text = _rows_markdown(
        "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "2.没有现成信",
        "息需要另行制作",
        "| 明确 | 30 | 22 | 34 | 7 | 8 | 20 | 121 |",
    )
    table3 = parse_markdown(text).report.table3
    assert table3.row("unavailable.needs_creation").cells == (None,) * 6


def test_a_detached_row_keeps_its_empty_cells_in_place() -> None:
    # Found by the generated test: the row's empty cells were dropped when its label was put
    # back, so 5707 (商业企业) was read as 自然人.
    text = _rows_markdown(
        "二、上年结转政府信息公开申请数量",
        "|  | 5707 |  | 370 |  |  | 6077 |",
        "| （一）予以公开 | 8 | 0 | 0 | 0 | 0 | 0 | 8 |",
    )
    result = parse_markdown(text)
    assert result.report.table3.row("carried_in").cells == (None, 5707, None, 370, None, None)
    assert any(f.code == DETACHED_LABEL for f in result.findings)
    # a row whose empty cells may be the table's padding as well is not read
    text = _rows_markdown(
        "二、上年结转政府信息公开申请数量",
        "|  | 5707 |  | 370 |  |  | 6077 |  |",
        "| （一）予以公开 | 8 | 0 | 0 | 0 | 0 | 0 | 8 |",
    )
    assert parse_markdown(text).report.table3.row("carried_in").cells == (None,) * 6


def test_a_rows_seven_cells_are_found_however_wide_the_table() -> None:
    from xxgk.importers.detached import _window

    # only windows holding every filled cell are tried (at most seven, however wide the row)
    seven = ("1", "", "2", "3", "", "", "6")  # its filled cells span seven: one window only
    assert _window([""] * 100_000 + list(seven) + [""] * 100_000) == seven
    assert _window([""] * 100_000 + ["1", "", "", "", "", "", "", "6"]) is None  # eight wide
    assert _window([*"1023456"]) == tuple("1023456")
    assert _window(["", *"1023456", ""]) == tuple("1023456")  # padding around a full row
    assert _window(["", "5", "", "3", "", "", "8"]) == ("", "5", "", "3", "", "", "8")
    assert _window(["", "5", "", "3", "", "", "8", ""]) is None  # blank or padding: unread
    assert _window(["1"] * 8) is None
