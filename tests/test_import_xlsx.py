"""Reading our workbook back: the same Report, edits by a clerk, and refusing other workbooks."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tests.reports import consistent_reports
from tests.xlsx_support import rich_report, write_rendered
from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.importers import import_source
from xxgk.model import ApplicantCounts, Overview, Report, Subsection, Table3
from xxgk.render.clean import clean_report

T3 = "表三 申请处理"


def round_trip(report: Report, tmp_path: Path, name: str = "r.xlsx") -> Report:
    result = import_source(write_rendered(report, tmp_path / name))
    assert result.findings == []
    assert result.source_format == report.format_version
    return result.report


def edit(path: Path, sheet: str, ref: str, value: object) -> Path:
    """Change one cell with openpyxl, as a clerk's spreadsheet program would."""
    wb = load_workbook(path)
    wb[sheet][ref] = value
    wb.save(path)
    return path


def test_example_round_trips(example_report: Report, tmp_path: Path) -> None:
    assert round_trip(example_report, tmp_path) == example_report


def test_rich_report_round_trips(tmp_path: Path) -> None:
    report = rich_report()
    back = round_trip(report, tmp_path)
    assert back == report
    assert back.table2.fees is not None
    assert str(back.table2.fees) == "1.2345"
    assert back.header.date == report.header.date
    assert back.overview.subsections[2] == Subsection(title="政府信息管理", paragraphs=[])


def test_title_override_and_blank_cells_round_trip(tmp_path: Path) -> None:
    report = rich_report()
    rows = dict(report.table3.rows)
    rows["new"] = ApplicantCounts(cells=(None, *rows["new"].cells[1:]))
    changed = report.model_copy(update={
        "title": "某某局关于2025年政府信息公开工作的年度报告",
        "table3": Table3(rows=rows),
        "table2": report.table2.model_copy(update={"licensing": None, "fees": None}),
    })
    assert round_trip(changed, tmp_path) == changed


def test_totals_are_formulas_over_what_was_entered(tmp_path: Path) -> None:
    # A stated total (from a published report) cannot reach the workbook: its 总计 are =SUM()
    # of the entered numbers (build refuses such a report anyway), and read back as computed.
    report = rich_report()
    rows = dict(report.table3.rows)
    rows["new"] = rows["new"].model_copy(update={"stated_total": 999})
    stated = ApplicantCounts(cells=(1, 2, 3, 4, 5, 6), stated_total=22)
    changed = report.model_copy(update={"table3": Table3(rows=rows, stated_results_total=stated)})
    assert round_trip(changed, tmp_path) == report


def test_a_total_typed_over_its_formula_is_stated_and_checked(tmp_path: Path) -> None:
    report = rich_report()
    path = edit(write_rendered(report, tmp_path / "r.xlsx"), T3, "J5", 999)
    back = import_source(path).report
    assert back.table3.row("new").stated_total == 999
    path = edit(path, "表四 复议诉讼", "E5", 11)
    assert import_source(path).report.table4.review.stated_total == 11


def test_an_edited_number_is_read(tmp_path: Path) -> None:
    path = write_rendered(rich_report(), tmp_path / "r.xlsx")
    old_total = rich_report().table3.row("new").total
    edit(path, T3, "D5", 77)  # 一、本年新收 / 自然人
    back = import_source(path).report
    row = back.table3.row("new")
    assert row.cells[0] == 77
    assert row.cells[1:] == rich_report().table3.row("new").cells[1:]
    # the 总计 is a formula: it follows the edit (LibreOffice/Excel recompute it on open)
    assert row.stated_total is None
    assert old_total is not None
    assert row.total == old_total - rich_report().table3.row(
        "new").cells[0] + 77
    assert back.table3.row("carried_in") == rich_report().table3.row("carried_in")


def test_an_edited_number_and_total_read_as_consistent(tmp_path: Path) -> None:
    report = rich_report()
    path = write_rendered(report, tmp_path / "r.xlsx")
    old = report.table4.review
    edit(path, "表四 复议诉讼", "A5", old.upheld + 1)
    edit(path, "表四 复议诉讼", "E5", old.total + 1)
    back = import_source(path).report
    assert back.table4.review.upheld == old.upheld + 1
    assert back.table4.review.stated_total is None


def test_edited_fee_and_text(tmp_path: Path) -> None:
    path = write_rendered(rich_report(), tmp_path / "r.xlsx")
    edit(path, "表二 主动公开", "B15", 2.5)
    edit(path, "正文", "D3", "改过的概述。")
    back = import_source(path).report
    assert str(back.table2.fees) == "2.5"
    assert back.overview.intro[0] == "改过的概述。"


def test_number_typed_as_text_is_read_with_a_warning(tmp_path: Path) -> None:
    path = edit(write_rendered(rich_report(), tmp_path / "r.xlsx"), T3, "E5", "４１")
    result = import_source(path)
    assert result.report.table3.row("new").cells[1] == 41
    assert [f.code for f in result.findings] == ["import/number-as-text"]


@pytest.mark.parametrize(("value", "code"), [
    ("三", "input/not-a-number"), (2.5, "import/not-integer"), (-1, "import/negative")])
def test_bad_number_is_a_finding_and_blank(tmp_path: Path, value: object, code: str) -> None:
    path = edit(write_rendered(rich_report(), tmp_path / "r.xlsx"), T3, "D5", value)
    result = import_source(path)
    assert result.report.table3.row("new").cells[0] is None
    [finding] = result.findings
    assert finding.code == code
    assert finding.is_error
    assert finding.location.cell == "表三 申请处理!D5"
    assert str(finding).count("表三 申请处理!D5（表三/一、本年新收") == 1
    assert finding.location.parts == ("表三", labels.TABLE3_NEW, "自然人")
    assert finding.location.file == str(path)


def test_text_rows_a_clerk_added_continue_the_row_above(tmp_path: Path) -> None:
    report = rich_report().model_copy(update={"other_matters": ["第一段。"]})
    path = write_rendered(report, tmp_path / "r.xlsx")
    wb = load_workbook(path)
    ws = wb["正文"]
    ws.cell(ws.max_row + 1, 4, "补充的一段。")
    wb.save(path)
    assert import_source(path).report.other_matters == ["第一段。", "补充的一段。"]


def test_foreign_workbook_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "别人的表格.xlsx"
    wb = Workbook()
    wb.active["A1"] = "统计表"
    wb.save(path)
    with pytest.raises(XxgkError) as caught:
        import_source(path)
    [finding] = caught.value.findings
    assert finding.code == "import/not-our-workbook"
    assert "别人的表格.xlsx" in finding.message
    assert "不是 xxgk 生成的" in finding.message
    assert finding.location.file == str(path)


def test_workbook_with_our_sheets_but_no_mark_is_refused(tmp_path: Path) -> None:
    path = write_rendered(rich_report(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    ws = wb["封面"]
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value == "工作簿格式":
            row[1].value = "别的格式"
    wb.save(path)
    with pytest.raises(XxgkError) as caught:
        import_source(path)
    assert caught.value.findings[0].code == "import/not-our-workbook"


def test_workbook_of_another_layout_version_says_so(tmp_path: Path) -> None:
    path = write_rendered(rich_report(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    for row in wb["封面"].iter_rows(min_col=1, max_col=2):
        if row[0].value == "工作簿格式":
            row[1].value = "xxgk-workbook 99"
    wb.save(path)
    with pytest.raises(XxgkError) as caught:
        import_source(path)
    [finding] = caught.value.findings
    assert finding.code == "import/not-our-workbook"
    assert "其他版本的 xxgk" in finding.message


def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(XxgkError) as caught:
        import_source(path)
    assert caught.value.findings[0].code == "import/unreadable-workbook"
    assert "坏文件.xlsx" in caught.value.findings[0].message


def test_moved_rows_are_refused_not_misread(tmp_path: Path) -> None:
    path = write_rendered(rich_report(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    wb[T3].insert_rows(6)
    wb.save(path)
    with pytest.raises(XxgkError) as caught:
        import_source(path)
    [finding] = caught.value.findings
    assert finding.code == "import/changed-layout"
    assert T3 in finding.message


paragraphs = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60), max_size=3)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(report=consistent_reports(), intro=paragraphs, problems=paragraphs)
def test_any_consistent_report_and_text_round_trip(tmp_path: Path, report: Report,
                                                   intro: list[str], problems: list[str]) -> None:
    report, _ = clean_report(report.model_copy(update={
        "overview": Overview(intro=intro, subsections=[Subsection(title="平台", paragraphs=intro)]),
        "problems": problems,
    }))  # the build cleans before rendering: what Excel cannot hold is not expected back
    assume(report.organ.strip())
    assert round_trip(report, tmp_path) == report


def _long_paragraph(length: int) -> str:
    """Sentences of every width: CJK, ASCII, astral characters (two UTF-16 units in Excel)."""
    sentence = "本机关依法公开政府信息𠀀，data 2025；"
    text = (sentence * (length // len(sentence) + 1))[:length - 1]
    return text + "。"


def test_a_100000_character_paragraph_is_split_over_rows_and_read_back_whole(
    tmp_path: Path,
) -> None:
    long = _long_paragraph(100_000)
    report = rich_report().model_copy(update={
        "problems": ["前一段。", long, "后一段。"], "other_matters": [long[:40_000], "本年度未收取信息处理费。"]})
    path = write_rendered(report, tmp_path / "long.xlsx")
    ws = load_workbook(path)["正文"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_col=4)]
    pieces = [r[3] for r in rows if isinstance(r[3], str)]
    assert max(len(p.encode("utf-16-le")) // 2 for p in pieces) <= 32767  # what Excel holds
    continued = [r for r in rows if r[0] == "（接上行）"]
    assert len(continued) == 3 + 1  # 100 000 characters in 4 cells, 40 000 in 2
    back = import_source(path)
    assert back.findings == []
    assert back.report.problems == ["前一段。", long, "后一段。"]
    assert back.report.other_matters == [long[:40_000], "本年度未收取信息处理费。"]
    assert back.report == report


def test_a_long_paragraph_breaks_between_sentences() -> None:
    from xxgk.render.xlsx.sheets import split_cell_text

    long = _long_paragraph(100_000)
    pieces = split_cell_text(long)
    assert "".join(pieces) == long
    assert all(p.endswith(("；", "。")) for p in pieces)
    assert split_cell_text("短") == ["短"]
    hard = "字" * 70_000  # no sentence end: cut at the limit
    assert [len(p) for p in split_cell_text(hard)] == [32767, 32767, 70_000 - 2 * 32767]
    astral = "𠀀" * 20_000  # each two units in Excel
    assert all(len(p) <= 16383 for p in split_cell_text(astral))
    assert "".join(split_cell_text(astral)) == astral


def test_a_continuation_row_without_a_paragraph_above_is_a_finding(tmp_path: Path) -> None:
    path = write_rendered(rich_report(), tmp_path / "r.xlsx")
    wb = load_workbook(path)
    ws = wb["正文"]
    ws.insert_rows(3)
    ws["A3"], ws["D3"] = "（接上行）", "无处可接"
    wb.save(path)
    result = import_source(path)
    [finding] = result.findings
    assert finding.code == "import/orphan-continuation"
    assert finding.location.cell == "正文!A3"


def test_cover_findings_name_their_cell(tmp_path: Path) -> None:
    path = edit(write_rendered(rich_report(), tmp_path / "r.xlsx"), "封面", "B9", "明天")
    [finding] = import_source(path).findings
    assert (finding.code, finding.location.cell) == ("import/bad-date", "封面!B9")
    edit(path, "封面", "B2", None)
    with pytest.raises(XxgkError) as caught:
        import_source(path)
    cells = {(f.code, f.location.cell) for f in caught.value.findings}
    assert cells == {("import/missing-value", "封面!B2")}
    assert all(f.location.file == str(path) for f in caught.value.findings)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("政府信息。；！？ x\n𠀀"), max_size=400),
       st.integers(min_value=1, max_value=60))
def test_split_pieces_fit_and_join_back(text: str, limit: int) -> None:
    from xxgk.render.xlsx.sheets import split_cell_text

    pieces = split_cell_text(text, limit)
    assert "".join(pieces) == text
    assert all(len(p.encode("utf-16-le")) // 2 <= max(limit, 2) for p in pieces)
    assert all(pieces[:-1])  # no empty piece but perhaps the last (an empty text)


def test_a_layout_1_workbook_with_totals_as_numbers_still_reads(tmp_path: Path) -> None:
    report = rich_report()
    path = write_rendered(report, tmp_path / "old.xlsx")
    values = load_workbook(path, data_only=True)
    wb = load_workbook(path)
    for name in (T3, "表四 复议诉讼"):
        for row in wb[name].iter_rows():
            for cell in row:
                if cell.data_type == "f":  # layout 1 wrote every total as its number
                    cell.value = values[name][cell.coordinate].value
    for row in wb["封面"].iter_rows(min_col=1, max_col=2):
        if row[0].value == "工作簿格式":
            row[1].value = "xxgk-workbook 1"
    wb.save(path)
    back = import_source(path)
    assert back.findings == []
    assert back.report == report


def test_a_pasted_unit_is_one_error_saying_what_to_type(tmp_path: Path) -> None:
    from xxgk.api import check_source

    path = edit(write_rendered(rich_report(), tmp_path / "r.xlsx"), T3, "D5", "45件")
    findings = [f for f in check_source(path)[1] if "D5" in (f.location.cell or "")]
    assert [f.code for f in findings if f.location.parts[-1] == "自然人"] == ["input/unit"]
    [unit] = [f for f in findings if f.code == "input/unit"]
    assert "请把「45件」改为 45" in unit.message  # the data file's own words
    assert not any("未填" in f.message or "空" in f.message for f in findings)


def test_a_full_width_comma_is_named(tmp_path: Path) -> None:
    path = edit(write_rendered(rich_report(), tmp_path / "r.xlsx"), T3, "D5", "5，1")
    read_as, finding = import_source(path).findings
    assert not read_as.is_error
    assert "「5，1」中有全角" in read_as.message
    assert finding.is_error
    assert "全角逗号「，」" in finding.message
    assert "一格只填一个数" in finding.message


def test_a_count_stored_as_text_says_what_it_does_to_the_sums(tmp_path: Path) -> None:
    path = edit(write_rendered(rich_report(), tmp_path / "r.xlsx"), T3, "D5", "7")
    [finding] = import_source(path).findings
    assert finding.code == "import/number-as-text"
    assert not finding.is_error
    assert "SUM 不计文本" in finding.message
    assert "少算了这 7" in finding.message
    assert "转换为数字" in finding.message


def test_the_same_mistakes_get_the_same_words_as_in_a_data_file(tmp_path: Path) -> None:
    from xxgk.inputs.numbers import read_count

    for typed in ("45件", "1e3", "+3", "0x1F", "三", "1,000"):
        path = edit(write_rendered(rich_report(), tmp_path / "r.xlsx"), T3, "D5", typed)
        [finding] = import_source(path).findings
        expected = read_count(typed).error
        assert expected is not None
        assert finding.message == expected[1]
        assert finding.code == expected[0]


@functools.cache
def _rich_workbook() -> bytes:
    from xxgk.render.xlsx.workbook import render_xlsx

    return render_xlsx(rich_report(), data_sha256="0" * 64)


_TYPED = st.text(alphabet="0123456789１２３件元万个.+-eExob_ 一二三〇", min_size=1, max_size=8)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=_TYPED)
def test_a_cell_typed_in_the_workbook_or_the_data_file_is_told_the_same(
    typed: str, example_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from xxgk.inputs import load_with_findings

    folder = tmp_path_factory.mktemp("typed")
    assume(typed.strip() and not typed.strip().isdigit())
    text = example_path.read_text(encoding="utf-8").replace(
        "  本年新收: [0, 0, 0, 0, 0, 0]", f'  本年新收: ["{typed}", 0, 0, 0, 0, 0]', 1
    )
    datafile = folder / "r.yaml"
    datafile.write_text(text, encoding="utf-8")
    place = ("表三", labels.TABLE3_NEW, "自然人")
    try:
        said_yaml = [f for f in load_with_findings(datafile)[1] if f.location.parts == place]
    except XxgkError as exc:
        said_yaml = [f for f in exc.findings if f.location.parts == place]
    workbook = folder / "r.xlsx"
    workbook.write_bytes(_rich_workbook())
    edit(workbook, T3, "D5", typed)
    said_xlsx = [f for f in import_source(workbook).findings if f.location.parts == place]
    yaml_words = [(f.is_error, f.message) for f in said_yaml]
    xlsx_words = [(f.is_error, f.message) for f in said_xlsx]
    if said_xlsx and said_xlsx[0].code == "import/number-as-text":
        # Read in both; the workbook says, besides, that the cell holds text (SUM skips it).
        assert all(not error for error, _ in yaml_words)
        assert all(message in said_xlsx[0].message for _, message in yaml_words)
    else:
        assert xlsx_words == yaml_words
