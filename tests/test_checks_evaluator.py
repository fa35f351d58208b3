"""The checks evaluators score, on real reports: stale years, the preamble and headings, text copied
from last year paragraph by paragraph, on-time publication."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.prose_support import PAGES, read_page
from xxgk.api import check_loaded, load_placed
from xxgk.checks.outline import check_outline
from xxgk.checks.paragraphs import check_copied_paragraphs
from xxgk.checks.published import Deadlines, check_published, is_own_government, parse_month_day
from xxgk.checks.staleyear import check_stale_years, stale_sentences
from xxgk.errors import Severity, XxgkError
from xxgk.importers.outline import Outline
from xxgk.model import Report

DATA = Path(__file__).parent / "data"


def test_no_stale_year_in_any_real_page() -> None:
    for name in PAGES:
        assert check_stale_years(read_page(name).report) == [], name


def test_last_years_text_sent_as_this_years_shows_its_stale_years() -> None:
    # The real 2024 report of 财政金融局 sent again as 2025's, as organs do when they forget.
    report = read_page("pingtan-czj-2024.page.txt").report
    found = stale_sentences(report.model_copy(update={"year": 2025}))
    starts = ["2024年，我局坚持", "2024年我局共收到", "二是重点围绕", "2024年，我局政府信息"]
    assert len(found) == len(starts)
    assert all(s.startswith(start) for (_, s), start in zip(found, starts, strict=True))
    # 「公开了2024年政府预算、2023年政府决算」 in the same report, read as 2024's, is not stale.
    assert stale_sentences(report) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "2024年共受理政府信息公开申请12件，同比增长20%。",
        "较上年，2024年受理申请减少3件。",
        "2024年度报告中提出的问题已整改。",
        "公开了2025年政府预算、2024年政府决算。",
        "2024年底出台的《办法》已于今年实施。",
        "2024年以来，我局持续推进政务公开。",
        "自2024年起，我局每季度公开一次。",
    ],
)
def test_sentences_that_are_not_stale(example_report: Report, sentence: str) -> None:
    report = example_report.model_copy(update={"year": 2025, "problems": [sentence]})
    assert stale_sentences(report) == []


@pytest.mark.parametrize(
    "sentence",
    ["2024年共受理政府信息公开申请7件。", "（一）2024年，我局主动公开政府信息61条。",
     "一是2024年累计发布信息600余条。", "全年工作平稳，2024年收到申请3件。"],
)
def test_sentences_that_are_stale(example_report: Report, sentence: str) -> None:
    report = example_report.model_copy(update={"year": 2025, "problems": [sentence]})
    assert [s for _, s in stale_sentences(report)] == [sentence]


@given(st.text(alphabet="年我局共受理申请件，。同比较上2024０１２３5", max_size=60))
def test_stale_only_with_last_years_year(text: str) -> None:
    report = Report(organ="某局", year=2030, problems=[text])
    assert stale_sentences(report) == []  # 2029 never appears


def test_preamble_and_headings_of_real_pages() -> None:
    czj = check_outline(read_page("pingtan-czj-2024.page.txt").outline)
    assert [f.code for f in czj] == ["structure/preamble-old-names"]
    assert "因政府信息公开申请行政复议、提起行政诉讼的情况" in czj[0].message
    jjf = check_outline(read_page("pingtan-jjf-2024.page.txt").outline)
    assert [(f.code, str(f.location)) for f in jjf] == [
        ("structure/section-title", "四、政府信息公开行政复议、行政诉讼情况")
    ]
    assert "「四、政府信息公开行政复议与行政诉讼情况」" in jjf[0].message


def test_preamble_with_five_parts() -> None:
    outline = Outline(preamble=("本报告包括总体情况、主动公开政府信息情况等五项内容。",))
    assert [f.code for f in check_outline(outline)] == ["structure/preamble-parts"]
    six = Outline(preamble=("报告全文分为总体情况……其他需要报告的事项等六个部分。",))
    assert check_outline(six) == []


# Every finding of the outline and stale-year checks on the imported real corpus, each read in its
# source and judged right (docs/IMPORT.md corpus; tests/data/real and real-openings).
REAL_FINDINGS = {
    ("hangzhou-style-2025.fragment.html", "structure/section-title"),  # 「五、存在问题及改进情况」
    ("shanghai-kewei-2024.md", "structure/section-order"),  # its own 一…六, then 一、主动公开…
    ("shanghai-office-2019.fragment.html", "structure/section-title"),  # 「政府信息公开工作存在…」
    ("shanghai-office-2019.fragment.html", "structure/preamble-old-names"),
    ("shanghai-office-2025.md", "structure/preamble-old-names"),  # 「…政府信息公开工作存在的…」
    ("shuyang-county-2025.md", "structure/section-title"),  # 「五、政府信息公开工作存在的…」
}


def test_outline_and_stale_years_on_the_real_corpus() -> None:
    found = set()
    for path in sorted([*(DATA / "real").iterdir(), *(DATA / "real-openings").iterdir()]):
        if path.suffix in (".json",) or path.name == "README.md":
            continue
        try:
            loaded = load_placed(path)
        except XxgkError:
            continue  # an opening without a title: nothing to check
        for finding in check_loaded(path, loaded):
            if finding.code.startswith(("structure/", "text/stale-year")):
                found.add((path.name, finding.code))
    assert found == REAL_FINDINGS


def test_copied_paragraphs_of_a_real_report() -> None:
    last = read_page("pingtan-czj-2023.page.txt").report
    this = read_page("pingtan-czj-2024.page.txt").report
    (finding,) = check_copied_paragraphs(this, last)
    assert finding.code == "text/copied-from-last-year"
    assert finding.message.startswith("6 段正文中有 4 段（67%）与 2023 年度报告相同或只改了数字")
    # Another organ's report of the same year shares set phrases only.
    other = read_page("pingtan-jjf-2024.page.txt").report
    assert check_copied_paragraphs(other, last) == []


def test_copied_subsections_are_found_when_the_overview_is_rewritten(
    example_report: Report,
) -> None:
    last = example_report.model_copy(update={"year": 2020})
    rewritten = example_report.overview.model_copy(
        update={"intro": ["本年度我镇重新梳理公开目录，首次开展依申请公开满意度回访，全年工作有新变化。"]}
    )
    (finding,) = check_copied_paragraphs(
        example_report.model_copy(update={"overview": rewritten}), last
    )
    assert "（一）主动公开第 1、2 段" in finding.message
    assert "一、总体情况第 1 段" not in finding.message


@pytest.mark.parametrize(
    ("organ", "own"),
    [("沭阳县人民政府", True), ("淮安市洪泽区人民政府", True), ("上海市人民政府", True),
     ("上海市人民政府办公厅", False), ("晋江市永和镇人民政府", False), ("沭阳县发展和改革局", False),
     ("平潭综合实验区财政金融局", False), ("人民政府", False)],
)
def test_own_government(organ: str, own: bool) -> None:
    assert is_own_government(organ) is own


def test_publication_against_the_deadline() -> None:
    page = read_page("pingtan-czj-2024.page.txt")
    assert check_published(page.report, page.published) == []  # 2025-01-23, by 1月31日
    (late,) = check_published(page.report, dt.date(2025, 2, 3))
    assert (late.code, late.severity) == ("meta/published-late", Severity.WARNING)
    assert "晚于政府部门的期限 2025年1月31日 3 天" in late.message
    county = page.report.model_copy(update={"organ": "平潭县人民政府"})
    assert check_published(county, dt.date(2025, 3, 31)) == []
    local = Deadlines(department=(1, 20))
    assert [f.code for f in check_published(page.report, page.published, local)] == [
        "meta/published-late"
    ]
    (unknown,) = check_published(page.report, None)
    assert unknown.severity is Severity.INFO
    assert not unknown.is_error
    (early,) = check_published(page.report, dt.date(2024, 12, 30))
    assert early.code == "meta/published-early"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1-20", (1, 20)), ("01-20", (1, 20)), ("1月20日", (1, 20)), ("2026-01-20", (1, 20)),
     ("2-29", (2, 29)), ("2-30", None), ("13-01", None), ("下周", None)],
)
def test_month_day(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_month_day(text) == expected
