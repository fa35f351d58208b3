"""`xxgk import`: one data file per source, a summary table, and bulk runs a bad file can't stop."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import DATA
from xxgk.inputs import load
from xxgk.model import Report, Table4

Run = Callable[..., Result]
PASTE = DATA / "yonghe-2021.txt"


def test_import_of_the_seed_paste(xxgk: Run, example_report: Report, tmp_path: Path) -> None:
    result = xxgk("import", PASTE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    written = tmp_path / "晋江市永和镇2021.yaml"
    imported = load(written)
    # The paste leaves the 行政复议 cells blank: they stay blank (a warning now, `check` reports
    # them as missing), where the hand transcription has 0.
    assert imported.table4.review.upheld is None
    # said once for the table, to a reader of the report, not 4 times
    assert "[value/missing] 表四：表四 4 格留空（未填 0）：行政复议/结果维持" in result.output
    assert "按空白计，不按 0 计" in result.output
    assert "表四/行政复议/结果维持：" not in result.output
    # Besides those blanks, only the printed totals (kept as stated totals) differ.
    table3 = imported.table3.model_copy(
        update={
            "rows": {
                k: v.model_copy(update={"stated_total": None})
                for k, v in imported.table3.rows.items()
            },
            "stated_results_total": None,
        }
    )
    same = imported.model_copy(update={"table3": table3, "table4": Table4()})
    assert imported.table4.direct_suit.cells() == imported.table4.suit_after_review.cells()
    assert imported.table4.direct_suit.cells() == (0, 0, 0, 0)
    assert same == example_report
    # The summary: 1 import warning (the 4 blank 行政复议 cells), and what `xxgk check` then finds.
    summary = next(line for line in result.output.splitlines() if line.startswith("yonghe"))
    assert summary.split()[:6] == ["yonghe-2021.txt", "晋江市永和镇", "2021", "2021", "0", "1"]
    errors, arithmetic, warnings = (int(n) for n in summary.split()[6:9])
    assert [errors, warnings] == _check_counts(written)
    assert arithmetic == 0  # the seed report's totals all add up
    text = written.read_text(encoding="utf-8")
    assert "导入自 yonghe-2021.txt（2021 格式）" in text
    assert "# 导入提示：表四：表四 4 格留空（未填 0）" in text
    checked = xxgk("check", written)
    assert checked.exit_code == 1
    assert "[value/missing] 表四/行政复议/结果维持" in checked.output


def test_bulk_import_of_200_copies(xxgk: Run, tmp_path: Path) -> None:
    sources = tmp_path / "src"
    sources.mkdir()
    paths = []
    for i in range(200):
        path = sources / f"report{i:03d}.txt"
        shutil.copy(PASTE, path)
        paths.append(path)
    out = tmp_path / "out"
    result = xxgk("import", *paths, "-o", out)
    assert result.exit_code == 0
    assert len(list(out.glob("*.yaml"))) == 200
    assert result.output.count("晋江市永和镇  2021") == 200

    corrupt = sources / "report077.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    paths[77] = corrupt
    again = xxgk("import", *paths, "-o", tmp_path / "out2")
    assert again.exit_code == 1
    assert len(list((tmp_path / "out2").glob("*.yaml"))) == 199
    assert f"{corrupt}: 错误 [import/" in again.output
    row = next(line for line in again.output.splitlines() if line.startswith("report077.docx"))
    assert row.split()[1:3] == ["1", "0"]  # no organ/year/format; one error, no warnings


def test_import_of_our_built_documents(
    xxgk: Run, example_path: Path, example_report: Report, tmp_path: Path
) -> None:
    assert xxgk("build", example_path, "-o", tmp_path / "out").exit_code == 0
    built = sorted((tmp_path / "out").glob("*.*x"))
    result = xxgk("import", *built, "-o", tmp_path / "data")
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "data").glob("*.yaml"):
        report = load(path)
        plain = Table3Plain.of(report)
        assert plain == Table3Plain.of(example_report)
        assert report.problems == example_report.problems


class Table3Plain:
    """The entered cells of a report, without stated totals (a .docx prints its totals)."""

    @staticmethod
    def of(report: Report) -> list[tuple[int | None, ...]]:
        return [row.cells for row in report.table3.rows.values()]


def _check_counts(path: Path) -> list[int]:
    from xxgk.api import check_source

    found = check_source(path)[1]
    errors = sum(f.is_error for f in found)
    return [errors, len(found) - errors]


def test_import_of_a_2019_page_says_each_problem_once(xxgk: Run, tmp_path: Path) -> None:
    source = DATA / "real" / "shanghai-office-2019.fragment.html"
    result = xxgk("import", source, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # the 2019 表二's items without a 2021 place: one line, said as our reading, not an error
    dropped = [line for line in lines if "在 2021 年格式中没有对应项" in line]
    assert len(dropped) == 1
    assert "读取问题" in dropped[0]
    # the report's own blanks: one line per table
    assert len([line for line in lines if "表三 57 格留空" in line]) == 1
    assert not [line for line in lines if "[import/blank-cell]" in line]
    # 2021 cells the 2019 format never had are not the organ's blanks
    assert not [line for line in lines if "表二 3 格留空" in line or "表二：表二" in line]
