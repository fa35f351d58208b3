"""``xxgk init`` for the clerk: a real .xlsx to fill in, questions on a terminal, the next step."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import load_workbook

import xxgk
from tests.conftest import run_xxgk
from xxgk import labels
from xxgk.importers import import_source
from xxgk.inputs import load
from xxgk.scaffold import empty_report


def test_init_writes_a_real_workbook_that_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "2025.xlsx"
    result = run_xxgk("init", path, "--organ", "某县交通运输局", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(path)
    assert f"下一步：填好后运行 xxgk check {path}" in result.output
    wb = load_workbook(path)
    assert wb.sheetnames == ["封面", "表二 主动公开", "表三 申请处理", "表四 复议诉讼", "正文", "校验"]
    text = wb["正文"]
    slots = [(row[0].value, row[1].value, row[2].value)
             for row in text.iter_rows(min_row=3, max_row=10, max_col=3)]
    one, five, six = (s.heading for s in labels.SECTIONS if s.number in "一五六")
    assert slots == [(one, None, None),
                     *((one, labels.subsection_marker(i), t)
                       for i, t in enumerate(labels.OVERVIEW_SUBSECTIONS)),
                     (five, None, None), (six, None, None)]
    assert "信息处理费" in str(text["E10"].value)  # what 六 must state
    assert text["D10"].protection.locked is False
    assert text["E10"].protection.locked
    assert import_source(path).report == empty_report("某县交通运输局", 2025)
    check = run_xxgk("check", path)
    assert check.exit_code == 0
    assert "正文!D10（六、其他需要报告的事项）" in check.output  # the fee is not yet stated


def test_blank_workbook_builds_as_a_draft(tmp_path: Path) -> None:
    path = tmp_path / "2025.xlsx"
    run_xxgk("init", path, "--organ", "某镇", "--year", "2025")
    refused = run_xxgk("build", path, "-o", tmp_path / "out")
    assert refused.exit_code == 1
    assert "build/empty-report" in refused.output
    result = run_xxgk("build", path, "-o", tmp_path / "out", "--draft")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1


def test_init_from_last_years_data_file_or_workbook(example_copy: Path, tmp_path: Path) -> None:
    text = example_copy.read_text(encoding="utf-8")
    text = text.replace("  本年新收: [0, 0, 0", "  本年新收: [3, 0, 2")
    text = text.replace("  结转下年度: [0, 0, 0", "  结转下年度: [3, 0, 2")
    text = text.replace("  规章: [0, 0, 0]", "  规章: [1, 0, 4]")
    example_copy.write_text(text, encoding="utf-8")
    last = load(example_copy)
    from_yaml = tmp_path / "2022.xlsx"
    result = run_xxgk("init", from_yaml, "--from", example_copy)
    assert result.exit_code == 0, result.output
    assert "上年结转" in result.output
    built = run_xxgk("build", example_copy, "-o", tmp_path / "out")  # last year's workbook
    assert built.exit_code == 0, built.output
    [last_workbook] = (tmp_path / "out").glob("*.xlsx")
    from_xlsx = tmp_path / "2022b.xlsx"
    assert run_xxgk("init", from_xlsx, "--from", last_workbook).exit_code == 0
    for path in (from_yaml, from_xlsx):
        report = import_source(path).report
        assert (report.organ, report.year) == (last.organ, 2022)
        assert report.table3.row("carried_in").cells == (3, 0, 2, 0, 0, 0)
        assert report.table3.row("new").cells == (0,) * 6
        assert report.table2.regulations.in_force == 4
        assert report.overview == last.overview  # the text, as a draft
        assert report.other_matters == last.other_matters


def test_init_without_organ_off_a_terminal_says_what_to_add(tmp_path: Path) -> None:
    path = tmp_path / "2025.xlsx"
    result = subprocess.run([sys.executable, "-m", "xxgk", "init", str(path), "--year", "2025"],
                            capture_output=True, text=True, encoding="utf-8",
                            stdin=subprocess.DEVNULL, check=False)
    assert result.returncode == 1
    assert "没有给出机关名称：请加 --organ 机关名称" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not path.exists()


def _on_a_terminal(args: list[str], answers: list[str], cwd: Path) -> str:
    """Run xxgk with a pseudo-terminal as stdin/stdout, answering each question in turn."""
    leader, follower = pty.openpty()
    # The xxgk under test, whatever the working directory (PYTHONPATH may be relative).
    source = str(Path(xxgk.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "xxgk", *args], stdin=follower,
                            stdout=follower, stderr=follower, cwd=cwd, close_fds=True, env=env)
    os.close(follower)
    seen = b""
    pending = list(answers)
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 30)
            if not ready:
                raise AssertionError(f"no output: {seen.decode(errors='replace')}")
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if pending and seen.rstrip().endswith(b":"):
                os.write(leader, (pending.pop(0) + "\n").encode())
    finally:
        os.close(leader)
        assert proc.wait(timeout=60) == 0, seen.decode(errors="replace")
    return seen.decode("utf-8", errors="replace")


def test_init_asks_on_a_terminal(tmp_path: Path) -> None:
    shown = _on_a_terminal(["init", "2025.xlsx"], ["永和镇", "25", "2025"], tmp_path)
    assert "机关名称" in shown
    assert "年度应为四位数字" in shown  # 25 was refused and asked again
    assert "下一步：填好后运行 xxgk check 2025.xlsx" in shown
    report = import_source(tmp_path / "2025.xlsx").report
    assert (report.organ, report.year) == ("永和镇", 2025)


def test_init_refuses_a_name_that_would_read_back_as_something_else(tmp_path: Path) -> None:
    for name in ("2025.txt", "2025.xls", "2025"):
        result = run_xxgk("init", tmp_path / name, "--organ", "某镇", "--year", "2025")
        assert result.exit_code == 1
        assert "填写用工作簿请用 .xlsx" in result.output
        assert not (tmp_path / name).exists()
