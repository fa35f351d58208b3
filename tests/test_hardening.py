"""Hostile and extreme data: every case builds correctly or fails with a clear message."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from tests.conftest import EXAMPLE as EXAMPLE_PATH
from xxgk.build import build_file
from xxgk.inputs import dump_report, load
from xxgk.model import Report

Run = Callable[..., Result]


def _write(report: Report, folder: Path, name: str = "data.yaml") -> Path:
    path = folder / name
    path.write_text(dump_report(report), encoding="utf-8")
    return path


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def _xlsx_strings(path: Path) -> str:
    workbook = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row
                     if c.value is not None)


def _with_problems(example: Report, paragraphs: list[str]) -> Report:
    return example.model_copy(update={"problems": paragraphs})


def test_control_characters_and_lone_surrogates_are_dropped_with_a_warning(
    xxgk: Run, example_report: Report, tmp_path: Path
) -> None:
    path = _write(_with_problems(example_report, ["甲\x07乙\ud800丙\x1b丁"]), tmp_path)
    assert "\\a" in path.read_text(encoding="utf-8")  # the data file keeps them, escaped
    result = xxgk("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "[render/dropped-characters]" in result.output
    docx = next((tmp_path / "out").glob("*.docx"))
    assert "甲乙丙丁" in _docx_text(docx)
    assert "甲乙丙丁" in _xlsx_strings(next((tmp_path / "out").glob("*.xlsx")))


def test_one_megabyte_paragraph(example_report: Report, tmp_path: Path) -> None:
    big = "公开" * 300_000 + "。"  # 1.8 MB of UTF-8
    result = build_file(_write(_with_problems(example_report, [big]), tmp_path), tmp_path / "o")
    assert big in _docx_text(result.outputs[0])


def test_ten_thousand_paragraphs(example_report: Report, tmp_path: Path) -> None:
    paragraphs = [f"第{i}段。" for i in range(10_000)]
    result = build_file(_write(_with_problems(example_report, paragraphs), tmp_path), tmp_path / "o")
    xml = _docx_text(result.outputs[0])
    assert "第0段。" in xml
    assert "第9999段。" in xml
    assert load(tmp_path / "data.yaml").problems == paragraphs


def test_numbers_past_2_63_are_refused_clearly(xxgk: Run, example_copy: Path,
                                                tmp_path: Path) -> None:
    big = 2**64 + 1
    text = example_copy.read_text(encoding="utf-8")
    text = text.replace("  本年新收: [0, 0", f"  本年新收: [{big}, 0")
    text = text.replace("    予以公开: [0, 0", f"    予以公开: [{big}, 0")
    example_copy.write_text(text, encoding="utf-8")
    result = xxgk("build", example_copy, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert f"数值 {big} 过大" in result.output
    assert not (tmp_path / "out").exists()


def test_emoji_and_extension_b_are_kept(example_report: Report, tmp_path: Path) -> None:
    text = "群众点赞👍，𠀀𪚥𡈽字。"
    report = example_report.model_copy(update={"organ": "𪚥镇", "problems": [text]})
    result = build_file(_write(report, tmp_path), tmp_path / "o")
    assert {p.name for p in result.outputs} == {
        "𪚥镇2021年政府信息公开工作年度报告.docx", "𪚥镇2021年政府信息公开工作年度报告.xlsx"}
    assert text in _docx_text(result.outputs[0])
    assert text in _xlsx_strings(result.outputs[1])


@pytest.mark.parametrize("text", [
    "{{ organ }}", "{% for x in y %}{{ x }}{% endfor %}", "{#注释#}", "<w:p>&amp;</w:p>",
    "R&D <b>加粗</b> \"引号\" '单引号' ]]> <![CDATA[x]]>", "{{ ''.__class__.__mro__ }}",
])
def test_template_and_xml_syntax_in_data_is_literal(example_report: Report, tmp_path: Path,
                                                    text: str) -> None:
    import docx

    result = build_file(_write(_with_problems(example_report, [text]), tmp_path), tmp_path / "o")
    paragraphs = [p.text for p in docx.Document(str(result.outputs[0])).paragraphs]
    assert text in paragraphs
    assert text in _xlsx_strings(result.outputs[1])


def test_sandbox_refuses_a_template_reaching_python_internals(
    xxgk: Run, example_path: Path, tmp_path: Path
) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    template = tmp_path / "evil.docx"
    document.save(str(template))
    result = xxgk("build", example_path, "-o", tmp_path / "out", "--template", template)
    assert result.exit_code == 1
    assert "[template/unsafe]" in result.output
    assert "evil.docx" in result.output
    assert not (tmp_path / "out").exists()


def test_organ_names_that_are_not_file_names(example_report: Report, tmp_path: Path) -> None:
    report = example_report.model_copy(update={"organ": '某县/某镇:"新区"'})
    result = build_file(_write(report, tmp_path), tmp_path / "o")
    assert {p.parent for p in result.outputs} == {tmp_path / "o"}
    assert result.outputs[0].name == "某县_某镇__新区_2021年政府信息公开工作年度报告.docx"
    import docx

    # The title may be broken into lines (w:br, read as "\n").
    text = "".join(p.text.replace("\n", "") for p in docx.Document(str(result.outputs[0])).paragraphs)
    assert report.display_title in text


# ---------------------------------------------------------------- data files the commands write
# No command writes a data file its own `check` rejects (issue 15, class 8).


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--organ", "某镇", "--year", "99999"], "年度应为四位数年份"),
        (["--organ", "某镇", "--year", "-5"], "年度应为四位数年份"),
        (["--organ", "某\x1b[2J镇", "--year", "2025"], "控制字符 \\x1b"),
        (["--organ", "某\u202e镇", "--year", "2025"], "控制字符 \\u202e"),
        (["--organ", "某镇\n某县", "--year", "2025"], "应为一行文字"),
        (["--organ", "   ", "--year", "2025"], "机关名称不能为空"),
    ],
)
def test_init_refuses_what_check_would_refuse(
    xxgk: Run, tmp_path: Path, args: list[str], words: str
) -> None:
    target = tmp_path / "new.yaml"
    result = xxgk("init", target, *args)
    assert result.exit_code == 1, result.output
    assert "没有写出数据文件" in result.output
    assert words in result.output
    assert not target.exists()
    assert "\x1b" not in result.output
    assert "\u202e" not in result.output


def test_init_writes_a_file_check_accepts(xxgk: Run, tmp_path: Path) -> None:
    target = tmp_path / "new.yaml"
    assert xxgk("init", target, "--organ", "某镇#1: [东区]", "--year", "2025").exit_code == 0
    assert load(target).organ == "某镇#1: [东区]"


def _sum_input(folder: Path, name: str, report: Report) -> Path:
    path = folder / name
    path.write_text(dump_report(report), encoding="utf-8")
    return path


def test_sum_refuses_an_empty_organ_and_totals_past_15_digits(
    xxgk: Run, example_report: Report, tmp_path: Path
) -> None:
    big = 10**15 - 1  # the largest count Excel/WPS hold exactly
    rows = dict(example_report.table3.rows)
    rows["new"] = rows["new"].model_copy(update={"cells": (big, 0, 0, 0, 0, 0)})
    rows["carried_out"] = rows["carried_out"].model_copy(update={"cells": (big, 0, 0, 0, 0, 0)})
    huge = example_report.model_copy(
        update={"table3": example_report.table3.model_copy(update={"rows": rows})}
    )
    a = _sum_input(tmp_path, "a.yaml", huge)
    b = _sum_input(tmp_path, "b.yaml", huge.model_copy(update={"organ": "另一镇"}))
    target = tmp_path / "sum.yaml"
    result = xxgk("sum", a, b, "--organ", "某县", "--year", "2021", "-o", target)
    assert result.exit_code == 1, result.output
    assert "过大" in result.output
    assert not target.exists()
    result = xxgk("sum", EXAMPLE_PATH, "--organ", "", "--year", "2021", "-o", target)
    assert result.exit_code == 1, result.output
    assert "机关名称不能为空" in result.output
    assert not target.exists()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs")
def test_check_refuses_a_fifo_and_a_device_at_once(xxgk: Run, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        result = xxgk("check", path)
        assert result.exit_code == 1
        assert "[input/not-a-file]" in result.output
    for suffix in (".xlsx", ".docx", ".txt"):
        other = tmp_path / f"pipe{suffix}"
        os.mkfifo(other)
        result = xxgk("check", other)
        assert result.exit_code == 1
        assert "[input/not-a-file]" in result.output
