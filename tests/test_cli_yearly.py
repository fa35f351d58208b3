"""check --previous-dir, audit and compare on three organs over two years (tests/yearly.py)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from docx import Document
from openpyxl import load_workbook

from tests.yearly import ORGANS, write_two_years

Xxgk = Callable[..., Result]


@pytest.fixture
def years(tmp_path: Path) -> tuple[Path, Path]:
    return write_two_years(tmp_path)


def _codes(output: str) -> list[tuple[str, str]]:
    """(file name, code) of every finding line of text output."""
    found = []
    for line in output.splitlines():
        if " [" in line and ("错误" in line or "警告" in line):
            name = Path(line.split(":", 1)[0]).name
            found.append((name, line.split("[", 1)[1].split("]", 1)[0]))
    return found


def test_previous_dir_flags_exactly_the_wrong_carry_over(
    xxgk: Xxgk, years: tuple[Path, Path]
) -> None:
    last, this = years
    result = xxgk("check", *sorted(this.glob("*.yaml")), "--previous-dir", last)
    assert result.exit_code == 1
    carry = [(n, c) for n, c in _codes(result.output) if c.startswith("carryover/")]
    assert carry == [("organ2.yaml", "carryover/mismatch")]
    assert ("organ3.yaml", "t3/balance") in _codes(result.output)
    assert "organ1.yaml：没有错误" in result.output
    assert "上年结转为 4，但 2021 年度报告的“四、结转下年度继续办理”为 2" in result.output
    assert "other-organ" not in result.output
    assert "没有上年报告" not in result.output


def test_one_previous_for_many_inputs_pairs_by_organ(xxgk: Xxgk, years: tuple[Path, Path]) -> None:
    # Before pairing, one --previous was applied to every input: a false error for each other organ.
    last, this = years
    result = xxgk("check", *sorted(this.glob("*.yaml")), "--previous", last / "organ1.yaml")
    assert [c for _, c in _codes(result.output) if c.startswith("carryover/")] == []
    assert "以下 2 个报告没有上年报告，未核对结转：" in result.output
    assert "甲县卫生\u00a0健康局（2021 年度）" in result.output


def test_several_previous_files_pair_the_same_way(xxgk: Xxgk, years: tuple[Path, Path]) -> None:
    last, this = years
    previous = [arg for p in sorted(last.glob("*.yaml")) for arg in ("--previous", p)]
    result = xxgk("check", *sorted(this.glob("*.yaml")), *previous)
    carry = [(n, c) for n, c in _codes(result.output) if c.startswith("carryover/")]
    assert carry == [("organ2.yaml", "carryover/mismatch")]


def test_no_previous_is_listed_in_json_not_an_error(xxgk: Xxgk, years: tuple[Path, Path]) -> None:
    _, this = years
    empty = this.parent / "none"
    empty.mkdir()
    result = xxgk("check", this / "organ1.yaml", "--previous-dir", empty, "--format", "json")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert result.exit_code == 0
    assert lines == [{
        "file": str(this / "organ1.yaml"), "code": "pairing/no-previous", "severity": "info",
        "location": "", "organ": "甲县教育局", "year": 2022,
        "message": "没有 2021 年度的上年报告，未核对结转",
    }]


def test_two_last_year_reports_of_one_organ_are_named(
    xxgk: Xxgk, years: tuple[Path, Path]
) -> None:
    last, this = years
    text = (last / "organ1.yaml").read_text("utf-8")
    (last / "copy.yaml").write_text(text.replace("行政许可: 11", "行政许可: 12"), "utf-8")
    result = xxgk("check", this / "organ1.yaml", "--previous-dir", last)
    assert "[pairing/ambiguous-previous]" in result.output
    assert "copy.yaml" in result.output
    assert "没有上年报告" not in result.output  # it has two, and says so


def test_last_years_out_folder_pairs_once(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    # The supervisor points at last year's build folder: the .docx and .xlsx of each report
    # (and no data file) are one report in two forms.
    last, this = years
    out = tmp_path / "out"
    assert xxgk("build", *sorted(last.glob("*.yaml")), "-o", out, "-j", "1").exit_code == 0
    result = xxgk("check", *sorted(this.glob("*.yaml")), "--previous-dir", out)
    carry = [(n, c) for n, c in _codes(result.output) if c.startswith(("carryover/", "pairing/"))]
    assert carry == [("organ2.yaml", "carryover/mismatch")]
    assert "（对照上年：" in result.output
    assert ".xlsx）" in result.output  # the workbook (exact numbers) stands for the report


def test_missing_previous_dir_is_a_clear_error(xxgk: Xxgk, years: tuple[Path, Path]) -> None:
    _, this = years
    result = xxgk("check", this / "organ1.yaml", "--previous-dir", this.parent / "nope")
    assert result.exit_code in (1, 2)
    assert "nope" in result.output


# ---------------------------------------------------------------- audit


def test_audit_workbook_has_three_rows_with_the_right_counts(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    last, this = years
    roster = tmp_path / "名单.txt"
    roster.write_text("机关名称\n" + "\n".join([*ORGANS, "甲县水利局"]) + "\n", "utf-8")
    target = tmp_path / "审核.xlsx"
    result = xxgk("audit", *sorted(this.glob("*.yaml")), "--previous-dir", last,
                  "--organs", roster, "-o", target)
    assert result.exit_code == 0, result.output
    assert "共审核 3 份报告（2022 年度）：2 份有错误，1 份没有错误；名单中未报送 1 个" in result.output
    wb = load_workbook(target)
    ws = wb["总表"]
    header = [c.value for c in ws[2]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=3)]
    assert [(r["机关名称"], r["年度"], r["错误"]) for r in rows] == [
        ("甲县教育局", 2022, 0), ("甲县卫生\u00a0健康局", 2022, 1), ("甲县自然资源局\u200b", 2022, 1),
    ]
    assert [r["上年报告"] for r in rows] == [str(last / f"organ{i}.yaml") for i in (1, 2, 3)]
    assert isinstance(rows[0]["本年新收"], int)
    assert "上年结转为 4" in rows[1]["主要问题"]
    assert ws.freeze_panes == "C3"
    assert ws.auto_filter.ref == f"A2:{ws.cell(2, len(header)).column_letter}5"
    fills = [ws.cell(r, 2).fill.fgColor.rgb for r in (3, 4, 5)]
    assert fills[0] != fills[1] == fills[2]
    assert wb["未报送"]["B3"].value == "甲县水利局"
    # Rule sheets are named in Chinese (the code kept in a column); a note under the title.
    carried = wb["上年结转与上年结转下年度不符"]
    assert [c.value for c in carried["A"][3:]] == ["甲县卫生\u00a0健康局"]
    header = [c.value for c in carried[3]]
    assert carried.cell(4, header.index("规则代码") + 1).value == "carryover/mismatch"
    assert [c.value for c in wb["表三勾稽不平"]["A"][3:]] == ["甲县自然资源局\u200b"]


def test_audit_json_lines_include_passing_reports(xxgk: Xxgk, years: tuple[Path, Path]) -> None:
    last, this = years
    result = xxgk("audit", *sorted(this.glob("*.yaml")), "--previous-dir", last,
                  "--format", "json")
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [(r["organ"], r["year"], r["ok"], r["errors"]) for r in records] == [
        ("甲县教育局", 2022, True, 0), ("甲县卫生\u00a0健康局", 2022, False, 1),
        ("甲县自然资源局\u200b", 2022, False, 1),
    ]
    errors = [f["code"] for f in records[1]["findings"] if f["severity"] == "error"]
    assert errors == ["carryover/mismatch"]
    # Only the year and the counts differ from last year's text: every paragraph is copied.
    assert records[0]["copied"] == 1.0


def test_audit_html_is_one_sortable_page_without_network(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    _, this = years
    target = tmp_path / "审核.html"
    assert xxgk("audit", *sorted(this.glob("*.yaml")), "-o", target).exit_code == 0
    page = target.read_text("utf-8")
    assert page.count('<table class="sortable">') >= 2
    assert page.count('<tr class="fail">') >= 2
    assert "addEventListener" in page
    for network in ("http://", "https://", "<script src", "<link"):
        assert network not in page


def test_audit_of_an_unreadable_file_is_a_row_not_a_stop(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    _, this = years
    bad = tmp_path / "bad.yaml"
    bad.write_text("机关名称: [\n", "utf-8")
    result = xxgk("audit", this / "organ1.yaml", bad, "--format", "json")
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [(r["file"], r["ok"]) for r in records] == [(str(this / "organ1.yaml"), True),
                                                       (str(bad), False)]


def test_audit_without_output_or_format_says_how(xxgk: Xxgk, years: tuple[Path, Path]) -> None:
    _, this = years
    result = xxgk("audit", this / "organ1.yaml")
    assert result.exit_code == 2
    assert "-o" in result.output


# ---------------------------------------------------------------- compare


def test_compare_docx_shows_both_years_and_the_changes(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    last, this = years
    target = tmp_path / "同比.docx"
    result = xxgk("compare", last / "organ2.yaml", this / "organ2.yaml", "-o", target)
    assert result.exit_code == 0, result.output
    document = Document(str(target))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "甲县卫生\u00a0健康局2021—2022年政府信息公开\n工作年度报告同比对照"
    assert "结转不衔接：自然人 上年结转下年度 2，本年上年结转 4；总计 上年结转下年度 7，本年上年结转 9。" in text
    numbers = document.tables[0]
    assert [c.text for c in numbers.rows[0].cells] == ["表", "项目", "上年", "本年", "增减", "增减率"]
    licensing = next(r for r in numbers.rows if r.cells[1].text == "行政许可")
    assert [c.text for c in licensing.cells[2:]] == ["21", "22", "+1", "+4.8%"]
    carry = document.tables[1]
    assert [c.text for c in carry.rows[1].cells] == ["自然人", "2", "4", "否"]
    styles = {p.style.name for p in document.paragraphs if p.text}
    assert {"Report Title", "Report Heading 1"} <= styles
    with zipfile.ZipFile(target) as z:  # the report's page setup and footers came along
        assert b"w:pgMar" in z.read("word/document.xml")
        assert "word/footer1.xml" in z.namelist()


def test_compare_xlsx_lists_every_number(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    last, this = years
    target = tmp_path / "同比.xlsx"
    assert xxgk("compare", last / "organ1.yaml", this / "organ1.yaml", "-o", target).exit_code == 0
    ws = load_workbook(target)["数字对照"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 10 + 25 * 7 + 15  # 表二, 表三 with 总计 column and （七）总计, 表四
    fee = next(r for r in rows if r[1] == "行政事业性收费")
    assert fee[2:] == (0.5, 0.5, 0, None)
    licensing = next(r for r in rows if r[1] == "行政许可")
    assert licensing[2:] == (11, 12, 1, "+9.1%")


def test_compare_is_reproducible(xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path) -> None:
    last, this = years
    outputs = []
    for n in range(2):
        target = tmp_path / f"{n}.docx"
        xxgk("compare", last / "organ3.yaml", this / "organ3.yaml", "-o", target)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_compare_wrong_order_is_refused(xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path) -> None:
    last, this = years
    target = tmp_path / "x.docx"
    result = xxgk("compare", this / "organ1.yaml", last / "organ1.yaml", "-o", target)
    assert result.exit_code == 1
    assert "请先给上年的报告，再给本年的" in result.output
    assert not target.exists()


def test_compare_html_summary_on_top(xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path) -> None:
    last, this = years
    target = tmp_path / "同比.html"
    assert xxgk("compare", last / "organ1.yaml", this / "organ1.yaml", "-o", target).exit_code == 0
    page = target.read_text("utf-8")
    assert page.index("上年“结转下年度继续办理”与本年“上年结转”衔接一致") < page.index("<table")




def test_audit_in_several_processes_gives_the_same_records(
    years: tuple[Path, Path], tmp_path: Path
) -> None:
    from xxgk.review import AUDIT_POOL_MINIMUM, audit_many, load_previous, sources_in

    last, this = years
    many = tmp_path / "many"
    many.mkdir()
    paths = []
    for i in range(AUDIT_POOL_MINIMUM):
        path = many / f"{i:03d}.yaml"
        path.write_bytes((this / f"organ{i % 3 + 1}.yaml").read_bytes())
        paths.append(path)
    one = list(audit_many(paths, load_previous(sources_in(last)), jobs=1))
    two = list(audit_many(paths, load_previous(sources_in(last), jobs=2), jobs=2))
    assert [r.as_dict() for r in two] == [r.as_dict() for r in one]
    assert [r.errors for r in one[:3]] == [0, 1, 1]


def test_audit_lists_one_organ_sent_twice(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    _, this = years
    again = tmp_path / "again.yaml"
    again.write_bytes((this / "organ1.yaml").read_bytes())
    target = tmp_path / "审核.xlsx"
    result = xxgk("audit", this / "organ1.yaml", again, "-o", target)
    assert "1 个机关同一年度报送了多份" in result.output
    cell = load_workbook(target)["重复报送"]["B3"].value
    assert cell == f"甲县教育局（2022 年度）：{this / 'organ1.yaml'}、{again}"


def test_audit_reads_published_reports_and_an_xlsx_roster(
    xxgk: Xxgk, example_path: Path, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    roster = tmp_path / "名单.xlsx"
    wb = Workbook()
    for name in ("机关名称", "晋江市永和镇人民政府", "晋江市安海镇"):
        wb.active.append([name])
    wb.save(roster)
    published = Path(__file__).parent / "data" / "yonghe-2021.txt"
    result = xxgk("audit", published, "--organs", roster, "--format", "json")
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert lines[0]["organ"] == "晋江市永和镇"
    assert lines[0]["figures"]["本年新收"] == 0
    assert lines[-1] == {"missing": ["晋江市安海镇"]}  # 永和镇人民政府 is 永和镇


def test_json_lines_escape_every_line_separator() -> None:
    # The data-file grammar keeps them out of organ names, but findings quote the clerk's text.
    from xxgk.safe_text import json_line as _json_line

    line = _json_line({"message": "正文「甲\u2028乙\u2029丙\x85丁」"})
    assert len(line.splitlines()) == 1
    assert json.loads(line) == {"message": "正文「甲\u2028乙\u2029丙\x85丁」"}


def test_roster_of_another_kind_is_refused(xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path) -> None:
    _, this = years
    target = tmp_path / "审核.xlsx"
    result = xxgk("audit", this / "organ1.yaml", "--organs", this / "organ2.yaml", "-o", target)
    assert result.exit_code == 1
    assert "机关名单应为 .txt（每行一个机关名称）、.csv 或 .xlsx（第一列）" in result.output
    assert not target.exists()


def test_csv_roster(xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path) -> None:
    _, this = years
    roster = tmp_path / "名单.csv"
    roster.write_text("\ufeff单位名称,联系人\n甲县教育局,张三\n甲县水利局,李四\n", "utf-8")
    result = xxgk("audit", this / "organ1.yaml", "--organs", roster, "--format", "json")
    assert '{"missing": ["甲县水利局"]}' in result.output.splitlines()
