"""The 明细表 companion file: written by sum, read back strictly, checked against the 汇总."""

from __future__ import annotations

import pytest

from tests.yearly import two_years
from xxgk.breakdown import (
    Breakdown,
    breakdown_csv,
    breakdown_of,
    breakdown_path,
    check_breakdown,
    parse_breakdown,
)
from xxgk.errors import XxgkError
from xxgk.model import Report
from xxgk.summary import sum_reports


@pytest.fixture
def summed() -> tuple[Breakdown, Report]:
    reports = two_years()[2021]
    total = sum_reports(reports, "甲县", 2021)
    return breakdown_of([(f"{i}.yaml", r) for i, r in enumerate(reports)], total), total


def test_round_trip_and_totals_hold(summed: tuple[Breakdown, Report]) -> None:
    breakdown, total = summed
    text = breakdown_csv(breakdown).decode("utf-8")
    assert text.startswith("\ufeff机关名称,数据文件,")
    assert text.endswith("\r\n")
    back = parse_breakdown(text, "x.明细.csv")
    assert back == breakdown
    assert check_breakdown(back, total, "x.明细.csv") == []


def test_companion_path() -> None:
    from pathlib import Path

    assert breakdown_path(Path("out/甲县2021.yaml")) == Path("out/甲县2021.明细.csv")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("机关名称", "单位", 1), "第一行应为明细表的列名"),
    (lambda t: t.rsplit("合计", 1)[0], "最后一行应为「合计」行"),
    (lambda t: t.replace("甲县教育局,0.yaml,0", "甲县教育局,0.yaml,三", 1), "「规章制发」应为非负数，实际为「三」"),
    (lambda t: t.replace("甲县教育局,0.yaml,0,", "甲县教育局,0.yaml,", 1), "应有 24 列，实际 23 列"),
])
def test_hand_edits_are_refused_with_the_line(
    summed: tuple[Breakdown, Report], edit: object, message: str
) -> None:
    breakdown, _ = summed
    text = edit(breakdown_csv(breakdown).decode("utf-8"))  # type: ignore[operator]
    with pytest.raises(XxgkError) as exc:
        parse_breakdown(text, "x.明细.csv")
    finding = exc.value.findings[0]
    assert finding.code == "sum/breakdown-unreadable"
    assert message in finding.message
    assert finding.location.file == "x.明细.csv"
    assert finding.location.line is not None


def test_a_changed_organ_row_breaks_the_total(summed: tuple[Breakdown, Report]) -> None:
    breakdown, total = summed
    text = breakdown_csv(breakdown).decode("utf-8").replace("甲县教育局,0.yaml,0,", "甲县教育局,0.yaml,5,", 1)
    found = check_breakdown(parse_breakdown(text, "x"), total, "x")
    assert [(f.code, str(f.location)) for f in found] == [("sum/breakdown-mismatch", "明细表/规章制发")]
    assert found[0].message.startswith("合计为 0，各机关之和为 5，汇总数据为 0")


def test_appendix_in_a_document_without_our_styles(summed: tuple[Breakdown, Report]) -> None:
    # A user's own template has none of the report styles: the appendix still goes in.
    import io

    from docx import Document

    from xxgk.render.breakdown import add_breakdown_docx

    breakdown, _ = summed
    plain = io.BytesIO()
    Document().save(plain)
    document = Document(io.BytesIO(add_breakdown_docx(plain.getvalue(), breakdown)))
    assert [p.text for p in document.paragraphs][-2:] == ["附件", "各机关主要数字明细表"]
    assert [r.cells[0].text for r in document.tables[-1].rows][-1] == "合计"


def test_organ_names_never_become_formulas_in_excel(summed: tuple[Breakdown, Report]) -> None:
    from dataclasses import replace

    breakdown, _ = summed
    hostile = replace(breakdown, rows=[replace(breakdown.rows[0], organ='=HYPERLINK("x")'),
                                       *breakdown.rows[1:]])
    text = breakdown_csv(hostile).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("\"'=HYPERLINK(\"\"x\"\")\"")
    assert parse_breakdown(text, "x") == hostile
