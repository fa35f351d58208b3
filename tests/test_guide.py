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


def _example_as(year: int, path: Path, organ: str = ORGAN) -> None:
    """Our example report as `organ`'s report of `year`: what the clerk filled in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["机关名称"] = organ
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


def _collect(work: Path) -> None:
    # A county office's folders: last year's and this year's reports of two organs, the roster.
    for year in (2024, 2025):
        for organ in ("某镇", "某乡"):
            _example_as(year, work / f"{year}年" / f"{organ}.xlsx", organ)
            if year == 2025:
                _example_as(year, work / "各单位" / f"{organ}.xlsx", organ)
    (work / "名单.txt").write_text("某镇\n某乡\n某街道\n", encoding="utf-8")


# What the clerk does by hand before the first command that starts with this text.
BEFORE: dict[str, Callable[[Path], None]] = {
    "xxgk init 2026.xlsx --from 2025.xlsx": _fill_in,
    "xxgk diff 原报告.docx": _correct,
    "xxgk check 2025年/": _collect,
}
# Commands that do not end: tested in tests/test_web_*.py.
NOT_RUN = ("xxgk serve",)
# Exit codes other than 0 that the guide's reader expects (diff: 1 = the versions differ).
EXPECTED_EXIT = {"xxgk diff": 1}
# The roster names 某街道, which sent nothing: the audit says so and still succeeds.


def glob_in(folder: Path, word: str) -> list[str]:
    """A word's wildcard matches inside the folder, as relative paths (none: not a wildcard)."""
    if "*" not in word:
        return []
    return [str(p.relative_to(folder)) for p in folder.glob(word)]


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
        # The shell (or click, on Windows) expands the wildcards.
        words = [
            w2 for w in shlex.split(command)[1:] for w2 in (sorted(glob_in(tmp_path, w)) or [w])
        ]
        argv = [sys.executable, "-m", "xxgk", *words]
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
