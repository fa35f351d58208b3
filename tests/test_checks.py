"""The 勾稽 rules and the other checks, on real reports built in memory."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports import (
    consistent_reports,
    with_stated_table4_totals,
    with_table3_cell,
    with_table4_cell,
)
from xxgk import labels
from xxgk.checks import check
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    Report,
    Subsection,
    Table2,
    Table3,
)

TODAY = dt.date(2026, 11, 25)
CELLS = [(row, c) for row in labels.TABLE3_ROWS for c in range(len(labels.TABLE3_COLUMNS))]


def errors(report: Report, previous: Report | None = None) -> list:
    return [f for f in check(report, previous, TODAY) if f.is_error]


def test_example_has_no_errors(example_report: Report) -> None:
    assert errors(example_report) == []


def test_there_are_144_entered_cells() -> None:
    assert len(CELLS) == 144


@pytest.mark.parametrize(("row", "column"), CELLS, ids=[f"{r.id}-{c}" for r, c in CELLS])
@pytest.mark.parametrize("delta", [1, -1])
def test_each_table3_cell_change_is_an_error_in_its_column(
    example_report: Report, row: labels.Table3Row, column: int, delta: int
) -> None:
    # The example's cells are 0: lift the whole row first so -1 stays a valid count.
    base = example_report
    if delta < 0:
        base = _balanced_with_ones(example_report)
    found = errors(with_table3_cell(base, row.id, column, delta))
    label = labels.TABLE3_COLUMNS[column].label
    assert found, f"no error after changing {row.label}/{label}"
    assert any(f.code == "t3/balance" and f.location.parts == ("表三", label) for f in found)
    assert all(label in f.location.parts for f in found)


def _balanced_with_ones(report: Report) -> Report:
    """Every 表三 cell 1 and 一 adjusted so the table still balances."""
    ones = (1,) * len(labels.TABLE3_COLUMNS)
    rows = {r.id: ApplicantCounts(cells=ones) for r in labels.TABLE3_ROWS}
    need = len(labels.TABLE3_RESULT_ROWS) + 1 - 1  # results + 四 − 二
    rows["new"] = ApplicantCounts(cells=(need,) * len(labels.TABLE3_COLUMNS))
    balanced = report.model_copy(update={"table3": Table3(rows=rows)})
    assert errors(balanced) == []
    return balanced


TABLE4_CELLS = [(b, f) for b in labels.TABLE4_BLOCKS for f, _ in labels.TABLE4_OUTCOMES]


@pytest.mark.parametrize(
    ("block", "field"), TABLE4_CELLS, ids=[f"{b.id}-{f}" for b, f in TABLE4_CELLS]
)
def test_each_table4_cell_against_a_stated_total(
    example_report: Report, block: labels.Table4Block, field: str
) -> None:
    stated = with_stated_table4_totals(example_report)
    assert errors(stated) == []
    found = errors(with_table4_cell(stated, block.id, field, 1))
    assert [f.code for f in found] == ["t4/stated-total"]
    assert found[0].location.parts == ("表四", *block.path, "总计")
    assert "相差 -1" in found[0].message


@given(consistent_reports())
@settings(max_examples=150, deadline=None)
def test_consistent_reports_have_no_errors(report: Report) -> None:
    assert errors(report) == []


@given(consistent_reports(), st.sampled_from(CELLS), st.sampled_from([1, 2, 7]))
@settings(max_examples=150, deadline=None)
def test_any_table3_perturbation_is_an_error(
    report: Report, cell: tuple[labels.Table3Row, int], delta: int
) -> None:
    row, column = cell
    found = errors(with_table3_cell(report, row.id, column, delta))
    assert any(
        f.code == "t3/balance" and labels.TABLE3_COLUMNS[column].label in f.location.parts
        for f in found
    )


def test_stated_row_total_differing_is_an_error(example_report: Report) -> None:
    rows = dict(example_report.table3.rows)
    rows["new"] = ApplicantCounts(cells=(0,) * 6, stated_total=2)
    report = example_report.model_copy(update={"table3": Table3(rows=rows)})
    found = errors(report)
    row_total = [f for f in found if f.code == "t3/stated-total"]
    assert row_total[0].location.parts == ("表三", labels.TABLE3_NEW, "总计")
    # the stated 总计 also breaks the 总计 column's balance
    assert any(f.code == "t3/balance" and f.location.parts == ("表三", "总计") for f in found)


def test_stated_results_total_differing_is_an_error(example_report: Report) -> None:
    table = Table3(
        rows=example_report.table3.rows,
        stated_results_total=ApplicantCounts(cells=(0, 1, 0, 0, 0, 0), stated_total=1),
    )
    found = errors(example_report.model_copy(update={"table3": table}))
    places = {f.location.parts for f in found if f.code == "t3/stated-results-total"}
    assert places == {
        ("表三", labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL, "商业企业"),
        ("表三", labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL, "总计"),
    }


def test_blank_cell_is_missing_not_zero(example_report: Report) -> None:
    rows = dict(example_report.table3.rows)
    rows["granted"] = ApplicantCounts(cells=(None, 0, 0, 0, 0, 0))
    found = errors(example_report.model_copy(update={"table3": Table3(rows=rows)}))
    assert [(f.code, str(f.location)) for f in found] == [
        ("value/missing", "表三/三、本年度办理结果/（一）予以公开/自然人")
    ]


def test_negative_count_and_bad_fee(example_report: Report) -> None:
    table2 = Table2(regulations=DocumentCounts(issued=-1), fees=Decimal("1.2345678"))
    found = errors(example_report.model_copy(update={"table2": table2}))
    assert {(f.code, str(f.location)) for f in found} == {
        ("value/negative", "表二/规章/本年制发件数"),
        ("value/bad-fee", "表二/行政事业性收费"),
    }


def test_carry_over_mismatch_per_column(example_report: Report) -> None:
    last_rows = dict(example_report.table3.rows)
    last_rows["carried_out"] = ApplicantCounts(cells=(2, 0, 1, 0, 0, 0))
    last_rows["new"] = ApplicantCounts(cells=(2, 0, 1, 0, 0, 0))
    last = example_report.model_copy(update={"year": 2020, "table3": Table3(rows=last_rows)})
    found = errors(example_report, last)
    assert [str(f.location) for f in found] == [
        "表三/二、上年结转政府信息公开申请数量/自然人",
        "表三/二、上年结转政府信息公开申请数量/科研机构",
    ]
    assert "上年结转为 0，但 2020 年度报告的“四、结转下年度继续办理”为 2" in found[0].message


def test_carry_over_holds(example_report: Report) -> None:
    last = example_report.model_copy(update={"year": 2020})
    assert errors(example_report, last) == []


def test_stock_drift_is_a_warning(example_report: Report) -> None:
    last = example_report.model_copy(
        update={"year": 2020, "table2": Table2(regulations=DocumentCounts(in_force=5))}
    )
    found = check(example_report, last, TODAY)
    drift = [f for f in found if f.code == "carryover/in-force-drift"]
    assert len(drift) == 1
    assert not drift[0].is_error
    assert "应为 5" in drift[0].message


def _with_paragraph(report: Report, text: str) -> Report:
    subs = list(report.overview.subsections)
    subs[1] = Subsection(title=subs[1].title, paragraphs=[text])
    return report.model_copy(
        update={"overview": report.overview.model_copy(update={"subsections": subs})}
    )


@pytest.mark.parametrize(
    ("text", "contradicts"),
    [
        ("2021 年度受理申请的数量 0 条。", False),
        ("2021 年度受理申请的数量 3 条。", True),
        ("全年共收到政府信息公开申请５件。", True),
        ("本年度共收到政府信息公开申请三件。", True),
        ("本年度行政复议 1 件。", True),
        ("全年无行政复议。", False),
        ("上年结转申请2件。", True),
    ],
)
def test_numbers_in_text_against_tables(
    example_report: Report, text: str, contradicts: bool
) -> None:
    found = [
        f
        for f in check(_with_paragraph(example_report, text), None, TODAY)
        if f.code == "text/contradicts-table"
    ]
    assert bool(found) is contradicts
    if contradicts:
        assert found[0].location.parts == ("一、总体情况", "（二）依申请公开情况")
        assert not found[0].is_error


def test_fee_not_reported_warns_and_names_fee_notices(example_report: Report) -> None:
    rows = dict(example_report.table3.rows)
    rows["other_handling.fee_unpaid"] = ApplicantCounts(cells=(1, 0, 0, 0, 0, 0))
    rows["new"] = ApplicantCounts(cells=(1, 0, 0, 0, 0, 0))
    report = example_report.model_copy(update={"table3": Table3(rows=rows)})
    fee = [f for f in check(report, None, TODAY) if f.code == "text/fee-not-reported"]
    assert "（六）2 有 1 件" in fee[0].message
    reported = report.model_copy(update={"other_matters": ["本年度未收取信息处理费。"]})
    assert not [f for f in check(reported, None, TODAY) if f.code == "text/fee-not-reported"]


def test_empty_sections_warn(example_report: Report) -> None:
    report = example_report.model_copy(update={"problems": [], "other_matters": []})
    places = {str(f.location) for f in check(report, None, TODAY) if f.code == "text/empty-section"}
    assert places == {"五、存在的主要问题及改进情况", "六、其他需要报告的事项"}


@pytest.mark.parametrize(
    ("year", "fmt", "code"),
    [
        (2027, "2021", "meta/future-year"),
        (2020, "2021", "meta/format-year"),
        (2022, "2019", "meta/format-year"),
    ],
)
def test_year_warnings(example_report: Report, year: int, fmt: str, code: str) -> None:
    report = example_report.model_copy(update={"year": year, "format_version": fmt})
    found = [f for f in check(report, None, TODAY) if f.code == code]
    assert len(found) == 1
    assert not found[0].is_error


def test_copied_text_warns(example_report: Report) -> None:
    last = example_report.model_copy(update={"year": 2020})
    codes = [f.code for f in check(example_report, last, TODAY)]
    assert codes.count("text/copied-from-last-year") == 1
