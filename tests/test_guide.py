"""docs/使用说明.md stays true: its `sh` commands run, in order, as a clerk would type them.

Between commands the test does what the guide tells the clerk to do by hand (fill in the workbook,
correct a number); those steps are keyed by the command that follows them.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from xxgk.inputs import parse_report
from xxgk.model import Report
from xxgk.render.xlsx import render_xlsx

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "使用说明.md"
EXAMPLE = ROOT / "inputs" / "example.yaml"
ORGAN = "某某县某某镇"

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="the guide's build step makes a PDF (LibreOffice)",
)


def guide_commands() -> list[str]:
    """Every command line of the guide's ```sh blocks, in order."""
    blocks = re.findall(r"^```sh\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.M | re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def _report(data: dict[str, object]) -> Report:
    report, findings = parse_report(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert not [f for f in findings if f.is_error], findings
    return report


def _example_as(year: int, path: Path) -> None:
    """Our example report as ORGAN's report of `year`: what the clerk filled in."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["机关名称"] = ORGAN
    data["年度"] = year
    data["一、总体情况"]["概述"] = data["一、总体情况"]["概述"].replace("2021", str(year))
    path.write_bytes(render_xlsx(_report(data), data_sha256=""))


def _fill_in(work: Path) -> None:
    _example_as(2025, work / "2025.xlsx")


def _correct(work: Path) -> None:
    # The filed report goes to 原报告.docx; the clerk corrects 行政许可 in the workbook.
    built = next((work / "out").glob("*.docx"))
    shutil.copy(built, work / "原报告.docx")
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["机关名称"], data["年度"] = ORGAN, 2025
    data["二、主动公开政府信息情况"]["行政许可"] = 3
    (work / "2025.xlsx").write_bytes(render_xlsx(_report(data), data_sha256=""))


# What the clerk does by hand before the first command that starts with this text.
BEFORE: dict[str, Callable[[Path], None]] = {
    "xxgk init 2026.xlsx --from 2025.xlsx": _fill_in,
    "xxgk diff 原报告.docx": _correct,
}
# Commands that do not end: tested in tests/test_web_*.py.
NOT_RUN = ("xxgk serve",)
# Exit codes other than 0 that the guide's reader expects (diff: 1 = the versions differ).
EXPECTED_EXIT = {"xxgk diff": 1}


def test_the_guide_has_the_years_work() -> None:
    commands = guide_commands()
    for verb in ("init", "check", "build", "diff"):
        assert any(c.startswith(f"xxgk {verb} ") for c in commands), verb
    assert all(c.startswith("xxgk ") for c in commands), commands


def test_the_guides_commands_run_in_order(tmp_path: Path) -> None:
    _example_as(2024, tmp_path / "2024.xlsx")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = set()
    for command in guide_commands():
        for prefix, step in BEFORE.items():
            if command.startswith(prefix) and prefix not in done:
                step(tmp_path)
                done.add(prefix)
        if command.startswith(NOT_RUN):
            continue
        argv = [sys.executable, "-m", "xxgk", *shlex.split(command)[1:]]
        result = subprocess.run(
            argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        expected = next((c for p, c in EXPECTED_EXIT.items() if command.startswith(p)), 0)
        assert result.returncode == expected, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, command
    assert done == set(BEFORE), "a hand step of the guide no longer has its command"
    out = tmp_path / "out"
    names = {p.suffix for p in out.iterdir()}
    assert {".docx", ".xlsx", ".pdf", ".html"} <= names
    assert (tmp_path / "更正说明.docx").stat().st_size > 0
    assert (tmp_path / "2026.xlsx").stat().st_size > 0
    assert (tmp_path / "2025.yaml").stat().st_size > 0
