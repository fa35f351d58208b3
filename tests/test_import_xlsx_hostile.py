"""Our workbook, edited by someone who wants it misread: only what a reader sees is imported.

Each class of issue 19 item 2 (workbooks) and item 6 (sheets bounded): a formula where a number is
entered, an external reference, a formula in a text cell, a hidden sheet, a number format that shows
another number, and a cell far below the text.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from tests.xlsx_support import rich_report, with_cell_xml, with_sheet_xml, write_rendered
from xxgk import xlsx_layout as layout
from xxgk.errors import XxgkError
from xxgk.importers import ImportResult, import_source

T2, T3, T4 = layout.SHEET_TABLE2, layout.SHEET_TABLE3, layout.SHEET_TABLE4

# Every cell a clerk enters a number in, by sheet (the totals are formulas xxgk writes).
ENTRY_CELLS = [
    (grid.sheet, layout.cell_ref(span.row, span.col)) for grid in layout.GRIDS
    for span in grid.inputs
]


def built(tmp_path: Path) -> Path:
    return write_rendered(rich_report(), tmp_path / "r.xlsx")


def formula(text: str, cached: str | None = None, string: bool = False) -> str:
    kind = ' t="str"' if string else ""
    value = "" if cached is None else f"<v>{cached}</v>"
    return f"<f>{text.replace('&', '&amp;').replace('<', '&lt;')}</f>{value}", kind


def put_formula(path: Path, sheet: str, ref: str, text: str, cached: str | None = None,
                string: bool = False) -> Path:
    inner, kind = formula(text, cached, string)
    return with_cell_xml(path, sheet, ref, f'<c r="{ref}"{kind}>{inner}</c>')


def value_at(result_report: object, sheet: str, ref: str) -> object:
    """The model's value for one workbook cell, found through the cell's place."""
    from xxgk.checks.cells import all_cells

    places = {parts for parts, cell in layout.CELL_PLACES.items() if cell == f"{sheet}!{ref}"}
    for cell in all_cells(result_report):  # type: ignore[arg-type]
        if cell.parts in places:
            return cell.value
    raise AssertionError(places)


# ---------------------------------------------------------------- formulas in entry cells


def test_a_count_formula_is_an_error_never_its_cached_value(tmp_path: Path) -> None:
    # =1+1 with 7 saved as its result: neither 2 nor 7 is what the clerk entered.
    path = put_formula(built(tmp_path), T3, "D5", "1+1", "7")
    result = import_source(path)
    assert result.report.table3.row("new").cells[0] is None
    [finding] = [f for f in result.findings if f.code == "import/formula-in-entry"]
    assert finding.is_error
    assert finding.location.cell == f"{T3}!D5"
    assert "1+1" in finding.message
    assert "7" in finding.message


def test_an_external_reference_is_an_error(tmp_path: Path) -> None:
    path = put_formula(built(tmp_path), T2, layout.cell_ref(
        layout.TABLE2_CELLS[0].span.row, layout.TABLE2_CELLS[0].span.col), "[1]Sheet1!A1", "5")
    result = import_source(path)
    [finding] = [f for f in result.findings if f.code == "import/formula-in-entry"]
    assert "其他工作簿" in finding.message
    assert result.report.table2.regulations.issued is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    where=st.sampled_from(ENTRY_CELLS),
    source=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
    cached=st.one_of(st.none(), st.integers(0, 10**6).map(str)),
)
def test_any_formula_in_any_entry_cell_reads_blank_with_an_error(
    tmp_path_factory: pytest.TempPathFactory, where: tuple[str, str], source: str,
    cached: str | None,
) -> None:
    sheet, ref = where
    path = put_formula(built(tmp_path_factory.mktemp("f")), sheet, ref, source or "0", cached)
    result = import_source(path)
    assert value_at(result.report, sheet, ref) is None
    codes = [(f.code, f.location.cell) for f in result.findings if f.is_error]
    assert ("import/formula-in-entry", f"{sheet}!{ref}") in codes


# ---------------------------------------------------------------- formulas in text cells


def cover_ref(path: Path, name: str) -> str:
    ws = load_workbook(path)[layout.SHEET_COVER]
    return next(f"B{c.row}" for c in ws["A"] if c.value == name)


def test_a_formula_as_the_organ_is_refused_not_taken_as_its_source(tmp_path: Path) -> None:
    path = built(tmp_path)
    ref = cover_ref(path, layout.COVER_ORGAN)
    put_formula(path, layout.SHEET_COVER, ref, 'HYPERLINK("http://x.invalid","某某局")',
                "某某局", string=True)
    with pytest.raises(XxgkError) as caught:
        import_source(path)
    codes = {f.code: f for f in caught.value.findings}
    assert codes["import/formula-in-text"].location.cell == f"{layout.SHEET_COVER}!{ref}"
    assert "import/missing-value" in codes  # 机关名称 reads blank: the import stops


def test_a_formula_in_another_cover_field_reads_blank(tmp_path: Path) -> None:
    path = built(tmp_path)
    ref = cover_ref(path, layout.COVER_SIGNER)
    put_formula(path, layout.SHEET_COVER, ref, 'CONCAT("某","局")', "某局", string=True)
    result = import_source(path)
    assert result.report.header.signer is None
    assert [f.code for f in result.findings if f.is_error] == ["import/formula-in-text"]


def test_a_formula_in_the_text_is_not_a_paragraph(tmp_path: Path) -> None:
    path = built(tmp_path)
    ws = load_workbook(path)[layout.SHEET_TEXT]
    row = next(c.row for c in ws["D"] if c.value == "网站改版。")
    put_formula(path, layout.SHEET_TEXT, f"D{row}", 'HYPERLINK("http://x.invalid","网站改版。")',
                "网站改版。", string=True)
    result = import_source(path)
    paragraphs = [p for s in result.report.overview.subsections for p in s.paragraphs]
    assert not any("HYPERLINK" in p for p in paragraphs)
    assert "网站改版。" not in paragraphs
    [finding] = [f for f in result.findings if f.code == "import/formula-in-text"]
    assert finding.location.cell == f"{layout.SHEET_TEXT}!D{row}"


# ---------------------------------------------------------------- what a reader does not see


@pytest.mark.parametrize("sheet", [layout.SHEET_COVER, T2, T3, T4, layout.SHEET_TEXT])
@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_an_error(tmp_path: Path, sheet: str, state: str) -> None:
    path = built(tmp_path)
    wb = load_workbook(path)
    wb[sheet].sheet_state = state
    wb.active = wb.sheetnames.index(next(n for n in wb.sheetnames if n != sheet))
    wb.save(path)
    result = import_source(path)
    [finding] = [f for f in result.findings if f.code == "import/hidden-sheet"]
    assert finding.is_error
    assert sheet in finding.message


@pytest.mark.parametrize("fmt", ['"7"', "0%", "0,", "yyyy-mm-dd", '0"0"', "[>0]\"多\";0", "0.0E+00"])
def test_a_format_showing_another_number_is_an_error(tmp_path: Path, fmt: str) -> None:
    path = built(tmp_path)
    wb = load_workbook(path)
    wb[T3]["D5"].number_format = fmt
    wb.save(path)
    result = import_source(path)
    assert result.report.table3.row("new").cells[0] is None
    [finding] = [f for f in result.findings if f.code == "import/number-format"]
    assert finding.location.cell == f"{T3}!D5"
    assert finding.is_error


@pytest.mark.parametrize("fmt", ["General", "0", "#,##0", "@", "0.00", "0_ ", "[Red]0",
                                 "#,##0_);[Red]\\(#,##0\\)", "0;-0;0"])
def test_a_format_showing_the_number_itself_is_read(tmp_path: Path, fmt: str) -> None:
    path = built(tmp_path)
    wb = load_workbook(path)
    wb[T3]["D5"].number_format = fmt
    wb.save(path)
    result = import_source(path)
    assert result.findings == []
    assert result.report.table3.row("new").cells[0] == rich_report().table3.row("new").cells[0]


def test_a_zero_shown_as_another_number_by_the_third_section_is_an_error(tmp_path: Path) -> None:
    path = built(tmp_path)
    wb = load_workbook(path)
    wb[T3]["D5"].value = 0
    wb[T3]["D5"].number_format = '0;-0;"7"'  # 0 shows as 7; any other count as itself
    wb.save(path)
    result = import_source(path)
    assert result.report.table3.row("new").cells[0] is None
    assert [f.code for f in result.findings if f.location.cell == f"{T3}!D5"] == [
        "import/number-format"]


# ---------------------------------------------------------------- bounded


def test_a_cell_at_the_last_row_costs_little_and_is_a_finding(tmp_path: Path) -> None:
    path = with_cell_xml(built(tmp_path), layout.SHEET_TEXT, "D1048576",
                         '<c r="D1048576" t="inlineStr"><is><t>远处的一段。</t></is></c>')
    tracemalloc.start()
    try:
        result = import_source(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60 * 1024 * 1024, peak
    [finding] = [f for f in result.findings if f.code == "import/too-many-rows"]
    assert finding.is_error
    assert "远处的一段。" not in result.report.other_matters


# ---------------------------------------------------------------- cells a reader does not see

def _hostile(tmp_path: Path, edit: Callable[[Workbook], None]) -> ImportResult:
    path = built(tmp_path)
    wb = load_workbook(path)
    edit(wb)
    wb.save(path)
    return import_source(path)


def _unseen(result: ImportResult) -> dict[str | None, str]:
    return {f.location.cell: f.message for f in result.findings if f.code == "import/unseen-cell"}


def test_a_number_in_a_hidden_row_reads_blank_with_an_error(tmp_path: Path) -> None:
    def edit(wb: Workbook) -> None:
        wb[T3].row_dimensions[5].hidden = True
    result = _hostile(tmp_path, edit)
    row = result.report.table3.row("new")
    assert all(v is None for v in row.cells)
    unseen = _unseen(result)
    assert f"{T3}!D5" in unseen
    assert "行被隐藏" in unseen[f"{T3}!D5"]
    # the other rows are read as they were
    assert result.report.table3.row("carried_in").cells == rich_report().table3.row(
        "carried_in").cells


def _edit_sheet_xml(path: Path, sheet: str, pattern: str, replacement: str) -> None:
    """Rewrite a sheet's XML as Excel saves what openpyxl will not write (a zero height)."""
    import re

    def edit(xml: str) -> str:
        edited, count = re.subn(pattern, replacement, xml, count=1)
        assert count == 1, pattern
        return edited

    with_sheet_xml(path, sheet, edit)


def test_a_zero_height_row_and_a_zero_width_column_are_out_of_sight(tmp_path: Path) -> None:
    path = built(tmp_path)
    _edit_sheet_xml(path, T3, r'<row r="6"[^>]*>', '<row r="6" ht="0" customHeight="1">')
    _edit_sheet_xml(path, T4, r'<col width="[0-9.]+" customWidth="1" min="3" max="3"/>',
                    '<col width="0" customWidth="1" min="3" max="3"/>')
    result = import_source(path)
    assert all(v is None for v in result.report.table3.row("carried_in").cells)
    assert result.report.table3.row("new").cells == rich_report().table3.row("new").cells
    unseen = _unseen(result)
    assert f"{T3}!D6" in unseen
    assert any((cell or "").startswith(f"{T4}!C") for cell in unseen)


def test_a_hidden_column_hides_its_numbers(tmp_path: Path) -> None:
    def edit(wb: Workbook) -> None:
        wb[T3].column_dimensions["D"].hidden = True
    result = _hostile(tmp_path, edit)
    assert result.report.table3.row("new").cells[0] is None
    assert result.report.table3.row("new").cells[1] == rich_report().table3.row(
        "new").cells[1]
    assert "列被隐藏" in _unseen(result)[f"{T3}!D5"]


@pytest.mark.parametrize("colour", ["FFFFFFFF", "FFFEFEFE", "theme0"])
def test_white_text_on_white_is_not_read(tmp_path: Path, colour: str) -> None:
    from openpyxl.styles import Color, Font

    def edit(wb: Workbook) -> None:
        cell = wb[T3]["D5"]
        cell.fill = PatternFill(fill_type=None)
        cell.font = Font(color=Color(theme=0) if colour == "theme0" else colour)
    result = _hostile(tmp_path, edit)
    assert result.report.table3.row("new").cells[0] is None
    assert "白色背景" in _unseen(result)[f"{T3}!D5"]


def test_text_in_the_fill_colour_is_not_read_and_white_on_dark_is(tmp_path: Path) -> None:
    from openpyxl.styles import Font

    def edit(wb: Workbook) -> None:
        hidden, shown_cell = wb[T3]["D5"], wb[T3]["E5"]
        hidden.fill = PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC")
        hidden.font = Font(color="FFFFF2CC")
        shown_cell.fill = PatternFill(fill_type="solid", start_color="FF1F3864",
                                      end_color="FF1F3864")
        shown_cell.font = Font(color="FFFFFFFF")
    result = _hostile(tmp_path, edit)
    cells = result.report.table3.row("new").cells
    assert cells[0] is None
    assert "底色" in _unseen(result)[f"{T3}!D5"]
    assert cells[1] == rich_report().table3.row("new").cells[1]
    assert f"{T3}!E5" not in _unseen(result)


def test_a_white_number_format_hides_the_number(tmp_path: Path) -> None:
    def edit(wb: Workbook) -> None:
        wb[T3]["D5"].number_format = "[White]0"
    result = _hostile(tmp_path, edit)
    assert result.report.table3.row("new").cells[0] is None
    assert "数字格式" in _unseen(result)[f"{T3}!D5"]


def test_hidden_text_rows_and_a_white_organ_are_not_read(tmp_path: Path) -> None:
    from openpyxl.styles import Font

    from xxgk.errors import XxgkError as Refused

    def edit(wb: Workbook) -> None:
        text = wb[layout.SHEET_TEXT]
        for r in range(layout.TEXT_FIRST_ROW, layout.TEXT_FIRST_ROW + 400):
            text.row_dimensions[r].hidden = True
    result = _hostile(tmp_path, edit)
    report = result.report
    assert not report.overview.intro
    assert not report.overview.subsections
    assert not report.problems
    assert not report.other_matters
    assert any((c or "").startswith(f"{layout.SHEET_TEXT}!") for c in _unseen(result))

    def white_organ(wb: Workbook) -> None:
        cover = wb[layout.SHEET_COVER]
        for row in cover.iter_rows(min_col=1, max_col=2):
            if row[0].value == layout.COVER_ORGAN:
                row[1].font = Font(color="FFFFFFFF")
    (tmp_path / "b").mkdir()
    with pytest.raises(Refused) as refused:
        _hostile(tmp_path / "b", white_organ)
    assert "机关名称" in str(refused.value.findings)


def test_an_untouched_workbook_has_nothing_unseen(tmp_path: Path) -> None:
    result = import_source(built(tmp_path))
    assert not _unseen(result)
    assert result.report.table3 == rich_report().table3
    assert result.report.table2 == rich_report().table2
