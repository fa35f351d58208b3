"""The 2019 format (国办公开办函〔2019〕60号): recognised, mapped onto 2021, the rest reported."""

from __future__ import annotations

import pytest

from xxgk import labels
from xxgk.errors import Severity
from xxgk.importers import ImportResult
from xxgk.importers.txt import parse_text

# 表二 as published in 2019 (FORMAT.md), with the inner merges misaligned from row to row.
TABLE2_2019 = """\
第二十条第（一）项\t\t\t\t
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\t
规章\t1\t2\t3\t
规范性文件\t4\t\t5\t6
第二十条第（五）项\t\t\t\t
信息内容\t上一年项目数量\t\t本年增/减\t处理决定数量
行政许可\t10\t+2\t\t7
其他对外管理服务事项\t3\t0\t0\t
第二十条第（六）项\t\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量\t
行政处罚\t5\t-1\t8\t
行政强制\t2\t0\t9\t
第二十条第（八）项\t\t\t\t
信息内容\t上一年项目数量\t本年增/减\t\t
行政事业性收费\t4\t0\t\t
第二十条第（九）项\t\t\t\t
信息内容\t采购项目数量\t采购总金额\t\t
政府集中采购\t6\t120.5\t\t
"""

TABLE3_HEAD = """\
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况
\t\t自然人\t法人或其他组织\t\t\t\t\t总计
\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他
"""

TABLE4 = """\
行政复议\t\t\t\t\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0
"""


def table3_2019() -> str:
    """表三 in the 2019 layout: （二） without its parenthetical, （六）其他处理 one row."""
    lines = [TABLE3_HEAD.rstrip("\n")]
    n = 0
    for row in labels.TABLE3_ROWS:
        if row.group == labels.TABLE3_GROUPS[-1].label:
            continue
        if row.id == "carried_out":
            lines.append(f"\t{labels.TABLE3_2019_OTHER_HANDLING}\t" + "\t".join(["2"] * 6) + "\t12")
            lines.append(f"\t{labels.TABLE3_RESULTS_TOTAL}\t" + "\t".join(["0"] * 7))
        label = labels.TABLE3_2019_PARTIAL_LABELS[1] if row.id == "partial" else row.label
        n += 1
        lines.append(f"{label}\t\t" + "\t".join([str(n)] * 6) + f"\t{6 * n}")
    return "\n".join(lines)


def text_2019() -> str:
    s = {x.number: x.heading for x in labels.SECTIONS}
    return (
        f"某某县2019年政府信息公开工作年度报告\n\n{s['一']}\n\n本年度工作。\n\n{s['二']}\n\n"
        f"{TABLE2_2019}\n{s['三']}\n\n{table3_2019()}\n\n{s['四']}\n\n{TABLE4}\n"
        f"{s['五']}\n\n问题。\n\n{s['六']}\n\n无。\n"
    )


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return parse_text(text_2019())


def test_2019_format_is_recognised(result: ImportResult) -> None:
    assert result.source_format == "2019"
    assert result.report.format_version == "2019"
    assert (result.report.organ, result.report.year) == ("某某县", 2019)


def test_2019_table2_maps_what_corresponds(result: ImportResult) -> None:
    t2 = result.report.table2
    assert t2.regulations.cells() == (1, None, 3)
    assert t2.normative_documents.cells() == (4, None, 6)
    assert (t2.licensing, t2.punishment, t2.enforcement) == (7, 8, 9)
    assert t2.fees is None


def test_2019_table3_other_handling_goes_to_other(result: ImportResult) -> None:
    t3 = result.report.table3
    assert t3.row("other_handling.other").cells == (2,) * 6
    assert t3.row("other_handling.other").stated_total == 12
    assert t3.row("other_handling.no_correction").cells == (0,) * 6
    assert t3.row("partial").cells == (4,) * 6
    assert t3.row("carried_out").cells == (21,) * 6
    assert result.report.table4.review.cells() == (1, 0, 0, 0)


def test_2019_items_without_counterpart_are_named(result: ImportResult) -> None:
    named = {str(f.location): f.message for f in result.findings
             if f.code == "import/no-counterpart"}
    assert all(
        f.severity is Severity.WARNING for f in result.findings if f.code == "import/no-counterpart"
    )
    # What the 2019 表二 held that 2021 has no place for: one finding naming every item.
    dropped = named["表二"]
    for item in ("第（一）项「本年新公开数量」", "第（五）项「上一年项目数量」", "第（五）项「本年增/减」",
                 "第（五）项「其他对外管理服务事项」行", "第（八）项「上一年项目数量」",
                 "第（九）项「采购项目数量」", "第（九）项「采购总金额」", "第（九）项「政府集中采购」行"):
        assert item in dropped
    assert "11 个栏目" in dropped
    # The 2021 cells 2019 never had, each at the place `check` would call it blank.
    assert {"表二/规章/本年废止件数", "表二/行政规范性文件/本年废止件数",
            "表二/行政事业性收费"} <= set(named)
    assert (
        "表三/三、本年度办理结果/（六）其他处理/"
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in named
    )


def test_2019_cells_the_format_lacks_are_not_the_organs_blanks(result: ImportResult) -> None:
    from xxgk.audit.present import present
    from xxgk.checks import check

    said = present([*result.findings, *check(result.report)], published=True)
    blanks = [f for f in said.own if f.code == "value/missing"]
    assert not [f for f in blanks if f.location.parts[:1] == ("表二",)], blanks
    # and the 2021 format's fee paragraph is not asked of a 2019 report
    assert not [f for f in said.own if f.code == "text/fee-not-reported"]


def test_2019_import_has_no_other_problems(result: ImportResult) -> None:
    others = [f for f in result.findings if f.code != "import/no-counterpart"]
    assert others == []
