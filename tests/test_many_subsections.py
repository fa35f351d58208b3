"""More than a hundred 分项 (issue 19 item 7): numbered as Chinese reads numbers — （一百）,
（一百零一）, （一百一十） — in the report, the website page, the workbook and the form."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import EXAMPLE
from tests.docx_dump import part, w
from xxgk import labels
from xxgk.api import load_source
from xxgk.labels import chinese_number

Run = Callable[..., Result]
COUNT = 121

READINGS = {
    1: "一", 10: "十", 11: "十一", 20: "二十", 99: "九十九", 100: "一百", 101: "一百零一",
    109: "一百零九", 110: "一百一十", 111: "一百一十一", 120: "一百二十", 1000: "一千",
    1001: "一千零一", 1010: "一千零一十", 1100: "一千一百", 10000: "一万", 10005: "一万零五",
    12345: "一万二千三百四十五", 100000: "十万", 110000: "十一万",
}


@pytest.mark.parametrize(("n", "reading"), sorted(READINGS.items()))
def test_numbers_read_as_in_chinese(n: int, reading: str) -> None:
    assert chinese_number(n) == reading


@given(st.integers(1, 10**7))
def test_every_marker_is_distinct_and_never_repeats_a_unit(n: int) -> None:
    text = chinese_number(n)
    assert "十十" not in text
    assert "零零" not in text
    assert not text.endswith("零")
    assert chinese_number(n + 1) != text


def many(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    head, rest = text.split("  分项:", 1)
    tail = rest[rest.index("\n二、"):]
    items = "".join(f"    - 标题: 第{i + 1}项\n      正文: |\n        第{i + 1}项的正文。\n"
                    for i in range(COUNT))
    path = tmp_path / "many.yaml"
    path.write_text(f"{head}  分项:\n{items}{tail}", encoding="utf-8")
    assert len(load_source(path)[0].overview.subsections) == COUNT
    return path


def test_a_report_of_many_subsections_builds_with_right_numbers(xxgk: Run, tmp_path: Path) -> None:
    data = many(tmp_path)
    result = xxgk("build", data, "-o", tmp_path / "out", "--html")
    assert result.exit_code == 0, result.output
    [docx] = (tmp_path / "out").glob("*.docx")
    [html] = (tmp_path / "out").glob("*.html")
    body = part(docx.read_bytes(), "word/document.xml")
    paragraphs = ["".join(t.text or "" for t in p.iter(w("t"))) for p in body.iter(w("p"))]
    page = html.read_text(encoding="utf-8")
    for index, expected in [(99, "（一百）第100项"), (100, "（一百零一）第101项"),
                            (109, "（一百一十）第110项"), (120, "（一百二十一）第121项")]:
        assert labels.subsection_marker(index) + f"第{index + 1}项" == expected
        assert expected in paragraphs
        assert expected in page
    assert not any("十十" in p for p in paragraphs)


def test_the_workbook_of_many_subsections_reads_back(xxgk: Run, tmp_path: Path) -> None:
    data = many(tmp_path)
    assert xxgk("build", data, "-o", tmp_path / "out").exit_code == 0
    [xlsx] = (tmp_path / "out").glob("*.xlsx")
    assert load_source(xlsx)[0].overview == load_source(data)[0].overview


def test_the_form_numbers_past_a_hundred_as_the_report_does(tmp_path: Path) -> None:
    pytest.importorskip("selenium")
    from tests.test_web_browser import CHROMEDRIVER, CHROMIUM

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Chromium not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from tests.web_support import running

    data = many(tmp_path)
    shutil.copy(data, tmp_path / "served.yaml")
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        with running(tmp_path / "served.yaml", tmp_path / "out") as server:
            driver.get(server.url)
            markers = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "li.subsection .marker")]
    finally:
        driver.quit()
    assert markers == [labels.subsection_marker(i) for i in range(COUNT)]
