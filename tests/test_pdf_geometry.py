"""The PDF importer's geometry on layouts we did not design (issue 18): numbers wrapped inside
narrow ruled cells, the document's text margins, and tables without ruling lines, whose columns
come from the headings the numbers stand under. Each cause has a test on the characters alone
(what the page proves and what it does not) and one on the generated PDF that showed it."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.layoutgen.score import report_cells
from tests.layoutgen.styles import layout
from tests.layoutgen.truth import random_truth
from xxgk.importers import import_source
from xxgk.importers.pdf import _Line, _set_margins
from xxgk.importers.pdf_cells import _Line as CellLine
from xxgk.importers.pdf_cells import _wrapped
from xxgk.importers.pdf_unruled import laid_out_lines

DIGIT = 5.0  # width of a digit at 10 pt
SIZE = 10.0


def _chars(text: str, x0: float, top: float, width: float = DIGIT) -> list[dict[str, Any]]:
    """Characters of ``text`` set from ``x0`` (a CJK character twice a digit's width)."""
    chars, x = [], x0
    for ch in text:
        w = width if ch.isascii() else 2 * width
        chars.append({"text": ch, "x0": x, "x1": x + w, "top": top, "bottom": top + SIZE,
                      "size": SIZE})
        x += w
    return chars


def _line(top: float, *pieces: tuple[str, float]) -> dict[str, Any]:
    return {"top": top, "chars": [c for text, x0 in pieces for c in _chars(text, x0, top)]}


# ---------------------------------------------------------------- numbers wrapped in a ruled cell


def _cell_lines(*lines: tuple[str, float]) -> list[CellLine]:
    return [CellLine(text, x0, x0 + DIGIT * len(text), DIGIT) for text, x0 in lines]


def test_a_number_wrapped_in_a_full_cell_is_one_number() -> None:
    # a cell 22 pt wide (four digits and 1 pt padding each side): 「1354」 over 「7」
    box = (100.0, 0.0, 122.0, 30.0)
    lines = _cell_lines(("1354", 101.0), ("7", 109.0))
    assert _wrapped(box, lines, lines, padding=1.0)


def test_two_numbers_stacked_with_room_beside_them_are_not_joined() -> None:
    # 「5」 over 「3」 in a cell with room for three more digits: not a wrap, never 53 — and
    # not either when nothing in the table tells the padding (a centred digit seems padded)
    box = (100.0, 0.0, 125.0, 30.0)
    lines = _cell_lines(("5", 110.0), ("3", 110.0))
    assert not _wrapped(box, lines, lines, padding=1.0)
    assert not _wrapped(box, lines, lines, padding=10.0)


def test_a_line_shorter_than_the_columns_longest_is_not_full() -> None:
    # the column holds 「1234」 on one line elsewhere: 「123」 over 「4」 had room for the 4
    box = (100.0, 0.0, 122.0, 30.0)
    lines = _cell_lines(("123", 103.5), ("4", 108.5))
    assert not _wrapped(box, lines, [*lines, *_cell_lines(("1234", 101.0))], padding=4.0)


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6), st.integers(1, 6), st.floats(0.5, 4.0), st.integers(0, 3))
def test_a_line_with_room_for_the_next_digit_is_never_a_wrap(
    first: int, second: int, padding: float, spare: int
) -> None:
    # a cell holding ``first`` digits and ``spare`` more: the second line is a wrap only
    # when there is no room to spare
    width = DIGIT * (first + spare) + 2 * padding + 0.5
    box = (0.0, 0.0, width, 30.0)
    lines = _cell_lines(("1" * first, padding), ("2" * min(second, first), padding))
    assert _wrapped(box, lines, lines, padding) is (spare == 0)


# ---------------------------------------------------------------- the document's text margins


def test_margins_come_from_the_whole_document_not_one_short_page() -> None:
    # page 3 holds a heading and one short paragraph; taken alone its "right margin" was the
    # heading's end, the heading seemed to run full and the paragraph was joined to it
    lines = [
        _Line("一、总体情况", 90, 174, 0, 0, 14),
        _Line("本年度，…认真贯彻落实《中华人民共和国政府", 90, 531.4, 0, 0, 14),
        _Line("信息公开条例》，按照上级关于政务公开工作的部署，", 62.5, 547.1, 0, 0, 14),
        _Line("管理、服务、结果公开。", 62.5, 412.5, 0, 0, 14),
        _Line("五、存在的主要问题及改进情况", 90, 286.5, 0, 0, 14),
        _Line("一是公开内容的全面性有待提高。下一步", 90, 532.0, 0, 0, 14),
        _Line("将加强培训。", 62.5, 300.5, 0, 0, 14),
    ]
    _set_margins(lines)
    assert {line.left for line in lines} == {62.5}
    assert {line.right for line in lines} == {532.0}


# ---------------------------------------------------------------- tables without rulings

_TABLE2_HEADINGS = (_line(100, ("信息内容", 60), ("本年制发件数", 140), ("本年废止件数", 220),
                          ("现行有效件数", 300)))


def test_an_unruled_row_keeps_its_blank_cells_under_the_headings() -> None:
    rows = laid_out_lines([
        _TABLE2_HEADINGS,
        _line(115, ("规章", 60), ("6", 237.5)),
        _line(130, ("行政规范性文件", 60), ("0", 157.5), ("3", 317.5)),
    ])
    assert rows[1].split("\t") == ["规章", "", "6", ""]
    assert rows[2].split("\t") == ["行政规范性文件", "0", "", "3"]


def test_a_number_under_no_heading_leaves_the_row_as_printed() -> None:
    # 「6」 between two headings: its column is not established, the row is not placed
    rows = laid_out_lines([_TABLE2_HEADINGS, _line(115, ("规章", 60), ("6", 205))])
    assert "\t" not in rows[1]


def test_a_piece_of_the_row_on_the_line_beside_leaves_it_as_printed() -> None:
    # the end of a wrapped number (or a number set lower in a taller row) on the next line
    rows = laid_out_lines([
        _TABLE2_HEADINGS,
        _line(115, ("规章", 60), ("1234", 150)),
        _line(127, ("5", 157.5)),
    ])
    assert "\t" not in rows[1]


def test_a_piece_of_a_label_is_placed_only_between_lines_without_numbers() -> None:
    # a label set over three lines around its numbers (「2.没有现成信息需要另行制」 /
    # 「法提供 13 7」 / 「作」): nothing beside, so the numbers are the row's, blanks blank
    rows = laid_out_lines([
        _TABLE2_HEADINGS,
        _line(115, ("行政规范", 60)),
        _line(127, ("性", 60), ("1", 157.5), ("3", 317.5)),
        _line(139, ("文件", 60)),
    ])
    assert rows[2].split("\t") == ["性", "1", "", "3"]
    # … but beside a row of its own with numbers it could hold that row's pieces: as printed
    rows = laid_out_lines([
        _TABLE2_HEADINGS,
        _line(115, ("规章", 60), ("4", 157.5)),
        _line(127, ("性", 60), ("1", 157.5), ("3", 317.5)),
    ])
    assert "\t" not in rows[2]


def test_headings_that_are_not_the_national_ones_place_nothing() -> None:
    rows = laid_out_lines([
        _line(100, ("信息内容", 60), ("本年制发", 140), ("本年废止件数", 220), ("现行有效件数", 300)),
        _line(115, ("规章", 60), ("6", 237.5)),
    ])
    assert "\t" not in rows[1]


def test_a_later_table_is_never_placed_under_an_earlier_tables_headings() -> None:
    # 表二's next block has one column whose heading is not read in columns here: its row
    # must not be placed under the first block's three columns
    rows = laid_out_lines([
        _TABLE2_HEADINGS,
        _line(115, ("规章", 60), ("6", 237.5)),
        _line(140, ("第二十条第（五）项", 150)),
        _line(155, ("信息内容", 60), ("本年处理决定数量", 150), ("数量", 250)),
        _line(170, ("行政许可", 60), ("7", 237.5)),
    ])
    assert "\t" not in rows[4]


def test_a_heading_spanning_columns_is_no_column() -> None:
    # 表三's headings: 「申请人情况」 centred over 社会公益组织, 「法人或其他组织」 over five
    # columns, the others wrapped a piece a line
    x = {name: 200 + 40 * i for i, name in enumerate("自商科社法其总")}
    rows = laid_out_lines([
        _line(100, ("申请人情况", x["社"] - 10)),
        _line(112, ("法人或其他组织", x["商"] + 5)),
        _line(124, ("自然", x["自"]), ("社会", x["社"]), ("法律", x["法"])),
        _line(136, ("商业", x["商"]), ("科研", x["科"]), ("总计", x["总"])),
        _line(148, ("人", x["自"] + 5), ("公益", x["社"]), ("服务", x["法"]), ("其他", x["其"])),
        _line(160, ("企业", x["商"]), ("机构", x["科"])),
        _line(172, ("组织", x["社"]), ("机构", x["法"])),
        _line(190, ("一、本年新收政府信息公开申请数量", 20), ("3", x["自"] + 7.5),
              ("12", x["科"] + 5), ("15", x["总"] + 5)),
        _line(205, ("二、上年结转政府信息公开申请数量", 20), ("1", x["其"] + 7.5),
              ("1", x["总"] + 7.5)),
    ])
    assert rows[7].split("\t") == ["一、本年新收政府信息公开申请数量", "3", "", "12", "", "", "",
                                   "15"]
    assert rows[8].split("\t") == ["二、上年结转政府信息公开申请数量", "", "", "", "", "", "1",
                                   "1"]


# ---------------------------------------------------------------- the generated PDFs

# (style, seed of tests/test_layoutgen.py's batch) of the reports that showed each cause
CASES = {
    # numbers wrapped in 0.8 cm cells (「135」 over 「4」) were unreadable: 38 of 200 blank
    "wrapped-in-cell": ("narrow", "2026-8"),
    # page 1's margins taken from its five lines: 「一、总体情况」 joined to its paragraph, every
    # section title but 三 and 四 lost and 表二 with them
    "margins": ("vertical", "2026-52"),
    # without rulings the title 「…人民政府 2023 年政府信息公开…」 came out as three cells on
    # a grid of fixed-width columns and the report was refused
    "unruled-title": ("unruled", "2026-20"),
    # without rulings rows with blank cells could not say which number is in which column
    "unruled-columns": ("unruled", "2026-62"),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    from tests.layoutgen import docx_out
    from tests.layoutgen.batch import to_pdf, tools_available

    if not tools_available():
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("pdf-geometry")
    made = {}
    for name, (style, seed) in CASES.items():
        rng = random.Random(seed)
        truth = random_truth(rng)
        doc, choices = layout(truth, style, rng)
        (folder / f"{name}.docx").write_bytes(docx_out.render(doc))
        made[name] = (folder / f"{name}.pdf", truth.cells(choices.six_one_row, choices.fee_digits))
    to_pdf([folder / f"{name}.docx" for name in CASES], folder)
    return made


def _outcome(path: Path, truth: dict[str, Any]) -> tuple[int, int, list[str]]:
    """(exact, numbers printed, wrong cells) of one import."""
    got = report_cells(import_source(path).report)
    numbers = [k for k, v in truth.items() if v is not None]
    exact = sum(1 for k in numbers if got.get(k) == truth[k])
    wrong = [f"{k}: {truth.get(k)} → {v}" for k, v in got.items()
             if v is not None and truth.get(k) != v]
    return exact, len(numbers), wrong


@pytest.mark.parametrize("case", list(CASES))
def test_generated_pdfs_import_every_number_exactly(
    generated: dict[str, tuple[Path, dict[str, Any]]], case: str
) -> None:
    exact, numbers, wrong = _outcome(*generated[case])
    assert wrong == []
    assert exact == numbers


def test_the_section_titles_stay_paragraphs_of_their_own(
    generated: dict[str, tuple[Path, dict[str, Any]]],
) -> None:
    result = import_source(generated["margins"][0])
    assert not [f for f in result.findings if f.code == "import/missing-section"]
    assert result.report.table2.licensing is not None


@pytest.mark.parametrize(
    ("text", "row_id"),
    [
        ("5.属于三类内部事物信息", "refused.internal_affairs"),  # a misprint of the whole label
        ("2.其他法律行政法规禁止公", None),  # the beginning of a label wrapped in its cell
        ("开", None),  # … its end
        ("（三）不", None),  # a piece of a group cell
        ("3.属于三类内部事务信息", None),  # another number: 3. is not 5.'s misprint
    ],
)
def test_a_whole_misprinted_label_is_a_row_of_its_own(text: str, row_id: str | None) -> None:
    from xxgk.importers.tables import misprinted_label

    assert misprinted_label(text) == row_id
