"""Commands never write a data file that their own `check` rejects (issue 15, build item 7)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.safety_support import EXAMPLE, variant

Run = Callable[..., Result]


def test_init_refuses_a_year_check_rejects(xxgk: Run, tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    result = xxgk("init", target, "--organ", "甲镇", "--year", "99999")
    assert result.exit_code == 1
    assert "datafile/refused" in result.output
    assert "99999" in result.output
    assert not target.exists()


def test_init_still_writes_a_good_scaffold(xxgk: Run, tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    assert xxgk("init", target, "--organ", "甲镇", "--year", "2025").exit_code == 0
    assert xxgk("check", target).exit_code == 0


def test_sum_refuses_an_empty_organ(xxgk: Run, tmp_path: Path) -> None:
    target = tmp_path / "sum.yaml"
    result = xxgk("sum", EXAMPLE, "--organ", "", "--year", "2021", "-o", target)
    assert result.exit_code == 1
    assert "datafile/refused" in result.output
    assert not target.exists()


def test_forced_sum_past_fifteen_digits_is_refused(xxgk: Run, tmp_path: Path) -> None:
    inputs = []
    for name in ("甲镇", "乙镇"):
        path = variant(tmp_path, f"{name}.yaml", organ=name)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  本年新收: [0,", "  本年新收: [999999999999999,"),
                        encoding="utf-8")
        inputs.append(path)
    target = tmp_path / "sum.yaml"
    result = xxgk("sum", *inputs, "--organ", "某县", "--year", "2021", "-o", target, "--force")
    assert result.exit_code == 1
    assert "value/too-large" in result.output
    assert not target.exists()


def test_a_good_sum_is_written(xxgk: Run, tmp_path: Path) -> None:
    inputs = [variant(tmp_path, f"{n}.yaml", organ=n) for n in ("甲镇", "乙镇")]
    target = tmp_path / "sum.yaml"
    result = xxgk("sum", *inputs, "--organ", "某县", "--year", "2021", "-o", target)
    assert result.exit_code == 0, result.output
    assert xxgk("check", target).exit_code == 0
