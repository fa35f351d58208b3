"""The .txt importer on tables pasted one cell per line (as browsers and PDF viewers copy them)."""

from __future__ import annotations

import re

import pytest

from tests.import_support import example, paste, paste_of
from xxgk import labels
from xxgk.checks import check
from xxgk.errors import Severity
from xxgk.importers import ImportResult
from xxgk.importers.txt import parse_text
from xxgk.model import ApplicantCounts, Report, ReviewOutcomes, Table3, Table4

# Long labels a PDF viewer breaks over two lines (the first piece, the rest).
BROKEN = (
    ("四、结转下年度", "继续办理"),  # the first piece alone looks like a section heading
    ("5.要求行政机关确认或重新出具", "已获取信息"),
    ("(二) 部分公开", "(区分处理的, 只计这一情形, 不计其他情形)"),
    ("2.申请人逾期未按收费通知要求缴纳费用、", "行政机关不再处理其政府信息公开申请"),
    ("本年收费金额", "（单位：万元）"),
    ("5.属于三类", "内部事务信息"),
)
SECOND_ROW = "二、上年结转政府信息公开申请数量"
CELL_COUNT = "import/cell-count"


def one_cell_per_line(text: str, gap: str = "\n", broken: bool = False) -> str:
    """The paste with each table line's non-empty cells on lines of their own."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("二、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    out = lines[:start]
    for line in lines[start:end]:
        if "\t" not in line:
            out.append(line)
            continue
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if broken:
            cells = [_broken(c) for c in cells]
        out.append(gap.join(cells))
    return "\n".join(out + lines[end:])


def _broken(cell: str) -> str:
    for first, rest in BROKEN:
        if cell.replace(" ", "") == (first + rest).replace(" ", ""):
            return f"{first}\n{rest}"
    return cell


def summary(result: ImportResult) -> list[tuple[str, str, Severity]]:
    """The findings without their lines (which differ between the two layouts)."""
    return [(f.code, str(f.location), f.severity) for f in result.findings]


def consistent(base: Report) -> Report:
    """The example with non-zero numbers in every table that add up as the checks require."""
    results = labels.TABLE3_RESULT_ROWS
    rows = {
        r.id: ApplicantCounts(cells=tuple((7 + n * 3 + c) % 5 + 1 for c in range(6)))
        for n, r in enumerate(results)
    }
    rows["carried_out"] = ApplicantCounts(cells=tuple(c % 3 + 1 for c in range(6)))
    need = [
        sum(rows[r.id].cells[c] or 0 for r in results) + (rows["carried_out"].cells[c] or 0)
        for c in range(6)
    ]
    rows["carried_in"] = ApplicantCounts(cells=tuple(min(2, n) for n in need))
    rows["new"] = ApplicantCounts(cells=tuple(n - min(2, n) for n in need))
    t2 = base.table2.model_copy(
        update={
            "regulations": base.table2.regulations.model_copy(
                update={"issued": 3, "repealed": 1, "in_force": 12}
            ),
            "licensing": 41,
            "punishment": 7,
        }
    )
    return base.model_copy(
        update={
            "table2": t2,
            "table3": Table3(rows=rows),
            "table4": Table4(
                review=ReviewOutcomes(upheld=2, corrected=1, other=0, pending=1),
                direct_suit=ReviewOutcomes(upheld=1, corrected=0, other=0, pending=3),
            ),
        }
    )


@pytest.fixture(scope="module")
def seed() -> str:
    """The real paste, its 表四 row given all 15 cells (a stacked paste cannot keep blanks)."""
    return paste_of(example())


@pytest.fixture(scope="module")
def tabbed(seed: str) -> ImportResult:
    return parse_text(seed)


@pytest.mark.parametrize(
    ("gap", "broken"),
    [("\n", False), ("\n\n", False), ("\n", True), ("\n\n", True), ("\n \n\n", True)],
    ids=["plain", "blank-lines", "broken-labels", "blank-lines-broken", "uneven-gaps"],
)
def test_stacked_paste_imports_as_the_tabbed_one(
    seed: str, tabbed: ImportResult, gap: str, broken: bool
) -> None:
    text = one_cell_per_line(seed, gap, broken)
    assert "\t" not in text.split("二、主动公开")[1].split("五、")[0]
    stacked = parse_text(text)
    assert stacked.report == tabbed.report
    assert summary(stacked) == summary(tabbed)


def test_broken_labels_really_are_broken(seed: str) -> None:
    text = one_cell_per_line(seed, broken=True)
    for first, rest in BROKEN:
        assert f"{first}\n{rest}" in text


def test_stacked_nonzero_numbers_land_in_their_cells() -> None:
    report = consistent(example())
    assert [f for f in check(report) if f.is_error] == []
    text = paste_of(report)
    tabbed = parse_text(text)
    stacked = parse_text(one_cell_per_line(text, "\n\n", broken=True))
    assert stacked.report == tabbed.report
    assert summary(stacked) == summary(tabbed)
    got = stacked.report
    assert got.table3.row("new").cells == report.table3.row("new").cells
    assert got.table3.row("carried_out").cells == report.table3.row("carried_out").cells
    assert got.table2.licensing == 41
    assert got.table4.review.cells() == (2, 1, 0, 1)
    assert got.table4.direct_suit.cells() == (1, 0, 0, 3)
    assert [f for f in check(got) if f.is_error] == []


def _drop_one_number(text: str, label: str) -> str:
    """The stacked paste with the third number after a 表三 row label removed."""
    lines = text.split("\n")
    at = lines.index(label)
    numbers = [i for i in range(at + 1, len(lines)) if re.fullmatch(r"\d+", lines[i])]
    del lines[numbers[2]]
    return "\n".join(lines)


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_missing_number_is_a_finding_at_its_row(gap: str) -> None:
    report = consistent(example())
    text = _drop_one_number(one_cell_per_line(paste_of(report), gap), SECOND_ROW)
    result = parse_text(text)
    spec = labels.TABLE3_ROW_BY_ID["carried_in"]
    where = "/".join(("表三", *spec.path))
    found = [f for f in result.findings if f.code == CELL_COUNT]
    assert [str(f.location) for f in found] == [where]
    assert found[0].severity is Severity.ERROR
    assert found[0].location.line == text.split("\n").index(SECOND_ROW) + 1
    assert "有 6 个数字，应为 7 个" in found[0].message  # the other rows have their 总计
    # Never a guess: the row is blank, and the other rows are read as before.
    assert result.report.table3.row("carried_in").cells == (None,) * 6
    assert result.report.table3.row("new").cells == report.table3.row("new").cells
    assert result.report.table3.row("carried_out").cells == report.table3.row("carried_out").cells
    others = [f for f in result.findings if f.code != CELL_COUNT]
    assert others == []


def test_a_number_too_many_is_a_finding_at_its_row() -> None:
    text = one_cell_per_line(paste_of(consistent(example())))
    lines = text.split("\n")
    lines.insert(lines.index(SECOND_ROW) + 1, "9")
    result = parse_text("\n".join(lines))
    where = "/".join(("表三", *labels.TABLE3_ROW_BY_ID["carried_in"].path))
    assert [str(f.location) for f in result.findings if f.code == CELL_COUNT] == [where]
    assert result.report.table3.row("carried_in").cells == (None,) * 6


def test_text_where_a_number_belongs_is_unreadable_not_a_new_row() -> None:
    text = one_cell_per_line(paste_of(example()))
    lines = text.split("\n")
    at = lines.index(SECOND_ROW)
    lines[at + 3] = "两"
    result = parse_text("\n".join(lines))
    assert [f.code for f in result.findings] == ["import/unreadable-cell"]
    path = "/".join(("表三", *labels.TABLE3_ROW_BY_ID["carried_in"].path, "法人或其他组织"))
    assert str(result.findings[0].location).startswith(path.rsplit("/", 1)[0])
    assert result.report.table3.row("carried_in").cells[2] is None


def test_table2_row_with_a_number_missing_is_a_finding() -> None:
    text = one_cell_per_line(paste_of(consistent(example())))
    lines = text.split("\n")
    at = lines.index(labels.TABLE2_ROW_LABELS["regulations"])
    del lines[at + 1]
    result = parse_text("\n".join(lines))
    found = [str(f.location) for f in result.findings if f.code == CELL_COUNT]
    assert found == ["表二/规章"]
    assert result.report.table2.regulations.cells() == (None, None, None)
    assert result.report.table2.normative_documents.cells() == (0, 0, 0)


def test_the_real_table4_row_without_its_blank_cells_is_a_finding() -> None:
    # The seed's 表四 row leaves the five 行政复议 cells blank: stacked, 10 numbers remain and
    # nothing tells which block they belong to.
    result = parse_text(one_cell_per_line(paste()))
    assert [str(f.location) for f in result.findings if f.code == CELL_COUNT] == ["表四"]
    table4 = result.report.table4
    assert table4.review.cells() == table4.direct_suit.cells() == (None,) * 4
    assert not [f for f in result.findings if f.code == "import/blank-cell"]


def test_narrative_sections_are_untouched(seed: str, tabbed: ImportResult) -> None:
    stacked = parse_text(one_cell_per_line(seed, "\n\n", broken=True)).report
    assert stacked.overview == tabbed.report.overview
    assert stacked.problems == tabbed.report.problems
    assert stacked.other_matters == tabbed.report.other_matters
    assert stacked.header == tabbed.report.header


def test_tabbed_rows_next_to_stacked_ones_are_kept(seed: str, tabbed: ImportResult) -> None:
    # Only 表三 stacked; 表二 and 表四 keep their tabs.
    stacked = one_cell_per_line(seed)
    head, rest = seed.split("三、收到和处理")
    middle, tail = rest.split("四、政府信息公开行政复议")
    mixed_middle = stacked.split("三、收到和处理")[1].split("四、政府信息公开行政复议")[0]
    mixed = f"{head}三、收到和处理{mixed_middle}四、政府信息公开行政复议{tail}"
    assert middle != mixed_middle
    result = parse_text(mixed)
    assert result.report == tabbed.report
    assert summary(result) == summary(tabbed)


# The example with ``consistent`` numbers, built to PDF by xxgk (LibreOffice) and copied out with
# ``pdftotext -raw``, as a PDF viewer copies it: each table row a line of single-spaced cells, long
# labels and headings broken over lines, the title and headings letter-spaced, page numbers.
PDF_COPY = """\
晋江市永和镇人民政府文件
晋 江 市 永 和 镇 2021 年 政 府 信 息 公
开 工 作 年 度 报 告
一 、 总 体 情 况
2021 年 永 和 镇 人 民 政 府 坚 持 以
二 、 主 动 公 开 政 府 信 息 情 况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 3 1 12
行政规范性文件 0 0 0
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 41
第二十条第（六）项
信息内容 本年处理决定数量
行政处罚 7
行政强制 0
第二十条第（八）项
信息内容 本年收费金额（单位：万元）
行政事业性收费 0
三 、 收 到 和 处 理 政 府 信 息 公
开 申 请 情 况
（本列数据的勾稽关系为：第一项加第二项之
和，等于第三项加第四项之和）
申请人情况
自然
人
法人或其他组织
总计
商业
企业
科研
机构
社会
公益
组织
法律
服务
机构
其他
一、本年新收政府信息公开申请数量 62 64 66 60 62 64 378
二、上年结转政府信息公开申请数量 2 2 2 2 2 2 12
三、
本年
度办
理结
果
（一）予以公开 3 4 5 1 2 3 18
（二）部分公开（区分处理的，只计这一
情形，不计其他情形）
1 2 3 4 5 1 16
（三）不
予公开
1.属于国家秘密 4 5 1 2 3 4 19
2.其他法律行政法规禁止公开 2 3 4 5 1 2 17
3.危及“三安全一稳定” 5 1 2 3 4 5 20
4.保护第三方合法权益 3 4 5 1 2 3 18
5.属于三类内部事务信息 1 2 3 4 5 1 16
6.属于四类过程性信息 4 5 1 2 3 4 19
7.属于行政执法案卷 2 3 4 5 1 2 17
8.属于行政查询事项 5 1 2 3 4 5 20
（四）无
法提供
1.本机关不掌握相关政府信息 3 4 5 1 2 3 18
2.没有现成信息需要另行制作 1 2 3 4 5 1 16
3.补正后申请内容仍不明确 4 5 1 2 3 4 19
— 5 —
（本列数据的勾稽关系为：第一项加第二项之
和，等于第三项加第四项之和）
申请人情况
自然
人
法人或其他组织
总计
商业
企业
科研
机构
社会
公益
组织
法律
服务
机构
其他
（五）不
予处理
1.信访举报投诉类申请 2 3 4 5 1 2 17
2.重复申请 5 1 2 3 4 5 20
3.要求提供公开出版物 3 4 5 1 2 3 18
4.无正当理由大量反复申请 1 2 3 4 5 1 16
5.要求行政机关确认或重新出
具已获取信息
4 5 1 2 3 4 19
（六）其
他处理
1.申请人无正当理由逾期不补
正、行政机关不再处理其政府
信息公开申请
2 3 4 5 1 2 17
2.申请人逾期未按收费通知要
求缴纳费用、行政机关不再处
理其政府信息公开申请
5 1 2 3 4 5 20
3.其他 3 4 5 1 2 3 18
（七）总计 63 64 65 61 62 63 378
四、结转下年度继续办理 1 2 3 1 2 3 12
四 、 政 府 信 息 公 开 行 政 复 议 、
行 政 诉 讼 情 况
行政复议 行政诉讼
结果
维持
结果
纠正
其他
结果
尚未
审结
总计
未经复议直接起诉 复议后起诉
结果
维持
结果
纠正
其他
结果
尚未
审结
总计
结果
维持
结果
纠正
其他
结果
尚未
审结
总计
2 1 0 1 4 1 0 0 3 4 0 0 0 0 0
五 、 存 在 的 主 要 问 题 及 改 进
情 况
1. 存 在 问 题 ： 一 是 公 开 信 息 的
时 效 性 不 够 强 ； 二 是 主 动 公 开 政
六 、 其 他 需 要 报 告 的 事 项
无
"""


def test_a_pdf_viewer_copy_imports_every_number() -> None:
    result = parse_text(PDF_COPY)
    assert result.findings == []
    want = consistent(example())
    got = result.report
    assert (got.organ, got.year) == ("晋江市永和镇", 2021)
    assert got.table2 == want.table2
    for row in labels.TABLE3_ROWS:
        assert got.table3.row(row.id).cells == want.table3.row(row.id).cells, row.id
    assert got.table4.review.cells() == want.table4.review.cells()
    assert got.table4.direct_suit.cells() == want.table4.direct_suit.cells()
    assert got.table4.suit_after_review.cells() == want.table4.suit_after_review.cells()
    assert [f for f in check(got) if f.is_error] == []
    # 「五、存在的主要问题及改进」「情况」: the heading's second line is not the section's text.
    assert got.problems[0].startswith("1.")
    assert got.other_matters == ["无"]


def _table4_numbers(text: str, numbers: list[str]) -> str:
    """The stacked paste with its 表四 numbers (the last number lines before 五) replaced."""
    lines = text.split("\n")
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    at = [i for i in range(end) if re.fullmatch(r"\d+", lines[i])][-15:]
    return "\n".join([*lines[: at[0]], *numbers, *lines[at[-1] + 1 :]])


def test_table4_without_its_three_totals_needs_headings_that_have_none() -> None:
    text = one_cell_per_line(paste_of(consistent(example())))
    twelve = ["2", "1", "0", "1", "1", "0", "0", "3", "0", "0", "0", "0"]
    result = parse_text(_table4_numbers(text, twelve))  # the headings still name 总计
    assert [str(f.location) for f in result.findings if f.code == CELL_COUNT] == ["表四"]
    assert result.report.table4.review.cells() == (None,) * 4
    bare = re.sub(r"\n总计\n", "\n", _table4_numbers(text, twelve).split("四、政府信息公开")[1])
    head = _table4_numbers(text, twelve).split("四、政府信息公开")[0]
    result = parse_text(f"{head}四、政府信息公开{bare}")
    assert [f for f in result.findings if f.code == CELL_COUNT] == []
    assert result.report.table4.direct_suit.cells() == (1, 0, 0, 3)


def test_a_table2_row_without_numbers_reads_as_blank_cells() -> None:
    text = one_cell_per_line(paste_of(consistent(example())))
    lines = text.split("\n")
    at = lines.index(labels.TABLE2_ROW_LABELS["licensing"])
    del lines[at + 1]
    result = parse_text("\n".join(lines))
    assert [(f.code, str(f.location)) for f in result.findings] == [
        ("import/blank-cell", "表二/行政许可/本年处理决定数量")
    ]
    assert result.report.table2.licensing is None
