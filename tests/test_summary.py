"""sum_reports and refusals: the 汇总 of several organs, cell by cell, and what is refused."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports import consistent_reports
from xxgk import labels
from xxgk.checks import check
from xxgk.errors import Finding, Severity, XxgkError, error
from xxgk.inputs import dump_report, parse_report
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    Overview,
    Report,
    ReviewOutcomes,
    Table2,
    Table3,
    Table4,
)
from xxgk.summary import common_year, refusals, sum_reports

N = len(labels.TABLE3_COLUMNS)
ORGANS = ("甲县教育局", "甲县卫生健康局", "甲县自然资源局")


def organ_report(organ: str, seed: int) -> Report:
    """A consistent report with numbers drawn from ``seed``: 一 + 二 = 三（七）总计 + 四."""
    rng = random.Random(seed)
    rows = {r.id: ApplicantCounts(cells=tuple(rng.randint(0, 9) for _ in range(N)))
            for r in labels.TABLE3_RESULT_ROWS}
    rows["carried_out"] = ApplicantCounts(cells=tuple(rng.randint(0, 5) for _ in range(N)))
    need = [sum(rows[r.id].cells[c] for r in labels.TABLE3_RESULT_ROWS)
            + rows["carried_out"].cells[c] for c in range(N)]
    carried_in = [rng.randint(0, n) for n in need]
    rows["carried_in"] = ApplicantCounts(cells=tuple(carried_in))
    rows["new"] = ApplicantCounts(cells=tuple(n - i for n, i in zip(need, carried_in,
                                                                   strict=True)))
    def outcomes() -> ReviewOutcomes:
        return ReviewOutcomes(upheld=rng.randint(0, 4), corrected=rng.randint(0, 4),
                              other=rng.randint(0, 4), pending=rng.randint(0, 4))
    return Report(
        organ=organ,
        year=2021,
        overview=Overview(intro=[f"{organ}认真贯彻《条例》。"]),
        table2=Table2(
            regulations=DocumentCounts(issued=seed, repealed=0, in_force=seed + 1),
            normative_documents=DocumentCounts(issued=seed + 2, repealed=1, in_force=seed + 10),
            licensing=10 * seed, punishment=seed + 3, enforcement=seed,
            fees=Decimal(seed) / Decimal(10000) + Decimal("0.5"),
        ),
        table3=Table3(rows=rows),
        table4=Table4(review=outcomes(), direct_suit=outcomes(), suit_after_review=outcomes()),
        problems=["人员力量不足。"],
        other_matters=["本年度未收取信息处理费。"],
    )


def cells(report: Report) -> dict[tuple[str, ...], object]:
    """Every number of the three tables, computed totals included, by its place."""
    t2, t3, t4 = report.table2, report.table3, report.table4
    found: dict[tuple[str, ...], object] = {}
    for field in ("regulations", "normative_documents"):
        for column, value in zip(labels.TABLE2_DOCUMENT_FIELDS, getattr(t2, field).cells(),
                                 strict=True):
            found[("表二", field, column)] = value
    for field in ("licensing", "punishment", "enforcement", "fees"):
        found[("表二", field)] = getattr(t2, field)
    for row in labels.TABLE3_ROWS:
        for column, value in zip(labels.TABLE3_COLUMN_LABELS, t3.row(row.id).cells, strict=True):
            found[("表三", row.id, column)] = value
        found[("表三", row.id, labels.TABLE3_TOTAL)] = t3.row(row.id).total
    for column, value in zip(labels.TABLE3_COLUMN_LABELS, t3.results_total(), strict=True):
        found[("表三", labels.TABLE3_RESULTS_TOTAL, column)] = value
    found[("表三", labels.TABLE3_RESULTS_TOTAL, labels.TABLE3_TOTAL)] = t3.results_grand_total()
    for block in labels.TABLE4_BLOCKS:
        b = t4.block(block.id)
        for (key, _), value in zip(labels.TABLE4_OUTCOMES, b.cells(), strict=True):
            found[("表四", block.id, key)] = value
        found[("表四", block.id, labels.TABLE4_TOTAL)] = b.total
    return found


@pytest.fixture(scope="module")
def inputs() -> list[Report]:
    return [organ_report(organ, seed) for seed, organ in enumerate(ORGANS, start=1)]


@pytest.fixture(scope="module")
def total(inputs: list[Report]) -> Report:
    return sum_reports(inputs, organ="甲县", year=2021)


def test_inputs_are_consistent_and_different(inputs: list[Report]) -> None:
    for report in inputs:
        assert [f for f in check(report) if f.is_error] == []
    assert len({tuple(cells(r).values()) for r in inputs}) == 3


def test_every_cell_is_the_hand_sum(inputs: list[Report], total: Report) -> None:
    summed = cells(total)
    parts = [cells(r) for r in inputs]
    assert len(summed) == 6 + 4 + 25 * 7 + 15  # 表二, 表三 with （七）总计, 表四
    for place, value in summed.items():
        assert value == sum(p[place] for p in parts), place  # type: ignore[misc]


def test_some_cells_by_hand(inputs: list[Report], total: Report) -> None:
    # seeds 1, 2, 3: 行政许可 10 + 20 + 30; 规章 本年制发 1 + 2 + 3; fees 0.5001 + 0.5002 + 0.5003
    assert total.table2.licensing == 60
    assert total.table2.regulations.issued == 6
    assert total.table2.normative_documents.repealed == 3
    assert total.table2.fees == Decimal("1.5006")
    assert isinstance(total.table2.fees, Decimal)
    first = [r.table3.row("new").cells[0] for r in inputs]
    assert total.table3.row("new").cells[0] == sum(first)  # type: ignore[arg-type]


def test_text_of_the_total(total: Report) -> None:
    assert total.organ == "甲县"
    assert total.year == 2021
    assert total.format_version == labels.FORMAT_2021
    assert total.other_matters == []  # the organs are in the 明细表, not in 六
    assert total.problems == []
    assert total.display_title == "甲县2021年政府信息公开工作年度报告"
    assert [s.title for s in total.overview.subsections] == [
        f"{t}情况" for t in labels.OVERVIEW_SUBSECTIONS]
    assert total.overview.intro == ["本报告由本级 3 个机关的年度报告汇总而成，各机关的主要数字见附件明细表。"]
    applications = total.overview.subsections[1].paragraphs[0]
    assert applications.startswith(f"本年新收政府信息公开申请 {total.table3.row('new').total} 件，")
    assert f"本年办结 {total.table3.results_grand_total()} 件" in applications


def test_the_draft_text_agrees_with_the_tables(total: Report) -> None:
    # The numbers the draft writes out are those the text check compares with the tables.
    assert [f for f in check(total) if f.code == "text/contradicts-table"] == []


def test_total_passes_the_checks(total: Report) -> None:
    findings = check(total)
    assert [f for f in findings if f.is_error] == []


def test_total_round_trips_through_the_data_file(total: Report) -> None:
    text = dump_report(total, notes=list(ORGANS))
    for organ in ORGANS:
        assert f"# {organ}\n" in text
    back, findings = parse_report(text, "total.yaml")
    assert back == total
    assert [f for f in findings if f.is_error] == []


def test_stated_totals_are_not_carried(inputs: list[Report]) -> None:
    rows = dict(inputs[0].table3.rows)
    new = rows["new"]
    rows["new"] = ApplicantCounts(cells=new.cells, stated_total=999)
    stated = inputs[0].model_copy(update={"table3": Table3(rows=rows)})
    total = sum_reports([stated, *inputs[1:]], "甲县", 2021)
    assert total.table3.row("new").stated_total is None


def test_blank_cell_gives_a_blank_sum(inputs: list[Report]) -> None:
    rows = dict(inputs[0].table3.rows)
    rows["granted"] = ApplicantCounts(cells=(None, *rows["granted"].cells[1:]))
    blank = inputs[0].model_copy(update={
        "table3": Table3(rows=rows),
        "table2": inputs[0].table2.model_copy(update={"fees": None}),
        "table4": inputs[0].table4.model_copy(
            update={"review": inputs[0].table4.review.model_copy(update={"pending": None})}),
    })
    total = sum_reports([blank, *inputs[1:]], "甲县", 2021)
    assert total.table3.row("granted").cells[0] is None
    assert total.table3.row("granted").cells[1] is not None
    assert total.table2.fees is None
    assert total.table4.review.pending is None
    assert total.table4.review.upheld is not None


def test_one_report_sums_to_itself(inputs: list[Report]) -> None:
    total = sum_reports(inputs[:1], "甲县", 2021)
    assert cells(total) == cells(inputs[0])
    assert total.overview.intro[0].startswith("本报告由本级 1 个机关的年度报告汇总而成")


def test_no_inputs_is_an_error() -> None:
    with pytest.raises(XxgkError) as exc:
        sum_reports([], "甲县", 2021)
    assert exc.value.findings[0].code == "sum/no-inputs"


def test_year_before_2021_uses_the_2019_format(inputs: list[Report]) -> None:
    old = [r.model_copy(update={"year": 2020, "format_version": labels.FORMAT_2019})
           for r in inputs]
    assert sum_reports(old, "甲县", 2020).format_version == labels.FORMAT_2019


@settings(max_examples=25, deadline=None)
@given(reports=st.lists(consistent_reports(), min_size=1, max_size=4))
def test_sum_of_consistent_reports_is_consistent(reports: list[Report]) -> None:
    same_year = [r.model_copy(update={"year": 2022}) for r in reports]
    total = sum_reports(same_year, "汇总", 2022)
    assert [f for f in check(total) if f.is_error] == []


# ---------------------------------------------------------------- refusals


def _loaded(inputs: list[Report]) -> list[tuple[Path, Report, list[Finding]]]:
    return [(Path(f"{i}.yaml"), r, check(r)) for i, r in enumerate(inputs)]


def test_good_inputs_are_not_refused(inputs: list[Report]) -> None:
    assert refusals(_loaded(inputs), 2021) == []


def test_refusals_name_the_file_and_the_reason(inputs: list[Report]) -> None:
    broken = inputs[1]
    rows = dict(broken.table3.rows)
    first = rows["new"].cells
    rows["new"] = ApplicantCounts(cells=((first[0] or 0) + 1, *first[1:]))
    broken = broken.model_copy(update={"table3": Table3(rows=rows)})
    other_year = inputs[2].model_copy(update={"year": 2020})
    loaded = [
        (Path("good.yaml"), inputs[0], check(inputs[0])),
        (Path("broken.yaml"), broken, check(broken)),
        (Path("old.yaml"), other_year, check(other_year)),
    ]
    assert any(f.is_error for f in loaded[1][2])
    found = refusals(loaded, 2021)
    assert [(f.code, f.location.file) for f in found] == [
        ("sum/input-has-errors", "broken.yaml"),
        ("sum/other-year", "old.yaml"),
    ]
    assert all(f.severity is Severity.ERROR for f in found)
    errors = sum(1 for f in loaded[1][2] if f.is_error)
    assert found[0].message == f"有 {errors} 个错误，不能汇总；请先用 xxgk check 检查并改正"
    assert found[1].message == "年度为 2020，不是汇总的 2021 年度"
    assert str(found[1]) == "old.yaml: 错误 [sum/other-year] 年度为 2020，不是汇总的 2021 年度"


def test_loader_errors_count_too(inputs: list[Report]) -> None:
    loaded = [(Path("a.yaml"), inputs[0], [error("value/missing", ("表三",), "缺少数值")])]
    assert [f.code for f in refusals(loaded, 2021)] == ["sum/input-has-errors"]


@pytest.mark.parametrize("spelt", [
    "甲县教育局\u200b", "甲县\u00a0教育局", "甲县教育局\ufeff", "甲县教育局　", "甲县\u2060教育局",
])
def test_same_organ_behind_invisible_characters_is_refused(
    inputs: list[Report], spelt: str
) -> None:
    again = inputs[0].model_copy(update={"organ": spelt})
    found = refusals(_loaded([*inputs, again]), 2021)
    assert [(f.code, f.location.file) for f in found] == [("sum/duplicate-organ", "3.yaml")]


def test_same_organ_twice_is_refused(inputs: list[Report]) -> None:
    again = inputs[0].model_copy(update={"organ": f" {inputs[0].organ}"})
    loaded = _loaded([*inputs, again])
    found = refusals(loaded, 2021)
    assert [(f.code, f.location.file) for f in found] == [("sum/duplicate-organ", "3.yaml")]
    assert found[0].message == "机关「甲县教育局」已在 0.yaml 中，重复汇总会重复计数"


def test_wrong_format_for_the_year_is_refused(inputs: list[Report]) -> None:
    old_format = inputs[0].model_copy(update={"format_version": labels.FORMAT_2019})
    found = refusals([(Path("f.yaml"), old_format, [])], 2021)
    assert [f.code for f in found] == ["sum/other-format"]
    assert "国办公开办函〔2021〕30号" in found[0].message


def test_common_year(inputs: list[Report]) -> None:
    assert common_year(inputs) == 2021
    with pytest.raises(XxgkError) as exc:
        common_year([inputs[0], inputs[1].model_copy(update={"year": 2020})])
    assert exc.value.findings[0].message == "输入的报告年度不一致（2020、2021）；请用 --year 指定汇总年度"
