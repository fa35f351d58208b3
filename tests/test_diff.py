"""`xxgk diff`: what a correction changed, in words for a 更正说明, and its exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from xxgk.diff import diff_reports
from xxgk.model import Report, Subsection

Run = Callable[..., Result]


def _corrected(example_copy: Path) -> Path:
    text = example_copy.read_text(encoding="utf-8")
    text = text.replace("信息数74条", "信息数80条")
    text = text.replace("  本年新收: [0, 0", "  本年新收: [2, 0")
    text = text.replace("  结转下年度: [0, 0", "  结转下年度: [2, 0")
    text = text.replace("  行政许可: 0", "  行政许可: 12")
    example_copy.write_text(text, encoding="utf-8")
    return example_copy


def test_equal_files_exit_0(xxgk: Run, example_path: Path) -> None:
    result = xxgk("diff", example_path, example_path)
    assert result.exit_code == 0
    assert "两个版本内容相同" in result.output


def test_number_and_paragraph_changes(xxgk: Run, example_path: Path, example_copy: Path) -> None:
    result = xxgk("diff", example_path, _corrected(example_copy))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "表二/行政许可：0 → 12",
        "表三/一、本年新收政府信息公开申请数量/自然人：0 → 2",
        "表三/四、结转下年度继续办理/自然人：0 → 2",
        "一、总体情况/（一）主动公开 第1段：将“全年主动公开信息数74条，”更正为“全年主动公开信息数80条，”",
        "共 4 处改动",
    ]


def test_json_output(xxgk: Run, example_path: Path, example_copy: Path) -> None:
    result = xxgk("diff", "--format", "json", example_path, _corrected(example_copy))
    changes = [json.loads(line) for line in result.stdout.splitlines()]
    assert changes[0] == {"kind": "number", "location": "表二/行政许可", "old": "0", "new": "12"}
    assert {c["kind"] for c in changes} == {"number", "paragraph"}


def test_trouble_exits_2(xxgk: Run, example_path: Path, tmp_path: Path) -> None:
    result = xxgk("diff", example_path, tmp_path / "missing.yaml")
    assert result.exit_code == 2
    assert "文件不存在" in result.output


def test_paragraphs_added_removed_and_retitled(example_report: Report) -> None:
    subs = list(example_report.overview.subsections)
    subs[1] = Subsection(title="依申请公开", paragraphs=subs[1].paragraphs)
    new = example_report.model_copy(update={
        "problems": example_report.problems[:1],
        "other_matters": ["无", "本年度未收取信息处理费。"],
        "overview": example_report.overview.model_copy(update={"subsections": subs}),
    })
    text = [str(c) for c in diff_reports(example_report, new)]
    assert text[0] == "一、总体情况/（二） 标题：将“依申请公开情况”更正为“依申请公开”"
    assert text[1].startswith("五、存在的主要问题及改进情况 第2段：删除“2.整改措施：")
    assert text[2] == "六、其他需要报告的事项 第2段：增加“本年度未收取信息处理费。”"
    assert len(text) == 3


def test_built_docx_against_its_data(xxgk: Run, example_path: Path, example_copy: Path,
                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert xxgk("build", example_path, "-o", out).exit_code == 0
    docx = next(out.glob("*.docx"))
    xlsx = next(out.glob("*.xlsx"))
    assert xxgk("diff", example_path, xlsx).exit_code == 0
    same = xxgk("diff", example_path, docx)
    assert same.exit_code == 0, same.output
    changed = xxgk("diff", docx, _corrected(example_copy))
    assert changed.exit_code == 1
    assert "表二/行政许可：0 → 12" in changed.stdout
