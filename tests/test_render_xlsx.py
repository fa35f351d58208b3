"""The companion workbook: sheets, labels, merges, numbers, print setup, 校验, reproducibility."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from tests.xlsx_support import SHA, open_rendered, rich_report
from xxgk import labels
from xxgk.model import ApplicantCounts, DocumentHeader, Overview, Report, Table3
from xxgk.render.xlsx import render_xlsx

T2, T3, T4 = "表二 主动公开", "表三 申请处理", "表四 复议诉讼"
SHEETS = ["封面", T2, T3, T4, "正文", "校验"]

# Merged ranges written out by hand from FORMAT.md's grids (row 1 is the title, so grid row r is
# Excel row r + 2), not computed from the layout module the renderer uses.
MERGES = {
    T2: {"A1:D1", "A2:D2", "A6:D6", "B7:D7", "B8:D8", "A9:D9", "B10:D10", "B11:D11", "B12:D12",
         "A13:D13", "B14:D14", "B15:D15"},
    T3: {"A1:J1", "A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4", "A5:C5", "A6:C6", "A7:A28", "B7:C7",
         "B8:C8", "B9:B16", "B17:B19", "B20:B24", "B25:B27", "B28:C28", "A29:C29"},
    T4: {"A1:O1", "A2:E2", "F2:O2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:J3", "K3:O3"},
}
GRID_SIZE = {T2: (14, 4), T3: (28, 10), T4: (4, 15)}


@pytest.fixture(scope="module")
def example_wb(example_report: Report) -> Workbook:
    return open_rendered(example_report)


@pytest.fixture(scope="module")
def rich_wb() -> Workbook:
    return open_rendered(rich_report())


def test_sheets_in_order(example_wb: Workbook) -> None:
    assert example_wb.sheetnames == SHEETS


def cover(wb: Workbook) -> dict[str, object]:
    ws = wb["封面"]
    return {row[0]: row[1] for row in ws.iter_rows(min_row=2, max_col=2, values_only=True)
            if row[0]}


def test_cover_names_the_report_and_how_it_was_made(rich_wb: Workbook) -> None:
    fields = cover(rich_wb)
    assert fields["机关名称"] == "某某市某某局"
    assert fields["年度"] == 2025
    assert fields["格式版本"] == "2021"
    assert fields["格式依据"] == "国办公开办函〔2021〕30号"
    assert fields["成文日期"] == dt.datetime(2026, 1, 20)
    assert fields["发文字号"] == "某政〔2026〕3号"
    assert fields["数据文件 SHA-256"] == SHA
    assert str(fields["生成工具"]).startswith("xxgk ")
    # one line per sheet on what it holds
    for name in SHEETS:
        assert isinstance(fields[name], str)
        assert len(fields[name]) > 10


@pytest.mark.parametrize("sheet", [T2, T3, T4])
def test_merged_ranges_mirror_the_word_tables(example_wb: Workbook, sheet: str) -> None:
    assert {str(r) for r in example_wb[sheet].merged_cells.ranges} == MERGES[sheet]


def test_table3_labels_verbatim(example_wb: Workbook) -> None:
    ws = example_wb[T3]
    assert ws["A2"].value == labels.TABLE3_CORNER
    assert ws["D2"].value == labels.TABLE3_APPLICANTS
    assert ws["D3"].value == "自然人"
    assert ws["E3"].value == labels.TABLE3_ORGANISATIONS
    assert [ws.cell(4, c).value for c in range(5, 10)] == list(labels.TABLE3_COLUMN_LABELS[1:])
    assert ws["J3"].value == "总计"
    assert ws["A7"].value == labels.TABLE3_RESULTS
    assert ws["B28"].value == "（七）总计"
    for row in labels.TABLE3_ROWS:
        col = "A" if row.part != "三" else ("B" if row.group is None else "C")
        assert ws[f"{col}{row.grid_row + 2}"].value == row.label
    for group in labels.TABLE3_GROUPS:
        first = min(r.grid_row for r in labels.TABLE3_ROWS if r.group == group.label)
        assert ws[f"B{first + 2}"].value == group.label


def test_table2_and_table4_labels_verbatim(example_wb: Workbook) -> None:
    ws = example_wb[T2]
    assert [ws[f"A{r}"].value for r in (2, 6, 9, 13)] == [b.item for b in labels.TABLE2_BLOCKS]
    heads = [ws.cell(3, c).value for c in range(1, 5)]
    assert heads == ["信息内容", *labels.TABLE2_DOCUMENT_COLUMNS]
    assert ws["B14"].value == "本年收费金额（单位：万元）"
    assert ws["A15"].value == "行政事业性收费"
    ws = example_wb[T4]
    assert (ws["A2"].value, ws["F2"].value, ws["F3"].value, ws["K3"].value) == (
        "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [ws.cell(3, c).value for c in range(1, 6)] == heads
    assert [ws.cell(4, c).value for c in range(6, 16)] == heads * 2


def test_numbers_are_numeric_cells_and_totals_are_cached_formulas(rich_wb: Workbook) -> None:
    # What a reader that does not calculate (pandas, a viewer) sees: every number, totals too.
    values = load_workbook(io.BytesIO(render_xlsx(rich_report(), data_sha256=SHA)),
                           data_only=True)
    ws = values[T3]
    report = rich_report()
    for row in labels.TABLE3_ROWS:
        counts = report.table3.row(row.id)
        got = [ws.cell(row.grid_row + 2, c).value for c in range(4, 11)]
        assert got == [*counts.cells, counts.total]
        assert all(type(v) is int for v in got)
        assert rich_wb[T3].cell(row.grid_row + 2, 10).value == (
            f"=SUM(D{row.grid_row + 2}:I{row.grid_row + 2})")
    assert [ws.cell(28, c).value for c in range(4, 10)] == list(report.table3.results_total())
    assert ws["J28"].value == report.table3.results_grand_total()
    assert [rich_wb[T3].cell(28, c).value for c in (4, 10)] == ["=SUM(D7:D27)", "=SUM(D28:I28)"]
    assert [rich_wb[T4][ref].value for ref in ("E5", "J5", "O5")] == [
        "=SUM(A5:D5)", "=SUM(F5:I5)", "=SUM(K5:N5)"]
    t4 = values[T4]
    assert [t4.cell(5, c).value for c in range(1, 16)] == [
        1, 2, 3, 4, 10, 0, 1, 0, 5, 6, 2, 0, 0, 0, 2]
    t2 = rich_wb[T2]
    assert [t2[ref].value for ref in ("B4", "C4", "D4", "B5", "C5", "D5", "B8", "B11", "B12")] == [
        1, 2, 3, 4, 5, 6, 7, 8, 9]
    fee = t2["B15"]
    assert fee.data_type == "n"
    assert Decimal(str(fee.value)) == Decimal("1.2345")
    assert fee.number_format == "General"  # shows 0, 1.2, 1.2345 as printed.amount does
    assert t2["B4"].number_format == "0"
    assert not [c.coordinate for row in rich_wb[T2].iter_rows() for c in row
                if c.data_type == "f"], "表二 has no totals"
    formulas = [(name, c.coordinate) for name in (T3, T4) for row in rich_wb[name].iter_rows()
                for c in row if c.data_type == "f"]
    assert len(formulas) == 24 + 7 + 3  # each entered row's 总计, the （七）总计 row, 表四's


def test_totals_cache_their_value_in_the_xml(example_report: Report) -> None:
    data = render_xlsx(rich_report(), data_sha256=SHA)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet3.xml").decode()
        checks = z.read("xl/worksheets/sheet6.xml").decode()
    total = rich_report().table3.row("new").total
    assert f'<f>SUM(D5:I5)</f><v>{total}</v></c>' in sheet
    assert "<v></v>" not in sheet + checks
    assert checks.count('t="b"><f>') == 42


def test_blank_cells_stay_blank() -> None:
    report = rich_report()
    rows = dict(report.table3.rows)
    rows["new"] = ApplicantCounts(cells=(None, *rows["new"].cells[1:]))
    blank = report.model_copy(update={"table3": Table3(rows=rows)})
    ws = open_rendered(blank)[T3]
    assert ws["D5"].value is None
    assert ws["J5"].value == "=SUM(D5:I5)"
    cached = load_workbook(io.BytesIO(render_xlsx(blank, data_sha256=SHA)), data_only=True)[T3]
    assert cached["J5"].value == sum(rows["new"].cells[1:])  # as Excel sums: a blank counts 0


def grid_cells(ws: Worksheet, sheet: str) -> list[Cell]:
    rows, cols = GRID_SIZE[sheet]
    return [c for row in ws.iter_rows(min_row=2, max_row=rows + 1, max_col=cols) for c in row]


def thin_sides(data: bytes, sheet_number: int) -> dict[str, set[str]]:
    """Each cell's thin-bordered sides, from the XML (openpyxl's reader redraws merges)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = etree.fromstring(z.read("xl/styles.xml"))
        sheet = etree.fromstring(z.read(f"xl/worksheets/sheet{sheet_number}.xml"))
    borders = [
        {side for side in ("left", "right", "top", "bottom")
         if (el := b.find(f"m:{side}", ns)) is not None and el.get("style") == "thin"}
        for b in styles.find("m:borders", ns)
    ]
    xfs = [int(xf.get("borderId", 0)) for xf in styles.find("m:cellXfs", ns)]
    return {c.get("r"): borders[xfs[int(c.get("s", 0))]] for c in sheet.iter(f"{{{ns['m']}}}c")}


@pytest.mark.parametrize("sheet", [T2, T3, T4])
def test_every_grid_cell_has_thin_borders(example_report: Report, sheet: str) -> None:
    data = render_xlsx(example_report, data_sha256=SHA)
    sides = thin_sides(data, SHEETS.index(sheet) + 1)
    rows, cols = GRID_SIZE[sheet]
    for r in range(2, rows + 2):
        for c in range(cols):
            ref = f"{chr(ord('A') + c)}{r}"
            assert sides.get(ref) == {"left", "right", "top", "bottom"}, ref


@pytest.mark.parametrize("sheet", [T2, T3, T4])
def test_fonts_wrapping_widths_and_explicit_heights(example_wb: Workbook, sheet: str) -> None:
    ws = example_wb[sheet]
    rows, cols = GRID_SIZE[sheet]
    for cell in grid_cells(ws, sheet):
        if isinstance(cell.value, str) and cell.data_type != "f":
            assert cell.font.name == "仿宋_GB2312"
            assert cell.alignment.wrap_text
        elif isinstance(cell.value, int | float):
            assert cell.font.name == "宋体"
    for r in range(1, rows + 2):
        assert ws.row_dimensions[r].height is not None, f"row {r} has no explicit height"
    for c in range(cols):
        assert ws.column_dimensions[chr(ord("A") + c)].width > 5


def test_long_labels_get_taller_rows(example_wb: Workbook) -> None:
    ws = example_wb[T3]
    one_line = ws.row_dimensions[9].height  # 1.属于国家秘密
    longest = ws.row_dimensions[26].height  # 2.申请人逾期未按收费通知要求缴纳费用、…
    assert longest >= 2.5 * 11  # at least two lines of 11 pt
    assert longest > one_line
    header = sum(ws.row_dimensions[r].height for r in (2, 3, 4))
    assert header >= 3 * 11 * 1.2  # the corner note takes several lines


@pytest.mark.parametrize(("sheet", "frozen", "titles"),
                         [(T2, "A2", "$1:$1"), (T3, "A5", "$1:$4"), (T4, "A5", "$1:$4"),
                          ("正文", "A3", "$1:$2"), ("校验", "A3", "$1:$2")])
def test_print_setup(example_wb: Workbook, sheet: str, frozen: str, titles: str) -> None:
    ws = example_wb[sheet]
    assert ws.freeze_panes == frozen
    assert ws.print_title_rows == titles
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text
    assert "&N" in ws.oddFooter.center.text
    assert ws.oddHeader.center.text == "晋江市永和镇 2021年"


def test_page_header_escapes_ampersand() -> None:
    ws = open_rendered(rich_report().model_copy(update={"organ": "R&D局"}))[T3]
    assert ws.oddHeader.center.text == "R&&D局 2025年"


def check_rows(wb: Workbook) -> list[tuple]:
    return list(wb["校验"].iter_rows(min_row=3, values_only=True))


def test_check_sheet_has_one_formula_per_rule(rich_wb: Workbook) -> None:
    rows = check_rows(rich_wb)
    # 7 balance rules, 25 row totals, 7 （七）总计 columns, 3 表四 totals
    assert len(rows) == 7 + 25 + 7 + 3
    ws = rich_wb["校验"]
    assert all(ws.cell(r, 3).data_type == "f" for r in range(3, 3 + len(rows)))
    assert rows[0][2] == ("='表三 申请处理'!D5+'表三 申请处理'!D6="
                          "'表三 申请处理'!D28+'表三 申请处理'!D29")
    assert "自然人" in rows[0][1]
    assert rows[7][2] == "='表三 申请处理'!J5=SUM('表三 申请处理'!D5:I5)"
    assert rows[32][2] == "='表三 申请处理'!D28=SUM('表三 申请处理'!D7:D27)"
    assert rows[-1][2] == "='表四 复议诉讼'!O5=SUM('表四 复议诉讼'!K5:N5)"
    assert rich_wb.calculation.fullCalcOnLoad


def test_check_sheet_holds_only_live_verdicts(rich_wb: Workbook) -> None:
    # No frozen copy of xxgk's verdict or of the numbers beside the formula: after an edit in
    # Excel it would contradict the live one.
    ws = rich_wb["校验"]
    assert [c.value for c in ws[2]] == ["序号", "勾稽关系", "是否成立"]
    assert ws.max_column == 3
    for row in ws.iter_rows(min_row=3, min_col=3):
        assert all(c.data_type == "f" for c in row)
    cached = load_workbook(io.BytesIO(render_xlsx(rich_report(), data_sha256=SHA)),
                           data_only=True)["校验"]
    assert all(r[0] is True for r in cached.iter_rows(min_row=3, min_col=3, values_only=True))


def test_text_that_looks_like_a_formula_stays_text() -> None:
    report = rich_report().model_copy(update={
        "organ": "-某局",
        "problems": ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)"],
        "header": DocumentHeader(signer="=1+1"),
    })
    data = render_xlsx(report, data_sha256=SHA)
    wb = load_workbook(io.BytesIO(data))
    texts = [c for ws in wb for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    formulas = {c.value for c in texts if c.data_type != "s"}
    assert formulas == {c.value for c in texts
                        if c.parent.title == "校验" or c.value.startswith("=SUM(")}
    assert {"-某局", '=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "=1+1"} <= {
        c.value for c in texts if c.data_type == "s"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet_xml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sum("<f>" in x for x in sheet_xml) == 3  # 表三's and 表四's totals, and 校验


def test_characters_excel_cannot_hold_are_dropped() -> None:
    report = rich_report().model_copy(update={
        "organ": "某\x07局", "overview": Overview(intro=["段\x0b落\ufffe"])})
    wb = open_rendered(report)
    assert cover(wb)["机关名称"] == "某局"
    assert wb["正文"]["D3"].value == "段落"


def test_same_report_same_bytes() -> None:
    first = render_xlsx(rich_report(), data_sha256=SHA)
    assert first == render_xlsx(rich_report(), data_sha256=SHA)
    assert first != render_xlsx(rich_report(), data_sha256="f" * 64)


def test_zip_entries_and_core_properties_are_fixed(example_report: Report) -> None:
    for report, stamp in ((rich_report(), "2026-01-20T00:00:00Z"),
                          (example_report, "2022-01-01T00:00:00Z")):
        data = render_xlsx(report, data_sha256=SHA)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            core = z.read("docProps/core.xml").decode()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert core.count(stamp) == 2  # created and modified
        assert f"<dc:creator>{report.organ}</dc:creator>" in core
        assert "<cp:lastModifiedBy>xxgk</cp:lastModifiedBy>" in core
        props = load_workbook(io.BytesIO(data)).properties
        assert props.creator == report.organ


def test_number_cells_refuse_what_the_data_file_would(rich_wb: Workbook) -> None:
    rules = {name: rich_wb[name].data_validations.dataValidation for name in (T2, T3, T4)}
    [fee] = [dv for dv in rules[T2] if dv.type == "custom"]
    assert str(fee.sqref) == "B15:D15"
    assert fee.formula1 == "AND(ISNUMBER(B15),B15>=0,ROUND(B15,4)=B15)"
    assert [str(dv.sqref) for dv in rules[T4]] == ["A5:D5 F5:I5 K5:N5"]
    assert [str(dv.sqref) for dv in rules[T3]] == ["D5:I27 D29:I29"]  # every entered 表三 cell
    assert [str(dv.sqref) for dv in rules[T2] if dv.type == "whole"] == ["B4:D5 B8:D8 B11:D12"]
    for dv in (*rules[T2], *rules[T3], *rules[T4]):
        assert dv.showInputMessage
        assert dv.prompt
        assert dv.promptTitle
        assert len(dv.prompt) <= 255
        assert len(dv.promptTitle) <= 32
        assert dv.showErrorMessage
        assert dv.type in ("whole", "custom")
        if dv.type == "whole":
            assert (dv.operator, dv.formula1) == ("greaterThanOrEqual", "0")
    assert "总计由公式自动计算" in rules[T3][0].prompt


def test_input_cells_are_marked_and_the_rest_protected(rich_wb: Workbook) -> None:
    for name in SHEETS:
        assert rich_wb[name].protection.sheet, name
        assert not rich_wb[name].protection.password
    assert rich_wb.security.lockStructure
    t3 = rich_wb[T3]
    for ref, entered in (("D5", True), ("I27", True), ("J5", False), ("D28", False),
                         ("A5", False), ("D2", False)):
        cell = t3[ref]
        assert cell.protection.locked is not entered, ref
        assert (cell.fill.fgColor.rgb == "FFFFF2CC") is entered, ref
    assert not rich_wb[T2]["B15"].protection.locked
    assert rich_wb[T4]["E5"].protection.locked
    assert not rich_wb[T4]["D5"].protection.locked
    cover_inputs = [row[0].value for row in rich_wb["封面"].iter_rows(min_row=2, max_col=2)
                    if row[1].protection.locked is False]
    assert cover_inputs == ["机关名称", "年度", "标题", "发文机关标志", "发文字号", "成文日期",
                            "署名"]


def test_a_broken_balance_turns_its_cells_red(rich_wb: Workbook) -> None:
    rules = {str(cf.sqref): [r.formula for r in cf.rules]
             for cf in rich_wb[T3].conditional_formatting}
    assert rules["D5:J6 D28:J29"] == [["D$5+D$6<>D$28+D$29"]]
    # a 总计 whose formula was overwritten: every row's, （七）总计's columns, 表四's blocks
    assert rules["D5:J29"] == [["$J5<>SUM($D5:$I5)"]]
    assert rules["D7:I28"] == [["D$28<>SUM(D$7:D$27)"]]
    assert len(rules) == 3
    t4 = {str(cf.sqref): [r.formula for r in cf.rules]
          for cf in rich_wb[T4].conditional_formatting}
    assert t4 == {"A5:E5": [["$E5<>SUM($A5:$D5)"]], "F5:J5": [["$J5<>SUM($F5:$I5)"]],
                  "K5:O5": [["$O5<>SUM($K5:$N5)"]]}


def test_same_bytes_in_another_process() -> None:
    code = ("import hashlib; from tests.xlsx_support import rich_report, SHA; "
            "from xxgk.render.xlsx import render_xlsx; "
            "print(hashlib.sha256(render_xlsx(rich_report(), data_sha256=SHA)).hexdigest())")
    root = Path(__file__).resolve().parents[1]
    digests = {
        subprocess.run([sys.executable, "-c", code], cwd=root, check=True, capture_output=True,
                       text=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(render_xlsx(rich_report(), data_sha256=SHA)).hexdigest()}


def test_every_text_input_column_has_an_input_message(example_wb: Workbook) -> None:
    rules = {str(dv.sqref): dv for dv in example_wb["正文"].data_validations.dataValidation}
    assert set(rules) == {"B3:B5000", "C3:C5000", "D3:D5000"}
    assert all(dv.showInputMessage and len(dv.prompt) <= 255 for dv in rules.values())
    ws = example_wb["正文"]
    assert ws.protection.sheet
    assert not ws.protection.insertRows


def test_cover_inputs_have_messages_and_year_and_date_are_checked(example_wb: Workbook) -> None:
    rules = {str(dv.sqref): dv for dv in example_wb["封面"].data_validations.dataValidation}
    assert set(rules) == {"B2", "B3", "B6", "B7", "B8", "B9", "B10"}
    assert all(dv.showInputMessage and dv.prompt for dv in rules.values())
    year, date = rules["B3"], rules["B9"]
    assert (year.type, year.formula1, year.formula2) == ("whole", "2008", "2100")
    assert (date.type, date.operator) == ("date", "greaterThan")
    assert rules["B2"].type is None  # the organ: any text


def test_check_rows_laid_out_once_give_the_rows_laid_out_each_time(
    example_report: Report,
) -> None:
    """The 校验 rows are laid out once per rule list and only their verdicts put in: the same
    XML as laying them out for each report, with verdicts true and false."""
    from xxgk.render.xlsx import fast
    from xxgk.render.xlsx.sheets import check_rules
    from xxgk.render.xlsx.workbook import render_xlsx

    render_xlsx(example_report, data_sha256="0" * 64)
    render_xlsx(example_report, data_sha256="0" * 64)  # the second report makes the skeleton
    skeleton = next(s for s in fast._SKELETONS.values() if s is not None)
    rows = dict(example_report.table3.rows)
    rows["new"] = rows["new"].model_copy(update={"cells": (99, 0, 0, 0, 0, 0)})  # 一 + 二 ≠ …
    broken = example_report.model_copy(update={
        "table3": example_report.table3.model_copy(update={"rows": rows})})
    for report in (example_report, broken):
        rules = check_rules(report)
        direct = fast._check_rows(skeleton.checks, rules, [rule.cached for rule in rules])
        assert fast.check_sheet_rows(skeleton.checks, report) == direct
    assert not all(rule.cached for rule in check_rules(broken))
