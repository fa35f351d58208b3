"""`xxgk sum`: the 汇总 of three organs equals the hand sum cell by cell, and builds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from click.testing import Result
from docx import Document
from openpyxl import load_workbook

from xxgk import labels
from xxgk.checks.cells import all_cells
from xxgk.inputs import dump_report, load
from xxgk.model import ApplicantCounts, Report, ReviewOutcomes, Table2, Table3, Table4

Run = Callable[..., Result]


def _organ(i: int, organ: str) -> Report:
    """A consistent report with numbers that differ from organ to organ."""
    rows = {
        r.id: ApplicantCounts(cells=tuple((i + n + c) % 3 for c in range(6)))
        for n, r in enumerate(labels.TABLE3_RESULT_ROWS)
    }
    rows["carried_out"] = ApplicantCounts(cells=tuple((i + c) % 2 for c in range(6)))
    need = [
        sum(rows[r.id].cells[c] for r in labels.TABLE3_RESULT_ROWS) + rows["carried_out"].cells[c]
        for c in range(6)
    ]
    rows["carried_in"] = ApplicantCounts(cells=tuple(min(i, n) for n in need))
    rows["new"] = ApplicantCounts(cells=tuple(n - min(i, n) for n in need))
    return Report(
        organ=organ,
        year=2025,
        table3=Table3(rows=rows),
        table2=Table2(licensing=i * 10, fees=Decimal(f"{i}.5")),
        table4=Table4(review=ReviewOutcomes(upheld=i, pending=1)),
        problems=["无"],
        other_matters=["未收取信息处理费。"],
    )


def _three_organs(tmp_path: Path) -> list[Path]:
    paths = []
    for i, organ in enumerate(["甲镇", "乙镇", "丙街道"]):
        path = tmp_path / f"{i}.yaml"
        path.write_text(dump_report(_organ(i, organ)), encoding="utf-8")
        paths.append(path)
    return paths


def test_sum_equals_the_hand_sum_and_builds(xxgk: Run, tmp_path: Path) -> None:
    paths = _three_organs(tmp_path)
    total_path = tmp_path / "total.yaml"
    result = xxgk("sum", *paths, "--organ", "某县", "--year", "2025", "-o", total_path)
    assert result.exit_code == 0, result.output
    total = load(total_path)
    parts = [load(p) for p in paths]
    for cell, *inputs in zip(all_cells(total), *(all_cells(p) for p in parts), strict=True):
        assert cell.value == sum(c.value for c in inputs), cell.parts
    assert total.table3.row("new").total == sum(p.table3.row("new").total for p in parts)
    assert total.other_matters == []
    assert "#   甲镇（0.yaml）" in total_path.read_text(encoding="utf-8")
    built = xxgk("build", total_path, "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output
    assert (tmp_path / "out" / "某县2025年政府信息公开工作年度报告.docx").exists()


def test_sum_writes_the_breakdown_beside_and_build_appends_it(xxgk: Run, tmp_path: Path) -> None:
    paths = _three_organs(tmp_path)
    total_path = tmp_path / "某县2025.yaml"
    result = xxgk("sum", *paths, "--organ", "某县", "-o", total_path)  # --year from the inputs
    assert result.exit_code == 0, result.output
    companion = tmp_path / "某县2025.明细.csv"
    data = companion.read_bytes()
    assert data.startswith("\ufeff机关名称,数据文件,规章制发".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["甲镇", "乙镇", "丙街道", "合计"]
    header = lines[0].split(",")
    total = load(total_path)
    new = header.index("本年新收")
    assert int(lines[-1].split(",")[new]) == total.table3.row("new").total
    assert sum(int(line.split(",")[new]) for line in lines[1:4]) == total.table3.row("new").total
    assert xxgk("build", total_path, "-o", tmp_path / "out", "--html").exit_code == 0
    stem = tmp_path / "out" / "某县2025年政府信息公开工作年度报告"
    page = stem.with_suffix(".html").read_text("utf-8")
    assert page.index('<table id="breakdown">') > page.index("六、其他需要报告的事项")  # at the end
    assert '<th scope="row">丙街道</th>' in page
    document = Document(str(stem.with_suffix(".docx")))
    appendix = document.tables[-1]
    assert [c.text for c in appendix.rows[0].cells][:2] == ["机关名称", "新收申请"]
    assert [r.cells[0].text for r in appendix.rows[1:]] == ["甲镇", "乙镇", "丙街道", "合计"]
    assert appendix.rows[-1].cells[1].text == str(total.table3.row("new").total)
    assert any(p.text == "各机关主要数字明细表" for p in document.paragraphs)
    sheet = load_workbook(stem.with_suffix(".xlsx"))["明细表"]
    assert [c.value for c in sheet["A"]] == ["机关名称", "甲镇", "乙镇", "丙街道", "合计"]
    assert sheet.cell(5, new + 1).value == total.table3.row("new").total


def test_a_stale_breakdown_stops_the_build(xxgk: Run, tmp_path: Path) -> None:
    paths = _three_organs(tmp_path)
    total_path = tmp_path / "某县2025.yaml"
    assert xxgk("sum", *paths, "--organ", "某县", "-o", total_path).exit_code == 0
    text = total_path.read_text(encoding="utf-8")
    # The supervisor corrects a number in the 汇总 without summing again: the 明细 no longer adds up.
    total_path.write_text(text.replace("行政许可: 30", "行政许可: 31"), encoding="utf-8")
    built = xxgk("build", total_path, "-o", tmp_path / "out")
    assert built.exit_code == 1
    assert "[sum/breakdown-mismatch] 明细表/行政许可：合计为 30，各机关之和为 30，汇总数据为 31" in built.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_sum_of_different_years_needs_year(xxgk: Run, tmp_path: Path) -> None:
    paths = _three_organs(tmp_path)
    paths[2].write_text(paths[2].read_text("utf-8").replace("年度: 2025", "年度: 2024"), "utf-8")
    target = tmp_path / "total.yaml"
    result = xxgk("sum", *paths, "--organ", "某县", "-o", target)
    assert result.exit_code == 1
    assert "输入的报告年度不一致（2024、2025）；请用 --year 指定汇总年度" in result.output
    assert not target.exists()


def test_sum_counts_an_organ_behind_a_zero_width_space_once(xxgk: Run, tmp_path: Path) -> None:
    paths = _three_organs(tmp_path)
    again = tmp_path / "again.yaml"
    again.write_text(dump_report(_organ(0, "甲\u200b镇")), "utf-8")
    assert load(again).organ == "甲\u200b镇"
    result = xxgk("sum", *paths, again, "--organ", "某县", "-o", tmp_path / "t.yaml")
    assert result.exit_code == 1
    assert "[sum/duplicate-organ]" in result.output
    assert not (tmp_path / "t.yaml").exists()


def test_sum_refuses_bad_inputs_unless_forced(xxgk: Run, tmp_path: Path) -> None:
    paths = _three_organs(tmp_path)
    text = paths[1].read_text(encoding="utf-8")
    paths[1].write_text(text.replace("  结转下年度: [", "  结转下年度: [9"), encoding="utf-8")
    other_year = tmp_path / "old.yaml"
    other_year.write_text(
        paths[2].read_text(encoding="utf-8").replace("年度: 2025", "年度: 2024"), encoding="utf-8"
    )
    target = tmp_path / "total.yaml"
    result = xxgk(
        "sum", paths[0], paths[1], other_year, "--organ", "某县", "--year", "2025", "-o", target
    )
    assert result.exit_code == 1
    assert f"{paths[1]}: 错误 [sum/input-has-errors]" in result.output
    assert f"{other_year}: 错误 [sum/other-year] 年度为 2024" in result.output
    assert "确需汇总请加 --force" in result.output
    assert not target.exists()
    forced = xxgk(
        "sum",
        paths[0],
        paths[1],
        other_year,
        "--organ",
        "某县",
        "--year",
        "2025",
        "-o",
        target,
        "--force",
    )
    assert forced.exit_code == 0
    assert target.exists()
