"""Every character of the report is in its PDF, in order, and lines hold 28 characters.

LibreOffice 7.4 dropped a 。 or ， that hung past the 28th character of a justified line (the
prepared copy now turns hanging punctuation off; docs/LIBREOFFICE.md). These tests build the
example and many generated reports, with punctuation at every place of a line, through the
build's PDF path in one LibreOffice start, and read them back with poppler — an oracle apart from
the build's own check (pdfium), which they test as well.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from tests.docx_dump import NS, part, w
from tests.pdf_text_support import (
    CLOSING,
    body_paragraphs,
    docx_characters,
    full_lines,
    line_fault,
    pdf_text,
    report_with_texts,
    squeezed,
)
from xxgk.errors import XxgkError
from xxgk.model import Report
from xxgk.render.docx import render_docx
from xxgk.render.pdf import convert
from xxgk.render.pdf.convert import convert_each, convert_many
from xxgk.render.pdf.prepare import for_libreoffice
from xxgk.render.pdf.verify import docx_paragraphs, missing_characters, pdf_pages

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed",
)

SEEDS = range(16)  # generated reports; about 1000 full lines, 100 of them ending in a mark


@pytest.fixture(scope="module", autouse=True)
def _aliases() -> None:
    # Without fontconfig aliases 仿宋_GB2312 falls back to a Latin face and every width differs.
    found = subprocess.run(["fc-match", "仿宋_GB2312"], capture_output=True, text=True,
                           check=False).stdout if shutil.which("fc-match") else ""
    if "CJK" not in found:
        pytest.skip("fontconfig has no alias for 仿宋_GB2312 (install the render tools' aliases)")


@pytest.fixture(scope="module")
def converted(example_report: Report, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, tuple[bytes, Path]]:
    """Each report's .docx and PDF, from one LibreOffice start (the build's path)."""
    work = tmp_path_factory.mktemp("text")
    reports = {"example": example_report,
               **{f"seed{s:02d}": report_with_texts(example_report, s) for s in SEEDS}}
    sources = []
    for name, report in reports.items():
        path = work / f"{name}.docx"
        path.write_bytes(render_docx(report))
        sources.append(path)
    outcomes = convert_each(sources)
    found = {}
    for source, outcome in zip(sources, outcomes, strict=True):
        assert isinstance(outcome, bytes), outcome  # the build's own check let it through
        pdf = source.with_suffix(".pdf")
        pdf.write_bytes(outcome)
        found[source.stem] = (source.read_bytes(), pdf)
    return found


def test_no_character_is_lost(converted: dict[str, tuple[bytes, Path]]) -> None:
    for name, (docx, pdf) in converted.items():
        lost = Counter(docx_characters(docx)) - Counter(squeezed("".join(pdf_text(pdf))))
        assert lost == Counter(), name


def test_every_paragraph_is_printed_whole_and_in_order(
    converted: dict[str, tuple[bytes, Path]],
) -> None:
    for name, (docx, pdf) in converted.items():
        printed = squeezed("".join(pdf_text(pdf, "-raw")))
        at = 0
        for paragraph in body_paragraphs(docx):
            found = printed.find(paragraph, at)
            assert found >= 0, (name, paragraph)
            at = found + len(paragraph)


def test_lines_hold_28_characters(converted: dict[str, tuple[bytes, Path]]) -> None:
    lines = [line for _, pdf in converted.values() for line in full_lines(pdf)]
    assert [fault for line in lines if (fault := line_fault(*line))] == []
    # The generated texts put marks at line ends often: the case that lost characters.
    carried = [text for _, text, following in lines if following[1:2] in CLOSING]
    assert len(carried) > 50


def test_pages_are_22_lines(converted: dict[str, tuple[bytes, Path]]) -> None:
    _, pdf = converted["example"]
    pages = [page for page in pdf_text(pdf, "-layout") if page.strip()]
    assert len(pages) == 5
    second = [line for line in pages[1].splitlines() if line.strip()]
    assert len(second) == 22, second


def test_the_copy_for_libreoffice_turns_hanging_punctuation_off(
    converted: dict[str, tuple[bytes, Path]],
) -> None:
    docx, _ = converted["example"]
    styles = part(for_libreoffice(docx), "word/styles.xml")
    default = styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:overflowPunct", NS)
    assert default is not None
    # LibreOffice's .docx import reads it inverted: "1" is ParaIsHangingPunctuation = false.
    assert default.get(w("val")) == "1"
    assert all(e.get(w("val")) == "1" for e in styles.iter(w("overflowPunct")))


def test_the_build_check_names_a_lost_character(
    converted: dict[str, tuple[bytes, Path]],
) -> None:
    docx, pdf = converted["example"]
    assert missing_characters(docx, pdf.read_bytes()) is None
    paragraphs = docx_paragraphs(docx)
    pages = pdf_pages(pdf.read_bytes())
    assert paragraphs is not None
    assert pages is not None
    # The PDF of another report lacks the example's characters; the message names them.
    _, other = converted["seed00"]
    message = missing_characters(docx, other.read_bytes())
    assert message is not None
    assert "未写出 PDF" in message
    assert "“" in message


def test_a_pdf_that_lost_a_character_is_not_written(
    example_report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "example.docx"
    docx = render_docx(example_report)
    source.write_bytes(docx)

    def losing(data: bytes) -> bytes:
        # LibreOffice losing the 。 after 便捷化, as 7.4 did: the copy it gets lacks it.
        prepared = for_libreoffice(data)
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(prepared)) as old, zipfile.ZipFile(out, "w") as new:
            for item in old.infolist():
                blob = old.read(item)
                if item.filename == "word/document.xml":
                    blob = blob.replace("便捷化。".encode(), "便捷化".encode())
                new.writestr(item, blob)
        return out.getvalue()

    monkeypatch.setattr(convert, "for_libreoffice", losing)
    outdir = tmp_path / "out"
    with pytest.raises(XxgkError) as raised:
        convert_many([source], outdir)
    assert raised.value.findings[0].code == "output/pdf-lost-text"
    assert "“。”" in str(raised.value)
    assert "建设专门档案室" in str(raised.value)
    assert list(outdir.glob("*.pdf")) == []


def test_a_build_whose_pdf_lost_a_character_names_its_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import EXAMPLE
    from xxgk.build import build_file

    source = tmp_path / "机关.yaml"
    source.write_bytes(EXAMPLE.read_bytes())

    def losing(data: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(for_libreoffice_original(data))) as old, \
                zipfile.ZipFile(out, "w") as new:
            for item in old.infolist():
                blob = old.read(item)
                if item.filename == "word/document.xml":
                    blob = blob.replace("。".encode(), b"", 1)
                new.writestr(item, blob)
        return out.getvalue()

    for_libreoffice_original = convert.for_libreoffice
    monkeypatch.setattr(convert, "for_libreoffice", losing)
    with pytest.raises(XxgkError) as raised:
        build_file(source, tmp_path / "out", formats=("docx", "pdf"))
    [finding] = raised.value.findings
    assert finding.code == "output/pdf-lost-text"
    # the clerk's own file, never the throw-away .docx the conversion was given
    assert finding.location.file == str(source)
    assert "xxgk-pdf-" not in str(raised.value)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))
