"""The .txt importer: the real paste of the example, and hand-made variants of it."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

from tests.import_support import (
    PASTE,
    example,
    numbered,
    paste,
    paste_of,
    tables,
    without_stated_totals,
)
from xxgk import labels
from xxgk.errors import Severity, XxgkError
from xxgk.importers import ImportResult, import_source
from xxgk.importers.document import parse_title
from xxgk.importers.txt import parse_text, read
from xxgk.inputs import dump_report, parse_report
from xxgk.model import ReviewOutcomes

REVIEW_BLANKS = [f"表四/行政复议/{name}" for _, name in labels.TABLE4_OUTCOMES]


def codes(result: ImportResult, code: str) -> list[str]:
    """Locations of the findings with this code."""
    return [str(f.location) for f in result.findings if f.code == code]


# ---------------------------------------------------------------- the golden example


@pytest.fixture(scope="module")
def golden() -> ImportResult:
    return import_source(PASTE)


def test_golden_paste_equals_the_transcribed_example(golden: ImportResult) -> None:
    # The paste's 表四 row leaves the five 行政复议 cells blank; the hand transcription
    # (inputs/example.yaml) reads them as 0, as the issue said. The importer is honest: it reads
    # them as None and reports each. We fill exactly the reported blanks with 0 before comparing.
    assert codes(golden, "import/blank-cell") == REVIEW_BLANKS
    review = golden.report.table4.review
    assert review.cells() == (None, None, None, None)
    filled = golden.report.model_copy(
        update={
            "table4": golden.report.table4.model_copy(
                update={"review": ReviewOutcomes(upheld=0, corrected=0, other=0, pending=0)}
            )
        }
    )
    assert without_stated_totals(filled) == example()
    assert golden.source_format == "2021"
    assert golden.report.format_version == "2021"


def test_golden_findings_are_only_the_blanks(golden: ImportResult) -> None:
    assert {f.code for f in golden.findings} == {"import/blank-cell"}
    assert all(f.severity is Severity.WARNING for f in golden.findings)
    assert all(f.location.file == str(PASTE) and f.location.line == 83 for f in golden.findings)


def test_golden_stated_totals_are_kept_and_agree(golden: ImportResult) -> None:
    t3 = golden.report.table3
    for row in labels.TABLE3_ROWS:
        assert t3.row(row.id).stated_total == t3.row(row.id).total == 0
    assert t3.stated_results_total is not None
    assert t3.stated_results_total.cells == t3.results_total()
    assert t3.stated_results_total.stated_total == t3.results_grand_total()
    t4 = golden.report.table4
    assert t4.review.stated_total is None  # blank in the paste too
    assert t4.direct_suit.stated_total == t4.direct_suit.total == 0
    assert t4.suit_after_review.stated_total == t4.suit_after_review.total == 0


def test_golden_header_and_narrative(golden: ImportResult) -> None:
    report = golden.report
    assert (report.organ, report.year, report.title) == ("晋江市永和镇", 2021, None)
    assert report.header.issuer_mark == "晋江市永和镇人民政府文件"
    assert [s.title for s in report.overview.subsections] == [
        "主动公开",
        "依申请公开情况",
        "政府信息管理情况",
        "平台建设情况",
        "监督保障情况",
    ]
    assert report.other_matters == ["无"]


# ---------------------------------------------------------------- numbers land in their cells


@pytest.fixture(scope="module")
def numbered_report():  # type: ignore[no-untyped-def]
    return numbered(example())


def test_every_number_lands_in_its_cell(numbered_report) -> None:  # type: ignore[no-untyped-def]
    result = parse_text(paste_of(numbered_report))
    assert tables(result.report) == tables(numbered_report)
    assert result.findings == []
    assert result.report.table3.row("other_handling.other").stated_total == sum(
        numbered_report.table3.row("other_handling.other").cells
    )


def edit_tables(text: str, edit) -> str:  # type: ignore[no-untyped-def]
    """Apply ``edit`` to every table line (a line with a tab) of the text."""
    return "\n".join(edit(line) if "\t" in line else line for line in text.split("\n"))


VARIANTS = {
    "spaces instead of tabs": lambda t: edit_tables(t, lambda line: line.replace("\t", "   ")),
    "full-width digits": lambda t: edit_tables(
        t, lambda line: line.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    ),
    "full-width brackets": lambda t: edit_tables(
        t, lambda line: line.replace("(", "（").replace(")", "）")
    ),
    "half-width brackets": lambda t: edit_tables(
        t, lambda line: line.replace("（", "(").replace("）", ")")
    ),
    "labels broken by spaces": lambda t: edit_tables(
        t,
        lambda line: (
            line.replace("本机关不掌握", "本 机关 不掌握")
            .replace("予以公开", "予 以公 开")
            .replace("规章", "规 章")
        ),
    ),
    "straight quotes": lambda t: t.replace("“三安全一稳定”", '"三安全一稳定"'),
    "units in headers": lambda t: t.replace("本年制发件数", "本年制发件数（件）").replace(
        "结果 维持", "结果维持（件）"
    ),
    "header repeated after the page break": lambda t: t.replace(
        "\n\n三、本 年度办 理结果",
        "\n\n" + "\n".join(t.split("\n")[47:50]) + "\n三、本 年度办 理结果",
    ),
    "CRLF line ends": lambda t: t.replace("\n", "\r\n"),
    "label broken over two lines": lambda t: t.replace(
        "\t\t2.其他法律行政法规禁止公开\t", "\t\t2.其他法律行政\n法规禁止公开\t"
    ),
    "group and sub-item flattened into one cell": lambda t: t.replace(
        "\t(三) 不予公开\t1.属于国家秘密\t", "\t（三）不予公开 1.属于国家秘密\t"
    ).replace("\t(五) 不 予处理\t1.信访", "\t(五) 不 予处理1.信访"),
    "label broken after its group label": lambda t: t.replace(
        "\t(三) 不予公开\t1.属于国家秘密\t", "\t(三) 不予公开\t1.属于国家\n秘密\t"
    ),
    "a unit note above 表三": lambda t: t.replace("\n(本列数据", "\n单位：件\n(本列数据"),
    "label split over two cells": lambda t: t.replace(
        "一、本年新收政府信息公开申请数量\t\t", "一、本年新收政府\t信息公开申请数量\t"
    ).replace("\t\t3.要求提供公开出版物", "\t\t3.要求提供\t公开出版物"),
    # What page-to-text tools make of a web table (seen on real report pages, tests/data/real-openings)
    "cells ended by pipes": lambda t: edit_tables(
        t, lambda line: " | ".join(c.strip() for c in line.split("\t")) + " |"
    ),
    "one cell a line, ended by pipes": lambda t: edit_tables(
        t, lambda line: "|\n" + "\n".join(f"{c.strip()} |" for c in line.split("\t") if c.strip())
    ),
    "heading cut short": lambda t: t.replace("现行有效件数", "现行有效件"),
    "label broken after its numbers": lambda t: re.sub(
        r"5\.要求行政机关确认或重新(出具已获取信息)(\t[^\n]*)", r"5.要求行政机关确认或重新\2\n\1", t
    ),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_tolerated_variants_read_the_same_numbers(name: str, numbered_report) -> None:  # type: ignore[no-untyped-def]
    original = paste_of(numbered_report)
    text = VARIANTS[name](original)
    assert text != original, "the variant must change the text"
    result = parse_text(text)
    assert tables(result.report) == tables(numbered_report), name
    assert [f for f in result.findings if f.code != "import/fuzzy-label"] == [], name


@pytest.mark.parametrize("mark", ["—", "-", "/", "无", "〇", "－", "0件"])
def test_zero_marks_read_as_zero(mark: str) -> None:
    text = (
        paste()
        .replace("行政处罚\t0", f"行政处罚\t{mark}")
        .replace("\t\t3.其他\t0\t0", f"\t\t3.其他\t{mark}\t{mark}")
    )
    result = parse_text(text)
    assert result.report.table2.punishment == 0
    assert result.report.table3.row("other_handling.other").cells[:2] == (0, 0)
    assert codes(result, "import/unreadable-cell") == []


def test_fee_in_yuan_is_converted_and_reported() -> None:
    text = (
        paste()
        .replace("本年收费金额（单位：万元）", "本年收费金额（单位：元）")
        .replace("行政事业性收费\t0", "行政事业性收费\t12,345")
    )
    result = parse_text(text)
    assert result.report.table2.fees == Decimal("1.2345")
    assert codes(result, "import/unit") == ["表二/行政事业性收费/本年收费金额（单位：万元）"]


# ---------------------------------------------------------------- honesty


def test_wrong_stated_total_is_kept_at_its_row_and_column() -> None:
    lines = paste().split("\n")
    at = next(i for i, line in enumerate(lines) if "(七) 总计" in line)
    lines[at] = "\t(七) 总计\t5\t0\t0\t0\t0\t0\t9\t"
    at = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    lines[at] = "一、本年新收政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t3\t"
    report = parse_text("\n".join(lines)).report
    total = report.table3.stated_results_total
    assert total is not None
    assert total.cells[0] == 5
    assert total.stated_total == 9
    assert report.table3.results_total()[0] == 0  # computed, not the stated 5
    assert report.table3.row("new").stated_total == 3
    assert report.table3.row("new").total == 0


def test_unreadable_cell_is_reported_with_its_location_and_stays_none() -> None:
    text = paste().replace("1.属于国家秘密\t0\t0", "1.属于国家秘密\t0\t三")
    result = parse_text(text)
    assert result.report.table3.row("refused.state_secret").cells[1] is None
    [finding] = [f for f in result.findings if f.code == "import/unreadable-cell"]
    assert str(finding.location) == "表三/三、本年度办理结果/（三）不予公开/1.属于国家秘密/商业企业"
    assert finding.location.line == 55
    assert finding.severity is Severity.ERROR
    assert "三" in finding.message


def test_blank_cell_is_none_with_a_warning() -> None:
    text = paste().replace("行政强制\t0", "行政强制\t")
    result = parse_text(text)
    assert result.report.table2.enforcement is None
    assert "表二/行政强制/本年处理决定数量" in codes(result, "import/blank-cell")


def test_missing_row_is_blank_and_reported() -> None:
    text = "\n".join(line for line in paste().split("\n") if "2.重复申请" not in line)
    result = parse_text(text)
    assert result.report.table3.row("not_processed.repeated").cells == (None,) * 6
    assert codes(result, "import/missing-row") == [
        "表三/三、本年度办理结果/（五）不予处理/2.重复申请"
    ]


def test_no_title_is_an_error() -> None:
    with pytest.raises(XxgkError) as info:
        parse_text("一、总体情况\n\n今年做了很多工作。\n")
    assert info.value.findings[0].code == "import/no-title"


def test_gbk_file_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(paste().encode("gbk"))
    result = read(path)
    assert result.report.organ == "晋江市永和镇"
    assert result.findings[0].code == "input/gbk"


# ---------------------------------------------------------------- title and narrative


@pytest.mark.parametrize(
    ("title", "organ", "year"),
    [
        ("晋江市永和镇2021年 政府信息公开工作年度报告", "晋江市永和镇", 2021),
        ("2022年度晋江市教育局政府信息公开工作年度报告", "晋江市教育局", 2022),
        ("晋江市永和镇政府信息公开工作年度报告（２０２３年度）", "晋江市永和镇", 2023),
        ("《晋江市永和镇关于2021年政府信息公开工作年度报告》", "晋江市永和镇", 2021),
        ("晋江市 永和镇 2021 年度政府信息公开工作年度报告", "晋江市永和镇", 2021),
        ("晋江市永和镇二〇二一年政府信息公开工作年度报告", "晋江市永和镇", 2021),
        ("晋江市永和镇2021年政府信息公开年度报告", "晋江市永和镇", 2021),
        (
            "当前位置：首页 > 年报 > 晋江市永和镇2021年政府信息公开工作年度报告",
            "晋江市永和镇",
            2021,
        ),
    ],
)
def test_title_gives_organ_and_year(title: str, organ: str, year: int) -> None:
    found = parse_title(title)
    assert found is not None
    assert (found.organ, found.year) == (organ, year)


def test_title_with_other_wording_is_kept_as_title() -> None:
    text = paste().replace(
        "晋江市永和镇2021年 政府信息公开工作年度报告",
        "2021年度晋江市永和镇政府信息公开工作年度报告",
    )
    report = parse_text(text).report
    assert (report.organ, report.year) == ("晋江市永和镇", 2021)
    assert report.title == "2021年度晋江市永和镇政府信息公开工作年度报告"


def test_signature_and_date_after_six_go_to_the_header() -> None:
    text = paste().rstrip() + "\n\n晋江市永和镇人民政府\n2022年1月20日\n"
    report = parse_text(text).report
    assert report.other_matters == ["无"]
    assert report.header.signer == "晋江市永和镇人民政府"
    assert str(report.header.date) == "2022-01-20"


# ---------------------------------------------------------------- speed


def test_speed_of_the_example_is_reported() -> None:
    text = paste()
    parse_text(text)
    runs = 50
    start = time.perf_counter()
    for _ in range(runs):
        parse_text(text)
    rate = runs / (time.perf_counter() - start)
    print(f"txt import: {rate:.0f} reports/s")
    assert rate > 20  # the target is ≥ 200/s on the build machine; this guards against regressions


def test_organ_from_the_red_header_when_the_title_has_none() -> None:
    text = paste().replace(
        "晋江市永和镇2021年 政府信息公开工作年度报告", "2021年政府信息公开工作年度报告"
    )
    report = parse_text(text).report
    assert (report.organ, report.year) == ("晋江市永和镇", 2021)
    assert report.title == "2021年政府信息公开工作年度报告"


def test_section_heading_with_a_colon_is_a_heading() -> None:
    report = parse_text(
        paste().replace("五、存在的主要问题及改进情况", "五、存在的主要问题及改进情况：")
    ).report
    assert len(report.problems) == 2


def test_imported_reports_survive_the_data_file() -> None:
    # The CLI writes what was imported as a YAML data file: blanks and stated totals included.
    for text in (paste(), paste().replace("行政强制\t0", "行政强制\t")):
        report = parse_text(text).report
        assert parse_report(dump_report(report))[0] == report


def test_unknown_row_is_reported_not_guessed() -> None:
    text = paste().replace("\t\t2.重复申请\t0", "\t\t2.完全不同的一行\t0")
    result = parse_text(text)
    assert codes(result, "import/unknown-row") == ["表三"]
    assert "2.完全不同的一行" in next(
        f.message for f in result.findings if f.code == "import/unknown-row"
    )
    assert codes(result, "import/missing-row") == [
        "表三/三、本年度办理结果/（五）不予处理/2.重复申请"
    ]


def test_near_miss_label_is_taken_with_a_warning() -> None:
    text = paste().replace("4.无正当理由大量反复申请", "4.无正当理由大量重复申请")
    result = parse_text(text)
    assert codes(result, "import/fuzzy-label") == [
        "表三/三、本年度办理结果/（五）不予处理/4.无正当理由大量反复申请"
    ]
    assert codes(result, "import/missing-row") == []


def test_group_subtotal_row_of_2021_is_not_taken_for_2019() -> None:
    text = paste().replace(
        "\t(六) 其 他处理\t1.申请人", "\t(六) 其 他处理\t7\t0\t0\t0\t0\t0\t7\n\t\t1.申请人"
    )
    result = parse_text(text)
    assert result.source_format == "2021"
    assert result.report.table3.row("other_handling.other").cells == (0,) * 6
    assert codes(result, "import/group-subtotal") == ["表三/三、本年度办理结果/（六）其他处理"]
