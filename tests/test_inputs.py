"""The YAML data file: the example, the round trip through dump, and every bad-input class."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports import consistent_reports
from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.inputs import dump_report, parse_report
from xxgk.model import Report, Subsection


def test_example_transcribes_the_seed_report(example_report: Report) -> None:
    r = example_report
    assert (r.organ, r.year, r.format_version) == ("晋江市永和镇", 2021, "2021")
    assert r.header.issuer_mark == "晋江市永和镇人民政府文件"
    assert r.display_title == "晋江市永和镇2021年政府信息公开工作年度报告"
    assert [s.title for s in r.overview.subsections] == [
        "主动公开",
        "依申请公开情况",
        "政府信息管理情况",
        "平台建设情况",
        "监督保障情况",
    ]
    assert r.overview.intro[0].startswith("2021年永和镇人民政府坚持以习近平新时代")
    # paragraphs the paste broke mid-word are whole again
    assert "安全生产应急管理类信息20条" in r.overview.subsections[0].paragraphs[0]
    assert "政务公开工作领导小组" in r.overview.subsections[4].paragraphs[0]
    assert len(r.problems) == 2
    assert r.other_matters == ["无"]
    assert all(v == 0 for row in r.table3.rows.values() for v in row.cells)
    assert r.table4.review.total == 0
    assert r.table2.fees == Decimal(0)


def test_example_paragraphs_are_word_for_word(example_report: Report) -> None:
    seed = pytest.importorskip("pathlib").Path(__file__).parent / "data" / "yonghe-2021.txt"
    text = "".join(seed.read_text(encoding="utf-8").split())
    for paragraphs in example_report.section_paragraphs().values():
        for p in paragraphs:
            assert "".join(p.split()) in text, p[:30]


def test_dump_round_trip_of_example(example_report: Report) -> None:
    assert parse_report(dump_report(example_report))[0] == example_report


prose = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20)


@given(consistent_reports(), st.lists(prose, max_size=4), names, names)
@settings(max_examples=60, deadline=None)
def test_any_text_survives_the_data_file(
    report: Report, paragraphs: list[str], title: str, organ: str
) -> None:
    # Every line of a text is a paragraph, stored stripped; blank lines say nothing.
    lines = [s for p in paragraphs for line in p.splitlines() if (s := line.strip())]
    report = report.model_copy(
        update={
            "organ": organ.strip() or "某镇",
            "problems": paragraphs,
            "overview": report.overview.model_copy(
                update={
                    "subsections": [
                        Subsection(title=title.strip() or "主动公开", paragraphs=paragraphs)
                    ]
                }
            ),
        }
    )
    text = dump_report(report)
    back = parse_report(text)[0]
    assert back.problems == lines
    assert back.overview.subsections[0].paragraphs == lines
    assert back.overview.subsections[0].title == report.overview.subsections[0].title
    assert back.table3 == report.table3
    assert back.organ == report.organ


def _codes(text: str) -> list[tuple[str, str, int | None]]:
    with pytest.raises(XxgkError) as info:
        parse_report(text, "x.yaml")
    return [(f.code, str(f.location), f.location.line) for f in info.value.findings]


def _edit(example: str, old: str, new: str) -> str:
    assert old in example
    return example.replace(old, new, 1)


@pytest.fixture(scope="module")
def example_text() -> str:
    from tests.conftest import EXAMPLE

    return EXAMPLE.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(i + 1 for i, line in enumerate(text.splitlines()) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "code", "place", "message"),
    [
        (
            "  本年新收: [0, 0",
            "  本年新收: [三, 0",
            "input/not-a-number",
            f"表三/{labels.TABLE3_NEW}/自然人",
            "应为非负整数，实际为「三」",
        ),
        (
            "  本年新收: [0, 0",
            "  本年新收: [3.5, 0",
            "input/not-integer",
            f"表三/{labels.TABLE3_NEW}/自然人",
            "实际为「3.5」",
        ),
        (
            "  本年新收: [0, 0",
            "  本年新收: [-1, 0",
            "input/negative",
            f"表三/{labels.TABLE3_NEW}/自然人",
            "实际为「-1」",
        ),
        (
            "  本年新收: [0, 0, 0, 0, 0, 0]",
            "  本年新收: [0, 0, 0, 0, 0]",
            "input/wrong-length",
            f"表三/{labels.TABLE3_NEW}",
            "应为 6 个数",
        ),
        (
            "  上年结转:",
            "  上年结专:",
            "input/unknown-key",
            "表三/上年结专",
            "是否应为「上年结转」",
        ),
        (
            "  本年新收: [0, 0, 0, 0, 0, 0]",
            "  本年新收: {自然仁: 0, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0}",
            "input/unknown-key",
            f"表三/{labels.TABLE3_NEW}/自然仁",
            "是否应为「自然人」",
        ),
        (
            "    不予处理:",
            "    不予处里:",
            "input/unknown-key",
            "表三/三、本年度办理结果/不予处里",
            "是否应为「不予处理」",
        ),
        (
            "  行政许可: 0",
            "  行政许可: 0\n  行政许可: 1",
            "input/duplicate-key",
            "表二/行政许可",
            "重复",
        ),
        (
            "  行政事业性收费: 0",
            "  行政事业性收费: 1.2345678",
            "input/bad-fee",
            "表二/行政事业性收费",
            "最多 4 位小数",
        ),
        ("年度: 2021", "年度: 二〇二一", "input/bad-year", "年度", "四位数年份"),
        (
            "  成文日期: ",
            "  成文日期: 2022年1月20日",
            "input/bad-date",
            "文头/成文日期",
            "YYYY-MM-DD",
        ),
    ],
)
def test_bad_values_are_named_at_their_line(
    example_text: str, old: str, new: str, code: str, place: str, message: str
) -> None:
    text = _edit(example_text, old, new)
    with pytest.raises(XxgkError) as info:
        parse_report(text, "x.yaml")
    findings = info.value.findings
    assert [f.code for f in findings] == [code]
    finding = findings[0]
    assert str(finding.location) == place
    assert message in finding.message
    assert finding.location.file == "x.yaml"
    key = new.strip().splitlines()[-1].split(":")[0]
    last = max(
        i + 1
        for i, line in enumerate(text.splitlines())
        if line.strip().startswith(key.strip() + ":")
    )
    assert finding.location.line == last


def test_missing_key_is_named(example_text: str) -> None:
    text = "\n".join(line for line in example_text.splitlines() if "重复申请:" not in line)
    assert _codes(text) == [
        (
            "input/missing-key",
            "表三/三、本年度办理结果/（五）不予处理/重复申请",
            _line_of(text, "信访举报投诉类申请:"),
        )
    ]


def test_missing_table_is_named(example_text: str) -> None:
    start = example_text.index("四、政府信息公开行政复议")
    end = example_text.index("五、存在的主要问题")
    codes = _codes(example_text[:start] + example_text[end:])
    assert [(c, p) for c, p, _ in codes] == [
        ("input/missing-key", "四、政府信息公开行政复议、行政诉讼情况")
    ]


def test_yaml_syntax_error_has_line(example_text: str) -> None:
    text = _edit(example_text, "  规章: [0, 0, 0]", "  规章: [0, 0, 0")
    ((code, _, line),) = _codes(text)
    assert code == "input/yaml-syntax"
    assert line is not None


def test_all_problems_are_reported_at_once(example_text: str) -> None:
    text = _edit(example_text, "  本年新收: [0, 0", "  本年新收: [三, 0")
    text = _edit(text, "  行政许可: 0", "  行政许可: 很多")
    assert len(_codes(text)) == 2


def test_rows_may_carry_a_stated_total(example_text: str) -> None:
    text = _edit(
        example_text, "  本年新收: [0, 0, 0, 0, 0, 0]", "  本年新收: [1, 0, 0, 0, 0, 0, 1]"
    )
    report = parse_report(text)[0]
    assert report.table3.row("new").stated_total == 1
    assert report.table3.row("new").total == 1


def test_blank_cells_load_as_none(example_text: str) -> None:
    text = _edit(example_text, "  行政复议: [0, 0, 0, 0]", "  行政复议: [~, ~, 0, 0]")
    assert parse_report(text)[0].table4.review.upheld is None
