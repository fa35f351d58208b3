"""（六）其他处理 printed as one row (2021 format, sub-rows 1–3 not printed): a stated （六） total in
the model (``Table3.stated_other_handling``), carried by the data file under 其他处理 / 合计,
checked against the sub-rows where they are there and standing for them in the （七）总计 and 勾稽
checks where they are blank (issue 18 item 2)."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.import_support import example
from tests.layoutgen import html_out
from tests.layoutgen.styles import layout
from tests.layoutgen.truth import random_truth
from tests.reports import consistent_table3
from xxgk import labels, rules
from xxgk.api import check_source
from xxgk.checks import check
from xxgk.importers import import_source
from xxgk.inputs.datafile import load_bytes
from xxgk.inputs.dump import dump_report
from xxgk.model import ApplicantCounts, Report, Table3

REAL = Path(__file__).parent / "data" / "real"
SIX = [r.id for r in labels.TABLE3_RESULT_ROWS if r.group == labels.TABLE3_GROUPS[-1].label]
BLANK = ApplicantCounts(cells=(None,) * 6)
T3_RULES = ("t3/", "value/missing")


def _one_row(table3: Table3, stated_results: bool = True) -> Table3:
    """The table as a report printing （六） as one row prints it: sub-rows blank, the row's
    numbers and （七）总计 stated."""
    sums = tuple(sum(table3.row(r).cells[c] or 0 for r in SIX) for c in range(6))
    six = ApplicantCounts(cells=sums, stated_total=sum(sums))  # type: ignore[arg-type]
    total = table3.results_total()
    results = ApplicantCounts(cells=total, stated_total=table3.results_grand_total())  # type: ignore[arg-type]
    rows = {**table3.rows, **dict.fromkeys(SIX, BLANK)}
    return Table3(
        rows=rows,
        stated_other_handling=six,
        stated_results_total=results if stated_results else None,
    )


def _codes(report: Report) -> list[str]:
    """The 表三 rules the report breaks (the note that （六） is one row aside)."""
    note = "t3/other-handling-one-row"
    return [f.code for f in check(report) if f.code.startswith("t3/") and f.code != note]


@settings(max_examples=40, deadline=None)
@given(consistent_table3(), st.booleans())
def test_a_one_row_six_that_adds_up_gets_no_false_error(table3: Table3, stated: bool) -> None:
    report = example().model_copy(update={"table3": _one_row(table3, stated)})
    assert _codes(report) == []
    # the one row stands for its blank sub-rows in （七）总计 (renderers show that total)
    assert report.table3.results_total() == table3.results_total()


@settings(max_examples=40, deadline=None)
@given(consistent_table3(), st.integers(0, 5), st.integers(1, 9))
def test_a_one_row_six_that_does_not_add_up_gets_the_real_error(
    table3: Table3, column: int, delta: int
) -> None:
    one_row = _one_row(table3)
    six = one_row.stated_other_handling
    assert six is not None
    cells = list(six.cells)
    cells[column] = (cells[column] or 0) + delta  # （六） printed wrong, （七） as printed
    changed = ApplicantCounts(cells=tuple(cells), stated_total=six.stated_total)  # type: ignore[arg-type]
    report = example().model_copy(
        update={"table3": one_row.model_copy(update={"stated_other_handling": changed})}
    )
    codes = _codes(report)
    assert "t3/stated-results-total" in codes  # （七） against （一）–（五） + （六）
    assert "t3/stated-total" in codes  # the row's own 总计 against its six columns
    assert "t3/balance" in codes  # 一 + 二 = （七） + 四 with the （六） printed


def test_the_stated_six_is_checked_against_sub_rows_that_are_there() -> None:
    report = example()
    table3 = report.table3
    sums = [sum(table3.row(r).cells[c] or 0 for r in SIX) for c in range(6)]
    assert _codes(report) == []
    sums[2] += 1
    six = ApplicantCounts(cells=tuple(sums))  # type: ignore[arg-type]
    changed = report.model_copy(
        update={"table3": table3.model_copy(update={"stated_other_handling": six})}
    )
    findings = [f for f in check(changed) if f.code == "t3/stated-other-handling"]
    assert len(findings) == 1
    assert findings[0].location.parts[-1] == labels.TABLE3_COLUMN_LABELS[2]
    assert "1–3 分项之和" in findings[0].message
    assert rules.rule_name("t3/stated-other-handling") == "表三其他处理合计与分项之和不符"


def test_the_data_file_carries_the_stated_six_and_reads_it_back() -> None:
    report = example().model_copy(update={"table3": _one_row(example().table3)})
    text = dump_report(report)
    assert f"      {labels.TABLE3_OTHER_HANDLING_TOTAL_KEY}: [" in text
    again, findings = load_bytes(text.encode("utf-8"), "例.yaml")
    assert [f for f in findings if f.severity.value == "error"] == []
    assert again.table3 == report.table3
    # written only when known
    plain = dump_report(example())
    assert f"{labels.TABLE3_OTHER_HANDLING_TOTAL_KEY}:" not in plain
    assert load_bytes(plain.encode("utf-8"), "例.yaml")[0].table3.stated_other_handling is None


def test_the_real_wps_pdf_printing_six_as_one_row_carries_it_and_checks_clean() -> None:
    report = import_source(REAL / "hongze-2023.pdf").report
    six = report.table3.stated_other_handling
    assert six is not None
    assert (six.cells, six.stated_total) == ((0,) * 6, 0)
    assert report.table3.other_handling_as_one_row()
    findings = check(report)
    assert _codes(report) == []
    note = next(f for f in findings if f.code == "t3/other-handling-one-row")
    assert note.severity.value == "warning"
    assert "0、0、0、0、0、0、0" in note.message
    # the report's own errors stay: 表四's two wrong 总计
    assert sum(f.code == "t4/stated-total" for f in findings) == 2
    # and its data file keeps the row through a round trip
    again, _ = load_bytes(dump_report(report).encode("utf-8"), "洪泽.yaml")
    assert again.table3.stated_other_handling == six


def test_the_layout_generators_six_one_row_style_carries_the_stated_six(tmp_path: Path) -> None:
    rng = random.Random("six-one-row")
    truth = random_truth(rng)
    doc, choices = layout(truth, "six-one-row", rng)
    assert choices.six_one_row
    path = tmp_path / "report.html"
    path.write_bytes(html_out.render(doc, truth.organ))
    table3 = import_source(path).report.table3
    six = table3.stated_other_handling
    assert six is not None
    printed = truth.other_handling()
    # zero cells may be printed blank: what was read is what was printed
    read = (*six.cells, six.stated_total)
    assert all(got is None or got == want for got, want in zip(read, printed, strict=True))
    assert any(got is not None for got in read)
    assert _codes(Report(organ="某局", year=2024, table3=table3)) == []


def test_check_says_it_once_for_the_pdf_and_once_for_its_data_file(tmp_path: Path) -> None:
    # `xxgk check` of the PDF: the import's finding says it (and checks it against （七））;
    # of the data file made from it: the checks' note, on the 合计 line
    _, of_pdf = check_source(REAL / "hongze-2023.pdf")
    codes = [f.code for f in of_pdf]
    assert codes.count("import/single-other-handling") == 1
    assert "t3/other-handling-one-row" not in codes
    assert not [c for c in codes if c.startswith("t3/")]
    data = tmp_path / "洪泽区人民政府2023.yaml"
    data.write_text(dump_report(import_source(REAL / "hongze-2023.pdf").report), "utf-8")
    _, of_data = check_source(data)
    notes = [f for f in of_data if f.code == "t3/other-handling-one-row"]
    assert len(notes) == 1
    assert notes[0].location.line is not None
    line = data.read_text("utf-8").splitlines()[notes[0].location.line - 1]
    assert line.strip().startswith(f"{labels.TABLE3_OTHER_HANDLING_TOTAL_KEY}:")
    assert not [f for f in of_data if f.code.startswith("t3/") and f.severity.value == "error"]


def test_the_blank_sub_rows_are_said_by_the_one_row_finding_not_as_blanks() -> None:
    """hongze-2023.pdf prints （六） as one row: `check` of it (and of its data file) says so once,
    and does not also call its 18 unprinted sub-row cells the organ's blanks."""
    from pathlib import Path

    from xxgk.api import load_source
    from xxgk.audit.present import present
    from xxgk.checks import check

    pdf = Path(__file__).parent / "data" / "real" / "hongze-2023.pdf"
    report, findings = load_source(pdf)
    said = present([*findings, *check(report)], published=True)
    codes = [f.code for f in said.own]
    assert "import/single-other-handling" in codes
    assert not [f for f in said.own if f.code == "value/missing"], said.own
    # a blank elsewhere in 表三 is still the organ's blank
    rows = dict(report.table3.rows)
    rows["new"] = rows["new"].model_copy(update={"cells": (None, *rows["new"].cells[1:])})
    holed = report.model_copy(update={"table3": report.table3.model_copy(update={"rows": rows})})
    said = present([*findings, *check(holed)], published=True)
    assert [f.location.parts for f in said.own if f.code == "value/missing"] == [
        ("表三", "一、本年新收政府信息公开申请数量", "自然人")]
