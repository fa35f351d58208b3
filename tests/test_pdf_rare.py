"""Rare characters in the PDF: 𪚥 (CJK Ext-B) and an emoji joined with ZWJ (👩‍💻).

Where a font has them (SimSun-ExtB on Windows, a CJK Ext-B font on Linux — here a test font added
through fontconfig), LibreOffice falls back to it and the lost-text guard passes; where no font
has them, the build refuses the PDF with a message naming each character and the font to
install. Joiners and variation selectors are no glyphs: the guard does not ask the PDF for them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.rare_font import UKAI, fontconfig_with
from xxgk.inputs import dump_report
from xxgk.model import Report
from xxgk.render.pdf.verify import lost, no_font_message, pdf_pages

pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("soffice", "fc-list")) or not UKAI.is_file(),
    reason="LibreOffice, fontconfig or AR PL UKai (fonts-arphic-ukai) is not installed",
)
Run = Callable[..., Result]
RARE = "\U0002a6a5"  # 𪚥
CODER = "\U0001f469\u200d\U0001f4bb"  # 👩‍💻: woman, ZWJ, laptop


def _has_font(char: str) -> bool:
    found = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"],
                           capture_output=True, text=True, check=False).stdout
    return bool(found.strip())


@pytest.fixture
def rare_data(example_report: Report, tmp_path: Path) -> Path:
    intro = [f"扎实推进{RARE}镇政府{CODER}信息公开工作。", *example_report.overview.intro]
    overview = example_report.overview.model_copy(update={"intro": intro})
    header = example_report.header.model_copy(update={"date": dt.date(2022, 1, 20)})
    report = example_report.model_copy(update={"overview": overview, "header": header})
    path = tmp_path / "2021.yaml"
    path.write_text(dump_report(report), encoding="utf-8")
    return path


def test_no_font_names_the_characters(rare_data: Path, xxgk: Run, tmp_path: Path) -> None:
    if _has_font(RARE) or _has_font("\U0001f4bb"):
        pytest.skip("a font on this machine has 𪚥 or 💻")
    out = tmp_path / "out"
    result = xxgk("build", rare_data, "-o", out, "--pdf")
    assert result.exit_code == 1
    assert "本机没有任何字体含有" in result.output
    assert f"“{RARE}”（U+2A6A5，CJK 扩展区汉字）" in result.output
    assert "“💻”（U+1F4BB，表情符号）" in result.output
    assert "SimSun-ExtB" in result.output
    assert "fonts-hanazono" in result.output
    assert "fonts-noto-color-emoji" in result.output
    assert not list(out.glob("*.pdf"))
    assert "\u200d" not in result.output.split("本机没有任何字体含有")[1]  # the joiner is no glyph


def test_a_fallback_font_prints_them(
    rare_data: Path, xxgk: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    monkeypatch.setenv("FONTCONFIG_FILE", str(fontconfig_with(fonts)))
    assert _has_font(RARE)
    out = tmp_path / "out"
    result = xxgk("build", rare_data, "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    pdf = next(out.glob("*.pdf")).read_bytes()
    pages = pdf_pages(pdf)
    assert pages is not None
    text = "".join("".join(page.split()) for page in pages)
    for char in (RARE, "\U0001f469", "\U0001f4bb"):
        assert char in text
    fonts_used = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True,
                                check=False).stdout.decode()
    if fonts_used:  # poppler reads stdin in newer versions only
        assert "XxgkRareTest" in fonts_used


def test_joiners_and_variation_selectors_are_not_asked_of_the_pdf() -> None:
    assert not lost([f"甲{CODER}乙", "❤\ufe0f", "a\u00adb", "x\u2060y"], ["甲👩💻乙❤abxy"])
    assert lost([RARE], ["口"]) == {RARE: 1}


def test_the_message_for_each_kind() -> None:
    message = no_font_message([RARE, "\U0001f4bb", "\U000f0000"])
    assert "“𪚥”（U+2A6A5，CJK 扩展区汉字）" in message
    assert "“💻”（U+1F4BB，表情符号）" in message
    assert "（U+F0000，字符）" in message
    assert "其他字符" in message
