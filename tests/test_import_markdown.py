"""Markdown from converters, pdftotext page numbers, and reports without a title of their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.import_support import example
from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.importers import import_source
from xxgk.importers.hints import Hints
from xxgk.importers.html import parse_html
from xxgk.importers.markdown import markdown_row, parse_markdown
from xxgk.importers.rows import text_row
from xxgk.importers.txt import parse_text
from xxgk.model import ApplicantCounts, Report, Table3

REAL = Path(__file__).parent / "data" / "real"


def test_per_row_tables_with_placeholder_headers_are_read_by_label() -> None:
    result = import_source(REAL / "shuyang-county-2025.md")
    report = result.report
    assert (report.organ, report.year) == ("沐阳县人民政府", 2025)
    assert report.table3.row("new").cells == (705, 3, 0, 0, 5, 0)
    assert report.table3.row("other_handling.fee_unpaid").cells == (7, 0, 0, 0, 0, 0)
    # 表四 cut into three tables, each under a heading naming its block
    assert report.table4.direct_suit.cells() == (3, 0, 0, 0)
    assert report.table4.suit_after_review.cells() == (8, 0, 1, 1)
    assert report.table2.fees is not None
    assert str(report.table2.fees) == "4068.208"


def test_placeholder_header_and_separator_lines_are_dropped() -> None:
    assert markdown_row("| 类别 | 数据1 | 数据2 | 数据6 | 总计 |").is_blank is False  # 总计 is real
    assert markdown_row("| 类别 | 数据1 | 数据2 | 数据3 |").is_blank
    assert markdown_row("|---|:---:|---|").is_blank
    row = markdown_row("| 规章 | **3** | 0 |  |")
    assert row.cells == ("规章", "3", "0", "")
    assert row.in_table
    assert markdown_row("## 二、主动公开政府信息情况").cells == ("二、主动公开政府信息情况",)


@pytest.mark.parametrize(
    "footer", ["— 3 —", "- 3 -", "第 3 页", "第3页 共12页", "3 / 12", "\f— 12 —"]
)
def test_page_numbers_are_dropped(footer: str) -> None:
    assert text_row(footer).is_blank


def test_numbers_a_single_space_apart_are_never_one_number() -> None:
    row = text_row("一、本年新收政府信息公开申请数量             705  3  0   0   5 0 713")
    assert row.cells[1:] == ("705", "3", "0", "0", "5", "0", "713")


def test_a_justified_pdf_line_is_one_heading() -> None:
    assert text_row("    三   、    收   到   和   处    理        政       府").cells == (
        "三、收到和处理政府",
    )


_FRAGMENT = """<div class="TRS_Editor"><p>本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。</p>
<p>一、总体情况</p><p>概述。</p><p>二、主动公开政府信息情况</p>
<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr></table></div>"""


def test_a_fragment_without_a_title_is_read_and_its_year_comes_from_the_text() -> None:
    result = parse_html(_FRAGMENT)
    assert (result.report.organ, result.report.year) == ("", 2023)
    assert result.report.table2.regulations.cells() == (1, 2, 3)
    codes = {f.code for f in result.findings}
    assert {"import/year-from-text", "import/no-organ"} <= codes


def test_organ_and_year_sources_in_order() -> None:
    given = parse_html(_FRAGMENT, Hints(organ="某某县人民政府", year=2022)).report
    assert (given.organ, given.year) == ("某某县人民政府", 2022)
    page = "<html><head><title>某市2021年政府信息公开工作年度报告_某市人民政府</title>"
    page += '<meta name="ArticleTitle" content="别市2020年政府信息公开工作年度报告"></head><body>'
    titled = parse_html(page + _FRAGMENT + "</body></html>").report
    assert (titled.organ, titled.year) == ("某市", 2021)  # <title> before meta, before the text
    meta = '<html><head><meta name="ArticleTitle" content="别市2020年政府信息公开工作年度报告">'
    assert parse_html(meta + "</head><body>" + _FRAGMENT).report.organ == "别市"
    named = parse_html(_FRAGMENT, Hints(file_name="某镇2023年政府信息公开工作年度报告")).report
    assert (named.organ, named.year) == ("某镇", 2023)


def test_without_any_year_the_message_names_the_option() -> None:
    with pytest.raises(XxgkError) as info:
        parse_text("一、总体情况\n\n今年做了很多工作。\n")
    assert "--year" in info.value.findings[0].message


def test_markdown_without_title_takes_the_caller_year() -> None:
    text = "## 二、主动公开政府信息情况\n| 规章 | 1 | 2 | 3 |\n"
    report = parse_markdown(text, Hints(organ="某局", year=2024)).report
    assert (report.organ, report.year) == ("某局", 2024)
    assert report.table2.regulations.cells() == (1, 2, 3)


def test_cli_import_takes_organ_and_year_for_a_fragment(tmp_path: Path, xxgk: object) -> None:
    fragment = tmp_path / "content.html"
    fragment.write_bytes(_FRAGMENT.replace("2023年1月1日", "当年").encode("gbk"))  # no charset
    result = xxgk(
        "import", fragment, "-o", tmp_path / "out", "--organ", "某某县人民政府", "--year", "2023"
    )  # type: ignore[operator]
    assert result.exit_code == 1  # 表三 and 表四 are missing from this fragment: import errors
    written = tmp_path / "out" / "某某县人民政府2023.yaml"
    assert written.is_file()
    summary = next(line for line in result.output.splitlines() if line.startswith("content.html"))
    assert summary.split()[1:3] == ["某某县人民政府", "2023"]


def test_a_label_wrapped_around_its_numbers_in_laid_out_text_is_read() -> None:
    # pdftotext -layout of our PDF of a real report: 「本年 （二）部分公开（…只计这一」, then the
    # numbers, then 「度办 情形，不计其他情形）」 — pieces of the merged 三、本年度办理结果 between.
    report = import_source(REAL / "shuyang-county-2025.pdftotext-layout.txt").report
    assert report.table3.row("partial").cells == (99, 0, 0, 0, 2, 0)
    assert report.table3.row("refused.third_party").cells == (2, 0, 0, 0, 0, 0)


def test_labels_wrapped_in_laid_out_text_of_our_pdfs_are_read() -> None:
    # pdftotext -layout of our own PDFs (random numbers): a label cut short before its numbers
    # waits for its end; pieces of both merged columns may stand before a label; a label at the
    # top of a page is not joined to the headings' words above it.
    text = """二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
                         自然       社会 法律
和，等于第三项加第四项之和）              商业 科研          总计
                          人       公益 服务 其他
                            企业 机构
                                  组织 机构
   （二）部分公开（区分处理的，只计这一
                         4    0    19   15   0    0    38
   情形，不计其他情形）
理结 （三）不 1.属于国家秘密          0    8    0   0   0   0    8
        1.申请人无正当理由逾期不补
        正、行政机关不再处理其政府    41    41    29    18    12    23    164
        信息公开申请
   （六）其
        2.申请人逾期未按收费通知要
   他处理
        求缴纳费用、行政机关不再处    28    48    38    21    41    36    212
        理其政府信息公开申请
        3.其他              13    58    21     7    54     4    157
四、政府信息公开行政复议、行政诉讼情况
"""
    from xxgk.importers.txt import parse_text

    result = parse_text("某某县人民政府2023年政府信息公开工作年度报告\n" + text)
    table = result.report.table3
    assert table.row("partial").cells == (4, 0, 19, 15, 0, 0)
    assert table.row("refused.state_secret").cells == (0, 8, 0, 0, 0, 0)
    assert table.row("other_handling.no_correction").cells == (41, 41, 29, 18, 12, 23)
    assert table.row("other_handling.fee_unpaid").cells == (28, 48, 38, 21, 41, 36)
    assert table.row("other_handling.other").cells == (13, 58, 21, 7, 54, 4)
    assert not [f for f in result.findings if f.code in ("import/unknown-row", "import/fuzzy-label")]


def test_a_merged_cell_piece_never_makes_another_row_label() -> None:
    from xxgk.importers.tables import noisy_label

    assert noisy_label("本年(二)部分公开(区分处理的,只计这一度办情形,不计其他情形)") is not None
    assert noisy_label("(四)无2.没有现成信息需要另法提供行制作3.补正后申请内容仍不明确") is None
    assert noisy_label("申请人情况(法人或其他组织)商业企业科研机构") is None


@st.composite
def _table3_with_blanks(draw: st.DrawFn) -> Table3:
    cell = st.one_of(st.none(), st.integers(min_value=0, max_value=300))
    rows = {
        r.id: ApplicantCounts(cells=tuple(draw(cell) for _ in range(6)))  # type: ignore[arg-type]
        for r in labels.TABLE3_ROWS
    }
    return Table3(rows=rows)


def _spaced_paste(report: Report, indent: bool) -> str:
    """Text as pdftotext -layout leaves it: cells apart by spaces, a blank cell leaves nothing."""
    lines = [f"{report.organ}{report.year}年政府信息公开工作年度报告", "一、总体情况", "概述。"]
    lines += ["三、收到和处理政府信息公开申请情况", "自然人  商业企业  科研机构  总计"]
    for row in labels.TABLE3_ROWS:
        counts = report.table3.row(row.id)
        numbers = [str(n) for n in (*counts.cells, counts.total) if n is not None]
        lines.append(("    " if indent else "") + "   ".join([row.label, *numbers]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None)
@given(_table3_with_blanks(), st.booleans())
def test_spaced_text_with_blank_cells_is_never_read_wrong(table3: Table3, indent: bool) -> None:
    report = example().model_copy(update={"table3": table3})
    imported = parse_text(_spaced_paste(report, indent)).report.table3
    for row in labels.TABLE3_ROWS:
        got, want = imported.row(row.id).cells, table3.row(row.id).cells
        assert all(g is None or g == w for g, w in zip(got, want, strict=True)), (row.id, got, want)
        if None not in want:
            assert got == want  # a full row is read whole


def test_pdftotext_default_mode_tables_2_and_4_are_read_by_their_headings() -> None:
    # The default mode prints 表二 column by column (a heading, then one number per row of its
    # block) and 表四 right after 表三's cells; 表三 itself is regrouped (test_import_columnwise).
    report = import_source(REAL / "shuyang-county-2025.pdftotext.txt").report
    assert report.table2.normative_documents.cells() == (6, 1, 32)
    assert (report.table2.licensing, report.table2.punishment) == (517645, 693957)
    assert report.table4.review.cells() == (27, 10, 9, 15)
    assert report.table3.row("new").cells == (705, 3, 0, 0, 5, 0)
