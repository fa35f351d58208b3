"""The 署名 and 成文日期 of a web page are read from the report's own footer, not the site's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xxgk.importers.html import parse_html
from xxgk.inputs import load
from xxgk.render.html import render_html

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "example.yaml"


def test_report_footer_read_site_footer_skipped() -> None:
    report = load(EXAMPLE)
    dated = report.model_copy(update={"header": report.header.model_copy(
        update={"date": dt.date(2022, 1, 20), "signer": "晋江市永和镇人民政府"})})
    page = render_html(dated).decode("utf-8")
    site = "<footer><p>主办单位：某某市人民政府办公室</p><p>2026年1月1日</p></footer>"
    page = page.replace("</body>", f"{site}</body>")
    header = parse_html(page).report.header
    assert (header.signer, header.date) == ("晋江市永和镇人民政府", dt.date(2022, 1, 20))
