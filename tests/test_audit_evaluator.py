"""The batch's own rules in the audit: text shared between organs, on-time publication, a published
parent against its organs' sum, rates and spikes in the 总表, and the page's figures and charts —
on the 30-organ batch of tests/batch_support.py and on real reports."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2
import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.batch_support import (
    COPIER,
    LATE,
    ORIGINAL,
    STALE,
    organ_name,
    organ_report,
    write_batch,
)
from tests.prose_support import PAGES, read_page
from xxgk.audit.crossorgan import copied_pairs, copy_findings
from xxgk.audit.parent import compare_parent
from xxgk.audit.record import audit_record
from xxgk.audit.spikes import spikes
from xxgk.errors import XxgkError
from xxgk.figures import FIGURES
from xxgk.inputs.datelist import read_published
from xxgk.model import ApplicantCounts, Report, Table3
from xxgk.rates import MIN_CASES, rates

Xxgk = Callable[..., Result]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("batch")
    written = write_batch(folder)
    return folder, written.reports


def _audit_args(folder: Path, reports: list[Path]) -> list[str | Path]:
    return [*reports, "--organs", folder / "名单.txt", "--published", folder / "发布日期.csv",
            "--parent", folder / "汇总.yaml"]


def test_the_batch_audit_finds_exactly_the_planted_problems(
    xxgk: Xxgk, batch: tuple[Path, list[Path]]
) -> None:
    folder, reports = batch
    result = xxgk("audit", *_audit_args(folder, reports), "--format", "json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    records = [r for r in lines if "findings" in r]
    assert len(records) == 30
    planted = {(r["organ"], f["code"]) for r in records for f in r["findings"]
               if f["code"].startswith(("copy/", "meta/published", "text/stale"))}
    assert planted == {
        (organ_name(COPIER), "copy/other-organ"),
        (organ_name(ORIGINAL), "copy/other-organ"),
        (organ_name(LATE), "meta/published-late"),
        (organ_name(STALE), "text/stale-year"),
    }
    (parent,) = [r["parent"] for r in lines if "parent" in r]
    assert parent == {"organ": "沭河县各部门汇总", "differences": 1, "unknown": 0,
                      "without_report": ["沭河县档案馆"]}


def test_the_batch_workbook_names_the_pairs_the_parent_cell_and_the_rates(
    xxgk: Xxgk, batch: tuple[Path, list[Path]]
) -> None:
    folder, reports = batch
    target = folder / "审核.xlsx"
    assert xxgk("audit", *_audit_args(folder, reports), "-o", target).exit_code == 0
    book = load_workbook(target, read_only=True)
    copied = list(book["与其他机关雷同"].iter_rows(min_row=3, values_only=True))
    assert {(r[0], r[1]) for r in copied} == {(organ_name(ORIGINAL), organ_name(COPIER))}
    assert all(organ_name(ORIGINAL) in str(r[6]) for r in copied)
    parent = list(book["本级与各单位合计"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[3]) for r in parent] == [("表三/三、本年度办理结果/（一）予以公开/自然人", 2)]
    summary = list(book["总表"].iter_rows(min_row=2, values_only=True))
    heading = list(summary[0])
    for name in ("实质公开率", "不予公开率", "复议纠错率", "结转率", "与上年相比突变"):
        assert name in heading
    column = heading.index("实质公开率")
    assert all(row[column] is None or 0 <= row[column] <= 1 for row in summary[1:])


def test_copying_between_real_reports() -> None:
    this_year = [name for name in PAGES if "2024" in name]
    pages = [read_page(name) for name in this_year]
    records = [audit_record(name, p.report, []) for name, p in zip(this_year, pages, strict=True)]
    assert copied_pairs(records) == []  # two organs, each only with its own text and set phrases
    # A neighbour that took the 财政金融局's report and put its own name in.
    czj = pages[0].report
    neighbour = Report.model_validate_json(
        czj.model_dump_json().replace("财政金融局", "商务局").replace("我局", "本局"))
    records.append(audit_record("neighbour", neighbour, []))
    (pair,) = copied_pairs(records)
    assert {pair.a.organ, pair.b.organ} == {czj.organ, "平潭综合实验区商务局"}
    assert len(pair.paragraphs) >= 5
    assert pair.share_a > 0.8
    findings = copy_findings([pair])
    assert sorted(len(f) for f in findings.values()) == [1, 1]


def test_a_shared_template_is_not_copying() -> None:
    # Thirty organs filling in the same county template sentence, each with its own facts.
    reports = [organ_report(i).model_copy(update={"problems": [
        f"本单位政府信息公开工作还存在一些不足，主要是公开的及时性和解读的针对性有待提高，"
        f"下一步将按照县政务公开办的统一部署抓好整改。{organ_name(i)}今年共有{i + 3}名信息员。"]})
        for i in range(30) if i not in (COPIER, ORIGINAL)]
    records = [audit_record(str(i), r, []) for i, r in enumerate(reports)]
    assert copied_pairs(records) == []


def test_cross_organ_copying_is_the_same_on_every_run(
    batch: tuple[Path, list[Path]],
) -> None:
    # Sampling is by the shingles' characters, never by Python's salted hash.
    import subprocess
    import sys

    code = ("from tests.batch_support import organ_report\n"
            "from xxgk.audit.record import audit_record\n"
            "from xxgk.audit.crossorgan import copied_pairs\n"
            "rs=[audit_record(str(i), organ_report(i), []) for i in range(30)]\n"
            "print([(p.a.organ, p.b.organ, len(p.paragraphs)) for p in copied_pairs(rs)])\n")
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed},
                       cwd=Path(__file__).parents[1]).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_parent_against_its_organs() -> None:
    children = [organ_report(i) for i in (1, 2, 3)]
    records = [audit_record(str(i), r, []) for i, r in enumerate(children)]
    from xxgk.summary import sum_reports

    total = sum_reports(children, "沭河县汇总", 2025)
    assert compare_parent(total, "汇总.yaml", records).differences == []
    rows = dict(total.table3.rows)
    rows["carried_out"] = ApplicantCounts(cells=(9, 0, 0, 0, 0, 0))
    wrong = total.model_copy(update={"table3": Table3(rows=rows)})
    (difference,) = compare_parent(wrong, "汇总.yaml", records, ["沭河县档案馆"]).differences
    assert difference.place == "表三/四、结转下年度继续办理/自然人"
    blank = children[0].model_copy(update={"table3": Table3(rows={
        **children[0].table3.rows, "new": ApplicantCounts(cells=(None, 0, 0, 0, 0, 0))})})
    records[0] = audit_record("0", blank, [])
    unknown = compare_parent(total, "汇总.yaml", records).unknown
    assert unknown == ["表三/一、本年新收政府信息公开申请数量/自然人"]


def test_cell_values_follow_all_cells(example_report: Report) -> None:
    from xxgk.checks.cells import all_cells, cell_values

    for report in (example_report, organ_report(3), organ_report(0)):
        assert cell_values(report) == tuple(c.value for c in all_cells(report))


def test_a_parent_that_cannot_be_used_is_refused_with_its_name(
    xxgk: Xxgk, batch: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    folder, reports = batch
    target = tmp_path / "审核.xlsx"
    result = xxgk("audit", *reports[:3], "--parent", folder / "名单.txt", "-o", target)
    assert result.exit_code == 1
    assert "名单.txt（--parent 本级报告）" in result.output
    other_year = organ_report(1).model_copy(update={"year": 2019, "organ": "沭河县汇总"})
    from xxgk.inputs import dump_report

    (tmp_path / "汇总2019.yaml").write_text(dump_report(other_year), encoding="utf-8")
    result = xxgk("audit", *reports[:3], "--parent", tmp_path / "汇总2019.yaml", "-o", target)
    assert result.exit_code == 1
    assert "没有这一年度的其他机关报告" in result.output
    assert not target.exists()


def test_rates_and_their_verdicts(example_report: Report) -> None:
    report = organ_report(3)
    by_name = {r.name: r for r in rates(report)}
    disclosed = by_name["实质公开率"]
    granted = report.table3.row("granted").total or 0
    partial = report.table3.row("partial").total or 0
    assert disclosed.numerator == granted + partial
    assert disclosed.denominator == report.table3.results_grand_total()
    assert by_name["复议纠错率"].concern is None  # one 复议: no verdict
    quiet = {r.name: r for r in rates(example_report)}  # 永和镇: no applications at all
    assert all(r.value is None and r.concern is None for r in quiet.values())
    assert MIN_CASES == 30


def test_spikes() -> None:
    names = [name for name, _ in FIGURES]
    before: list[int | None] = [0] * len(names)
    now: list[int | None] = [0] * len(names)
    before[names.index("本年新收")], now[names.index("本年新收")] = 12, 85
    before[names.index("行政复议")], now[names.index("行政复议")] = 2, 7  # too few to matter
    before[names.index("予以公开")], now[names.index("予以公开")] = 90, 20
    assert spikes(now, before) == ["本年新收 12→85（×7.1）", "予以公开 90→20（减少 78%）"]
    assert spikes(now, ()) == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_publication_dates_list(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "dates.csv"
    separator = "\t" if encoding == "utf-16" else ","
    text = f"机关名称{separator}发布日期\n沭河县财政局{separator}2026/1/23\n沭河县教育局{separator}2026年2月3日\n"
    path.write_bytes(text.encode(encoding))
    assert read_published(path) == {"沭河县财政局": dt.date(2026, 1, 23),
                                    "沭河县教育局": dt.date(2026, 2, 3)}


def test_a_bad_publication_date_names_the_line(tmp_path: Path, xxgk: Xxgk) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("沭河县财政局,2026-01-23\n沭河县教育局,下周\n", encoding="utf-8")
    with pytest.raises(XxgkError) as caught:
        read_published(path)
    (finding,) = caught.value.findings
    assert (finding.location.file, finding.location.line) == (str(path), 2)
    assert "「下周」不是日期" in finding.message
    result = xxgk("check", Path(__file__).parents[1] / "inputs" / "example.yaml",
                  "--published", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "不是日期" in result.output


# ---------------------------------------------------------------- the page, in a real browser

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        message = "Chromium not installed: apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,1000", "--lang=zh-CN"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_the_page_opens_with_the_batch_and_prints_on_a4(
    xxgk: Xxgk, batch: tuple[Path, list[Path]], browser: WebDriver
) -> None:
    folder, reports = batch
    target = folder / "审核.html"
    assert xxgk("audit", *_audit_args(folder, reports), "-o", target).exit_code == 0
    page = target.read_text("utf-8")
    for network in ("http://", "https://", "<script src", "<link"):
        assert network not in page
    browser.get(target.as_uri())
    tiles = [t.text.split("\n") for t in browser.find_elements(By.CSS_SELECTOR, ".tile")]
    assert ["30", "份报告收到"] in tiles
    assert ["1", "个机关未报送"] in tiles
    assert ["1", "份逾期公开"] in tiles
    assert ["1", "对机关文字雷同"] in tiles
    chart = browser.find_element(By.CSS_SELECTOR, "table.chart")
    rows = chart.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 30
    # Sort by 本年新收 (third column): the largest first after two clicks.
    heading = chart.find_elements(By.CSS_SELECTOR, "thead th")[2]
    heading.click()
    heading.click()
    values = [float(r.find_elements(By.TAG_NAME, "td")[2].get_attribute("data-sort") or 0)
              for r in chart.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert values == sorted(values, reverse=True)
    assert values[0] > values[-1]
    # Rates over fewer than 30 cases are grey (no verdict).
    review = [r.find_elements(By.TAG_NAME, "td")[-2].get_attribute("innerHTML") or ""
              for r in chart.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert any("<svg" in cell for cell in review)
    assert all("#b0b0b0" in cell or "<svg" not in cell for cell in review)
    pdf = base64.b64decode(browser.execute_cdp_cmd(
        "Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True},
    )["data"])
    document = pypdfium2.PdfDocument(pdf)
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    first = document[0].get_textpage().get_text_range()
    assert "全批概况" in first
    assert "各机关主要数字和比率" in first
    assert 3 <= len(document) <= 40


def test_compare_shows_the_rates_of_both_years(xxgk: Xxgk, tmp_path: Path) -> None:
    from xxgk.inputs import dump_report

    this = organ_report(3)
    last = this.model_copy(update={"year": this.year - 1})
    (tmp_path / "last.yaml").write_text(dump_report(last), encoding="utf-8")
    (tmp_path / "this.yaml").write_text(dump_report(this), encoding="utf-8")
    target = tmp_path / "对照.xlsx"
    result = xxgk("compare", tmp_path / "last.yaml", tmp_path / "this.yaml", "-o", target)
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(target, read_only=True)["主要比率"].iter_rows(values_only=True))
    by_name = {r[0]: r for r in rows if r[0] in ("实质公开率", "复议纠错率")}
    disclosed = rates(this)[0]
    assert by_name["实质公开率"][3] == disclosed.shown()
    assert by_name["实质公开率"][4] in ("正常", "值得关注")
    assert by_name["复议纠错率"][4] == f"不足 {MIN_CASES} 件，不评价"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日",
                        "{y}-{m}-{d} 16:43"]))
def test_dates_as_people_type_them(date: dt.date, pattern: str) -> None:
    from xxgk.inputs.datelist import parse_date

    assert parse_date(pattern.format(y=date.year, m=date.month, d=date.day)) == date
