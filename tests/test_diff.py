"""`xxgk diff`: what a correction changed, in words for a 更正说明, and its exit codes."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.api import load_source
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


# ---------------------------------------------------------------- a build against its data

_HEADER_VALUES = {
    "发文机关标志": "晋江市永和镇人民政府文件",
    "发文字号": "永政〔2022〕1号",
    "成文日期": "2022-01-20",
    "署名": "晋江市永和镇人民政府",
}


@pytest.mark.parametrize(
    "present",
    list(itertools.product([False, True], repeat=len(_HEADER_VALUES))),
    ids=lambda p: "".join("1" if x else "0" for x in p),
)
def test_every_header_combination_reads_back_unchanged(
    xxgk: Run, example_copy: Path, tmp_path: Path, present: tuple[bool, ...]
) -> None:
    text = example_copy.read_text(encoding="utf-8")
    for (key, value), on in zip(_HEADER_VALUES.items(), present, strict=True):
        text, n = re.subn(rf"^  {key}:.*$", f"  {key}: {value}" if on else f"  {key}:", text,
                          count=1, flags=re.M)
        assert n == 1
    example_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert xxgk("build", example_copy, "-o", out, "--html").exit_code == 0
    data = load_source(example_copy)[0]
    outputs = sorted(p for p in out.iterdir() if p.suffix in (".docx", ".xlsx", ".html"))
    assert [p.suffix for p in outputs] == [".docx", ".html", ".xlsx"]
    for output in outputs:
        assert [str(c) for c in diff_reports(data, load_source(output)[0])] == [], output.suffix


def test_signer_is_compared_as_published(example_report: Report) -> None:
    dated = example_report.header.model_copy(update={"date": dt.date(2022, 1, 20)})
    blank = example_report.model_copy(update={"header": dated})
    named = example_report.model_copy(
        update={"header": dated.model_copy(update={"signer": example_report.organ})})
    assert diff_reports(blank, named) == []  # a blank 署名 prints the organ
    undated = example_report.model_copy(update={
        "header": example_report.header.model_copy(update={"signer": "某某人民政府"})})
    assert diff_reports(example_report, undated) == []  # no date: no 署名 printed
    other = named.model_copy(
        update={"header": dated.model_copy(update={"signer": "晋江市永和镇人民政府"})})
    assert [str(c) for c in diff_reports(named, other)] == [
        "文头/署名：晋江市永和镇 → 晋江市永和镇人民政府"]


# ---------------------------------------------------------------- clause alignment

def _with_six(report: Report, *paragraphs: str) -> Report:
    return report.model_copy(update={"other_matters": list(paragraphs)})


def test_inserted_clause_is_quoted_with_its_neighbour(example_report: Report) -> None:
    old = _with_six(example_report, "甲项已完成，乙项正在推进。丙项明年开始。")
    new = _with_six(example_report, "甲项已完成，新增一项，乙项正在推进。丙项明年开始。")
    assert [str(c) for c in diff_reports(old, new)] == [
        "六、其他需要报告的事项 第1段：将“乙项正在推进。”更正为“新增一项，乙项正在推进。”"]


def test_one_character_in_a_long_paragraph(example_report: Report) -> None:
    clauses = [f"第{i}项工作按期完成，" for i in range(20000)]
    changed = list(clauses)
    changed[12345] = "第12345项工作延期完成，"
    changes = diff_reports(_with_six(example_report, "".join(clauses)),
                           _with_six(example_report, "".join(changed)))
    assert [(c.old, c.new) for c in changes] == [("第12345项工作按期完成，", "第12345项工作延期完成，")]


_CLAUSE_TEXT = st.lists(
    st.sampled_from(["公开", "申请", "12", "3.5", "，", "。", "；", "、", "无", " "]), max_size=40
).map("".join)


@settings(max_examples=200, deadline=None)
@given(old=_CLAUSE_TEXT, new=_CLAUSE_TEXT)
def test_clause_changes_quote_each_side(example_report: Report, old: str, new: str) -> None:
    changes = diff_reports(_with_six(example_report, old or "无"),
                           _with_six(example_report, new or "无"))
    if (old or "无") == (new or "无"):
        assert changes == []
    else:
        assert changes
        for change in changes:
            assert (change.old or "") in (old or "无")
            assert (change.new or "") in (new or "无")
