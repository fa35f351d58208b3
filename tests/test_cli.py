"""The CLI's exact words, exit codes and files, and that no traceback ever escapes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from xxgk import labels
from xxgk.inputs import load

Run = Callable[..., Result]


def test_check_example_is_clean(xxgk: Run, example_path: Path) -> None:
    result = xxgk("check", example_path)
    assert result.exit_code == 0
    assert f"{example_path}：没有错误" in result.output


def test_check_strict_fails_on_warnings(xxgk: Run, example_path: Path) -> None:
    assert xxgk("check", "--strict", example_path).exit_code == 1


def test_check_json_lines(xxgk: Run, example_copy: Path) -> None:
    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(
        text.replace("    予以公开: [0, 0", "    予以公开: [1, 0"), encoding="utf-8"
    )
    result = xxgk("check", "--format", "json", example_copy)
    assert result.exit_code == 1
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    balance = [o for o in objects if o["code"] == "t3/balance"]
    assert balance == [
        {
            "file": str(example_copy),
            "code": "t3/balance",
            "severity": "error",
            "location": "表三/自然人",
            "line": balance[0]["line"],
            "message": "勾稽关系不成立：一（0）+ 二（0）= 0，与 三（七）总计（1）+ 四（0）= 1 不相等（相差 -1）",
            "rule": "表三勾稽不平",
        }
    ]
    assert all(set(o) >= {"file", "code", "severity", "location", "message"} for o in objects)


def test_check_many_files_goes_on_after_a_bad_one(
    xxgk: Run, example_path: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("机关名称: [\n", encoding="utf-8")
    result = xxgk("check", bad, example_path)
    assert result.exit_code == 1
    assert f"{bad}：错误 1 个" in result.output
    assert f"{example_path}：没有错误" in result.output
    assert "共检查 2 个文件（本批次为 2021 年度）：1 个未通过，1 个通过" in result.output


def test_check_with_previous(xxgk: Run, example_copy: Path, tmp_path: Path) -> None:
    last = tmp_path / "last.yaml"
    text = example_copy.read_text(encoding="utf-8")
    last.write_text(
        text.replace("年度: 2021", "年度: 2020")
        .replace("  本年新收: [0, 0", "  本年新收: [1, 0")
        .replace("  结转下年度: [0, 0", "  结转下年度: [1, 0"),
        encoding="utf-8",
    )
    result = xxgk("check", example_copy, "--previous", last)
    assert result.exit_code == 1
    assert (
        "[carryover/mismatch] 表三/二、上年结转政府信息公开申请数量/自然人：上年结转为 0"
        in result.output
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "这不是文本文件"),
        ("机关名称: 永和镇\n".encode() + b"\x81\x20\xff", "无法识别文件编码"),
        ("机关名称: [永和镇\n".encode(), "YAML 格式错误"),
        ("- 一\n- 二\n".encode(), "应为「键: 值」的映射"),
    ],
    ids=["empty", "binary", "undecodable", "syntax", "not-a-mapping"],
)
def test_unreadable_files(xxgk: Run, tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = xxgk("check", path)
    assert result.exit_code == 1
    assert str(path) in result.output
    assert expected in result.output


def test_missing_file(xxgk: Run, tmp_path: Path) -> None:
    result = xxgk("check", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.yaml'}: 错误 [input/missing-file] 文件不存在" in result.output


def test_gbk_file_is_read_with_a_warning(xxgk: Run, example_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(example_path.read_text(encoding="utf-8").encode("gbk"))
    result = xxgk("check", path)
    assert result.exit_code == 0
    assert "警告 [input/gbk]" in result.output
    assert load(path) == load(example_path)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "  本年新收: [0, 0",
            "  本年新收: [三, 0",
            f"表三/{labels.TABLE3_NEW}/自然人：应为非负整数，实际为「三」",
        ),
        (
            "  本年新收: [0, 0",
            "  本年新收: [3.5, 0",
            f"表三/{labels.TABLE3_NEW}/自然人：应为非负整数，实际为「3.5」",
        ),
        (
            "  本年新收: [0, 0",
            "  本年新收: [-1, 0",
            f"表三/{labels.TABLE3_NEW}/自然人：应为非负整数，实际为「-1」",
        ),
        ("  上年结转:", "  上年结专:", "未知的键「上年结专」，是否应为「上年结转」？"),
        ("  本年新收: [0, 0, 0, 0, 0, 0]", "  本年新收: [0, 0, 0]", "应为 6 个数"),
        ("  行政强制: 0\n", "", "缺少「行政强制」"),
    ],
    ids=["chinese-numeral", "decimal", "negative", "unknown-key", "wrong-length", "missing-key"],
)
def test_bad_values_through_the_cli(
    xxgk: Run, example_copy: Path, old: str, new: str, words: str
) -> None:
    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = xxgk("check", example_copy)
    assert result.exit_code == 1
    assert words in result.output
    assert f"{example_copy}:" in result.output  # file and line lead the message


def test_init_writes_a_loadable_file(xxgk: Run, tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    result = xxgk("init", path, "--organ", "某县交通运输局", "--year", "2025")
    assert result.exit_code == 0
    report = load(path)
    assert (report.organ, report.year) == ("某县交通运输局", 2025)
    assert [s.title for s in report.overview.subsections] == list(labels.OVERVIEW_SUBSECTIONS)
    text = path.read_text(encoding="utf-8")
    for row in labels.TABLE3_ROWS:
        assert f"{row.key}: [0, 0, 0, 0, 0, 0]  # {row.label}" in text
    assert xxgk("check", path).exit_code == 0


def test_init_refuses_to_overwrite(xxgk: Run, example_copy: Path) -> None:
    before = example_copy.read_bytes()
    result = xxgk("init", example_copy, "--organ", "x", "--year", "2025")
    assert result.exit_code == 1
    assert "文件已存在，不会覆盖" in result.output
    assert example_copy.read_bytes() == before


def test_init_needs_organ_and_year(xxgk: Run, tmp_path: Path) -> None:
    result = xxgk("init", tmp_path / "x.yaml")  # stdin is not a terminal: nobody to ask
    assert result.exit_code == 1
    assert "没有给出机关名称：请加 --organ" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_init_from_last_year_carries_over(xxgk: Run, example_copy: Path, tmp_path: Path) -> None:
    text = example_copy.read_text(encoding="utf-8")
    text = text.replace("  本年新收: [0, 0, 0", "  本年新收: [3, 0, 2")
    text = text.replace("  结转下年度: [0, 0, 0", "  结转下年度: [3, 0, 2")
    text = text.replace("  规章: [0, 0, 0]", "  规章: [1, 0, 4]")
    example_copy.write_text(text, encoding="utf-8")
    draft = tmp_path / "2022.yaml"
    result = xxgk("init", draft, "--from", example_copy)
    assert result.exit_code == 0
    report, last = load(draft), load(example_copy)
    assert report.year == 2022
    assert report.organ == last.organ
    assert report.table3.row("carried_in").cells == (3, 0, 2, 0, 0, 0)
    assert report.table3.row("carried_out").cells == (0,) * 6
    assert report.table3.row("new").cells == (0,) * 6
    assert report.table2.regulations.in_force == 4
    assert report.table2.regulations.issued == 0
    assert report.overview == last.overview
    assert "由 2021 年度数据生成" in draft.read_text(encoding="utf-8")
    # the draft's carry-over agrees with last year's file
    assert "carryover/mismatch" not in xxgk("check", draft, "--previous", example_copy).output


def test_python_dash_m_and_console_script(example_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xxgk", "check", str(example_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0
    assert "没有错误" in result.stdout


def _run_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xxgk", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def test_exit_codes_of_a_real_process(example_path: Path, tmp_path: Path) -> None:
    refused = _run_process("init", example_path, "--organ", "x", "--year", "2025")
    assert refused.returncode == 1
    assert "[init/exists]" in refused.stderr
    assert _run_process("diff", example_path, tmp_path / "nope.yaml").returncode == 2
    assert _run_process("--help").returncode == 0
    made = _run_process("init", tmp_path / "new.yaml", "--organ", "甲镇", "--year", "2025")
    assert made.returncode == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["check"], "错误：缺少参数 报告文件或文件夹…（xxgk check --help 查看说明）"),
        (["sum", "a.yaml"], "错误：缺少选项 --organ"),
        (["check", "--nope", "a.yaml"], "错误：没有选项 --nope"),
        (["frob"], "错误：没有命令 frob"),
        (["build", "--jobs", "0", "a.yaml"], "的取值无效"),
    ],
)
def test_usage_errors_in_chinese(args: list[str], words: str) -> None:
    result = _run_process(*args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "用法： xxgk" in result.stderr
    assert "Traceback" not in result.stderr
