"""Text read by what it is (issue 18 item 3), the publication date (item 9), one cell never
refusing a report (item 4), and the structural guards against wrong numbers (item 5, issue 19)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.import_support import example, numbered, paste_of, tables
from tests.test_import_html import page
from xxgk import labels
from xxgk.checks import check
from xxgk.checks.published import check_published
from xxgk.importers import import_source
from xxgk.importers.findings import Collector
from xxgk.importers.html import parse_html
from xxgk.importers.markdown import parse_markdown
from xxgk.importers.pagetext import read_header, split_body
from xxgk.importers.rows import text_row
from xxgk.importers.runtogether import TABLE3_SECTION, expand
from xxgk.importers.txt import parse_text, sniff
from xxgk.inputs import load
from xxgk.inputs.dump import dump_report

REAL = Path(__file__).parent / "data" / "real"
HEADER = (
    "标题: 某县财政局2023年政府信息公开工作年度报告\n发布时间: 2024-01-30 08:28\n文号: \n"
    "发布机构: 某县人民政府\n栏目: 政府信息公开年报\n原文链接: https://example.gov.cn/t1.htm\n"
    "本地目录: zwgk/zfxxgknb/202401/1_某县人民政府2023年政府信息公开工作年度报告\n"
    "页面链接与图片详见 links.tsv(同目录)\n==================== 正文 ====================\n"
)


# ---------------------------------------------------------------- what a .txt holds


def test_a_txt_holding_markdown_pipe_tables_reads_as_the_md_does(tmp_path: Path) -> None:
    source = REAL / "shuyang-county-2025.md"
    as_txt = tmp_path / "沭阳县2025.txt"
    shutil.copyfile(source, as_txt)
    from_md = import_source(source)
    from_txt = import_source(as_txt)
    assert tables(from_txt.report) == tables(from_md.report)
    assert "import/read-as" in {f.code for f in from_txt.findings}


def test_html_saved_as_txt_is_read_as_a_page(tmp_path: Path) -> None:
    report = numbered(example())
    saved = tmp_path / "page.txt"
    saved.write_text(page(report), encoding="utf-8")
    result = import_source(saved)
    assert tables(result.report) == tables(report)
    assert "import/read-as" in {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("<div class=TRS_Editor><table><tr><td>1</td></tr></table></div>", "html"),
        ("| 规章 | 1 | 2 | 3 |\n|---|---|---|---|\n| 行政许可 | 1 | | |\n| a | b | c | d |", "markdown"),
        ("规章 | 0 | 0 | 0 |\n行政许可 | 5 |", "text"),  # page-to-text cells ended by 「 |」
        ("一、总体情况\n正文。|不是表格|", "text"),
    ],
)
def test_sniff_reads_the_content_not_the_name(text: str, kind: str) -> None:
    assert sniff(text) == kind


# ---------------------------------------------------------------- a crawler's header


def test_the_crawler_header_is_metadata_never_the_organ_or_the_text() -> None:
    report = example()
    result = parse_text(HEADER + paste_of(report))
    assert result.report.organ == report.organ  # not 某县人民政府 (发布机构) nor the path line
    assert result.report.published == dt.date(2024, 1, 30)
    assert tables(result.report) == tables(report)
    text = " ".join(result.report.overview.intro + result.report.other_matters)
    assert "原文链接" not in text
    assert "本地目录" not in text


def test_a_header_without_crawler_keys_is_not_a_header() -> None:
    assert read_header(["标题：关于做好年报的通知", "一、总体情况"]) is None
    page_header = read_header(HEADER.splitlines())
    assert page_header is not None
    assert page_header.title == "某县财政局2023年政府信息公开工作年度报告"
    assert page_header.body_from == 9


def test_a_body_run_together_is_cut_at_the_national_headings() -> None:
    body = (
        "某局2023年政府信息公开工作年度报告 根据条例编制。一、总体情况今年工作。二、主动公开政府信息情况"
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件303"
        "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费12.5 (二)类别三、收到和处理"
        "政府信息公开申请情况申请人情况自然人法人或其他组织总计一、本年新收政府信息公开申请数量0 0 0 0 0 00"
        "（三）不予公开1.属于国家秘密0 0 0 0 0 002.其他法律行政法规禁止公开0 0 0 0 0 00"
        "四、政府信息公开行政复议、行政诉讼情况行政复议总计 00 0 00 0 0 0 00 0 0 0 00五、存在的主要问题及改进情况无。"
    )
    lines = split_body(body, "某局2023年政府信息公开工作年度报告")
    for expected in (
        "某局2023年政府信息公开工作年度报告",
        "一、总体情况",
        "第二十条第（一）项",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章000",
        "行政规范性文件303",
        "行政事业性收费12.5",
        "一、本年新收政府信息公开申请数量0 0 0 0 0 00",
        "（三）不予公开",
        "1.属于国家秘密0 0 0 0 0 00",
        "2.其他法律行政法规禁止公开0 0 0 0 0 00",
        "00 0 00 0 0 0 00 0 0 0 00",
        "五、存在的主要问题及改进情况",
    ):
        assert expected in lines


@pytest.mark.parametrize(
    "title",
    ["五、存在的主要问题及改进情况", "五、存在的主要问题及明年工作计划", "五、存在的主要问题和改进措施",
     "五、政府信息公开工作存在的主要问题及改进情况"],
)
def test_section_five_is_found_however_the_organ_words_it(title: str) -> None:
    # 公安局 2024 titles 五 「…及明年工作计划」: unrecognised, it left 表四's numbers inside a
    # line of text and the whole table blank.
    body = (
        "一、总体情况今年工作。二、主动公开政府信息情况无。三、收到和处理政府信息公开申请情况无。"
        "四、政府信息公开行政复议、行政诉讼情况行政复议总计 000000000000000 "
        f"{title}2024年，工作有不足。六、其他需要报告的事项无。"
    )
    lines = split_body(body)
    assert "000000000000000" in lines
    assert title in lines
    assert "2024年，工作有不足。" in lines


@pytest.mark.parametrize(
    "period",
    ["本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。",
     "本报告的统计数据时间段为2023年1月1日至2023年12月31日。"],  # 国有资产管理局 2023
)
def test_an_article_element_saved_alone_takes_its_year_from_the_period_sentence(period: str) -> None:
    fragment = (f"<div class=TRS_Editor><p>{period}</p><p>一、总体情况</p><p>概述。</p>"
                "<p>二、主动公开政府信息情况</p><table><tr><td>信息内容</td><td>本年制发件数</td>"
                "<td>本年废止件数</td><td>现行有效件数</td></tr><tr><td>规章</td><td>0</td>"
                "<td>0</td><td>0</td></tr></table></div>")
    result = parse_html(fragment)
    assert result.report.year == 2023
    assert "import/year-from-text" in {f.code for f in result.findings}


# ---------------------------------------------------------------- the publication date


@pytest.mark.parametrize(
    "meta",
    [
        '<meta name="PubDate" content="2024-01-30 08:28">',
        '<meta name="publishdate" content="2024-01-30">',
        '<meta property="article:published_time" content="2024-01-30T08:28:00+08:00">',
        '<meta name="firstpublishedtime" content="2024年1月30日">',
    ],
)
def test_the_publication_date_from_page_meta_tags(meta: str) -> None:
    html = page(example()).replace("<head>", f"<head>{meta}", 1)
    result = parse_html(html)
    assert result.report.published == dt.date(2024, 1, 30)
    (finding,) = [f for f in result.findings if f.code == "import/published-from"]
    assert "meta" in finding.message


def test_the_publication_date_printed_above_a_pasted_report() -> None:
    text = "发布时间：2024-01-30  来源：办公室\n" + paste_of(example())
    result = parse_text(text)
    assert result.report.published == dt.date(2024, 1, 30)
    assert any("发布时间" in f.message for f in result.findings if f.code == "import/published-from")


def test_the_publication_date_is_carried_by_the_data_file(tmp_path: Path) -> None:
    report = example().model_copy(update={"published": dt.date(2024, 1, 30)})
    text = dump_report(report)
    year_line = next(i for i, line in enumerate(text.splitlines()) if line.startswith("年度:"))
    assert text.splitlines()[year_line + 1].startswith(f"{labels.KEY_PUBLISHED}: 2024-01-30  # ")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    assert load(path).published == dt.date(2024, 1, 30)
    assert load(path).model_dump() == report.model_dump()
    path.write_text(text.replace("2024-01-30  #", "2024年1月30日  #"), encoding="utf-8")
    with pytest.raises(Exception, match="发布日期应写为 YYYY-MM-DD"):
        load(path)


def test_a_report_without_a_publication_date_writes_none() -> None:
    assert labels.KEY_PUBLISHED not in dump_report(example())


# ---------------------------------------------------------------- one cell never refuses a report


def test_a_fee_printed_to_six_decimals_is_a_number_with_a_warning(tmp_path: Path) -> None:
    report = numbered(example())
    html = page(report.model_copy(update={"table2": report.table2.model_copy(
        update={"fees": Decimal("12.345678")})}))
    result = parse_html(html)
    assert result.report.table2.fees == Decimal("12.345678")
    assert tables(result.report)[1:] == tables(report)[1:]  # 表三, 表四: every number arrives
    found = check(result.report)
    assert "value/fee-precision" in {f.code for f in found}
    assert not [f for f in found if f.is_error and "收费" in f.message]
    path = tmp_path / "r.yaml"  # the data file holds it as printed, and reads back
    path.write_text(dump_report(result.report), encoding="utf-8")
    assert load(path).table2.fees == Decimal("12.345678")


# ---------------------------------------------------------------- never a wrong number


def test_two_different_visible_copies_of_a_table_leave_the_differing_cells_blank() -> None:
    report = numbered(example())
    other = report.model_copy(deep=True)
    counts = other.table3.rows["new"]
    other.table3.rows["new"] = counts.model_copy(update={"cells": (99, *counts.cells[1:])})
    one, two = page(report), page(other)
    start, end = two.index("<p><strong>三、"), two.index("<p><strong>四、")
    doubled = one.replace("<p><strong>四、", two[start:end].split("</strong></p>", 1)[1] + "<p><strong>四、", 1)
    result = parse_html(doubled)
    new = result.report.table3.rows["new"]
    assert new.cells[0] is None  # 表三 printed twice, two numbers for one cell: neither is taken
    assert new.cells[1:] == report.table3.rows["new"].cells[1:]
    assert new.stated_total is None  # the two copies print two 总计 too
    assert result.report.table3.rows["granted"].cells == report.table3.rows["granted"].cells
    (finding,) = [f for f in result.findings if f.code == "import/duplicate-row" and f.is_error]
    assert "99" in finding.message


def test_the_same_table_twice_is_read_once() -> None:
    report = numbered(example())
    one = page(report)
    start, end = one.index("<p><strong>三、"), one.index("<p><strong>四、")
    doubled = one.replace("<p><strong>四、", one[start:end].split("</strong></p>", 1)[1] + "<p><strong>四、", 1)
    result = parse_html(doubled)
    assert tables(result.report) == tables(report)
    assert all(not f.is_error for f in result.findings if f.code == "import/duplicate-row")


def test_a_row_with_more_numbers_than_columns_is_blank_with_a_finding() -> None:
    label = labels.TABLE3_NEW
    text = paste_of(example()).replace(
        next(line for line in paste_of(example()).splitlines() if line.startswith(label)),
        "\t".join([label, "5", "0", "0", "0", "0", "0", "5", "7"]),
    )
    result = parse_text(text)
    new = result.report.table3.rows["new"]
    assert new.cells == (None,) * 6
    assert any(f.code == "import/extra-cells" and f.is_error for f in result.findings)


def test_crawler_text_with_more_numbers_than_cells_is_never_cut_to_fit() -> None:
    out = Collector()
    rows = expand(TABLE3_SECTION, [text_row(labels.TABLE3_NEW + "1 0 0 0 0 0 1 5")], out)
    assert rows[0].values_dropped
    assert rows[0].cells[1:] == ("",) * 7
    assert [f.code for f in out.findings] == ["import/run-together"]


def test_seventy_run_together_digits_are_not_searched_for_ever() -> None:
    out = Collector()
    rows = expand(TABLE3_SECTION, [text_row(labels.TABLE3_NEW + "1" * 70)], out)
    assert rows[0].values_dropped
    (finding,) = out.findings
    assert "数字太多" in finding.message
    assert "70 位" in finding.message


def test_pipe_tables_of_a_pdf_converter_never_swap_two_rows() -> None:
    # A converter that keeps 表三's numbers in a column of their own and its labels in another,
    # with one label lost: the numbers of 「没有现成信息…」 must not slide onto 「补正后…」.
    report = numbered(example())
    t3 = report.table3.rows
    lines = []
    for row in labels.TABLE3_ROWS:
        counts = t3[row.id]
        name = "" if row.id == "unavailable.needs_creation" else row.label
        values = " | ".join(str(v) for v in (*counts.cells, counts.total))
        lines.append(f"| {name} | {values} |")
    text = (
        "# 某局2023年政府信息公开工作年度报告\n## 三、收到和处理政府信息公开申请情况\n"
        "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(lines) + "\n## 四、政府信息公开行政复议、行政诉讼情况\n"
    )
    got = parse_markdown(text).report.table3.rows
    assert got["unavailable.still_unclear"].cells == t3["unavailable.still_unclear"].cells
    assert got["unavailable.needs_creation"].cells == (None,) * 6


_HEAD3 = (
    "# 某局2023年政府信息公开工作年度报告\n## 三、收到和处理政府信息公开申请情况\n"
    "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
    "|---|---|---|---|---|---|---|---|\n"
)
_L1, _L2, _L3 = (r.label for r in labels.TABLE3_ROWS if r.group == "（四）无法提供")
_N = {n: f"| {n} | 0 | 0 | 0 | 0 | 0 | {n} |" for n in (1, 2, 3)}  # row k prints k, …, k


@pytest.mark.parametrize(
    "body",
    [
        # labels first, their numbers in rows of their own below
        f"| {_L1} {_N[1]}\n| {_L2} | | | | | | | |\n| {_L3} | | | | | | | |\n| {_N[2]}\n| {_N[3]}",
        # a label wrapped around its numbers
        f"| {_L1} {_N[1]}\n| {_L2[:-2]} | | | | | | | |\n| {_N[2]}\n| {_L2[-2:]} | | | | | | | |\n"
        f"| {_L3} {_N[3]}",
        # the numbers above their label (vertically centred on a taller cell)
        f"| {_L1} {_N[1]}\n| {_N[2]}\n| {_L2} | | | | | | | |\n| {_L3} {_N[3]}",
        # numbers rows and label rows alternating, numbers first
        f"| {_N[2]}\n| {_L2} | | | | | | | |\n| {_N[3]}\n| {_L3} | | | | | | | |",
        # two rows merged into one cell each
        f"| {_L1} {_N[1]}\n| {_L2}<br>{_L3} | 2<br>3 | 0<br>0 | 0<br>0 | 0<br>0 | 0<br>0 | 0<br>0 | 2<br>3 |",
        f"| {_L1} {_N[1]}\n| {_L2} {_L3} | 2 3 | 0 0 | 0 0 | 0 0 | 0 0 | 0 0 | 2 3 |",
        # labels out of order against the numbers
        f"| {_L1} {_N[1]}\n| {_L3} | | | | | | | |\n| {_L2} {_N[2]}\n| {_N[3]}",
    ],
)
def test_detached_labels_in_converter_pipe_tables_never_give_a_wrong_number(body: str) -> None:
    # Issue 18: 「没有现成信息…」 and 「补正后…」 swapped in PDF-derived pipe tables. Whatever the
    # converter did to the labels, row k's cells are k, 0 … or blank — never another row's.
    text = _HEAD3 + body + "\n## 四、政府信息公开行政复议、行政诉讼情况\n"
    rows = parse_markdown(text).report.table3.rows
    for k, row_id in enumerate(("not_held", "needs_creation", "still_unclear"), 1):
        cells = rows[f"unavailable.{row_id}"].cells
        assert cells in ((k, 0, 0, 0, 0, 0), (None,) * 6), (row_id, cells)


def test_cells_with_units_or_dashes_are_read_as_printed_with_a_finding() -> None:
    html = (
        "<html><head><meta charset='utf-8'></head><body><h1>某局2023年政府信息公开工作年度报告</h1>"
        "<p>一、总体情况</p><p>文字。</p><p>二、主动公开政府信息情况</p><table>"
        "<tr><td>信息内容</td><td>本年处理决定数量</td></tr>"
        "<tr><td>行政许可</td><td>5件</td></tr><tr><td>行政处罚</td><td>—</td></tr>"
        "<tr><td>行政强制</td><td>3</td></tr>"
        "<tr><td>信息内容</td><td>本年收费金额（单位：万元）</td></tr>"
        "<tr><td>行政事业性收费</td><td>1200元</td></tr></table>"
        "<p>三、收到和处理政府信息公开申请情况</p></body></html>"
    )
    result = parse_html(html)
    t2 = result.report.table2
    assert (t2.licensing, t2.punishment, t2.enforcement) == (5, 0, 3)
    assert t2.fees == Decimal("0.12")  # the cell's own 元 wins over the heading's 万元
    notes = {f.location.parts[1]: f.message for f in result.findings if f.code == "import/unit"}
    assert "5件" in notes["行政许可"]
    assert "按 0 导入" in notes["行政处罚"]
    assert "1200元" in notes["行政事业性收费"]
    assert "行政强制" not in notes


@pytest.mark.parametrize(
    ("published", "code"),
    [
        (dt.date(2024, 1, 31), None),
        (dt.date(2024, 3, 8), "meta/published-late"),  # the region's 2023 report, crawled
        (dt.date(2023, 12, 1), "meta/published-early"),
        (None, "meta/published-unknown"),
    ],
)
def test_check_says_when_a_report_was_published_late(
    published: dt.date | None, code: str | None
) -> None:
    # The imported date is judged by the one on-time rule (checks/published.py: a 镇's report
    # is due by 1月31日); the per-report checks never judge it too, so an organ is told once.
    report = example().model_copy(update={"year": 2023, "published": published})
    codes = {f.code for f in check_published(report, report.published)}
    assert codes == ({code} if code else set())
    assert not [f for f in check(report) if f.code.startswith("meta/published")]


def test_the_form_keeps_the_publication_date() -> None:
    from xxgk.web.form import form_to_report, report_to_form

    report = example().model_copy(update={"published": dt.date(2024, 1, 30)})
    posted = report_to_form(report)
    assert posted["fields"]["published"] == "2024-01-30"
    again, findings = form_to_report(posted, 2025)
    assert again.published == dt.date(2024, 1, 30)
    posted["fields"]["published"] = "2024年1月30日"
    _, findings = form_to_report(posted, 2025)
    # Said as the data file says it (one number and date grammar everywhere), with the fix.
    assert any("发布日期应写为 YYYY-MM-DD" in f.message and "2024-01-30" in f.message
               for f in findings)
