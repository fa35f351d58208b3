"""The form in a real browser against what issue 19 found: a page whose text holds
``<!--<script>`` still loads, and a save after another tab's is asked about, never silent."""

from __future__ import annotations

import shutil
from pathlib import Path

from selenium.webdriver.common.alert import Alert
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions

from tests.conftest import EXAMPLE
from tests.test_web_browser import _by_id, _click, _open_page, _type, _until, browser
from tests.web_support import running
from xxgk.api import load_source

__all__ = ["browser"]  # the Chromium fixture of test_web_browser (which skips without it)


def test_comment_and_script_openers_in_the_text_leave_the_page_whole(
    browser: WebDriver, tmp_path: Path
) -> None:
    data = tmp_path / "2021.yaml"
    hostile = "某局<!--<script>alert(1)</script>"
    text = EXAMPLE.read_text(encoding="utf-8")
    organ = load_source(EXAMPLE)[0].organ
    line = f"机关名称: {organ}  # 标题中的机关名称"
    assert line in text
    data.write_text(text.replace(line, f"机关名称: |-\n  {hostile}", 1), encoding="utf-8")
    assert load_source(data)[0].organ == hostile
    with running(data, tmp_path / "out") as server:
        _open_page(browser, server.url, tmp_path)
        assert _by_id(browser, "organ").get_attribute("value") == hostile
        assert _by_id(browser, "t2.licensing").get_attribute("value") == "0"


def test_a_save_after_another_tabs_is_asked_about(browser: WebDriver, tmp_path: Path) -> None:
    data = tmp_path / "2021.yaml"
    shutil.copy(EXAMPLE, data)
    with running(data, tmp_path / "out") as server:
        _open_page(browser, server.url, tmp_path)
        first = browser.current_window_handle
        browser.switch_to.new_window("tab")
        _open_page(browser, server.url, tmp_path)  # a second tab of the same file
        _type(browser, "t2.licensing", "5")
        _click(browser, _by_id(browser, "save"))
        _until(browser, lambda d: "已保存" in _by_id(d, "status").text, "the second tab saved")
        browser.close()
        browser.switch_to.window(first)
        _type(browser, "t2.punishment", "7")
        _click(browser, _by_id(browser, "save"))
        alert: Alert = _until(browser, expected_conditions.alert_is_present(), "asked")  # type: ignore[assignment]
        assert "另一个页面" in alert.text
        alert.dismiss()  # keep the other tab's save
        _until(browser, lambda d: "未保存" in _by_id(d, "status").text, "told it was not saved")
        saved = load_source(data)[0].table2
        assert (saved.licensing, saved.punishment) == (5, 0)
        _click(browser, _by_id(browser, "save"))
        alert = _until(browser, expected_conditions.alert_is_present(), "asked again")  # type: ignore[assignment]
        alert.accept()  # now replace it: that version goes to .history
        _until(browser, lambda d: "已保存" in _by_id(d, "status").text, "saved after asking")
        assert load_source(data)[0].table2.punishment == 7
        assert list((tmp_path / ".history").glob("2021.*.yaml"))
