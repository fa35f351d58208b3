"""The supervisor's workbench (issue 20 items 1–3 and 5, issue 18 items 6–7): rules named in
Chinese, one finding per problem, reading problems apart, the batch's year and format, inputs
as people give them, and review marks that survive a re-run."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.yearly import ORGANS, report, write_two_years
from xxgk.audit.batch import batch_year
from xxgk.audit.present import present
from xxgk.errors import Finding, Location, Severity, error
from xxgk.inputs import dump_report
from xxgk.rules import RULES, SHEET_NAME_LIMIT, is_reading, rule_name

Xxgk = Callable[..., Result]
SRC = Path(__file__).resolve().parents[1] / "src" / "xxgk"
DATA = Path(__file__).parent / "data"


@pytest.fixture
def years(tmp_path: Path) -> tuple[Path, Path]:
    return write_two_years(tmp_path)


# ---------------------------------------------------------------- the registry


def _codes_in(folder: Path) -> set[str]:
    found = set()
    for path in folder.rglob("*.py"):
        found |= set(re.findall(r'"((?:import|value|t3|t4|text|meta|carryover|plausibility|'
                                r'pairing|input|batch|copy|structure|parent)/[a-z0-9-]+)"', path.read_text("utf-8")))
    return found


def test_every_finding_code_of_the_checks_and_importers_has_a_chinese_name() -> None:
    codes = _codes_in(SRC / "checks") | _codes_in(SRC / "importers") | _codes_in(SRC / "audit")
    assert codes, "the scan found no code at all"
    assert sorted(codes - RULES.keys()) == []
    for code, rule in RULES.items():
        assert re.search(r"[\u4e00-\u9fff]", rule.name), code
        # A rule's name is a sheet name: Excel's 31 characters, none of []:*?/\ .
        assert len(rule.name) <= SHEET_NAME_LIMIT
        assert not re.search(r"[\[\]:*?/\\]", rule.name)


def test_reading_problems_are_the_importers_never_a_data_files() -> None:
    assert is_reading("import/missing-table", published=True)
    assert is_reading("meta/organ-missing", published=True)  # the import did not find it
    assert not is_reading("import/blank-cell", published=True)  # the report printed nothing
    assert not is_reading("import/missing-value", published=False)  # our workbook: the clerk's
    assert not is_reading("t3/balance", published=True)
    assert rule_name("import/some-new-code") == "读取问题"  # a family name, never a bare code


# ---------------------------------------------------------------- one finding per problem

T3 = "表三"
ROW = "一、本年新收政府信息公开申请数量"


def _blank(code: str, column: str, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(code, severity, Location((T3, ROW, column)), "空白")


def test_a_blank_is_said_once_and_many_blanks_as_one_finding() -> None:
    findings = [
        _blank("import/blank-cell", "自然人"),
        _blank("value/missing", "自然人", Severity.ERROR),
        _blank("import/blank-cell", "商业企业"),
        _blank("value/missing", "商业企业", Severity.ERROR),
    ]
    said = present(findings, published=True)
    assert [(f.code, f.severity) for f in said.own] == [
        ("value/missing", Severity.ERROR), ("value/missing", Severity.ERROR)]
    many = [_blank("value/missing", c, Severity.ERROR)
            for c in ("自然人", "商业企业", "科研机构", "社会公益组织")]
    (block,) = present(many, published=True).own
    assert block.location.parts == (T3,)
    assert block.message.startswith("表三 4 格留空（未填 0）")
    # A clerk's own data file keeps a line per blank until most of a table is empty.
    assert len(present(many, published=False).own) == 4


def test_blanks_the_import_could_not_read_are_reading_problems_not_the_organs() -> None:
    findings = [
        error("import/missing-row", (T3, ROW), "没有找到这一行"),
        _blank("value/missing", "自然人", Severity.ERROR),
        error("value/missing", ("表二", "规章", "本年制发件数"), "空白"),
        error("t3/balance", (T3, "自然人"), "勾稽不平"),
    ]
    said = present(findings, published=True)
    assert [f.code for f in said.reading] == ["import/missing-row"]
    assert [f.code for f in said.own] == ["value/missing", "t3/balance"]
    assert said.own[0].location.parts == ("表二", "规章", "本年制发件数")


@given(st.lists(st.tuples(st.sampled_from(["value/missing", "import/blank-cell"]),
                          st.sampled_from(["表二", "表三", "表四"]),
                          st.sampled_from(["甲", "乙", "丙", "丁"]), st.booleans()),
                max_size=30))
def test_every_blank_place_is_said_exactly_once(
    items: list[tuple[str, str, str, bool]]
) -> None:
    findings = [Finding(code, Severity.ERROR if err else Severity.WARNING,
                        Location((table, "行", column)), "空白")
                for code, table, column, err in items]
    said = present(findings, published=True).own
    places = {(t, c) for _, t, c, _ in items}
    by_table = {t: {c for tt, c in places if tt == t} for t, _ in places}
    expected = sum(1 if len(cols) >= 3 else len(cols) for cols in by_table.values())
    assert len(said) == expected
    assert all(f.code == "value/missing" for f in said)
    # A block is an error as soon as one of its blanks is.
    for f in said:
        table = f.location.parts[0]
        errs = any(e for _, t, c, e in items if t == table
                   and (len(f.location.parts) == 1 or c == f.location.parts[-1]))
        assert f.is_error == errs


# ---------------------------------------------------------------- the batch's year and format


def test_batch_year_is_the_year_most_reports_share() -> None:
    assert batch_year([2025, 2025, 2024, None]) == 2025
    assert batch_year([2024, 2025]) == 2025  # a tie: the later
    assert batch_year([None]) is None


def _mixed_batch(root: Path) -> Path:
    folder = root / "本年"
    (folder / "乡镇").mkdir(parents=True)
    for seed, organ in enumerate(ORGANS, 1):
        (folder / f"{seed}.yaml").write_text(dump_report(report(organ, 2022, seed, (0,) * 6)),
                                             "utf-8")
    old = report("甲县水利局", 2021, 7, (0,) * 6)
    (folder / "乡镇" / "水利局.yaml").write_text(dump_report(old), "utf-8")
    (folder / ".history").mkdir()
    (folder / ".history" / "旧.yaml").write_text(dump_report(old), "utf-8")
    return folder


def test_a_report_of_another_year_is_an_error_in_check_and_audit(
    xxgk: Xxgk, tmp_path: Path
) -> None:
    folder = _mixed_batch(tmp_path)
    checked = xxgk("check", folder)
    assert checked.exit_code == 1
    assert "共检查 4 个文件（本批次为 2022 年度）：1 个未通过" in checked.output
    assert "错误 不是本批次的年度 [batch/other-year]" in checked.output
    result = xxgk("audit", folder, "--format", "json")
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(records) == 4  # the folder, recursively; .history not
    wrong = [r for r in records if not r["ok"]]
    assert [(r["organ"], r["findings"][0]["code"]) for r in wrong] == [
        ("甲县水利局", "batch/other-year")]
    # --year names the batch's year: then the three 2022 reports are the odd ones.
    again = xxgk("audit", folder, "--year", "2021", "--format", "json")
    assert sum('"ok": false' in line for line in again.output.splitlines()) == 3


def test_a_2019_format_report_is_one_error_not_a_hundred_blanks(
    xxgk: Xxgk, tmp_path: Path
) -> None:
    html = DATA / "real" / "shanghai-office-2019.fragment.html"
    result = xxgk("check", html, "--year", "2021", "--format", "json")
    lines = [json.loads(line) for line in result.output.splitlines()]
    own = [line for line in lines if not line.get("reading")]
    assert own[0]["code"] == "batch/other-year" or own[0]["code"] == "batch/other-format"
    assert not [line for line in own if line["code"] == "value/missing"]


def test_sum_with_previous_dir_refuses_a_wrong_carry_over(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    last, this = years
    target = tmp_path / "县.yaml"
    result = xxgk("sum", this / "organ1.yaml", this / "organ2.yaml", "--organ", "甲县",
                  "-o", target, "--previous-dir", last)
    assert result.exit_code == 1
    assert "[carryover/mismatch]" in result.output
    assert not target.exists()
    # Without last year's reports the same inputs sum (the carry-over cannot be seen).
    assert xxgk("sum", this / "organ1.yaml", this / "organ2.yaml", "--organ", "甲县",
                "-o", target).exit_code == 0


# ---------------------------------------------------------------- inputs as people give them


def test_a_utf16_roster_orders_the_audit_and_the_breakdown(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    _last, this = years
    roster = tmp_path / "名单.txt"  # Excel's 「Unicode 文本」: UTF-16 LE with a BOM, tabs
    names = ["甲县自然资源局", "甲县教育局", "甲县水利局", "甲县卫生健康局"]
    roster.write_bytes("单位名称\t联系人\r\n".encode("utf-16") +
                       "".join(f"{n}\t某某\r\n" for n in names).encode("utf-16-le"))
    target = tmp_path / "审核.xlsx"
    result = xxgk("audit", this, "--organs", roster, "--format", "工作簿", "-o", target)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target)["总表"]
    assert [sheet.cell(r, 2).value for r in (3, 4, 5)] == [
        "甲县自然资源局\u200b", "甲县教育局", "甲县卫生\u00a0健康局"]
    assert load_workbook(target)["未报送"]["B3"].value == "甲县水利局"
    sums = tmp_path / "县.yaml"
    assert xxgk("sum", this / "organ1.yaml", this / "organ3.yaml", "--organ", "甲县", "-o", sums,
                "--organs", roster, "--force").exit_code == 0
    breakdown = sums.with_name("县.明细.csv").read_text("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in breakdown[1:3]] == ["甲县自然资源局\u200b", "甲县教育局"]


def test_format_values_in_chinese(xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path) -> None:
    _, this = years
    page = tmp_path / "审核.html"
    assert xxgk("audit", this, "--format", "网页", "-o", page).exit_code == 0
    text = page.read_text("utf-8")
    assert "td.k { white-space: nowrap; }" in text  # 机关名称 on one line
    assert '<td class="k">甲县教育局</td>' in text
    assert xxgk("check", this / "organ1.yaml", "--format", "文本").exit_code == 0


# ---------------------------------------------------------------- the workbook in Chinese


def test_rule_sheets_are_named_in_chinese_with_code_and_cell(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    last, this = years
    target = tmp_path / "审核.xlsx"
    assert xxgk("audit", this, "--previous-dir", last, "-o", target).exit_code == 0
    book = load_workbook(target)
    assert "表三勾稽不平" in book.sheetnames
    assert not [n for n in book.sheetnames if "/" in n or "·" in n]
    sheet = book["表三勾稽不平"]
    assert sheet["A1"].value == "表三勾稽不平（错误，1 份报告）"
    header = [c.value for c in sheet[3]]
    row = dict(zip(header, (c.value for c in sheet[4]), strict=True))
    assert row["规则代码"] == "t3/balance"
    assert row["原文位置"].startswith("第 ")
    assert row["原文位置"].endswith(" 行")
    assert re.fullmatch(r"[0-9A-F]{12}", row["编号"])
    validations = sheet.data_validations.dataValidation
    assert {v.formula1 for v in validations} == {'"确认,排除"', '"未整改,整改中,已整改"'}


def test_published_reports_reading_problems_have_their_own_sheet(
    xxgk: Xxgk, tmp_path: Path
) -> None:
    crawler = DATA / "real" / "shanghai-office-2025.crawler.txt"
    target = tmp_path / "审核.xlsx"
    result = xxgk("audit", crawler, "-o", target)
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    total = book["总表"]
    header = [c.value for c in total[2]]
    row = dict(zip(header, (c.value for c in total[3]), strict=True))
    assert row["读取问题"] >= 2
    reading = book["读取问题"]
    codes = {reading.cell(r, 9).value for r in range(4, reading.max_row + 1)}
    assert "import/run-together" in codes
    assert "不计入机关的错误" in reading["A1"].value
    assert "读取问题" not in (row["主要问题"] or "")


# ---------------------------------------------------------------- review that lasts


def _mark(path: Path, sheet: str, row: int, values: dict[str, str]) -> None:
    book = load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[3]]
    for heading, value in values.items():
        ws.cell(row, header.index(heading) + 1).value = value
    book.save(path)


def test_review_marks_come_back_on_the_same_finding_and_lost_ones_are_listed(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    last, this = years
    first = tmp_path / "审核-1.xlsx"
    assert xxgk("audit", this, "--previous-dir", last, "-o", first).exit_code == 0
    _mark(first, "表三勾稽不平", 4, {"复核": "确认", "复核说明": "原文如此", "责任单位": "资源局",
                                   "整改状态": "整改中"})
    _mark(first, "上年结转与上年结转下年度不符", 4, {"复核": "排除", "复核说明": "上年已更正"})
    # This year the 自然资源局 corrects its 勾稽 error and the files are renamed.
    moved = tmp_path / "改后"
    moved.mkdir()
    for path in this.glob("*.yaml"):
        shutil.copy(path, moved / f"new-{path.name}")
    fixed = (moved / "new-organ3.yaml")
    fixed.write_text(dump_report(report("甲县自然资源局", 2022, 3, _carried(last))), "utf-8")
    second = tmp_path / "审核-2.xlsx"
    result = xxgk("audit", moved, "--previous-dir", last, "--review", first, "-o", second)
    assert result.exit_code == 0, result.output
    assert "1 条带到本次的同一问题上，1 条的问题本次已不再出现" in result.output
    book = load_workbook(second)
    carried = book["上年结转与上年结转下年度不符"]
    header = [c.value for c in carried[3]]
    row = dict(zip(header, (c.value for c in carried[4]), strict=True))
    assert (row["复核"], row["复核说明"]) == ("排除", "上年已更正")
    assert "表三勾稽不平" not in book.sheetnames
    lost = book["复核未对应"]
    lost_row = [c.value for c in lost[4]]
    assert "甲县自然资源局\u200b" in lost_row
    assert "确认" in lost_row
    assert "资源局" in lost_row


def _carried(last: Path) -> tuple[int, ...]:
    from xxgk.api import load_source

    out = load_source(last / "organ3.yaml")[0].table3.row("carried_out").cells
    return tuple(v or 0 for v in out)


def test_review_refuses_to_overwrite_the_reviewed_workbook(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    _, this = years
    first = tmp_path / "审核.xlsx"
    assert xxgk("audit", this, "-o", first).exit_code == 0
    before = first.read_bytes()
    result = xxgk("audit", this, "--review", first, "-o", first)
    assert result.exit_code == 1
    assert "上次的审核表会被覆盖" in result.output
    assert first.read_bytes() == before


# ---------------------------------------------------------------- check says reading apart


def test_check_of_a_published_report_says_reading_problems_apart(xxgk: Xxgk) -> None:
    crawler = DATA / "real" / "shanghai-office-2025.crawler.txt"
    result = xxgk("check", crawler)
    lines = result.output.splitlines()
    assert any(line.split(": ", 1)[-1].startswith("读取问题 表格数字连在一起 [import/run-together]")
               for line in lines)
    summary = lines[-1]
    assert "读取问题" in summary
    assert "不计为报告的错误" in summary
    assert not [line for line in lines if "错误 " in line and "[import/" in line]


# ---------------------------------------------------------------- what follows from an import


def test_init_from_an_incomplete_published_report_refuses_or_writes_a_marked_draft(
    xxgk: Xxgk, tmp_path: Path
) -> None:
    text = (DATA / "real" / "shuyang-county-2025.pdftotext-layout.txt").read_text("utf-8")
    cut = tmp_path / "上年.txt"
    cut.write_text(text[: len(text) // 2], "utf-8")  # 表四, 五 and 六 lost
    target = tmp_path / "2026.yaml"
    refused = xxgk("init", target, "--from", cut)
    assert refused.exit_code == 1
    assert "[init/incomplete-source]" in refused.output
    assert "表四" in refused.output
    assert "读取问题 未找到表格 [import/missing-table]" in refused.output
    assert not target.exists()
    drafted = xxgk("init", target, "--from", cut, "--draft")
    assert drafted.exit_code == 0
    assert "【注意：这是草稿】" in drafted.output
    head = target.read_text("utf-8").split("\n", 12)
    assert any("【草稿】上年报告导入不完整" in line for line in head)
    assert any("五、存在的主要问题及改进情况" in line for line in head)


def test_diff_against_an_import_ignores_spacing_beside_cjk_and_digits() -> None:
    from xxgk.diff import diff_reports

    base = report("甲县教育局", 2022, 1, (0,) * 6)
    spaced = base.model_copy(
        update={"problems": [" ".join(base.problems[0][:10]) + base.problems[0][10:]]})
    assert diff_reports(base, spaced)  # as data files, a space is a change
    assert diff_reports(base, spaced, imported=True) == []
    changed = base.model_copy(update={"problems": [base.problems[0].replace("培训", "学习")]})
    assert diff_reports(base, changed, imported=True)


def test_sum_refuses_a_published_report_with_unread_numbers_as_a_reading_problem(
    xxgk: Xxgk, years: tuple[Path, Path], tmp_path: Path
) -> None:
    _, this = years
    crawler = DATA / "real" / "shanghai-office-2025.crawler.txt"
    target = tmp_path / "县.yaml"
    result = xxgk("sum", crawler, this / "organ1.yaml", "--organ", "甲县", "-o", target,
                  "--year", "2025")
    assert result.exit_code == 1
    assert "[sum/unread] 导入时有 2 处没有读出（读取问题，不是该机关的错误）" in result.output
    about_crawler = [line for line in result.output.splitlines() if "crawler" in line]
    assert not [line for line in about_crawler if "[sum/input-has-errors]" in line]
    assert not target.exists()


def test_a_published_reports_blank_is_worded_for_its_reader() -> None:
    said = present([_blank("import/blank-cell", "自然人"),
                    _blank("value/missing", "自然人", Severity.ERROR)], published=True)
    assert said.own[0].message == "报告此格留空（未填 0），按空白计，不按 0 计"


def test_an_audit_written_into_its_input_folder_is_not_audited_next_time(
    xxgk: Xxgk, years: tuple[Path, Path]
) -> None:
    _, this = years
    target = this / "审核.xlsx"
    assert "共审核 3 份报告" in xxgk("audit", this, "-o", target).output
    again = xxgk("audit", this, "--review", target, "-o", this / "审核-2.xlsx")
    assert "共审核 3 份报告" in again.output  # neither workbook is taken for a report
    third = xxgk("audit", this, "--review", this / "审核-2.xlsx", "-o", this / "审核-3.xlsx")
    assert "共审核 3 份报告" in third.output  # nor an earlier one kept beside the reports


def test_a_published_report_that_cannot_be_read_is_neither_an_error_nor_a_pass(
    xxgk: Xxgk, tmp_path: Path
) -> None:
    damaged = tmp_path / "损坏.pdf"
    damaged.write_bytes(b"%PDF-1.4\n%garbage\n")
    checked = xxgk("check", damaged)
    assert checked.exit_code == 1
    assert "读取问题 [import/bad-pdf] PDF 文件已损坏" in checked.output
    assert "无法读取，未检查" in checked.output
    result = xxgk("audit", damaged, DATA / "yonghe-2021.txt", "--format", "json")
    (record, _) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (record["ok"], record["read"], record["errors"]) == (False, False, 0)
    assert [f["code"] for f in record["reading"]] == ["import/bad-pdf"]
    assert "1 份有错误，1 份无法读取，0 份没有错误" in result.output
