"""PDF and old Word files: our own output imports back exactly; scans and missing tools are told."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tests.import_support import example, numbered, tables
from xxgk.bulk import import_many
from xxgk.errors import XxgkError
from xxgk.importers import import_source, oldword
from xxgk.model import Report
from xxgk.render.docx import render_docx
from xxgk.render.pdf.convert import convert_to_pdf, pdf_available

pytestmark = pytest.mark.skipif(not pdf_available(), reason="LibreOffice is not installed")
ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "real"


@pytest.fixture(scope="module")
def numbered_report() -> Report:
    return numbered(example())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, numbered_report: Report) -> dict[str, Path]:
    """Our Word report of the numbered example, its PDF (LibreOffice) and a .doc saved from it."""
    folder = tmp_path_factory.mktemp("ours")
    docx_path = folder / "numbered.docx"
    docx_path.write_bytes(render_docx(numbered_report))
    pdf_path = convert_to_pdf(docx_path, folder)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(folder),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {"docx": docx_path, "pdf": pdf_path, "doc": folder / "numbered.doc"}


def test_our_pdf_imports_back_with_every_number(
    rendered: dict[str, Path], numbered_report: Report
) -> None:
    result = import_source(rendered["pdf"])
    assert tables(result.report) == tables(numbered_report)
    assert (result.report.organ, result.report.year) == (numbered_report.organ, 2021)
    assert not [f for f in result.findings if f.is_error]


def test_a_doc_saved_from_our_docx_imports_back_with_every_number(
    rendered: dict[str, Path], numbered_report: Report
) -> None:
    result = import_source(rendered["doc"])
    assert tables(result.report) == tables(numbered_report)
    assert not [f for f in result.findings if f.is_error]


def test_build_example_pdf_imports_back(tmp_path: Path, xxgk: object) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "xxgk",
            "build",
            str(ROOT / "inputs" / "example.yaml"),
            "--pdf",
            "-o",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-800:]
    pdf = next(tmp_path.glob("*.pdf"))
    assert tables(import_source(pdf).report) == tables(example())


def test_several_old_files_are_converted_with_one_start(
    rendered: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies = []
    for name in ("a.doc", "b.wps"):  # WPS text files are Word 97 files under another name
        copy = tmp_path / name
        copy.write_bytes(rendered["doc"].read_bytes())
        copies.append(copy)
    starts = []
    real_run = oldword.run_soffice

    def counting(
        command: list[str], timeout: float, scratch: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        starts.append(command)
        return real_run(command, timeout, scratch)

    monkeypatch.setattr(oldword, "run_soffice", counting)
    rows = import_many(copies, tmp_path / "out")
    assert len(starts) == 1
    assert [r.errors for r in rows] == [0, 0]
    assert all(r.output is not None for r in rows)
    assert all(r.output.is_file() for r in rows if r.output is not None)


def test_without_libreoffice_an_old_file_says_what_to_do(
    rendered: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oldword, "_program", lambda: None)
    with pytest.raises(XxgkError) as info:
        import_source(rendered["doc"])
    finding = info.value.findings[0]
    assert finding.code == "import/no-libreoffice"
    assert "LibreOffice" in finding.message
    assert ".docx" in finding.message
    assert finding.location.file == str(rendered["doc"])


def test_a_scan_is_refused_with_a_clear_finding(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (595, 842), "white").save(buffer, format="PDF")
    scan.write_bytes(buffer.getvalue())
    with pytest.raises(XxgkError) as info:
        import_source(scan)
    assert info.value.findings[0].code == "import/scanned-pdf"
    assert "扫描件" in info.value.findings[0].message


@pytest.mark.parametrize("data", [b"", b"hello", b"%PDF-1.7\n" + b"\x00" * 64])
def test_a_broken_pdf_is_a_message_not_a_traceback(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(XxgkError) as info:
        import_source(path)
    assert info.value.findings[0].code in ("import/bad-pdf", "input/empty")


@pytest.mark.parametrize("command", [["--help"], ["check", "inputs/example.yaml"]])
def test_light_commands_do_not_load_the_pdf_library(command: list[str]) -> None:
    code = (
        f"import sys, runpy; sys.argv = ['xxgk', *{command!r}]\n"
        "try:\n    runpy.run_module('xxgk', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pdfplumber', 'pdfminer', 'pypdfium2', 'PIL'))\nprint('HEAVY', heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert "HEAVY []" in result.stdout, result.stdout[-500:]


def test_a_pdf_without_ruling_lines_is_read_as_laid_out_text(tmp_path: Path) -> None:
    # A PDF of plain text (tables without lines): read like pdftotext -layout; a row whose
    # numbers wrapped onto the next line has too few numbers and stays blank, never shifted.
    source = tmp_path / "plain.txt"
    source.write_bytes((REAL / "shuyang-county-2025.pdftotext-layout.txt").read_bytes())
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    report = import_source(tmp_path / "plain.pdf").report
    truth = json.loads((REAL / "shuyang-county-2025.truth.json").read_text("utf-8"))
    read = 0
    for row_id, values in truth["t3"].items():
        if row_id == "results_total":
            continue
        cells = report.table3.row(row_id).cells
        assert all(c is None or c == v for c, v in zip(cells, values[:6], strict=True)), row_id
        read += sum(c is not None for c in cells)
    assert read >= 100


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_damaged_pdf_is_a_message_or_a_report_never_a_traceback(
    tmp_path: Path, data: st.DataObject
) -> None:
    original = (REAL / "shanghai-kewei-2024.pdf").read_bytes()
    damaged = bytearray(original[: data.draw(st.integers(16, len(original)))])
    for _ in range(data.draw(st.integers(0, 30))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(damaged))
    with contextlib.suppress(XxgkError):  # any other exception fails the test
        import_source(path)


def test_a_pdf_with_a_password_says_so(tmp_path: Path) -> None:
    import pikepdf

    locked = tmp_path / "locked.pdf"
    with pikepdf.open(REAL / "shuyang-fgj-2023.pdf") as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u", R=4))
    with pytest.raises(XxgkError) as info:
        import_source(locked)
    assert info.value.findings[0].code == "import/bad-pdf"
    assert "密码" in info.value.findings[0].message
