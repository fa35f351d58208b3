"""Wrong numbers the layout generator found in the importers, each kept as a regression test on
the generated document that showed it (tests/layoutgen/)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.layoutgen import html_out
from tests.layoutgen.score import report_cells
from tests.layoutgen.styles import layout
from tests.layoutgen.truth import random_truth
from xxgk.importers import import_source

SUB_ROWS = ("no_correction", "fee_unpaid", "other")


def _page(tmp_path: Path, style: str, seed: str) -> tuple[Path, dict[str, object]]:
    rng = random.Random(seed)
    truth = random_truth(rng)
    doc, choices = layout(truth, style, rng)
    path = tmp_path / "report.html"
    path.write_bytes(html_out.render(doc, truth.organ))
    return path, truth.cells(choices.six_one_row)


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
