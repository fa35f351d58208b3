"""The data-file grammar: numbers read by our own rules, what the grammar refuses, bounded work,
printable messages, YAML mistakes explained in Chinese, every typed line kept."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE
from xxgk import labels
from xxgk.errors import Finding, XxgkError
from xxgk.inputs import load, parse_report
from xxgk.inputs.numbers import read_count, read_date, read_fee, read_year
from xxgk.inputs.printable import shown, unsafe
from xxgk.inputs.source import MAX_BYTES

EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
LICENSING = "  行政许可: 0"
FEE = "  行政事业性收费: 0"
NEW_ROW = "  本年新收: [0, 0, 0, 0, 0, 0]"


def _edit(old: str, new: str, text: str = EXAMPLE_TEXT) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(i + 1 for i, line in enumerate(text.splitlines()) if needle in line)


def _refused(text: str) -> list[Finding]:
    with pytest.raises(XxgkError) as info:
        parse_report(text, "x.yaml")
    return info.value.findings


def _warnings(text: str) -> list[Finding]:
    return parse_report(text, "x.yaml")[1]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("typed", "code", "fix"),
    [
        ("0x1F", "input/not-a-number", "十六进制"),
        ("0o17", "input/not-a-number", "八进制"),
        ("0b11", "input/not-a-number", "二进制"),
        ("1:30", "input/not-a-number", "不是一个数"),
        ("1e3", "input/not-a-number", "请写为 1000"),
        ("1_000", "input/not-a-number", "请写为 1000"),
        ("1,000", "input/not-a-number", "请写为 1000"),
        (".5", "input/not-integer", "不能有小数"),
        ("3.0", "input/not-integer", "请写为 3"),
        ("+3", "input/not-a-number", "请写为 3"),
        ("-1", "input/negative", "非负整数"),
        ("12件", "input/unit", "改为 12"),
        ("1200元", "input/unit", "改为 1200"),
        ("三", "input/not-a-number", "阿拉伯数字"),
        ("yes", "input/not-a-number", "实际为「yes」"),
        ("true", "input/not-a-number", "实际为「true」"),
        ("9" * 5000, "input/too-long", "最多 15 位"),
    ],
)
def test_a_count_is_decimal_digits_and_nothing_else(typed: str, code: str, fix: str) -> None:
    text = _edit(LICENSING, f"  行政许可: {typed}")
    (finding,) = _refused(text)
    assert (finding.code, str(finding.location)) == (code, "表二/行政许可")
    assert finding.location.line == _line_of(text, "行政许可:")
    assert fix in finding.message
    assert len(finding.message) < 200  # a 5 000-digit number is not echoed whole


@pytest.mark.parametrize(
    ("typed", "value", "code"),
    [
        ("010", 10, "input/leading-zero"),  # ten, never eight
        ("00", 0, "input/leading-zero"),
        ("１２", 12, "input/full-width"),
        ("1\u30002", 12, "input/full-width"),
        ("'12'", 12, None),  # quoting does not change the text
        ("12  # 件", 12, None),
    ],
)
def test_counts_read_with_a_warning_saying_what_changed(
    typed: str, value: int, code: str | None
) -> None:
    report, findings = parse_report(_edit(LICENSING, f"  行政许可: {typed}"), "x.yaml")
    assert report.table2.licensing == value
    assert [f.code for f in findings] == ([code] if code else [])
    if code == "input/leading-zero":
        assert f"读作 {value}" in findings[0].message


@pytest.mark.parametrize(
    ("typed", "code", "fix"),
    [
        ("1200元", "input/unit", "1200元 = 0.12 万元，请填 0.12"),
        ("0.12万元", "input/unit", "只填 0.12"),
        (".5", "input/bad-fee", "请写为 0.5"),
        ("1e3", "input/bad-fee", "科学计数法"),
        ("1.2345678", "input/bad-fee", "最多 4 位小数"),
        ("-0.5", "input/bad-fee", "不小于 0"),
        ("NaN", "input/bad-fee", "实际为「NaN」"),
    ],
)
def test_the_fee_is_wan_yuan_with_four_decimals(typed: str, code: str, fix: str) -> None:
    (finding,) = _refused(_edit(FEE, f"  行政事业性收费: {typed}"))
    assert finding.code == code
    assert fix in finding.message


def test_full_width_fee_and_year_are_read_with_a_warning() -> None:
    text = _edit(FEE, "  行政事业性收费: ０．５")
    text = _edit("年度: 2021", "年度: ２０２１", text)
    report, findings = parse_report(text, "x.yaml")
    assert (report.table2.fees, report.year) == (Decimal("0.5"), 2021)
    assert [f.code for f in findings] == ["input/full-width", "input/full-width"]
    assert [f.location.line for f in findings] == sorted(f.location.line or 0 for f in findings)


@pytest.mark.parametrize(
    ("old", "new", "code", "fix"),
    [
        ("年度: 2021", "年度: 2021年", "input/unit", "改为 2021"),
        ("年度: 2021", "年度: 99999", "input/bad-year", "四位数年份"),
        ("年度: 2021", "年度: 0x7E5", "input/bad-year", "四位数年份"),
        ("  成文日期: ", "  成文日期: 2022年1月20日", "input/bad-date", "请写为 2022-01-20"),
        ("  成文日期: ", "  成文日期: 2022-02-30", "input/bad-date", "YYYY-MM-DD"),
        ("  成文日期: ", "  成文日期: !!timestamp 2022-01-01", "input/tag", "!!timestamp"),
    ],
)
def test_year_and_date_by_our_own_rules(old: str, new: str, code: str, fix: str) -> None:
    (finding,) = _refused(_edit(old, new))
    assert finding.code == code
    assert fix in finding.message


@given(st.text(max_size=60))
@settings(max_examples=400, deadline=None)
def test_number_readers_take_any_text(text: str) -> None:
    for read in (read_count, read_fee, read_year, read_date):
        got = read(text)  # type: ignore[operator]
        assert (got.value is None) != (got.error is None)
        for said in (got.error, got.warning):
            if said is not None:
                assert said[1]
                assert not any(unsafe(ch) for ch in said[1])
    count = read_count(text).value
    if count is not None:  # only digits, once full-width forms are made half-width
        assert str(count) == text.strip().translate(_WIDE).lstrip("0") or count == 0


_WIDE = {0xFF10 + i: str(i) for i in range(10)} | {0x3000: None, 0xA0: None, 0x2002: None,
                                                   0x2003: None, 0x2009: None, 0x200B: None,
                                                   0xFEFF: None}


# ---------------------------------------------------------------- refused by the grammar


@pytest.mark.parametrize(
    "value",
    [
        "!!bool maybe",
        "!!timestamp x",
        '!!int ""',
        "!!float 1",
        "!!str 0",  # the one tag that is fine
        "!!python/object/apply:os.system [echo]",
        "!!python/name:os.system",
        "!local 3",
        "!!binary aGVsbG8=",
        "!!set {a}",
        "!!omap [a: 1]",
    ],
)
def test_tags_other_than_str_seq_map_are_refused(value: str) -> None:
    text = _edit(LICENSING, f"  行政许可: {value}")
    if value.startswith("!!str"):
        assert parse_report(text)[0].table2.licensing == 0
        return
    findings = _refused(text)
    assert [f.code for f in findings] == ["input/tag"]
    assert findings[0].location.line == _line_of(text, "行政许可:")
    assert "请删除它" in findings[0].message


def _laughs(levels: int) -> str:
    text = '机关名称: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for i in range(1, levels):
        text += f"k{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 9) + "]\n"
    return text


def test_aliases_are_refused_before_anything_multiplies() -> None:
    findings = _refused(_laughs(12))  # 9**12 lols if expanded
    assert [f.code for f in findings] == ["input/alias"]
    assert len(str(findings[0])) < 300
    text = _edit(NEW_ROW, "  本年新收: &row [0, 0, 0, 0, 0, 0]")
    text = _edit("  上年结转: [0, 0, 0, 0, 0, 0]", "  上年结转: *row", text)
    assert [f.code for f in _refused(text)] == ["input/alias"]


def test_an_anchor_never_silently_takes_a_values_place() -> None:
    text = _edit(LICENSING, "  行政许可: &3")
    assert [f.code for f in _refused(text)] == ["input/alias"]
    report = parse_report(_edit("  发文字号: ", "  发文字号: R&D 1号  "))[0]
    assert report.header.doc_number == "R&D 1号"


@pytest.mark.parametrize(
    "text",
    [
        "机关名称: " + "[" * 100_000 + "]" * 100_000,
        "机关名称: " + "{a: " * 50_000 + "}" * 50_000,
        "- " * 100_000 + "x",
        "".join(" " * i + f"k{i}:\n" for i in range(3000)),
        "机关名称: " + "[" * 100_000 + "\x1f",  # a character the pure reader refuses up front
    ],
    ids=["brackets", "braces", "dashes", "indents", "brackets-then-control"],
)
def test_deep_nesting_is_refused_without_recursing(text: str) -> None:
    (finding,) = _refused(text)
    assert finding.code in ("input/too-deep", "input/yaml-syntax")
    if finding.code == "input/too-deep":
        assert "嵌套超过 100 层" in finding.message


def test_nesting_a_data_file_could_have_still_reads() -> None:
    findings = _refused("机关名称: " + "[" * 90 + "]" * 90)
    assert findings[0].code != "input/too-deep"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "data.yaml"
    os.mkfifo(fifo)
    with pytest.raises(XxgkError) as info:
        load(fifo)  # a blocking open would wait for a writer for ever
    assert info.value.findings[0].code == "input/not-a-file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_before_reading() -> None:
    with pytest.raises(XxgkError) as info:
        load("/dev/zero")
    assert info.value.findings[0].code == "input/not-a-file"
    assert "不是普通文件" in info.value.findings[0].message


def test_a_folder_and_a_huge_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(XxgkError) as info:
        load(tmp_path)
    assert info.value.findings[0].code == "input/not-a-file"
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(XxgkError) as info:
        load(huge)
    assert info.value.findings[0].code == "input/too-large"


# ---------------------------------------------------------------- safe to print


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (LICENSING, '  "\\ud800\\x1b[31m\\u202e": 0'),
        (LICENSING, '  行政许可: "\\ud800"'),
        ("  发文字号: ", '  发文字号: "永\\ud800\\x1b]0;title\\x07"'),
        ("机关名称: 晋江市永和镇", '机关名称: "晋江\\r\\u2028永和"'),
    ],
)
def test_every_message_is_safe_to_print(old: str, new: str) -> None:
    for finding in _refused(_edit(old, new)):
        said = str(finding)
        assert not any(unsafe(ch) for ch in said), said
        said.encode("utf-8")
        said.encode("gbk", errors="strict") if all(ord(c) < 0x3000 for c in said) else None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(bytes(tmp_path) + b"/\xff\xfe.yaml")
    Path(name).write_text("年度: [", encoding="utf-8")
    with pytest.raises(XxgkError) as info:
        load(name)
    said = str(info.value)
    said.encode("utf-8")  # no lone surrogate left
    assert "\\udcff\\udcfe.yaml" in said


@given(st.text(max_size=80))
def test_shown_text_is_printable_and_short(text: str) -> None:
    said = shown(text, limit=20)
    assert not any(unsafe(ch) for ch in said)
    said.encode("utf-8")
    assert len(said) <= 20 * 10 + 1


@pytest.mark.parametrize("text", ["a: \ud800", "\udcff", "机关名称: x\x00", "机关名称: \x1b[2J"])
def test_text_with_characters_yaml_refuses_is_refused_by_line(text: str) -> None:
    (finding,) = _refused(text)
    assert finding.code == "input/yaml-syntax"
    assert finding.location.line == 1
    assert not any(unsafe(ch) for ch in str(finding))


def test_control_characters_are_refused_in_names() -> None:
    for old, new in [
        ("机关名称: 晋江市永和镇", '机关名称: "晋江市\\x1b[2J永和镇"'),
        ("  署名: ", '  署名: "永和\\u202e镇"'),
    ]:
        (finding,) = _refused(_edit(old, new))
        assert finding.code == "input/control-character"


# ---------------------------------------------------------------- YAML mistakes, in Chinese


@pytest.mark.parametrize(
    ("old", "new", "line_of", "words"),
    [
        (LICENSING, "\t行政许可: 0", "行政许可", "Tab"),
        (LICENSING, "  行政许可: [3, 0", "行政许可", "没有配对的「]」"),
        (LICENSING, "  行政许可: {a: 3", "行政许可", "没有配对的「}」"),
        (LICENSING, "  行政许可: *3", "行政许可", "值不能以「*」开头"),
        (LICENSING, "  行政许可: &", "行政许可", "值不能以「&」开头"),
        (LICENSING, "  行政许可: @3", "行政许可", "值不能以「@」开头"),
        (LICENSING, "  行政许可: `3", "行政许可", "值不能以「`」开头"),
        (LICENSING, '  行政许可: "3', "行政许可", "引号没有闭合"),
        (LICENSING, "  行政许可: '3", "行政许可", "引号没有闭合"),
        (LICENSING, "   行政许可: 0", "行政许可", "缩进"),
        (LICENSING, " 行政许可: 0", "行政许可", "缩进"),
        (LICENSING, "  行政许可: 3: 4", "行政许可", "多了一个「:」"),
        (LICENSING, "  行政许可 3", "行政许可 3", "缺少「: 」"),
        ("  概述: |", "  概述: | 2021年", "概述", "换行"),
        (LICENSING, '  行政许可: "a\\qb"', "行政许可", "反斜杠"),
        (LICENSING, "  行政许可: 0\x07", "行政许可", "控制字符 \\x07"),
        (LICENSING, "  行政许可: - 3", "行政许可", "「- 」"),
        ("  发文字号: ", "  发文字号: [2026]1号", "发文字号", "整个值都要放在一对引号里"),
        (LICENSING, "  许可事项：3", "许可事项", "中文冒号「：」"),
        (LICENSING, "  行政许可: 0\n  - 3", "  - 3", "不能开始一个「- 」列表项"),
        ("格式版本: 2021", "%版本 2021\n格式版本: 2021", "%版本", "文件开头"),
        ("  署名: ", '  署名: "某镇"办公室', "某镇", "整个值都要放在一对引号里"),
        ("机关名称: 晋江市永和镇", "机关名称: |\n某某镇", "某某镇", "多缩进两个空格"),
        ("  概述: |\n    2021", "  概述: |\n  2021", "2021年永和镇", "多缩进两个空格"),
    ],
)
def test_yaml_mistakes_are_explained_in_chinese_at_their_line(
    old: str, new: str, line_of: str, words: str
) -> None:
    text = _edit(old, new)
    (finding,) = _refused(text)
    assert finding.code == "input/yaml-syntax"
    assert words in finding.message
    assert finding.location.line == _line_of(text, line_of)
    assert not any(ch.isascii() and ch.isalpha() for ch in finding.message.split("：", 1)[1]
                   .replace("YAML", "").replace("Tab", "").replace("inputs/example.yaml", "")
                   .replace("\\x07", "").replace("\\q", ""))


def test_a_paragraph_line_with_a_wide_colon_never_becomes_a_key() -> None:
    text = _edit("  概述: |\n    2021", "  概述: |\n  2021")  # the line ends with 「：」
    (finding,) = _refused(text)
    assert finding.code == "input/yaml-syntax"


def test_duplicate_keys_name_both_lines() -> None:
    text = _edit(LICENSING, "  行政许可: 0\n  行政许可: 1")
    (finding,) = _refused(text)
    assert finding.code == "input/duplicate-key"
    assert f"第一次在第 {_line_of(text, '行政许可')} 行" in finding.message


def test_full_width_colon_after_a_key_is_mended_with_a_warning() -> None:
    text = _edit("  行政处罚: 0", "  行政处罚：3")
    text = _edit("年度: 2021", "年度：2021", text)
    report, findings = parse_report(text, "x.yaml")
    assert (report.table2.punishment, report.year) == (3, 2021)
    assert [(f.code, f.location.line) for f in findings] == [
        ("input/full-width", _line_of(text, "年度：2021")),
        ("input/full-width", _line_of(text, "行政处罚")),
    ]


@pytest.mark.parametrize(
    "row",
    ["[7，2, 0, 0, 0, 0]", "[7，2，0，0，0，0]", "[7、2、0、0、0、0]", "［7，2，0，0，0，0］",
     "7, 2, 0, 0, 0, 0", "7 2 0 0 0 0"],
)
def test_rows_typed_with_full_width_commas_are_read_with_a_warning(row: str) -> None:
    report, findings = parse_report(_edit(NEW_ROW, f"  本年新收: {row}"), "x.yaml")
    assert report.table3.row("new").cells == (7, 2, 0, 0, 0, 0)
    assert len(findings) == 1
    assert findings[0].code in ("input/full-width", "input/not-a-list")


def test_findings_come_in_line_order() -> None:
    text = _edit("  行政复议: [0, 0, 0, 0]", "  行政复议: [x, 0, 0, 0]")
    text = _edit("年度: 2021", "年度: 二〇二一", text)
    text = _edit("  规章: [0, 0, 0]", "  规章: [0, 0]", text)
    lines = [f.location.line or 0 for f in _refused(text)]
    assert lines == sorted(lines)
    assert len(lines) == 3


# ---------------------------------------------------------------- every typed line kept


def test_text_lost_to_a_comment_is_reported_at_its_line() -> None:
    text = _edit("  发文字号: ", "  发文字号: 永政〔2026〕 #1号")
    report, findings = parse_report(text, "x.yaml")
    assert report.header.doc_number == "永政〔2026〕"
    (finding,) = findings
    assert finding.code == "input/comment-lost"
    assert finding.location.line == _line_of(text, "发文字号")
    assert "「1号」被当作注释" in finding.message  # the note that follows is not quoted


def test_crlf_line_ends_read_the_same() -> None:
    text = _edit("  发文字号: ", "  发文字号: 永政 #1号")
    lf = parse_report(text)
    crlf = parse_report(text.replace("\n", "\r\n"))
    assert lf == crlf


def test_the_dumpers_own_notes_are_not_lost_text() -> None:
    assert parse_report(EXAMPLE_TEXT)[1] == []


PARAGRAPH_FORMS = {
    "plain": "  概述: 第一段\n    第二段 # 注\n",
    "double": '  概述: "第一段\n    第二段\\n第三段"\n',
    "single": "  概述: '第一段\n    第二段'\n",
    "literal": "  概述: |\n    第一段\n    第二段\n",
    "folded": "  概述: >\n    第一段\n    第二段\n",
    "list": "  概述:\n    - 第一段\n    - \"第二段\\n第三段\"\n",
}


@pytest.mark.parametrize("form", PARAGRAPH_FORMS)
def test_every_newline_in_any_scalar_form_is_a_paragraph_break(form: str) -> None:
    start = EXAMPLE_TEXT.index("  概述: |")
    end = EXAMPLE_TEXT.index("  分项:")
    text = EXAMPLE_TEXT[:start] + PARAGRAPH_FORMS[form] + EXAMPLE_TEXT[end:]
    intro = parse_report(text)[0].overview.intro
    expected = ["第一段", "第二段"] + (["第三段"] if form in ("double", "list") else [])
    assert intro == expected


def test_a_title_keeps_its_line_break() -> None:
    title = "标题: |\n  晋江市永和镇\n  2021年政府信息公开工作年度报告\n"
    text = _edit("\n文头:", f"{title}\n文头:")
    assert parse_report(text)[0].title == "晋江市永和镇\n2021年政府信息公开工作年度报告"


def test_one_line_fields_refuse_a_second_line() -> None:
    (finding,) = _refused(_edit("机关名称: 晋江市永和镇", "机关名称: |\n  晋江市\n  永和镇"))
    assert finding.code == "input/multi-line"
    assert str(finding.location) == labels.KEY_ORGAN


def test_check_prints_findings_in_line_order(xxgk: Callable[..., Result], example_copy: Path) -> None:
    text = example_copy.read_text(encoding="utf-8")
    text = _edit("  本年新收: [0, 0", "  本年新收: [1, 0", text)  # a 勾稽 error at line ~50
    text = _edit(LICENSING, "  行政许可: １", text)  # a reader warning before it
    example_copy.write_text(text, encoding="utf-8")
    result = xxgk("check", example_copy)
    lines = [
        int(line.split(":")[1])
        for line in result.output.splitlines()
        if line.startswith(str(example_copy) + ":") and line.split(":")[1].isdigit()
    ]
    assert len(lines) >= 3
    assert lines == sorted(lines)


def test_what_a_clerk_types_into_a_new_file_stays_text() -> None:
    from xxgk.scaffold import empty_report, scaffold_text

    text = scaffold_text(empty_report("某镇", 2025))
    assert parse_report(text)[1] == []  # a new file reads without a warning
    typed = "某镇 #1: [东区] {甲} '乙' \"丙\" *丁 &戊 !己 %庚 @辛 `壬"
    text = _edit("\n  某镇\n", f"\n  {typed}\n", text)
    text = _edit("  概述: |\n", f"  概述: |\n    {typed}\n    # 第二段\n", text)
    report = parse_report(text)[0]
    assert report.organ == typed
    assert report.overview.intro == [typed, "# 第二段"]
