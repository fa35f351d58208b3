"""The .html importer: a portal page with the official tables (rowspans, colspans) inside it."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import pytest

from tests.import_support import example, numbered, tables
from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.importers import ImportResult, import_source
from xxgk.importers.html import parse_html
from xxgk.model import Report


def td(text: object, rowspan: int = 1, colspan: int = 1) -> str:
    """One cell, with its spans when larger than 1."""
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f"<td{spans}><p>{escape(str(text))}</p></td>"


def table2_html(report: Report) -> str:
    t2 = report.table2
    values = {
        "regulations": t2.regulations.cells(),
        "normative_documents": t2.normative_documents.cells(),
        "licensing": (t2.licensing,),
        "punishment": (t2.punishment,),
        "enforcement": (t2.enforcement,),
        "fees": (t2.fees,),
    }
    rows = []
    for block in labels.TABLE2_BLOCKS:
        rows.append(td(block.item, colspan=4))
        wide = 3 if len(block.columns) == 1 else 1
        rows.append(
            td(labels.TABLE2_CONTENT_HEADING) + "".join(td(c, colspan=wide) for c in block.columns)
        )
        for name, label in block.rows:
            rows.append(td(label) + "".join(td(v, colspan=wide) for v in values[name]))
    return "<table border='1'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def table3_html(report: Report) -> str:
    t3 = report.table3
    org = labels.TABLE3_COLUMN_LABELS[1:]
    rows = [
        td(labels.TABLE3_CORNER, 3, 3) + td(labels.TABLE3_APPLICANTS, colspan=7),
        td(labels.TABLE3_COLUMN_LABELS[0], 2)
        + td(labels.TABLE3_ORGANISATIONS, colspan=5)
        + td(labels.TABLE3_TOTAL, 2),
        "".join(td(c) for c in org),
    ]

    def numbers(cells: tuple[object, ...], total: object) -> str:
        return "".join(td(c) for c in cells) + td(total)

    group_sizes: dict[str | None, int] = {}
    for row in labels.TABLE3_RESULT_ROWS:
        group_sizes[row.group] = group_sizes.get(row.group, 0) + 1
    seen_groups: set[str | None] = set()
    for i, row in enumerate(labels.TABLE3_ROWS):
        counts = t3.row(row.id)
        if row.id == "carried_out":
            rows.append(
                td(labels.TABLE3_RESULTS_TOTAL, colspan=2)
                + numbers(t3.results_total(), t3.results_grand_total())
            )
        if row.part != "三":
            rows.append(td(row.label, colspan=3) + numbers(counts.cells, counts.total))
            continue
        lead = td(labels.TABLE3_RESULTS, 22) if row.id == "granted" else ""
        if row.group is None:
            lead += td(row.label, colspan=2)
        else:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                lead += td(row.group, group_sizes[row.group])
            lead += td(row.label)
        rows.append(lead + numbers(counts.cells, counts.total))
        del i
    return "<table border='1'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def table4_html(report: Report) -> str:
    outcomes = [label for _, label in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    head1 = td(labels.TABLE4_REVIEW, colspan=5) + td(labels.TABLE4_LITIGATION, colspan=10)
    head2 = "".join(td(o, 2) for o in outcomes) + "".join(
        td(b.label, colspan=5) for b in labels.TABLE4_BLOCKS[1:]
    )
    head3 = "".join(td(o) for o in outcomes) * 2
    data = ""
    for block in labels.TABLE4_BLOCKS:
        b = report.table4.block(block.id)
        data += "".join(td(v) for v in (*b.cells(), b.total))
    rows = [head1, head2, head3, data]
    return "<table border='1'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def page(report: Report) -> str:
    """The report as a portal page: navigation, scripts and a footer around the article."""
    s = {x.number: x.heading for x in labels.SECTIONS}
    paras = lambda items: "".join(f"<p>&nbsp;&nbsp;{escape(p)}</p>" for p in items)  # noqa: E731
    overview = paras(report.overview.intro) + "".join(
        f"<p><strong>{labels.subsection_marker(i)}{escape(sub.title)}</strong></p>"
        + paras(sub.paragraphs)
        for i, sub in enumerate(report.overview.subsections)
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{escape(report.display_title)}_晋江市人民政府</title>
<style>.nav {{ color: red }}</style><script>var s = "二、主动公开政府信息情况 规章 1 2 3";</script>
</head><body>
<header><div class="logo">晋江市人民政府</div></header>
<nav><ul><li>首页</li><li>政务公开</li><li>一、总体情况</li></ul></nav>
<table class="layout"><tr><td class="crumb">当前位置：首页 &gt; 政府信息公开年报 &gt;
{escape(report.display_title)}</td></tr><tr><td>
<div class="article">
<h1 class="title">{escape(report.header.issuer_mark or "")}</h1>
<h1>{escape(report.organ)}{report.year}年<br/>政府信息公开工作年度报告</h1>
<div class="info">发布时间：2022-01-20 来源：党政办 字号：【大 中 小】</div>
<p><strong>{s["一"]}</strong></p>{overview}
<p><strong>{s["二"]}</strong></p>{table2_html(report)}
<p><strong>{s["三"]}</strong></p>{table3_html(report)}
<p><strong>{s["四"]}</strong></p>{table4_html(report)}
<p><strong>{s["五"]}</strong></p>{paras(report.problems)}
<p><strong>{s["六"]}</strong></p>{paras(report.other_matters)}
</div></td></tr></table>
<div class="tools">【打印本页】【关闭窗口】</div>
<footer>版权所有：晋江市人民政府 网站标识码：3505820001</footer>
<script>document.write("五、存在的主要问题及改进情况");</script>
</body></html>"""


@pytest.fixture(scope="module")
def numbered_report() -> Report:
    return numbered(example())


def test_portal_page_reads_the_right_numbers(numbered_report: Report) -> None:
    result = parse_html(page(numbered_report))
    assert tables(result.report) == tables(numbered_report)
    # The page's 「发布时间：2022-01-20」 is the one thing said: where the 发布日期 came from.
    assert [f.code for f in result.findings] == ["import/published-from"]
    assert result.report.published == dt.date(2022, 1, 20)


def test_portal_page_reads_the_narrative_and_header(numbered_report: Report) -> None:
    report = parse_html(page(numbered_report)).report
    assert (report.organ, report.year) == (numbered_report.organ, numbered_report.year)
    assert report.header.issuer_mark == numbered_report.header.issuer_mark
    assert report.overview == numbered_report.overview
    assert report.problems == numbered_report.problems
    assert report.other_matters == numbered_report.other_matters


def test_stated_totals_from_the_page_are_kept(numbered_report: Report) -> None:
    t3 = parse_html(page(numbered_report)).report.table3
    for row in labels.TABLE3_ROWS:
        assert t3.row(row.id).stated_total == numbered_report.table3.row(row.id).total
    assert t3.stated_results_total is not None
    assert t3.stated_results_total.cells == numbered_report.table3.results_total()


def test_file_import_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "report.htm"
    path.write_text(page(example()), encoding="utf-8")
    result: ImportResult = import_source(path)
    assert tables(result.report) == tables(example())


def test_gbk_page_with_meta_charset() -> None:
    html = page(example()).replace('charset="utf-8"', 'charset="gbk"').encode("gbk")
    assert parse_html(html).report.organ == example().organ


def test_page_without_a_report_is_an_error() -> None:
    with pytest.raises(XxgkError) as info:
        parse_html("<html><body><nav>首页</nav><p>欢迎访问</p></body></html>")
    assert info.value.findings[0].code == "import/no-title"


def test_unreadable_cell_in_a_page_is_reported() -> None:
    html = page(example()).replace("<td><p>0</p></td>", "<td><p>约5件</p></td>", 1)
    result = parse_html(html)
    assert [str(f.location) for f in result.findings if f.code == "import/unreadable-cell"] == [
        "表二/规章/本年制发件数"
    ]
    assert result.report.table2.regulations.issued is None


def test_title_in_an_article_header() -> None:
    html = page(example()).replace(
        "<h1>晋江市永和镇2021年<br/>政府信息公开工作年度报告</h1>",
        "<article><header><h1>晋江市永和镇2021年政府信息公开工作年度报告</h1></header></article>",
    )
    report = parse_html(html).report
    assert (report.organ, report.year) == ("晋江市永和镇", 2021)


def test_title_from_the_page_title_when_the_article_has_none() -> None:
    html = page(example())
    html = html.replace("<h1>晋江市永和镇2021年<br/>政府信息公开工作年度报告</h1>", "")
    html = html.replace(
        "当前位置：首页 &gt; 政府信息公开年报 &gt;\n晋江市永和镇2021年政府信息公开工作年度报告",
        "当前位置：首页",
    )
    assert html.count(labels.TITLE_SUFFIX) == 1  # only in <title>
    report = parse_html(html).report
    assert (report.organ, report.year) == ("晋江市永和镇", 2021)


def test_footer_words_inside_a_paragraph_do_not_end_the_report() -> None:
    long = "本镇作为活动主办单位，" + "积极组织各类政务公开日活动，" * 5 + "取得良好效果。"
    report = example().model_copy(update={"other_matters": [long, "无其他事项。"]})
    assert parse_html(page(report)).report.other_matters == [long, "无其他事项。"]
