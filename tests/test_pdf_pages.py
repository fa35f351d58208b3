"""Page breaks and titles as the public sees them: reports of many text lengths through LibreOffice.

Every report here is rendered by the build's PDF path (the prepared copy) in one LibreOffice start,
and the pages are read back with ``pdftotext -layout``, one page at a time.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from xxgk import labels
from xxgk.model import Report
from xxgk.render.docx import render_docx
from xxgk.render.pdf.convert import convert_each
from xxgk.render.title_lines import title_lines

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed",
)

@pytest.fixture(scope="module", autouse=True)
def _aliases() -> None:
    # Without fontconfig aliases 仿宋_GB2312 falls back to a Latin face and every width differs.
    found = subprocess.run(["fc-match", "仿宋_GB2312"], capture_output=True, text=True,
                           check=False).stdout if shutil.which("fc-match") else ""
    if "CJK" not in found:
        pytest.skip("fontconfig has no alias for 仿宋_GB2312 (install the render tools' aliases)")


# A sentence of 30 characters: paragraphs of n sentences move every later heading and table down
# by about a line per sentence, so the lengths below put them at every height of a page.
SENTENCE = "按照上级部署扎实推进政务公开工作，及时更新信息公开专栏内容。"
LENGTHS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 26)
SUBSECTION_HEADINGS = re.compile(r"^（[一二三四五六七八九十]+）\S{2,12}$")
SIGNED = dt.date(2022, 1, 20)
LONG_ORGAN = "新疆维吾尔自治区伊犁哈萨克自治州人民政府"
LONGEST_ORGAN = "云南省西双版纳傣族自治州景洪市嘎洒镇人民政府"


def _variant(report: Report, sentences: int) -> Report:
    overview = report.overview.model_copy(
        update={"intro": [*report.overview.intro, SENTENCE * sentences] if sentences else
                report.overview.intro}
    )
    problems = [*report.problems, SENTENCE * (sentences // 2 + 1)]
    header = report.header.model_copy(update={"date": SIGNED if sentences % 2 else None})
    return report.model_copy(update={"overview": overview, "problems": problems,
                                     "header": header})


def _pages(pdf: bytes, work: Path, name: str) -> list[list[str]]:
    path = work / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    pages = [[line.strip() for line in page.splitlines() if line.strip()]
             for page in text.split("\f")]
    # The page number 「— n —」 is the last line of every page: not part of the text.
    return [[line for line in page if not re.fullmatch(r"—\s*\d+\s*—", line)]
            for page in pages if page]


@pytest.fixture(scope="module")
def rendered(example_report: Report, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, tuple[Report, list[list[str]]]]:
    """Every variant's pages, from one LibreOffice start."""
    work = tmp_path_factory.mktemp("pages")
    reports = {f"len{n:02d}": _variant(example_report, n) for n in LENGTHS}
    signed = example_report.header.model_copy(update={"date": SIGNED})
    reports["long-title"] = example_report.model_copy(update={"organ": LONG_ORGAN,
                                                              "header": signed})
    reports["three-line-title"] = example_report.model_copy(update={"organ": LONGEST_ORGAN})
    sources = []
    for name, report in reports.items():
        path = work / f"{name}.docx"
        path.write_bytes(render_docx(report))
        sources.append(path)
    outcomes = convert_each(sources)
    pages = {}
    for (name, report), pdf in zip(reports.items(), outcomes, strict=True):
        assert isinstance(pdf, bytes), pdf
        pages[name] = (report, _pages(pdf, work, name))
    return pages


def _squeezed(line: str) -> str:
    return "".join(line.split())


def _is_heading(line: str) -> bool:
    text = _squeezed(line)
    return (any(text == s.heading for s in labels.SECTIONS)
            or SUBSECTION_HEADINGS.fullmatch(text) is not None)


def test_the_lengths_move_the_tables_over_the_pages(
    rendered: dict[str, tuple[Report, list[list[str]]]],
) -> None:
    # The variants really put the headings and tables at many heights of a page.
    where = {
        (page, index)
        for _, pages in rendered.values()
        for page, lines in enumerate(pages)
        for index, line in enumerate(lines)
        if _squeezed(line) == labels.SECTIONS[1].heading
    }
    assert len({index for _, index in where}) >= 10
    assert len({len(pages) for _, pages in rendered.values()}) >= 2


def test_no_page_ends_with_a_heading(rendered: dict[str, tuple[Report, list[list[str]]]]) -> None:
    for name, (_, pages) in rendered.items():
        for number, page in enumerate(pages[:-1], start=1):
            assert not _is_heading(page[-1]), f"{name}: page {number} ends with {page[-1]}"


def _page_of(pages: list[list[str]], text: str) -> list[int]:
    return [i for i, page in enumerate(pages) if any(text in _squeezed(line) for line in page)]


def test_table2_and_table4_are_never_split(
    rendered: dict[str, tuple[Report, list[list[str]]]],
) -> None:
    for name, (_, pages) in rendered.items():
        start = _page_of(pages, labels.TABLE2_BLOCKS[0].item)[0]
        end = _page_of(pages, labels.TABLE2_BLOCKS[-1].rows[-1][1])[-1]
        assert start == end, f"{name}: 表二 runs from page {start + 1} to {end + 1}"
        start = _page_of(pages, labels.TABLE4_REVIEW)[-1]
        # 表四's last row: its fifteen numbers.
        end = next(i for i, page in enumerate(pages)
                   if any(re.fullmatch(r"(\d+\s+){14}\d+", line) for line in page))
        assert start == end, f"{name}: 表四 runs from page {start + 1} to {end + 1}"


def test_table3_split_repeats_its_header(
    rendered: dict[str, tuple[Report, list[list[str]]]],
) -> None:
    split = 0
    for name, (_, pages) in rendered.items():
        first = _page_of(pages, labels.TABLE3_ROWS[0].label)[0]
        last = _page_of(pages, labels.TABLE3_ROWS[-1].label)[-1]
        for page in range(first, last + 1):
            assert _page_of(pages[page:page + 1], labels.TABLE3_APPLICANTS), (name, page)
        split += last > first
    assert split, "no variant split 表三: the lengths no longer test it"


def test_signature_stays_with_the_last_paragraph(
    rendered: dict[str, tuple[Report, list[list[str]]]],
) -> None:
    for name, (report, pages) in rendered.items():
        if report.header.date is None:
            continue
        date = f"{SIGNED.year}年{SIGNED.month}月{SIGNED.day}日"
        page = _page_of(pages, date)[-1]
        last_paragraph = _squeezed(report.other_matters[-1])[:10]
        assert _page_of(pages[page:page + 1], last_paragraph), name


@pytest.mark.parametrize(("name", "expected"), [
    ("len00", ["晋江市永和镇2021年", "政府信息公开工作年度报告"]),
    ("long-title", [LONG_ORGAN, "2021年政府信息公开工作年度报告"]),
    ("three-line-title", ["云南省西双版纳傣族自治州", "景洪市嘎洒镇人民政府2021年",
                          "政府信息公开工作年度报告"]),
])
def test_titles_are_printed_in_the_chosen_lines(
    rendered: dict[str, tuple[Report, list[list[str]]]], name: str, expected: list[str]
) -> None:
    report, pages = rendered[name]
    assert title_lines(report.display_title, report.organ) == expected
    first_page = [_squeezed(line) for line in pages[0]]
    start = first_page.index(expected[0])
    assert first_page[start:start + len(expected)] == expected
