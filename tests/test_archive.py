"""`xxgk archive`: the PDF/A, .docx, .xlsx and data file with a 移交清单 that --verify re-checks;
`xxgk build --pdfa` / every PDF: PDF/A-2b, read back with pikepdf."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from click.testing import Result
from openpyxl import load_workbook

from xxgk.archive import LIST_CSV, LIST_XLSX
from xxgk.inputs import dump_report
from xxgk.model import Report

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice (soffice) is not installed")
Run = Callable[..., Result]
STEM = "晋江市永和镇2021年政府信息公开工作年度报告"


@pytest.fixture(scope="module")
def package(example_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import run_xxgk

    work = tmp_path_factory.mktemp("archive")
    header = example_report.header.model_copy(update={"date": dt.date(2022, 1, 20)})
    data = work / "2021.yaml"
    data.write_text(dump_report(example_report.model_copy(update={"header": header})), "utf-8")
    result = run_xxgk("archive", data, "-o", work / "归档" / "2021")
    assert result.exit_code == 0, result.output
    assert "已生成归档包" in result.output
    return work / "归档" / "2021"


def test_the_package_holds_the_four_files_and_the_list(package: Path) -> None:
    assert sorted(p.name for p in package.iterdir()) == sorted(
        [f"{STEM}.pdf", f"{STEM}.docx", f"{STEM}.xlsx", "2021.yaml", LIST_CSV, LIST_XLSX])
    rows = list(csv.DictReader(io.StringIO((package / LIST_CSV).read_text("utf-8-sig"))))
    assert [r["件号"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["格式"] for r in rows] == ["PDF/A-2b", "DOCX", "XLSX", "YAML"]
    assert {r["机关"] for r in rows} == {"晋江市永和镇"}
    assert {r["年度"] for r in rows} == {"2021"}
    assert rows[0]["题名"] == f"{STEM}（PDF/A 归档版）"
    assert rows[0]["页数"] == str(len(pikepdf.open(package / f"{STEM}.pdf").pages))
    for row in rows:
        import hashlib

        data = (package / row["文件名"]).read_bytes()
        assert row["大小（字节）"] == str(len(data))
        assert row["SHA-256"] == hashlib.sha256(data).hexdigest()
        assert dt.datetime.fromisoformat(row["生成时间"]).tzinfo is not None
    sheet = load_workbook(package / LIST_XLSX).worksheets[0]
    assert [c.value for c in sheet[2]] == ["件号", "题名", "机关", "年度", "格式", "页数",
                                           "大小（字节）", "SHA-256", "生成时间"]
    assert [c.value for c in sheet[3]][7] == rows[0]["SHA-256"]  # text, never a number


def test_the_pdf_is_pdfa_2b(package: Path) -> None:
    with pikepdf.open(package / f"{STEM}.pdf") as pdf:
        with pdf.open_metadata() as meta:
            assert meta.get("pdfaid:part") == "2"
            assert meta.get("pdfaid:conformance") == "B"
            assert meta.get("xmp:CreateDate") == "2022-01-20T00:00:00Z"  # the 成文日期, as Info
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20220120000000")
        intent = pdf.Root.OutputIntents[0]
        assert str(intent.S) == "/GTS_PDFA1"
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        assert "/Filter" not in pdf.Root.Metadata.stream_dict  # XMP unfiltered, as PDF/A asks
        for page in pdf.pages:
            for font in page.resources.Font.values():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None:
                    descriptor = font.DescendantFonts[0].FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_verify_passes_on_the_package(package: Path, xxgk: Run) -> None:
    result = xxgk("archive", "--verify", package)
    assert result.exit_code == 0, result.output
    assert "4 个文件与移交清单一致" in result.output


def test_verify_names_what_differs(package: Path, xxgk: Run, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(package, copy)
    docx = copy / f"{STEM}.docx"
    docx.write_bytes(docx.read_bytes() + b"\0")
    (copy / "2021.yaml").unlink()
    (copy / "说明.txt").write_text("后加的", "utf-8")
    result = xxgk("archive", "--verify", copy)
    assert result.exit_code == 1
    assert f"件号 2「{STEM}.docx」：大小不符" in result.output
    assert f"件号 2「{STEM}.docx」：SHA-256 不符" in result.output
    assert "件号 4「2021.yaml」：归档包中没有这个文件" in result.output
    assert "「说明.txt」不在移交清单中" in result.output
    assert "3 处与移交清单不符" not in result.output  # every difference counted
    assert "4 处与移交清单不符" in result.output


def test_a_zip_package_and_no_overwriting(
    package: Path, xxgk: Run, tmp_path: Path, example_path: Path
) -> None:
    target = tmp_path / "2021.zip"
    assert xxgk("archive", example_path, "-o", target).exit_code == 0
    with zipfile.ZipFile(target) as archive:
        assert LIST_CSV in archive.namelist()
    assert xxgk("archive", "--verify", target).exit_code == 0
    before = target.read_bytes()
    again = xxgk("archive", example_path, "-o", target)
    assert again.exit_code == 1
    assert "已存在" in again.output
    assert target.read_bytes() == before
    full = xxgk("archive", example_path, "-o", package)
    assert full.exit_code == 1
    assert "不为空" in full.output


def test_verify_a_tampered_pdf_that_keeps_its_size(
    package: Path, xxgk: Run, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(package, copy)
    pdf = copy / f"{STEM}.pdf"
    data = bytearray(pdf.read_bytes())
    at = data.index(b"/Producer")
    data[at + 1] = ord("Q")  # same size, another hash
    pdf.write_bytes(bytes(data))
    result = xxgk("archive", "--verify", copy)
    assert result.exit_code == 1
    assert f"件号 1「{STEM}.pdf」：SHA-256 不符" in result.output
    assert "大小不符" not in result.output


def test_archive_usage(xxgk: Run, tmp_path: Path, example_path: Path) -> None:
    assert xxgk("archive").exit_code == 2
    assert xxgk("archive", example_path).exit_code == 2
    missing = xxgk("archive", "--verify", tmp_path / "nothing")
    assert missing.exit_code == 1
    assert "找不到归档包" in missing.output
