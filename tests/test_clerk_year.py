"""A clerk's year with one master: the fill-in workbook, edited in the web form, built, corrected
later in Excel, rebuilt — one master file at every step and out/ holding one version of the
report (every output's SHA-256 is the manifest's, every output built from the same master, and
each says what the master says now).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook

from xxgk import labels
from xxgk import xlsx_layout as layout
from xxgk.api import load_source
from xxgk.editlock import hold, lock_path
from xxgk.errors import XxgkError
from xxgk.inputs import load
from xxgk.render.xlsx.blank import NO_DATA_FILE
from xxgk.render.xlsx.workbook import render_xlsx
from xxgk.web.state import FormState

Run = Callable[..., Result]
ENFORCEMENT = ("表二", labels.TABLE2_ROW_LABELS["enforcement"])


def _masters(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".xlsx") and p.is_file()
    )


def _one_version(out: Path, master: Path) -> dict[str, str]:
    """out/'s files against its manifest: each hash matches, each names this master; the
    outputs by kind."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    on_disk = sorted(p.name for p in out.iterdir() if p.is_file() and p.name != "manifest.json"
                     and not p.name.startswith("."))
    assert sorted(e["file"] for e in manifest) == on_disk
    master_sha = hashlib.sha256(master.read_bytes()).hexdigest()
    for entry in manifest:
        assert hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
        assert entry["source"] == master.name  # one source per report
        assert entry["source_sha256"] == master_sha  # built from the master as it is now
    return {Path(e["file"]).suffix: e["file"] for e in manifest}


def _enforcement_everywhere(out: Path, kinds: dict[str, str]) -> set[int | None]:
    """表二's 行政强制 as each output of the report says it."""
    said = set()
    for suffix in (".docx", ".xlsx", ".html"):
        said.add(load_source(out / kinds[suffix])[0].table2.enforcement)
    return said


def test_a_clerks_year_keeps_one_master_and_one_version(
    example_path: Path, tmp_path: Path, xxgk: Run
) -> None:
    folder = tmp_path / "柳林镇"
    folder.mkdir()
    out = folder / "out"
    master = folder / "2025.xlsx"
    # The fill-in workbook, as `xxgk init --from` makes it: the report typed in Excel.
    master.write_bytes(render_xlsx(load(example_path), data_sha256=NO_DATA_FILE))

    # The form on the workbook: edits are saved back into that same workbook.
    state = FormState.open(master, out, None)
    try:
        form = state.initial()["form"]
        form["fields"]["t2.enforcement"] = "2"
        saved = state.save(form).body
        assert saved["saved"], saved
        assert saved["file"] == str(master)
        assert _masters(folder) == ["2025.xlsx"]  # no second master
        assert load_source(master)[0].table2.enforcement == 2
        cover = load_workbook(master)[layout.SHEET_COVER]
        assert any(layout.WORKBOOK_MARK in str(c.value) for row in cover.iter_rows() for c in row)

        # A build from another command prompt while the form edits it is refused, nothing written.
        busy = subprocess.run(
            [sys.executable, "-m", "xxgk", "build", str(master), "-o", str(out)],
            capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        )
        assert busy.returncode == 1
        assert "正在网页表单中编辑" in busy.stderr + busy.stdout
        assert f"进程 {os.getpid()}" in busy.stderr + busy.stdout
        assert not out.exists()

        # 生成 with 网页: Word, Excel and the web page, all from the workbook.
        built = state.build(form, ["html"]).body
        assert built["built"], built
        kinds = _one_version(out, master)
        assert set(kinds) == {".docx", ".xlsx", ".html"}
        assert _enforcement_everywhere(out, kinds) == {2}
    finally:
        state.close()
    assert not lock_path(master).exists()

    # Months later, a correction in Excel (openpyxl saves as Excel does: no cached totals).
    wb = load_workbook(master)
    sheet, ref = layout.cell_of(ENFORCEMENT).split("!")  # type: ignore[union-attr]
    wb[sheet][ref] = 3
    wb.save(master)

    # A plain build (no --html): the web page out/ holds is rebuilt too, the old versions kept.
    rebuilt = xxgk("build", master, "-o", out)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "已有网页，已一并重新生成" in rebuilt.output
    kinds = _one_version(out, master)
    assert set(kinds) == {".docx", ".xlsx", ".html"}
    assert _enforcement_everywhere(out, kinds) == {3}
    history = sorted(p.suffix for p in (out / ".history").iterdir())
    assert history == [".docx", ".html", ".xlsx"]
    assert _masters(folder) == ["2025.xlsx"]

    # And the form opened again shows the Excel correction, not the web edit.
    again = FormState.open(master, out, None)
    try:
        assert again.initial()["form"]["fields"]["t2.enforcement"] == "3"
        assert again.initial()["kinds"]["held"] == ["docx", "xlsx", "html"]
    finally:
        again.close()


def test_a_second_master_of_one_report_is_named(
    example_copy: Path, tmp_path: Path, xxgk: Run
) -> None:
    out = tmp_path / "out"
    assert xxgk("build", example_copy, "-o", out, "--html").exit_code == 0
    workbook = tmp_path / "2021.xlsx"
    workbook.write_bytes(render_xlsx(load(example_copy), data_sha256=NO_DATA_FILE))
    second = xxgk("build", workbook, "-o", out)
    assert second.exit_code == 0
    assert "上次由「example.yaml」生成，这次由「2021.xlsx」生成" in second.output
    assert "只应有一个母本" in second.output
    _one_version(out, workbook)  # every kind rebuilt: the manifest names the one source


def test_a_pdf_that_cannot_be_remade_moves_to_history(
    example_copy: Path, tmp_path: Path, xxgk: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert xxgk("build", example_copy, "-o", out).exit_code == 0
    stale = out / "晋江市永和镇2021年政府信息公开工作年度报告.pdf"
    stale.write_bytes(b"%PDF-1.4 an earlier version\n")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))  # no LibreOffice here
    monkeypatch.delenv("XXGK_SOFFICE", raising=False)
    result = xxgk("build", example_copy, "-o", out)
    assert result.exit_code == 0, result.output
    assert "无法重新生成，已移入" in result.output
    assert not stale.exists()
    kept = [p.read_bytes() for p in (out / ".history").glob("*.pdf")]
    assert kept == [b"%PDF-1.4 an earlier version\n"]
    assert "pdf" not in json.dumps(json.loads((out / "manifest.json").read_text("utf-8")))


def _hold_and_wait(master: str, ready: multiprocessing.synchronize.Event) -> None:
    lock = hold(Path(master))
    ready.set()
    signal.pause()
    lock.release()  # never reached: the test kills this process


def test_the_edit_lock_dies_with_its_process(example_copy: Path, tmp_path: Path) -> None:
    ready = multiprocessing.get_context("fork").Event()
    process = multiprocessing.get_context("fork").Process(
        target=_hold_and_wait, args=(str(example_copy), ready)
    )
    process.start()
    try:
        assert ready.wait(30)
        with pytest.raises(XxgkError) as refused:
            FormState.open(example_copy, tmp_path / "out", None)
        message = refused.value.findings[0].message
        assert "正在网页表单中编辑" in message
        assert f"进程 {process.pid}" in message
    finally:
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)  # killed: no clean-up runs
        process.join(10)
    assert lock_path(example_copy).exists()  # left behind, but holding nothing
    state = FormState.open(example_copy, tmp_path / "out", None)
    state.close()


def test_a_folder_opens_its_report_or_makes_a_workbook_there(
    example_copy: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "新文件夹"
    empty.mkdir()
    state = FormState.open(empty, None, None)
    try:
        first = state.initial()
        assert "还没有报告" in first["notice"]
        form = first["form"]
        form["fields"].update(organ="清河县柳林镇", year="2025")
        body = state.save(form).body
        assert body["saved"], body
        assert _masters(empty) == ["清河县柳林镇2025.xlsx"]
        assert state.outdir == empty / "out"
    finally:
        state.close()
    again = FormState.open(empty, None, None)
    try:
        assert again.datafile == empty / "清河县柳林镇2025.xlsx"
    finally:
        again.close()


def test_importing_a_published_report_creates_the_master_once(tmp_path: Path) -> None:
    published = Path(__file__).parent / "data" / "real" / "shanghai-kewei-2024.pdf"
    folder = tmp_path / "科委"
    folder.mkdir()
    state = FormState.open(folder, None, None)
    try:
        answer = state.open_file(published.name, published.read_bytes()).body
        assert answer["created"], answer
        assert "建立这份报告的母本" in answer["message"]
        made = _masters(folder)
        assert len(made) == 1
        assert made[0].endswith("2024.xlsx")
        master = folder / made[0]
        assert load_source(master)[0].year == 2024
        # Opened again: the form takes it, no other master is made.
        again = state.open_file(published.name, published.read_bytes()).body
        assert not again.get("created")
        assert _masters(folder) == made
    finally:
        state.close()
    # A second form on the same folder cannot make it again either.
    other = FormState.open(tmp_path / "科委", None, None)
    try:
        assert other.datafile == master
    finally:
        other.close()


def test_an_empty_report_builds_only_as_a_draft(tmp_path: Path, xxgk: Run) -> None:
    blank = tmp_path / "2025.xlsx"
    assert xxgk("init", blank, "--organ", "某镇", "--year", "2025").exit_code == 0
    refused = xxgk("build", blank, "-o", tmp_path / "out")
    assert refused.exit_code == 1
    assert "报告是空的" in refused.output
    assert "--draft" in refused.output
    assert not (tmp_path / "out").exists()
    drafted = xxgk("build", blank, "-o", tmp_path / "out", "--draft", "--html")
    assert drafted.exit_code == 0, drafted.output
    import zipfile

    docx = next((tmp_path / "out").glob("*.docx"))
    with zipfile.ZipFile(docx) as z:
        document = z.read("word/document.xml").decode()
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
    assert document.count('<w:headerReference w:type="default"') == document.count("<w:sectPr")
    assert document.count('<w:headerReference w:type="even"') == document.count("<w:sectPr")
    assert len(headers) == 2
    assert all("草稿" in h for h in headers)
    workbook = load_workbook(next((tmp_path / "out").glob("*.xlsx")))
    for sheet in workbook:
        assert "草稿（未定稿" in sheet.oddHeader.left.text
        assert sheet.oddHeader.center.text  # the organ and year stay
    assert load_source(next((tmp_path / "out").glob("*.xlsx")))[0].organ == "某镇"
    html = next((tmp_path / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "<title>草稿：" in html
    assert "xxgk-draft" in html


def test_every_page_of_a_drafts_pdf_says_so(tmp_path: Path, xxgk: Run) -> None:
    from xxgk.render.pdf.convert import pdf_available

    if not pdf_available():
        pytest.skip("LibreOffice is not installed: no PDF to look at")
    import pypdfium2

    blank = tmp_path / "2025.yaml"
    assert xxgk("init", blank, "--organ", "某镇", "--year", "2025").exit_code == 0
    result = xxgk("build", blank, "-o", tmp_path / "out", "--draft", "--pdf")
    assert result.exit_code == 0, result.output
    pdf = pypdfium2.PdfDocument(next((tmp_path / "out").glob("*.pdf")))
    try:
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    assert len(pages) >= 3
    assert all("草稿（未定稿，不得报送或发布）" in text for text in pages)
