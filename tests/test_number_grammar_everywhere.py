"""One number grammar: the data file, the web form and the workbook read a typed count or fee with
the same functions (``inputs.numbers``) and say the same thing about it (issue 19 item 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.conftest import EXAMPLE
from tests.xlsx_support import rich_report, write_rendered
from xxgk import xlsx_layout as layout
from xxgk.errors import XxgkError
from xxgk.importers import import_source
from xxgk.inputs import parse_report
from xxgk.model import Report
from xxgk.web.form import form_to_report, report_to_form

EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
FIELDS = {  # data-file line, form key, 表二 cell
    "count": ("  行政许可: 0", "t2.licensing", "licensing"),
    "fee": ("  行政事业性收费: 0", "t2.fees", "fees"),
}
# What a clerk may type into a number cell: digits, signs, points, separators, exponents,
# full-width digits and the ideographic space.
typed_numbers = st.text(st.sampled_from("0123456789eE.,_+-１２\u3000"), min_size=1,
                        max_size=14).filter(str.strip)
Said = tuple[object, tuple[tuple[str, str, str], ...]]


def _said(value: object, findings: list) -> Said:  # type: ignore[type-arg]
    return value, tuple(sorted((f.code, f.severity.value, f.message) for f in findings))


def by_data_file(kind: str, typed: str) -> Said:
    line, _, field = FIELDS[kind]
    text = EXAMPLE_TEXT.replace(line, f'{line[:-1]}"{typed}"', 1)  # quoted: still the text typed
    try:
        report, notes = parse_report(text, "x.yaml")
    except XxgkError as exc:
        mine = [f for f in exc.findings if f.location.parts[-1] == line.strip()[:-3]]
        return _said(None, mine)
    mine = [f for f in notes if f.location.parts[-1] == line.strip()[:-3]]
    return _said(getattr(report.table2, field), mine)


def by_form(kind: str, typed: str, report: Report) -> Said:
    _, key, field = FIELDS[kind]
    form = report_to_form(report)
    form["fields"][key] = typed
    read, problems = form_to_report(form, 2000)
    return _said(getattr(read.table2, field), problems)


@pytest.fixture(scope="module")
def datafile_report() -> Report:
    return parse_report(EXAMPLE_TEXT, "x.yaml")[0]


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(FIELDS)), typed=typed_numbers)
@example(kind="count", typed="1e3")
@example(kind="fee", typed="0,5")
@example(kind="count", typed="1,5")
@example(kind="count", typed="1e999999999")
@example(kind="fee", typed="1e999999999")
@example(kind="count", typed="9" * 5000)
def test_the_form_says_what_the_data_file_says(
    datafile_report: Report, kind: str, typed: str
) -> None:
    assert typed.strip()  # a blank is a blank in both, and not a number
    assert by_form(kind, typed, datafile_report) == by_data_file(kind, typed)


def test_none_of_the_looser_readings_survive(datafile_report: Report) -> None:
    # What the form used to read silently: 1e3 → 1000, 0,5 → 5, 1,5 → 15.
    for kind, typed in [("count", "1e3"), ("fee", "0,5"), ("count", "1,5")]:
        value, said = by_form(kind, typed, datafile_report)
        assert value is None
        assert said
        assert all(code.startswith("input/") for code, _, _ in said)


def _cell_of(field: str) -> str:
    cell = next(c for c in layout.TABLE2_CELLS if c.field == field)
    return layout.cell_ref(cell.span.row, cell.span.col)


@pytest.fixture(scope="module")
def workbook_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return write_rendered(rich_report(), tmp_path_factory.mktemp("w") / "r.xlsx").read_bytes()


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(FIELDS)), typed=typed_numbers)
@example(kind="count", typed="1e3")
@example(kind="fee", typed="0,5")
@example(kind="fee", typed="1e999999999")
def test_a_number_typed_as_text_in_the_workbook_reads_as_in_the_data_file(
    tmp_path_factory: pytest.TempPathFactory, workbook_bytes: bytes, kind: str, typed: str
) -> None:
    _, _, field = FIELDS[kind]
    path = tmp_path_factory.mktemp("g") / "r.xlsx"
    path.write_bytes(workbook_bytes)
    wb = load_workbook(path)
    wb[layout.SHEET_TABLE2][_cell_of(field)] = typed  # stored as text, as a clerk's '1e3 is
    wb.save(path)
    result = import_source(path)
    value = getattr(result.report.table2, field)
    expected_value, said = by_data_file(kind, typed)
    errors = sorted((f.code, f.message) for f in result.findings if f.is_error)
    expected = [(code, message) for code, severity, message in said if severity == "error"]
    if expected:
        assert value is None
        assert errors == expected
    else:
        assert errors == []
        assert value == expected_value
        assert isinstance(value, int | Decimal)
