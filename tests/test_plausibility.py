"""Plausibility warnings: each fires on its case, with the numbers, and never on the example."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.yearly import two_years
from xxgk.checks import check
from xxgk.checks.plausibility import check_plausibility, check_same_as_last_year
from xxgk.model import DocumentCounts, Report, ReviewOutcomes, Subsection


def _codes(report: Report) -> list[str]:
    return [f.code for f in check_plausibility(report)]


@pytest.fixture
def good() -> Report:
    return two_years()[2021][0]


def test_the_example_and_the_fixtures_raise_no_plausibility_warning(
    example_report: Report, good: Report
) -> None:
    assert [f for f in check(example_report) if f.code.startswith("plausibility/")] == []
    for reports in two_years().values():
        for report in reports:
            assert _codes(report) == []


def test_appeals_far_above_applications(example_report: Report) -> None:
    # The example received no application; three 复议 cases cannot have come from this year's.
    t4 = example_report.table4.model_copy(update={"review": ReviewOutcomes(upheld=3)})
    findings = check_plausibility(example_report.model_copy(update={"table4": t4}))
    assert [f.code for f in findings] == ["plausibility/appeals-above-applications"]
    assert findings[0].message.startswith("行政复议、行政诉讼共 3 件，远多于本年办理的申请 0 件")


def test_two_appeals_are_not_far_above(example_report: Report) -> None:
    t4 = example_report.table4.model_copy(update={"review": ReviewOutcomes(upheld=2)})
    assert _codes(example_report.model_copy(update={"table4": t4})) == []


def test_issued_above_stock(good: Report) -> None:
    t2 = good.table2.model_copy(update={
        "normative_documents": DocumentCounts(issued=5, repealed=1, in_force=3)})
    findings = check_plausibility(good.model_copy(update={"table2": t2}))
    assert [f.code for f in findings] == ["plausibility/issued-above-stock"]
    assert str(findings[0].location) == "表二/行政规范性文件/本年制发件数"
    assert findings[0].message.startswith("本年制发件数 5 件，多于现行有效件数 3 件 + 本年废止件数 1 件")


@pytest.mark.parametrize(("fee", "text", "fires"), [
    (Decimal("1.2"), "本机关本年度未收取任何费用。", True),
    (Decimal("1.2"), "本年度未收取信息处理费。", False),  # 信息处理费 is another fee
    (Decimal(0), "本年度收取不动产登记费用 3.5 万元。", True),
    (Decimal(0), "本年度未收取信息处理费。", False),
    (Decimal("1.2"), "本年度收取信息处理费 200 元。", False),
    (Decimal(0), "本年度共收取政府信息公开信息处理费 0 元。", False),
    (Decimal(0), "本年度收取复印费用 0 元。", False),
    (Decimal(0), "本年度无收费项目。", False),
])
def test_fee_against_text(good: Report, fee: Decimal, text: str, fires: bool) -> None:
    report = good.model_copy(update={
        "table2": good.table2.model_copy(update={"fees": fee}), "other_matters": [text]})
    assert ("plausibility/fee-against-text" in _codes(report)) is fires


def test_short_sections(good: Report) -> None:
    overview = good.overview.model_copy(update={"subsections": [
        *good.overview.subsections[:4], Subsection(title="监督保障", paragraphs=["无。"])]})
    report = good.model_copy(update={"overview": overview, "problems": ["暂无。"]})
    findings = [f for f in check_plausibility(report) if f.code == "plausibility/short-section"]
    assert [str(f.location) for f in findings] == [
        "一、总体情况/（五）监督保障", "五、存在的主要问题及改进情况"]
    assert findings[0].message.startswith("只有 2 个字（少于 10 个字）")


def test_same_numbers_as_last_year(good: Report) -> None:
    again = good.model_copy(update={"year": good.year + 1})
    findings = check_same_as_last_year(again, good)
    assert [f.code for f in findings] == ["plausibility/same-as-last-year"]
    assert "与 2021 年度报告完全相同" in findings[0].message
    assert check_same_as_last_year(two_years()[2022][0], good) == []


def test_all_zero_twice_is_not_a_copy(example_report: Report) -> None:
    assert check_same_as_last_year(example_report, example_report) == []
