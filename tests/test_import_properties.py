"""Property tests of the text importer: any text gives a result or XxgkError; tables read back."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.import_support import example, paste, paste_of, tables
from tests.test_import_html import page
from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.importers import ImportResult
from xxgk.importers.docx import read_document
from xxgk.importers.html import parse_html
from xxgk.importers.txt import parse_text
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    Report,
    ReviewOutcomes,
    Table2,
    Table3,
    Table4,
)

EXAMPLE = example()
PASTE_LINES = paste().split("\n")
# Pieces real pages are made of, so that random text reaches deep into the importer.
VOCABULARY = [
    *PASTE_LINES,
    *(s.heading for s in labels.SECTIONS),
    *(r.label for r in labels.TABLE3_ROWS),
    *(g.label for g in labels.TABLE3_GROUPS),
    labels.TABLE3_RESULTS_TOTAL,
    labels.TABLE3_2019_OTHER_HANDLING,
    "\t",
    "  ",
    "0",
    "—",
    "〇",
    "１２",
    "三",
    "",
    "（一）",
    "(二) 标题：",
    "2022年1月20日",
    "规范性文件",
    "本年新制作数量",
]


def settle(text: str) -> ImportResult | None:
    """Import the text; None when it raised XxgkError (any other exception fails the test)."""
    error: XxgkError | None = None
    try:
        result = parse_text(text)
    except XxgkError as exc:
        error = exc
    if error is not None:
        assert error.findings, "XxgkError without a finding"
        return None
    assert isinstance(result, ImportResult)
    return result


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_text_gives_a_result_or_xxgk_error(text: str) -> None:
    settle(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=20)), max_size=60),
    st.sampled_from(["\n", "\t", "  ", "\r\n"]),
)
def test_report_like_text_gives_a_result_or_xxgk_error(pieces: list[str], joiner: str) -> None:
    settle("晋江市永和镇2021年政府信息公开工作年度报告\n" + joiner.join(pieces))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=PASTE_LINES.__len__()), max_size=8), st.data())
def test_paste_with_lines_damaged_gives_a_result_or_xxgk_error(at: list[int], data) -> None:  # type: ignore[no-untyped-def]
    lines = list(PASTE_LINES)
    for i in at:
        if i < len(lines):
            lines[i] = data.draw(st.text(max_size=30))
    settle("\n".join(lines))


counts = st.integers(min_value=0, max_value=10**6)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """The example with random numbers in every cell of the three tables."""

    def six() -> tuple[int, ...]:
        return tuple(draw(counts) for _ in range(6))

    rows = {r.id: ApplicantCounts(cells=six()) for r in labels.TABLE3_ROWS}  # type: ignore[arg-type]
    t4 = {
        b.id: ReviewOutcomes(
            upheld=draw(counts), corrected=draw(counts), other=draw(counts), pending=draw(counts)
        )
        for b in labels.TABLE4_BLOCKS
    }
    fee = draw(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False))
    t2 = Table2(
        regulations=DocumentCounts(
            issued=draw(counts), repealed=draw(counts), in_force=draw(counts)
        ),
        normative_documents=DocumentCounts(
            issued=draw(counts), repealed=draw(counts), in_force=draw(counts)
        ),
        licensing=draw(counts),
        punishment=draw(counts),
        enforcement=draw(counts),
        fees=Decimal(fee),
    )
    return EXAMPLE.model_copy(
        update={"table2": t2, "table3": Table3(rows=rows), "table4": Table4(**t4)}
    )


@settings(max_examples=60, deadline=None)
@given(reports())
def test_random_consistent_tables_read_back_exactly(report: Report) -> None:
    result = parse_text(paste_of(report))
    assert tables(result.report) == tables(report)
    assert result.findings == []
    t3 = result.report.table3
    assert all(
        t3.row(r.id).stated_total == report.table3.row(r.id).total for r in labels.TABLE3_ROWS
    )


@settings(max_examples=30, deadline=None)
@given(reports())
def test_random_tables_in_a_portal_page_read_back_exactly(report: Report) -> None:
    result = parse_html(page(report))
    assert tables(result.report) == tables(report)
    assert [f.code for f in result.findings] == ["import/published-from"]  # 「发布时间：…」


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_tables_in_our_word_output_read_back_exactly(report: Report) -> None:
    render = pytest.importorskip("xxgk.render.docx")
    result = read_document(docx.Document(io.BytesIO(render.render_docx(report))))
    assert tables(result.report) == tables(report)
    assert result.findings == []
