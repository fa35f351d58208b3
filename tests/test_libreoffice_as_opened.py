"""LibreOffice opening the filed .docx itself (no prepared copy): 28 characters × 22 lines.

Linux and 信创 desks without WPS open our files in LibreOffice, and so does anyone who exports a
PDF from the filed report there. Every .docx kind we write — the report (the example and
generated ones), the 更正说明, the 同比 对照 and the 汇总 with its 明细 appendix — is converted here
exactly as written, by soffice itself, with nothing of ``render/pdf`` in between, and measured
with poppler: characters a full line, lines a page, pages.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_xxgk
from tests.pdf_text_support import full_lines, line_fault, pdf_text, report_with_texts
from tests.yearly import write_two_years
from xxgk.inputs import dump_report
from xxgk.model import Report
from xxgk.render.docx import render_docx

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("soffice", "pdftotext", "pdfinfo", "fc-match")),
    reason="LibreOffice (soffice) or poppler (pdftotext, pdfinfo) is not installed",
)

GENERATED = 4  # seeded reports whose texts put punctuation at every place of a line


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def _signed(report: Report) -> Report:
    header = report.header.model_copy(update={"date": dt.date(2022, 1, 20)})
    return report.model_copy(update={"header": header})


@pytest.fixture(scope="module")
def opened(example_report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every .docx kind, converted by LibreOffice as it opens them: name → PDF."""
    work = tmp_path_factory.mktemp("as-opened")
    docs = work / "docx"
    docs.mkdir()
    (docs / "example.docx").write_bytes(render_docx(example_report))
    report = _signed(example_report)  # the generated ones end with 署名 and 成文日期
    for seed in range(GENERATED):
        (docs / f"seed{seed}.docx").write_bytes(render_docx(report_with_texts(report, seed)))
    # 更正说明: the filed report against a corrected one.
    filed, corrected = work / "filed.yaml", work / "corrected.yaml"
    filed.write_text(dump_report(report), encoding="utf-8")
    changed = report_with_texts(report, 7)
    corrected.write_text(dump_report(changed), encoding="utf-8")
    result = run_xxgk("diff", filed, corrected, "--notice", docs / "notice.docx",
                      "--date", "2022-03-01")
    assert result.exit_code == 1, result.output  # as diff(1): 1 = the versions differ
    assert (docs / "notice.docx").is_file(), result.output
    # 同比: an organ's two years.
    last, this = write_two_years(work / "years")
    result = run_xxgk("compare", last / "organ2.yaml", this / "organ2.yaml",
                      "-o", docs / "compare.docx")
    assert result.exit_code == 0, result.output
    # 汇总 with its 明细 appendix.
    summed = work / "sum" / "某县2022.yaml"
    result = run_xxgk("sum", *sorted(this.glob("organ[12].yaml")), "--organ", "某县", "-o", summed)
    assert result.exit_code == 0, result.output
    result = run_xxgk("build", summed, "-o", work / "sum-out")
    assert result.exit_code == 0, result.output
    shutil.copy(next((work / "sum-out").glob("*.docx")), docs / "sum.docx")
    # LibreOffice itself, one start, a throw-away profile: the file as a user opens it.
    out = work / "pdf"
    profile = (work / "profile").as_uri()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}",
                    "--convert-to", "pdf", "--outdir", str(out),
                    *sorted(str(p) for p in docs.glob("*.docx"))],
                   capture_output=True, check=True, timeout=300)
    return {p.stem: p for p in out.glob("*.pdf")}


def _faults(pdf: Path) -> list[str]:
    return [fault for line in full_lines(pdf) if (fault := line_fault(*line))]


def _whole_chinese_lines(pdf: Path) -> list[str]:
    return [text for indented, text, _ in full_lines(pdf)
            if not indented and not any(c.isascii() for c in text)]


def _body_lines(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.strip()]


def test_every_kind_converts(opened: dict[str, Path]) -> None:
    expected = {"example", "notice", "compare", "sum", *(f"seed{s}" for s in range(GENERATED))}
    assert set(opened) == expected


def test_the_example_is_28_by_22_on_5_pages(opened: dict[str, Path]) -> None:
    pdf = opened["example"]
    assert _pages(pdf) == 5  # as in Word (and as the --pdf path gave before)
    assert _faults(pdf) == []
    whole = _whole_chinese_lines(pdf)
    assert len(whole) > 20
    # Before the lines-only grid LibreOffice drew 14 a line and 8 pages.
    assert sum(len(text) == 28 for text in whole) >= len(whole) / 2, whole
    page_two = _body_lines(pdf_text(pdf, "-layout")[1])
    assert len(page_two) == 22, page_two  # narrative only: 22 lines (the page number dropped)


@pytest.mark.parametrize("seed", range(GENERATED))
def test_generated_reports_are_28_a_line(opened: dict[str, Path], seed: int) -> None:
    pdf = opened[f"seed{seed}"]
    assert _faults(pdf) == []
    whole = _whole_chinese_lines(pdf)
    assert sum(len(text) == 28 for text in whole) >= len(whole) / 2
    narrative = [lines for page in pdf_text(pdf, "-layout")
                 if (lines := _body_lines(page)) and not any("  " in x.strip() for x in lines)]
    # A page of narrative holds 22 lines (fewer where a heading keeps with what follows).
    assert narrative, "the generated introduction fills a page with narrative"
    assert max(len(lines) for lines in narrative) == 22, narrative


def test_the_notice_is_28_a_line(opened: dict[str, Path]) -> None:
    pdf = opened["notice"]
    assert _faults(pdf) == []
    whole = _whole_chinese_lines(pdf)
    assert whole, "the notice quotes whole paragraphs: some lines are full"
    assert max(len(text) for text in whole) == 28


def test_the_comparison_is_not_spaced_out(opened: dict[str, Path]) -> None:
    # Before: 13 pages of 「甲 县 卫 生…」, every character in two grid cells.
    pdf = opened["compare"]
    assert _pages(pdf) <= 5
    assert _faults(pdf) == []
    text = "".join(pdf_text(pdf))
    assert "甲县卫生" in text.replace(" ", "").replace("\u00a0", "")
    assert "甲 县 卫 生" not in text


def test_the_sum_and_its_appendix(opened: dict[str, Path]) -> None:
    pdf = opened["sum"]
    assert _faults(pdf) == []
    text = "".join("".join(page.split()) for page in pdf_text(pdf))
    assert "各机关主要数字明细表" in text
    assert _pages(pdf) <= 5
