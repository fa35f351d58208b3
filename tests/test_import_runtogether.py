"""Crawler text with every table cell run together: cut only where the 勾稽 relations allow one way."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.import_support import example
from xxgk import labels
from xxgk.importers.findings import Collector
from xxgk.importers.rows import text_row
from xxgk.importers.runtogether import TABLE3_SECTION, cuts, expand, summed_cuts
from xxgk.importers.txt import parse_text
from xxgk.model import ApplicantCounts, Report, Table3

_LABELS = {r.id: r.label for r in labels.TABLE3_ROWS}


def test_the_issue_example_has_one_cut() -> None:
    # 「…申请数量713000074」 for 71, 3, 0, 0, 0, 0 and the 总计 74.
    assert summed_cuts("713000074", 7) == [(71, 3, 0, 0, 0, 0, 74)]


def test_cuts_never_start_a_number_with_zero() -> None:
    assert (1, 0, 2) not in cuts("1002", 3)  # 「1」「00」「2」 would need a number 「00」
    assert list(cuts("1002", 3)) == [(10, 0, 2)]


def test_an_ambiguous_row_stays_blank_and_names_the_candidates() -> None:
    # 1,1,0,0,0,10 and 1,10,0,0,1,0 and 11,0,0,0,1,0 all add up to 12.
    assert sorted(summed_cuts("110001012", 7)) == [
        (1, 1, 0, 0, 0, 10, 12),
        (1, 10, 0, 0, 1, 0, 12),
        (11, 0, 0, 0, 1, 0, 12),
    ]
    out = Collector()
    result = expand(TABLE3_SECTION, [text_row("四、结转下年度继续办理110001012")], out)
    assert result[0].values_dropped
    assert result[0].cells[1:] == ("",) * 7
    (finding,) = out.findings
    assert finding.code == "import/run-together"
    assert finding.is_error
    assert "11、0、0、0、1、0、12" in finding.message
    assert "共 3 种" in finding.message


def test_the_column_relations_settle_rows_their_own_totals_cannot() -> None:
    # 一 and 四 are each ambiguous alone; 一 + 二 = （七）总计 + 四 in every column leaves one pair.
    new, carried_out = "14213121547", "11111011236"  # 4 and 13 cuts on their own
    assert len(summed_cuts(new, 7)) == 4
    assert len(summed_cuts(carried_out, 7)) == 13
    rows = [
        text_row("一、本年新收政府信息公开申请数量" + new),
        text_row("二、上年结转政府信息公开申请数量0000000"),
        text_row("（七）总计31211311"),
        text_row("四、结转下年度继续办理" + carried_out),
    ]
    result = expand(TABLE3_SECTION, rows, Collector())
    assert result[0].cells[1:] == ("14", "2", "13", "1", "2", "15", "47")
    assert result[3].cells[1:] == ("11", "1", "11", "0", "1", "12", "36")


def _crawled(report: Report) -> str:
    """A crawler's text of a report: each 表三 row's label and numbers with nothing between."""
    lines = [f"{report.organ}{report.year}年政府信息公开工作年度报告", "一、总体情况", "概述。"]
    lines.append("三、收到和处理政府信息公开申请情况")
    t3 = report.table3
    for row in labels.TABLE3_ROWS:
        if row.id == "carried_out":
            total = t3.results_total()
            lines.append("（七）总计" + "".join(str(n) for n in (*total, sum(total))))  # type: ignore[arg-type]
        counts = t3.row(row.id)
        lines.append(_LABELS[row.id] + "".join(str(n) for n in (*counts.cells, counts.total)))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


@st.composite
def _small_table3(draw: st.DrawFn) -> Table3:
    cell = st.integers(min_value=0, max_value=60)
    rows = {
        r.id: ApplicantCounts(cells=tuple(draw(cell) for _ in range(6))) for r in labels.TABLE3_ROWS
    }  # type: ignore[misc]
    return Table3(rows=rows)


@settings(max_examples=20, deadline=None)
@given(_small_table3())
def test_a_run_together_cell_is_either_right_or_blank(table3: Table3) -> None:
    report = example().model_copy(update={"table3": table3})
    imported = parse_text(_crawled(report)).report.table3
    for row in labels.TABLE3_ROWS:
        got, want = imported.row(row.id).cells, table3.row(row.id).cells
        for g, w in zip(got, want, strict=True):
            assert g is None or g == w, (row.id, got, want)


def test_rows_that_break_a_column_relation_are_left_blank_unless_one_digit_per_cell() -> None:
    # Each row has one cut of its own, but 一 + 二 ≠ （七）总计 + 四: a cut or the report is wrong.
    # 「120000012」 could hide another cut its own total allows; 「0000000」 is one digit per cell and
    # needs no relation: it is kept as printed (the report's arithmetic error is check's to say).
    assert summed_cuts("120000012", 7) == [(12, 0, 0, 0, 0, 0, 12)]
    rows = [
        text_row("一、本年新收政府信息公开申请数量120000012"),
        text_row("二、上年结转政府信息公开申请数量0000000"),
        text_row("（七）总计100000010"),
        text_row("四、结转下年度继续办理0000000"),
    ]
    out = Collector()
    result = expand(TABLE3_SECTION, rows, out)
    assert [r.values_dropped for r in result] == [True, False, True, False]
    assert result[1].cells[1:] == ("0",) * 7
    assert len(out.findings) == 2
    assert "计算错误" in out.findings[0].message


def test_one_digit_per_cell_is_kept_when_the_report_does_not_add_up() -> None:
    rows = [
        text_row("一、本年新收政府信息公开申请数量2000002"),
        text_row("二、上年结转政府信息公开申请数量0000000"),
        text_row("（七）总计1000001"),
        text_row("四、结转下年度继续办理0000000"),
    ]
    out = Collector()
    result = expand(TABLE3_SECTION, rows, out)
    assert not any(r.values_dropped for r in result)
    assert result[0].cells[1:] == ("2", "0", "0", "0", "0", "0", "2")
    assert out.findings == []


def test_numbers_a_space_apart_are_never_cut_by_guess() -> None:
    """「规章 7 24」 (pdftotext -raw of a table whose first cell is blank): 24 may be one number
    or 2 and 4, so the row is blank with a finding, never 7 / 2 / 4. 「00」 must be 0 and 0."""
    from xxgk.importers.runtogether import _Run, _spaced_cut_is_forced

    spaced = _Run("规章", "724", frozenset({1}), "7 24", apart=True)
    assert not _spaced_cut_is_forced(spaced, (7, 2, 4))
    zeros = _Run("数量", "0000000", frozenset({1, 2, 3, 4, 5}), "0 0 0 0 0 00", apart=False)
    assert _spaced_cut_is_forced(zeros, (0, 0, 0, 0, 0, 0, 0))


def test_spaced_numbers_that_add_up_whole_are_never_cut() -> None:
    """「8.属于行政查询事项 30974 60180 91154」 (pdftotext -raw: the four blank cells left no
    trace): 30974 + 60180 = 91154 already, so the row reads as printed with blanks left out just
    as well as cut 30、974、60、1、80、9 | 1154 (which adds up too). Found by the layout
    generator, seed 7, r0060-split: the cut was imported, 7 wrong numbers."""
    assert (30, 974, 60, 1, 80, 9, 1154) in summed_cuts("309746018091154", 7,
                                                         frozenset({5, 10}))
    out = Collector()
    result = expand(TABLE3_SECTION, [text_row("8.属于行政查询事项 30974 60180 91154")], out)
    assert result[0].values_dropped
    assert result[0].cells[1:] == ("",) * 7
    (finding,) = out.findings
    assert finding.code == "import/run-together"
    assert "空白单元格" in finding.message


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 99_999), min_size=1, max_size=5))
def test_a_spaced_row_whose_pieces_add_up_is_never_cut(cells: list[int]) -> None:
    """Any row printed as a few whole numbers and their total, blanks left out, stays blank."""
    pieces = [*cells, sum(cells)]
    out = Collector()
    row = text_row("1.属于国家秘密 " + " ".join(map(str, pieces)))
    result = expand(TABLE3_SECTION, [row], out)
    got = [c for c in result[0].cells[1:] if c]
    # either left for the ordinary readers as printed (no cut), or blank: never other numbers
    assert got in ([], [str(p) for p in pieces]) or result[0] is row
