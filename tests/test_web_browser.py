"""`xxgk serve` driven in a real browser (Chromium from the Debian package, through Selenium).

A clerk fills a report from blank to consistent, sees a 勾稽 error appear at its cell and go when
fixed, saves and builds; the downloaded .docx has the tables of `xxgk build` of the saved file.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from tests.docx_dump import part, regions, w
from tests.web_support import running
from xxgk.api import load_source

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

Run = Callable[..., Result]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WAIT = 60  # seconds: a shared CI machine may be slow; nothing here is a speed assertion


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        message = "Chromium not installed: apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message + " (scripts/ci/install-render-deps installs them)")
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--lang=zh-CN",
    ):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _until(driver: WebDriver, condition: Callable[[WebDriver], object], what: str) -> object:
    return WebDriverWait(driver, WAIT).until(condition, message=what)


def _checked(driver: WebDriver, after: int = 0) -> int:
    """Wait for a live check newer than ``after``; its sequence number."""

    def done(d: WebDriver) -> int | None:
        seq = d.find_element(By.TAG_NAME, "body").get_attribute("data-checked")
        return int(seq) if seq and int(seq) > after else None

    return int(_until(driver, done, "a check of the form"))  # type: ignore[call-overload]


def _by_id(driver: WebDriver, element: str) -> WebElement:
    return driver.find_element(By.ID, element)


def _type(driver: WebDriver, element: str, text: str) -> WebElement:
    field = _by_id(driver, element)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.click()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text)
    return field


def _click(driver: WebDriver, element: WebElement) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def _classes(driver: WebDriver, element: str) -> str:
    return _by_id(driver, element).get_attribute("class") or ""


def _docx_tables(data: bytes) -> list[list[tuple[int, int, int, int, str]]]:
    body = part(data, "word/document.xml").find(w("body"))
    return [
        [(r.row0, r.row1, r.col0, r.col1, r.text) for r in regions(table)]
        for table in body.iter(w("tbl"))
    ]


def _open_page(driver: WebDriver, url: str, downloads: Path) -> None:
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.get(url)
    _checked(driver)


def test_a_report_from_blank_to_built(browser: WebDriver, tmp_path: Path, xxgk: Run) -> None:
    datafile = tmp_path / "2025.yaml"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with running(datafile, tmp_path / "out") as server:
        _open_page(browser, server.url, downloads)
        # A new file: no organ yet, which the checks say at its field.
        assert "is-error" in _classes(browser, "organ")
        assert "机关名称不能为空" in _by_id(browser, "organ-findings").text

        unnamed = browser.execute_script(
            """return Array.from(document.querySelectorAll("input:not([type=file]), textarea, output"))
                .filter(e => !(e.getAttribute("aria-label") || "").trim()).map(e => e.outerHTML)"""
        )
        assert unnamed == []  # every input is named by its place in the report

        _type(browser, "organ", "晋江市永和镇")
        _type(browser, "year", "2025")
        assert _by_id(browser, "doc-title").text == "晋江市永和镇2025年政府信息公开工作年度报告"
        _type(browser, "intro", "2025年，我镇认真贯彻落实《条例》。")
        for n, li in enumerate(browser.find_elements(By.CSS_SELECTOR, "#subsections > li")):
            box = li.find_element(By.CLASS_NAME, "sub-text")
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
            box.send_keys(f"第{n + 1}项工作情况。")
        _type(browser, "problems", "公开内容还不够细。\n下一步加强培训。")
        _type(browser, "other_matters", "本年度未收取信息处理费。")

        # Spreadsheet keys: Enter goes down a row, the arrow right to the next column.
        cell = _type(browser, "t3.new.0", "5")
        assert cell.get_attribute("aria-label") == "表三/一、本年新收政府信息公开申请数量/自然人"
        cell.send_keys(Keys.ENTER)
        assert browser.switch_to.active_element.get_attribute("id") == "t3.carried_in.0"
        browser.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
        assert browser.switch_to.active_element.get_attribute("id") == "t3.carried_in.1"
        assert _by_id(browser, "t3-new-total").text == "5"  # totals as you type

        # 一 + 二 ≠ 三 + 四 in 自然人: the 勾稽 error appears at its column.
        _until(browser, lambda d: "is-error" in _classes(d, "t3-col-0"), "the 勾稽 error")
        assert "勾稽关系不成立" in _by_id(browser, "table3-findings").text
        assert _by_id(browser, "t3-col-0").get_attribute("aria-invalid") == "true"
        total = _by_id(browser, "t3-total-0").find_element(By.XPATH, "..")
        assert "is-error" in (total.get_attribute("class") or "")

        granted = _type(browser, "t3.granted.0", "3")
        granted.send_keys(Keys.ARROW_DOWN)
        assert browser.switch_to.active_element.get_attribute("id") == "t3.partial.0"
        browser.switch_to.active_element.send_keys(Keys.CONTROL, "a")
        browser.switch_to.active_element.send_keys("2")
        _until(browser, lambda d: "is-error" not in _classes(d, "t3-col-0"), "the error to go")
        _until(
            browser,
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-errors") == "0",
            "no error left",
        )
        assert _by_id(browser, "t3-total-0").text == "5"

        _by_id(browser, "save").click()
        _until(browser, lambda d: "已保存" in _by_id(d, "status").text, "saving")
        saved = load_source(datafile)[0]
        assert saved.organ == "晋江市永和镇"
        assert saved.year == 2025
        assert saved.table3.row("new").cells[0] == 5
        assert saved.problems == ["公开内容还不够细。", "下一步加强培训。"]

        _by_id(browser, "build").click()
        links = _until(
            browser,
            lambda d: d.find_elements(By.CSS_SELECTOR, "#downloads a"),
            "the built documents",
        )
        docx_link = next(a for a in links if a.text.endswith(".docx"))  # type: ignore[attr-defined]
        name = docx_link.text
        docx_link.click()
        target = downloads / name
        _until(browser, lambda d: target.exists() and target.stat().st_size > 0, "the download")
        time.sleep(0.5)  # Chromium renames the .crdownload into place when complete

    assert name == "晋江市永和镇2025年政府信息公开工作年度报告.docx"
    assert xxgk("build", datafile, "-o", tmp_path / "cli").exit_code == 0
    expected = _docx_tables((tmp_path / "cli" / name).read_bytes())
    assert len(expected) == 3
    assert _docx_tables(target.read_bytes()) == expected


def test_a_block_pasted_from_a_spreadsheet_fills_the_cells(
    browser: WebDriver, example_copy: Path, tmp_path: Path
) -> None:
    with running(example_copy, tmp_path / "out") as server:
        _open_page(browser, server.url, tmp_path)
        cell = _by_id(browser, "t3.new.0")
        _click(browser, cell)
        selected = "return [arguments[0].selectionStart, arguments[0].selectionEnd]"
        assert browser.execute_script(selected, cell) == [0, 1]  # the "0" is selected
        browser.execute_script(
            """const data = new DataTransfer();
            data.setData("text/plain", arguments[1]);
            arguments[0].dispatchEvent(new ClipboardEvent("paste", {clipboardData: data,
                bubbles: true, cancelable: true}));""",
            cell,
            "3\t1\t0\r\n1\t0\t0\r\n",  # as Excel and WPS copy two rows of three cells
        )
        values = [
            _by_id(browser, f"t3.{row}.{c}").get_attribute("value")
            for row in ("new", "carried_in")
            for c in range(3)
        ]
        assert values == ["3", "1", "0", "1", "0", "0"]
        assert _by_id(browser, "t3-new-total").text == "4"
        _until(browser, lambda d: "is-error" in _classes(d, "t3-col-0"), "the 勾稽 error")


def test_subsections_are_added_renamed_reordered_removed(
    browser: WebDriver, example_copy: Path, tmp_path: Path
) -> None:
    with running(example_copy, tmp_path / "out") as server:
        _open_page(browser, server.url, tmp_path)
        items = browser.find_elements(By.CSS_SELECTOR, "#subsections > li")
        before = [
            li.find_element(By.CLASS_NAME, "sub-title").get_attribute("value") for li in items
        ]
        _click(browser, _by_id(browser, "add-subsection"))
        new = browser.switch_to.active_element
        new.send_keys("新增事项")
        li = browser.find_elements(By.CSS_SELECTOR, "#subsections > li")[-1]
        assert (
            li.find_element(By.CLASS_NAME, "marker").text
            == f"（{'一二三四五六七八九十'[len(before)]}）"
        )
        li.find_element(By.CLASS_NAME, "sub-text").send_keys("新增事项的正文。")
        _click(browser, li.find_element(By.CLASS_NAME, "up"))  # now second to last
        first = browser.find_elements(By.CSS_SELECTOR, "#subsections > li")[0]
        browser.execute_script("window.confirm = () => true")
        _click(browser, first.find_element(By.CLASS_NAME, "remove"))
        _by_id(browser, "save").click()
        _until(browser, lambda d: "已保存" in _by_id(d, "status").text, "saving")
    titles = [s.title for s in load_source(example_copy)[0].overview.subsections]
    assert titles == [*before[1:-1], "新增事项", before[-1]]


def test_opening_a_workbook_fills_the_form_and_last_year_checks_carry_over(
    browser: WebDriver, example_copy: Path, tmp_path: Path, xxgk: Run
) -> None:
    assert xxgk("build", example_copy, "-o", tmp_path / "built").exit_code == 0
    workbook = next((tmp_path / "built").glob("*.xlsx"))
    draft = tmp_path / "2022.yaml"
    with running(draft, tmp_path / "out") as server:
        _open_page(browser, server.url, tmp_path)
        picker = _by_id(browser, "open-file")
        browser.execute_script("arguments[0].hidden = false", picker)
        picker.send_keys(str(workbook))
        _until(
            browser, lambda d: _by_id(d, "organ").get_attribute("value") == "晋江市永和镇", "import"
        )
        assert _by_id(browser, "year").get_attribute("value") == "2021"

        _type(browser, "year", "2022")
        seq = _checked(browser)
        previous = _by_id(browser, "previous-file")
        browser.execute_script("arguments[0].hidden = false", previous)
        previous.send_keys(str(example_copy))
        _until(
            browser, lambda d: "晋江市永和镇2021年" in _by_id(d, "previous-name").text, "previous"
        )
        seq = _checked(browser, seq)
        _type(browser, "t3.carried_in.2", "1")  # last year carried nothing over
        _until(browser, lambda d: "is-error" in _classes(d, "t3.carried_in.2"), "carry-over error")
        assert "上年结转为 1" in _by_id(browser, "table3-findings").text


PUBLISHED_PDF = Path(__file__).parent / "data" / "real" / "shanghai-kewei-2024.pdf"


def test_the_picker_takes_a_published_pdf_and_makes_the_master_once(
    browser: WebDriver, tmp_path: Path
) -> None:
    folder = tmp_path / "科委"
    folder.mkdir()
    with running(folder, None) as server:
        _open_page(browser, server.url, tmp_path)
        assert "还没有报告" in _by_id(browser, "status").text
        picker = _by_id(browser, "open-file")
        accepted = (picker.get_attribute("accept") or "").split(",")
        for suffix in (".pdf", ".doc", ".docx", ".wps", ".xlsx", ".yaml"):
            assert suffix in accepted
        browser.execute_script("arguments[0].hidden = false", picker)
        picker.send_keys(str(PUBLISHED_PDF))
        _until(browser, lambda d: "建立这份报告的母本" in _by_id(d, "status").text, "the master")
        masters = [p for p in folder.iterdir() if p.suffix in (".xlsx", ".yaml")]
        assert len(masters) == 1
        assert masters[0].name.endswith("2024.xlsx")
        assert _by_id(browser, "file-name").text == str(masters[0])
        assert _by_id(browser, "year").get_attribute("value") == "2024"
        assert _by_id(browser, "dirty").text == ""  # written: nothing unsaved

        # The same report picked again fills the form; no second master.
        picker.send_keys(str(PUBLISHED_PDF))
        _until(browser, lambda d: "已导入" in _by_id(d, "status").text, "the second import")
        assert [p for p in folder.iterdir() if p.suffix in (".xlsx", ".yaml")] == masters
        _by_id(browser, "save").click()
        _until(browser, lambda d: "已保存" in _by_id(d, "status").text, "saving")
        assert [p for p in folder.iterdir() if p.suffix in (".xlsx", ".yaml")] == masters


def test_build_offers_the_web_page_and_keeps_every_kind_out_holds(
    browser: WebDriver, example_copy: Path, tmp_path: Path
) -> None:
    from xxgk.inputs import load
    from xxgk.render.pdf.convert import pdf_available
    from xxgk.render.xlsx.blank import NO_DATA_FILE
    from xxgk.render.xlsx.workbook import render_xlsx

    master = tmp_path / "2021.xlsx"
    master.write_bytes(render_xlsx(load(example_copy), data_sha256=NO_DATA_FILE))
    out = tmp_path / "out"
    with running(master, out) as server:
        _open_page(browser, server.url, tmp_path)
        html_box = _by_id(browser, "kind-html")
        assert not html_box.is_selected()
        assert html_box.is_enabled()
        assert _by_id(browser, "kind-pdf").is_enabled() == pdf_available()
        assert _by_id(browser, "kind-docx").is_selected()
        assert _by_id(browser, "kind-xlsx").is_selected()
        _click(browser, html_box)
        _by_id(browser, "build").click()
        links = _until(
            browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#downloads a"), "the documents"
        )
        names = sorted(Path(a.text).suffix for a in links)  # type: ignore[attr-defined]
        assert names == [".docx", ".html", ".xlsx"]
        # Held now: the web page is ticked and cannot be left out of the next build.
        assert html_box.is_selected()
        assert not html_box.is_enabled()

        browser.refresh()
        _checked(browser)
        assert _by_id(browser, "kind-html").is_selected()
        assert not _by_id(browser, "kind-html").is_enabled()
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"source": "2021.xlsx"' in manifest
    assert "example.yaml" not in manifest
