"""The 图解: one A4 page of the report's numbers as PNG and PDF, the same bytes for the same data,
blank cells said as 「未填」, last year's changes when given; `xxgk tujie` refuses a report with
errors."""

from __future__ import annotations

import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import Result

from tests.yearly import two_years, write_two_years
from xxgk.model import Report
from xxgk.render.tujie import _change, render_tujie

Run = Callable[..., Result]
STEM = "甲县教育局2022年政府信息公开工作年度报告图解"


def _pdf_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1
        width, height = document[0].get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 portrait
        return "".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.fixture(scope="module")
def years() -> tuple[Report, Report]:
    reports = two_years()
    return reports[2021][0], reports[2022][0]


def test_one_page_with_the_key_figures(years: tuple[Report, Report]) -> None:
    last, this = years
    drawn = render_tujie(this, last)
    assert _png_size(drawn.png) == (1240, 1753)  # A4 (8.27 × 11.69 in) at 150 dpi
    text = _pdf_text(drawn.pdf)
    assert "一图读懂" in text
    assert "甲县教育局" in text
    new = this.table3.row("new").total
    assert f"本年新收申请{new}件" in text
    assert f"上年结转{this.table3.row('carried_in').total}件" in text
    assert f"行政许可{this.table2.licensing}" in text
    change = _change(new, last.table3.row("new").total)
    assert change is not None
    assert "".join(change.split()) in text
    for label in ("自然人", "商业企业", "予以公开", "不予处理", "结转下年度", "行政复议", "行政诉讼"):
        assert label in text


def test_the_same_data_gives_the_same_bytes(years: tuple[Report, Report]) -> None:
    last, this = years
    first, second = render_tujie(this, last), render_tujie(this, last)
    assert first.png == second.png
    assert first.pdf == second.pdf
    assert b"CreationDate" not in first.pdf
    assert b"matplotlib" not in first.png.lower()  # no software stamp
    assert render_tujie(this).pdf != first.pdf  # without last year: no changes drawn


def test_without_last_year_no_change_is_claimed(years: tuple[Report, Report]) -> None:
    _, this = years
    text = _pdf_text(render_tujie(this).pdf)
    assert "比上年" not in text
    assert "持平" not in text


def test_a_blank_cell_is_not_drawn_as_zero(years: tuple[Report, Report]) -> None:
    _, this = years
    table2 = this.table2.model_copy(update={"enforcement": None})
    text = _pdf_text(render_tujie(this.model_copy(update={"table2": table2})).pdf)
    assert "行政强制未填" in text


def test_change_wording() -> None:
    assert _change(12, 10) == "比上年 +2（+20.0%）"
    assert _change(8, 10) == "比上年 −2（−20.0%）"
    assert _change(5, 5) == "与上年持平"
    assert _change(3, 0) == "比上年 +3"  # no percentage of nothing
    assert _change(None, 3) is None
    assert _change(3, None) is None


def test_the_command(xxgk: Run, tmp_path: Path) -> None:
    last, this = write_two_years(tmp_path)
    out = tmp_path / "out"
    result = xxgk("tujie", this / "organ1.yaml", "--previous", last / "organ1.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.pdf", f"{STEM}.png"]
    again = xxgk("tujie", this / "organ1.yaml", "--previous", last / "organ1.yaml", "-o", out)
    assert again.exit_code == 0
    assert f"无变化：{out / STEM}.png" in again.output


def test_a_report_with_errors_gets_no_picture(xxgk: Run, tmp_path: Path) -> None:
    last, this = write_two_years(tmp_path)
    out = tmp_path / "out"
    # organ2's 上年结转 does not match last year's 结转下年度.
    result = xxgk("tujie", this / "organ2.yaml", "--previous", last / "organ2.yaml", "-o", out)
    assert result.exit_code == 1
    assert "carryover/mismatch" in result.output
    assert not out.exists()


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler is not installed")
def test_the_pdf_embeds_a_chinese_face(years: tuple[Report, Report], tmp_path: Path) -> None:
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render_tujie(years[1]).pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "CJK" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # embedded
