"""Outputs never collide: two inputs that would write one file are refused before anything is
written, naming both (issue 15, class 1)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.safety_support import variant

Run = Callable[..., Result]


def _nothing_written(out: Path) -> bool:
    return not out.exists() or not [p for p in out.iterdir() if p.name != ".manifest.lock"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_two_inputs_of_one_organ_and_year_are_refused(xxgk: Run, tmp_path: Path, jobs: str) -> None:
    first = variant(tmp_path, "first.yaml", count=74)
    second = variant(tmp_path, "correction.yaml", count=80)
    other = variant(tmp_path, "other.yaml", organ="另一镇")
    out = tmp_path / "out"
    result = xxgk("build", first, other, second, "-o", out, "--jobs", jobs)
    assert result.exit_code == 1
    assert f"{second}: 错误 [build/same-output]" in result.output
    assert str(first) in result.output
    assert "未写入任何文件" in result.output
    assert _nothing_written(out), sorted(p.name for p in out.iterdir())


@pytest.mark.parametrize(
    ("organ_a", "organ_b"),
    [
        ("ABC镇", "abc镇"),  # equal on a case-insensitive file system
        ("ABC镇", "ＡＢＣ镇"),  # full-width letters: equal after NFKC
    ],
)
def test_names_equal_once_folded_are_refused(
    xxgk: Run, tmp_path: Path, organ_a: str, organ_b: str
) -> None:
    a = variant(tmp_path, "a.yaml", organ=organ_a)
    b = variant(tmp_path, "b.yaml", organ=organ_b)
    out = tmp_path / "out"
    result = xxgk("build", a, b, "-o", out)
    assert result.exit_code == 1, result.output
    assert "build/same-output" in result.output
    assert str(a) in result.output
    assert str(b) in result.output
    assert _nothing_written(out)


def test_bidi_controls_in_organ_names_never_reach_a_file_name(xxgk: Run, tmp_path: Path) -> None:
    # Names that would be equal once made safe for a file name: the data file's reader already
    # refuses the invisible characters, so nothing is built and nothing collides.
    a = variant(tmp_path, "a.yaml", organ="A\u202e镇")
    b = variant(tmp_path, "b.yaml", organ="A\u202d镇")
    out = tmp_path / "out"
    result = xxgk("build", a, b, "-o", out)
    assert result.exit_code == 1, result.output
    assert result.output.count("input/control-character") == 2
    assert _nothing_written(out)


def test_one_input_given_twice_is_refused(xxgk: Run, tmp_path: Path) -> None:
    a = variant(tmp_path, "a.yaml")
    result = xxgk("build", a, a, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "不止一次" in result.output
    assert _nothing_written(tmp_path / "out")


def test_an_output_that_would_replace_its_input_is_refused(xxgk: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert xxgk("build", variant(tmp_path, "a.yaml"), "-o", out).exit_code == 0
    workbook = next(out.glob("*.xlsx"))
    before = workbook.read_bytes()
    result = xxgk("build", workbook, "-o", out)
    assert result.exit_code == 1
    assert "就是输入文件" in result.output
    assert workbook.read_bytes() == before


def test_sum_refuses_to_write_over_one_of_its_inputs(xxgk: Run, tmp_path: Path) -> None:
    a = variant(tmp_path, "a.yaml", organ="甲镇")
    b = variant(tmp_path, "b.yaml", organ="乙镇")
    before = a.read_bytes()
    result = xxgk("sum", a, b, "--organ", "某县", "--year", "2021", "-o", a)
    assert result.exit_code == 1
    assert "output/overwrites-input" in result.output
    assert a.read_bytes() == before


def test_import_keeps_both_when_names_differ_only_in_case(xxgk: Run, tmp_path: Path) -> None:
    built = tmp_path / "built"
    for name, organ in (("a.yaml", "ABC镇"), ("b.yaml", "abc镇")):
        assert xxgk("build", variant(tmp_path, name, organ=organ), "-o", built).exit_code == 0
    result = xxgk("import", *sorted(built.glob("*.xlsx")), "-o", tmp_path / "data")
    assert result.exit_code == 0, result.output
    names = sorted(p.name.casefold() for p in (tmp_path / "data").glob("*.yaml"))
    assert len(names) == len(set(names)) == 2
