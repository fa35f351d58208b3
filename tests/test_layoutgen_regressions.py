"""Wrong numbers the layout generator found in the importers, each kept as a regression test on
the generated document that showed it (tests/layoutgen/)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from tests.layoutgen import html_out
from tests.layoutgen.score import report_cells
from tests.layoutgen.styles import layout
from tests.layoutgen.truth import random_truth
from xxgk.errors import XxgkError
from xxgk.importers import import_source

SUB_ROWS = ("no_correction", "fee_unpaid", "other")


def _page(tmp_path: Path, style: str, seed: str) -> tuple[Path, dict[str, object]]:
    rng = random.Random(seed)
    truth = random_truth(rng)
    doc, choices = layout(truth, style, rng)
    path = tmp_path / "report.html"
    path.write_bytes(html_out.render(doc, truth.organ))
    return path, truth.cells(choices.six_one_row, choices.fee_digits)


def test_a_2021_report_printing_other_handling_as_one_row_leaves_its_sub_rows_blank(
    tmp_path: Path,
) -> None:
    # Was: the 2019 mapping put the whole row under 3.其他 and 0 under 1. and 2., and called
    # the report 2019 although its 表二 is the 2021 one.
    path, truth = _page(tmp_path, "six-one-row", "six-one-row")
    result = import_source(path)
    assert result.report.format_version == "2021"
    table = result.report.table3
    for row in SUB_ROWS:
        assert table.row(f"other_handling.{row}").cells == (None,) * 6
    finding = next(f for f in result.findings if f.code == "import/single-other-handling")
    assert "（六）其他处理" in str(finding.location)
    got = report_cells(result.report)
    wrong = [k for k, v in got.items() if v is not None and truth.get(k) != v]
    assert wrong == []


@pytest.mark.parametrize("seed", ["a", "b", "c"])
def test_the_usual_layout_still_imports_other_handling_row_by_row(
    tmp_path: Path, seed: str
) -> None:
    path, truth = _page(tmp_path, "vertical", seed)
    table = import_source(path).report.table3
    for row in SUB_ROWS:
        cells = table.row(f"other_handling.{row}").cells
        assert cells == tuple(truth[f"t3.other_handling.{row}.{i}"] for i in range(6))


# ---------------------------------------------------------------- PDFs made by LibreOffice

# (name, style, seed of tests/test_layoutgen.py's batch) of the reports that showed each cause
PDF_CASES = {
    # WPS paints a fill behind every line: the fills' edges were taken for ruling lines, and the
    # page's numbers were read into a "table" of other rows (67 cells wrong)
    "fills": ("wps", "2026-0"),
    # a row broken by the page break: 「4958」 on one page, 「0」 on the next, read as 4958
    "row-split": ("narrow", "2026-71"),
    # … and when the next page's table found other columns, the two parts cannot be joined
    "row-split-unaligned": ("six-one-row", "2026-23"),
    # headings printed a character a line (「总」「计」): no 总计 heading was found, so a row of six
    # numbers (one cell blank) was read as six columns without a total, every number shifted
    "headings-vertical": ("narrow", "2026-1"),
    # pdftotext -raw: the width of 表三's rows was the count most rows have, and with many blank
    # cells six won: rows with a blank were read shifted
    "raw-width": ("wps", "2026-21"),
    # … a misprinted label (「5.属于三类内部事物信息」) with six numbers escaped the count check
    "raw-misprint": ("typos", "2026-54"),
    # … numbers wrapped in narrow cells came a piece a line (「3629」「9」 of 36299)
    "raw-wrapped": ("six-one-row", "2026-2"),
    # … a misprinted 表二 label after a row with a blank cell was taken as that row's value
    "raw-table2-misprint": ("unruled", "2026-48"),
    # pdftotext's default mode: a piece of a heading (「业」) amid the numbers was taken as a
    # mark in a number's place, making a row of seven out of the next rows' numbers
    "default-heading-piece": ("wps", "2026-70"),
    # … the labels printed first: the numbers right after the last label were taken as its own
    "default-labels-first": ("vertical", "2026-73"),
    # a row broken by the page break whose group cell goes on too (「（三）」 / 「不予公开」): was
    # not joined, 99637 read as 996
    "row-split-group-cell": ("narrow", "7-8"),
    # a PDF without rulings read as laid-out text: the end of a wrapped number (「7」 of 169097)
    # stood on the next page, past blank lines
    "unruled-wrapped": ("unruled", "7-69"),
    # pdftotext -layout: a line of numbers alone was given no label by the one-cell regrouper
    # and so hidden from the check for numbers beside a row (244148 read 24414)
    "layout-numbers-alone": ("unruled", "11-41"),
    # pdftotext's default mode: a heading (「其他」) amid 四's numbers, the next rows' after it
    "default-heading-amid-row": ("split", "11-53"),
    # … 表四's headings amid its numbers, counted as cells
    "default-table4-headings": ("typos", "11-54"),
    # … 表二's labels printed first: 「行政事业性收费」 took the 5 after it
    "default-table2-labels-first": ("unruled", "11-13"),
}


@pytest.fixture(scope="module")
def pdf_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, object]]]:
    from tests.layoutgen import docx_out
    from tests.layoutgen.batch import to_pdf, tools_available

    if not tools_available():
        pytest.skip("LibreOffice or pdftotext is not installed")
    folder = tmp_path_factory.mktemp("layoutgen-pdf")
    made = {}
    for name, (style, seed) in PDF_CASES.items():
        rng = random.Random(seed)
        truth = random_truth(rng)
        doc, choices = layout(truth, style, rng)
        path = folder / f"{name}.docx"
        path.write_bytes(docx_out.render(doc))
        made[name] = (folder / f"{name}.pdf", truth.cells(choices.six_one_row, choices.fee_digits))
    to_pdf([folder / f"{name}.docx" for name in PDF_CASES], folder)
    for name in PDF_CASES:
        pdf = folder / f"{name}.pdf"
        subprocess.run(["pdftotext", "-layout", str(pdf), str(pdf.with_suffix(".txt"))],
                       check=True, timeout=60)
        for mode, suffix in (("-raw", ".raw.txt"), (None, ".default.txt")):
            options = [mode] if mode else []
            subprocess.run(["pdftotext", *options, str(pdf), str(pdf.with_suffix(suffix))],
                           check=True, timeout=60)
    return made


def _wrong(path: Path, truth: dict[str, object]) -> list[str]:
    try:
        result = import_source(path)
    except XxgkError:
        return []  # refused (a title not found): no number at all, so none wrong
    got = report_cells(result.report)
    return [f"{k}: {truth.get(k)} → {v}" for k, v in got.items()
            if v is not None and truth.get(k) != v]


@pytest.mark.parametrize("case", list(PDF_CASES))
@pytest.mark.parametrize("form", [".pdf", ".txt", ".raw.txt", ".default.txt"])
def test_generated_pdfs_that_once_imported_wrong_numbers(
    pdf_cases: dict[str, tuple[Path, dict[str, object]]], case: str, form: str
) -> None:
    # .txt / .raw.txt / .default.txt: pdftotext -layout / -raw / default mode of the PDF, where a number wrapped in its narrow cell or cut by
    # the page break stands on a line of its own beside its row (「…禁止公 0 4958」/「开 0 1 1」)
    path, truth = pdf_cases[case]
    assert _wrong(path.with_suffix(form), truth) == []


def test_fills_behind_text_are_not_ruling_lines(
    pdf_cases: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    path, truth = pdf_cases["fills"]
    got = report_cells(import_source(path).report)
    exact = sum(1 for k, v in truth.items() if v is not None and got.get(k) == v)
    assert exact >= 0.95 * sum(1 for v in truth.values() if v is not None)


def test_a_row_broken_by_a_page_break_is_joined(
    pdf_cases: dict[str, tuple[Path, dict[str, object]]],
) -> None:
    path, truth = pdf_cases["row-split"]
    table = import_source(path).report.table3
    row = table.row("refused.prohibited_by_law")
    assert row.cells == tuple(truth[f"t3.refused.prohibited_by_law.{i}"] for i in range(6))
