"""Building reports for tests: mutations of single cells and random consistent reports."""

from __future__ import annotations

from hypothesis import strategies as st

from xxgk import labels
from xxgk.model import ApplicantCounts, Report, ReviewOutcomes, Table3, Table4

N_COLUMNS = len(labels.TABLE3_COLUMNS)


def with_table3_cell(report: Report, row_id: str, column: int, delta: int) -> Report:
    """The report with one 表三 cell changed by ``delta``."""
    rows = dict(report.table3.rows)
    cells = list(rows[row_id].cells)
    value = cells[column]
    assert value is not None
    cells[column] = value + delta
    rows[row_id] = ApplicantCounts(cells=tuple(cells), stated_total=rows[row_id].stated_total)
    table = Table3(rows=rows, stated_results_total=report.table3.stated_results_total)
    return report.model_copy(update={"table3": table})


def with_stated_table4_totals(report: Report) -> Report:
    """The report with every 表四 总计 stated (as an import would carry it)."""
    blocks = {
        b.id: report.table4.block(b.id).model_copy(
            update={"stated_total": report.table4.block(b.id).total}
        )
        for b in labels.TABLE4_BLOCKS
    }
    return report.model_copy(update={"table4": Table4(**blocks)})


def with_table4_cell(report: Report, block_id: str, field: str, delta: int) -> Report:
    """The report with one 表四 outcome changed by ``delta``."""
    block = report.table4.block(block_id)
    changed = block.model_copy(update={field: getattr(block, field) + delta})
    table = report.table4.model_copy(update={block_id: changed})
    return report.model_copy(update={"table4": table})


@st.composite
def consistent_table3(draw: st.DrawFn, max_value: int = 500) -> Table3:
    """A random 表三 where 一 + 二 = 三（七）总计 + 四 holds in every column."""
    count = st.integers(0, max_value)
    rows: dict[str, ApplicantCounts] = {}
    for row in labels.TABLE3_RESULT_ROWS:
        rows[row.id] = ApplicantCounts(cells=tuple(draw(count) for _ in range(N_COLUMNS)))
    carried_out = tuple(draw(count) for _ in range(N_COLUMNS))
    new, carried_in = [], []
    for c in range(N_COLUMNS):
        need = sum(rows[r.id].cells[c] or 0 for r in labels.TABLE3_RESULT_ROWS) + carried_out[c]
        previous = draw(st.integers(0, need))
        carried_in.append(previous)
        new.append(need - previous)
    rows["new"] = ApplicantCounts(cells=tuple(new))
    rows["carried_in"] = ApplicantCounts(cells=tuple(carried_in))
    rows["carried_out"] = ApplicantCounts(cells=carried_out)
    return Table3(rows=rows)


@st.composite
def consistent_reports(draw: st.DrawFn) -> Report:
    """A random consistent report of the 2021 format."""
    count = st.integers(0, 50)
    table4 = Table4(
        **{
            b.id: ReviewOutcomes(
                upheld=draw(count), corrected=draw(count), other=draw(count), pending=draw(count)
            )
            for b in labels.TABLE4_BLOCKS
        }
    )
    return Report(
        organ=draw(st.text(min_size=1, max_size=20).filter(lambda s: s.strip() != "")),
        year=draw(st.integers(2021, 2025)),
        table3=draw(consistent_table3()),
        table4=table4,
        problems=["无"],
        other_matters=["本年度未收取信息处理费。"],
    )
