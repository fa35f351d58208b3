"""LibreOffice as a judge: recalculated headless, every 校验 formula agrees with xxgk."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.xlsx_support import rich_report, write_rendered
from xxgk import labels
from xxgk.importers import import_source
from xxgk.model import Report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: cannot recalculate 校验 formulas"
)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory, example_report: Report) -> dict[str, Path]:
    """The example, a rich report and a deliberately broken copy, recalculated in one soffice run."""
    src = tmp_path_factory.mktemp("xlsx-in")
    out = tmp_path_factory.mktemp("xlsx-out")
    profile = tmp_path_factory.mktemp("lo-profile")
    inputs = {
        "example": write_rendered(example_report, src / "example.xlsx"),
        "rich": write_rendered(rich_report(), src / "rich.xlsx"),
        "broken": write_rendered(example_report, src / "broken.xlsx"),
        "long": write_rendered(long_report(), src / "long.xlsx"),
        "text": write_rendered(example_report, src / "text.xlsx"),
    }
    wb = load_workbook(inputs["broken"])
    wb["表三 申请处理"]["D5"] = 1  # 一、本年新收 / 自然人: 0 → 1, totals left as they were
    wb.save(inputs["broken"])
    wb = load_workbook(inputs["text"])
    wb["表三 申请处理"]["D5"] = "4"  # a count stored as text, as a paste from elsewhere leaves it
    wb.save(inputs["text"])
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), *map(str, inputs.values())],
        check=True, capture_output=True, timeout=180,
    )
    recalculated = {name: out / path.name for name, path in inputs.items()}
    return {**recalculated, **{f"{name}:as written": path for name, path in inputs.items()}}


def long_report() -> Report:
    """A report whose 五 has a 100 000-character paragraph (three cells' worth and more), and one
    without a sentence end, cut at the limit where a piece may start with a space."""
    sentence = "本机关依法公开政府信息，data 2025；"
    long = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    spaced = "长" * 10_000 + " x" * 30_000
    return rich_report().model_copy(update={"problems": [long, "后一段。", spaced]})


def test_long_paragraph_survives_libreoffice(recalculated: dict[str, Path]) -> None:
    back = import_source(recalculated["long"])
    assert back.findings == []
    assert back.report.problems == long_report().problems


def check_rows(path: Path) -> list[tuple[str, bool]]:
    """(rule, the formula's result) for every 校验 row: its one, live, verdict column."""
    ws = load_workbook(path, data_only=True)["校验"]
    rows = []
    for _, words, calc in ws.iter_rows(min_row=3, values_only=True):
        assert calc is not None, f"LibreOffice did not calculate: {words}"
        rows.append((str(words), bool(calc)))
    return rows


@pytest.mark.parametrize("name", ["example", "rich"])
def test_every_rule_is_true(recalculated: dict[str, Path], name: str) -> None:
    rows = check_rows(recalculated[name])
    assert len(rows) == 42
    assert all(calc for _, calc in rows), [w for w, calc in rows if not calc]
    # The value xxgk cached in the cell is what LibreOffice computes.
    assert check_rows(recalculated[f"{name}:as written"]) == rows


def test_broken_workbook_shows_false_in_the_right_rows(recalculated: dict[str, Path]) -> None:
    # 总计 is a formula: it follows the edit, so the row adds up and both balances break.
    false = [words for words, calc in check_rows(recalculated["broken"]) if not calc]
    assert len(false) == 2
    column, total = false
    assert "「自然人」列" in column
    assert labels.TABLE3_RESULTS_TOTAL in column
    assert f"「{labels.TABLE3_TOTAL}」列" in total
    values = load_workbook(recalculated["broken"], data_only=True)["表三 申请处理"]
    assert values["J5"].value == load_workbook(recalculated["example"], data_only=True)[
        "表三 申请处理"]["J5"].value + 1


def test_workbook_saved_by_libreoffice_reads_back_the_same(recalculated: dict[str, Path]) -> None:
    # LibreOffice rewrites every part (shared strings, its own styles, date cells): what a clerk's
    # office suite saves must still import to the report it was built from.
    assert import_source(recalculated["rich"]).report == rich_report()


def test_a_count_stored_as_text_is_left_out_of_sum_as_the_warning_says(
    recalculated: dict[str, Path]
) -> None:
    before = load_workbook(recalculated["example"], data_only=True)["表三 申请处理"]["J5"].value
    after = load_workbook(recalculated["text"], data_only=True)["表三 申请处理"]["J5"].value
    assert after == before  # LibreOffice's SUM skipped the 4, as Excel's does
    result = import_source(recalculated["text"])
    assert result.report.table3.row("new").cells[0] == 4  # xxgk reads it
    [warning] = [f for f in result.findings if f.code == "import/number-as-text"]
    assert "SUM 不计文本" in warning.message
    assert "少算了这 4" in warning.message
