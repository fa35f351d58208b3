"""The fill-in workbook end to end: ``xxgk init`` → typed in LibreOffice (UNO) → check → build.

LibreOffice is driven through its own API (``tests/lo_calc.py`` under the Python that has
LibreOffice's ``uno`` module), as a clerk at the keyboard: values typed into the yellow cells of a
protected workbook, rows inserted for more paragraphs, recalculated and saved as .xlsx by Calc.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_xxgk
from tests.docx_dump import body_dump
from xxgk import labels
from xxgk.inputs import dump_report
from xxgk.model import Report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LO_CALC = Path(__file__).resolve().parent / "lo_calc.py"
T2, T3, T4 = "表二 主动公开", "表三 申请处理", "表四 复议诉讼"


def _uno_python() -> str | None:
    """A Python that can import LibreOffice's uno module (Debian: python3-uno)."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and subprocess.run([candidate, "-c", "import uno"],
                                         capture_output=True).returncode == 0:
            return candidate
    return None


UNO_PYTHON = _uno_python() if SOFFICE else None
pytestmark = pytest.mark.skipif(
    UNO_PYTHON is None,
    reason="LibreOffice with python3-uno is not installed (scripts/ci/install-render-deps)")

TABLE3_COLUMNS = "DEFGHI"  # 自然人 … 其他, written out by hand from FORMAT.md's grid
TABLE4_COLUMNS = ("ABCD", "FGHI", "KLMN")


def typed_numbers(report: Report) -> list[list[object]]:
    """Every number of the report as [sheet, cell, value], the cells a clerk types into."""
    cells: list[list[object]] = []
    t2 = report.table2
    for row, counts in ((4, t2.regulations), (5, t2.normative_documents)):
        cells += [[T2, f"{col}{row}", v] for col, v in zip("BCD", counts.cells(), strict=True)]
    cells += [[T2, "B8", t2.licensing], [T2, "B11", t2.punishment], [T2, "B12", t2.enforcement],
              [T2, "B15", float(t2.fees or 0)]]
    for row in labels.TABLE3_ROWS:
        values = report.table3.row(row.id).cells
        cells += [[T3, f"{col}{row.grid_row + 2}", v]
                  for col, v in zip(TABLE3_COLUMNS, values, strict=True)]
    for block, columns in zip(labels.TABLE4_BLOCKS, TABLE4_COLUMNS, strict=True):
        values = report.table4.block(block.id).cells()
        cells += [[T4, f"{col}5", v] for col, v in zip(columns, values, strict=True)]
    assert all(v is not None for _, _, v in cells)
    return cells


def typed_text(report: Report) -> list[dict[str, object]]:
    """Steps typing the text into 正文: a row inserted under a slot for each further paragraph.

    The blank workbook has one row per slot: 概述 (row 3), （一）–（五） (rows 4–8), 五 (9), 六 (10).
    Rows are inserted from the bottom up, so that the slots above keep their rows.
    """
    slots = [report.overview.intro, *(s.paragraphs for s in report.overview.subsections),
             report.problems, report.other_matters]
    assert len(slots) == 8
    assert all(slots)
    steps: list[dict[str, object]] = []
    for slot_row in range(10, 2, -1):
        extra = len(slots[slot_row - 3]) - 1
        if extra:
            steps.append({"insert_rows": ["正文", slot_row + 1, extra]})
    typed: list[list[object]] = []
    row = 3
    for i, paragraphs in enumerate(slots):
        if 1 <= i <= 5:
            typed.append(["正文", f"C{row}", report.overview.subsections[i - 1].title])
        for paragraph in paragraphs:
            typed.append(["正文", f"D{row}", paragraph])
            row += 1
    return [*steps, {"type": typed}]


def run_calc(plan: list[dict[str, object]], tmp_path: Path) -> list[list[object]]:
    plan_path, result_path = tmp_path / "plan.json", tmp_path / "result.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    assert UNO_PYTHON is not None
    assert SOFFICE is not None
    subprocess.run([UNO_PYTHON, str(LO_CALC), str(plan_path), str(result_path), SOFFICE],
                   check=True, timeout=300, capture_output=True)
    reads: list[list[object]] = json.loads(result_path.read_text(encoding="utf-8"))["reads"]
    return reads


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory, example_report: Report) -> dict[str, Path]:
    """A blank workbook from init, the example typed in by LibreOffice, then one cell changed."""
    tmp = tmp_path_factory.mktemp("fill-in")
    report = example_report
    blank = tmp / "blank.xlsx"
    result = run_xxgk("init", blank, "--organ", report.organ, "--year", str(report.year))
    assert result.exit_code == 0, result.output
    new_nat = report.table3.row("new").cells[0]
    assert new_nat is not None
    old_total = report.table3.row("new").total
    plan = [
        {"open": str(blank)},
        {"type": [*typed_numbers(report),
                  ["封面", "B7", report.header.issuer_mark]]},
        *typed_text(report),
        {"save": str(tmp / "filled.xlsx")},
        {"type": [[T3, "D5", new_nat + 1]]},  # 一、本年新收 / 自然人, one more
        {"read": [[T3, "D5"], [T3, "J5"], ["校验", "C3"], ["校验", "C9"], ["校验", "C10"]]},
        {"save": str(tmp / "changed.xlsx")},
    ]
    reads = run_calc(plan, tmp)
    (tmp / "reads.json").write_text(json.dumps({"reads": reads, "old_total": old_total}))
    data = tmp / "example.yaml"
    data.write_text(dump_report(report), encoding="utf-8")
    return {"blank": blank, "filled": tmp / "filled.xlsx", "changed": tmp / "changed.xlsx",
            "yaml": data, "reads": tmp / "reads.json"}


def test_filled_workbook_checks_clean(filled: dict[str, Path]) -> None:
    result = run_xxgk("check", filled["filled"], "--format", "json")
    errors = [json.loads(line) for line in result.output.splitlines()
              if line.startswith("{") and '"error"' in line]
    assert errors == []


def test_filled_workbook_builds_the_same_report_as_the_data_file(
    filled: dict[str, Path], tmp_path: Path
) -> None:
    for name in ("filled", "yaml"):
        result = run_xxgk("build", filled[name], "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
    [from_workbook] = (tmp_path / "filled").glob("*.docx")
    [from_yaml] = (tmp_path / "yaml").glob("*.docx")
    workbook_body, yaml_body = body_dump(from_workbook.read_bytes()), body_dump(
        from_yaml.read_bytes())
    tables = [line for line in yaml_body.splitlines() if line.startswith(("TABLE", "  r"))]
    assert len(tables) > 150
    assert [line for line in workbook_body.splitlines()
            if line.startswith(("TABLE", "  r"))] == tables
    assert workbook_body == yaml_body  # the text, typed row by row, too


def test_one_changed_cell_gives_exactly_its_balance_error(filled: dict[str, Path]) -> None:
    result = run_xxgk("check", filled["changed"], "--format", "json")
    assert result.exit_code == 1
    errors = [json.loads(line) for line in result.output.splitlines()
              if line.startswith("{") and '"error"' in line]
    assert [(e["code"], e["location"], e["cell"]) for e in errors] == [
        ("t3/balance", "表三/自然人", "表三 申请处理!D5,D6,D28,D29")]
    text = run_xxgk("check", filled["changed"]).output
    assert "表三 申请处理!D5,D6,D28,D29（表三/自然人）：勾稽关系不成立" in text


def test_libreoffice_recalculates_the_total_and_shows_false(filled: dict[str, Path]) -> None:
    saved = json.loads(filled["reads"].read_text())
    [[_, j5, column, total_column, row_total]] = saved["reads"]
    assert j5 == saved["old_total"] + 1  # the row's =SUM() followed the typed number
    assert column is False  # 校验: 一 + 二 = （七）总计 + 四 for 自然人
    assert total_column is False  # … and for 总计
    assert row_total is True  # 总计 = the six columns: the formula keeps it so


def test_changed_cell_reads_back_in_the_saved_workbook(filled: dict[str, Path]) -> None:
    from openpyxl import load_workbook

    saved = json.loads(filled["reads"].read_text())
    values = load_workbook(filled["changed"], data_only=True)
    assert values[T3]["J5"].value == saved["old_total"] + 1  # cached by LibreOffice on save
    assert not values["校验"]["C3"].value
