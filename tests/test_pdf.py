"""convert_to_pdf: a real LibreOffice conversion, and a fake soffice for every failure path."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from xxgk.build import build_many
from xxgk.errors import XxgkError
from xxgk.model import Report
from xxgk.render.docx import render_docx
from xxgk.render.pdf import convert as pdf
from xxgk.render.pdf.convert import (
    convert_each,
    convert_many,
    convert_to_pdf,
    pdf_available,
    require_pdf,
    stabilize,
)

STEM = "晋江市永和镇2021年政府信息公开工作年度报告"

# A stand-in for soffice: logs its arguments, then behaves as $FAKE_MODE says.
FAKE = """#!/bin/sh
for a in "$@"; do printf '%s\\n' "$a" >> "$FAKE_LOG"; done
case "$FAKE_MODE" in
  fail) echo "boom: cannot load" >&2; exit 3 ;;
  nothing) exit 0 ;;
  hang) /bin/sleep 60 & echo $! > "$FAKE_LOG.child"; wait; exit 0 ;;
esac
outdir=""; prev=""
for a in "$@"; do
  if [ "$prev" = "--outdir" ]; then outdir="$a"; fi
  prev="$a"
done
for a in "$@"; do
  case "$a" in
    *.docx)
      name=$(/usr/bin/basename "$a" .docx)
      printf '%%PDF-fake %s %s\\n' "$FAKE_MODE" "$(/usr/bin/head -c 20 "$a")" > "$outdir/$name.pdf"
      if [ "$FAKE_MODE" = "partial" ]; then exit 0; fi ;;
  esac
done
"""


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake soffice alone on PATH; returns the log of its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "soffice"
    program.write_text(FAKE)
    program.chmod(0o755)
    log = tmp_path / "soffice.log"
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("FAKE_MODE", "ok")
    return log


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "in" / f"{STEM}.docx"
    path.parent.mkdir()
    path.write_bytes(b"PK fake docx")
    return path


def _code(exc: pytest.ExceptionInfo[XxgkError]) -> str:
    return exc.value.findings[0].code


# ---------------------------------------------------------------- LibreOffice missing


def test_missing_libreoffice_names_the_packages(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    assert not pdf_available()
    with pytest.raises(XxgkError) as early:
        require_pdf()
    with pytest.raises(XxgkError) as exc:
        convert_to_pdf(source, tmp_path / "out")
    assert _code(exc) == _code(early) == "output/no-libreoffice"
    assert exc.value.findings[0].message == early.value.findings[0].message
    message = exc.value.findings[0].message
    assert "未找到 LibreOffice" in message
    assert "sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk" in message
    assert not (tmp_path / "out").exists(), "nothing is created when nothing can be converted"


def test_missing_libreoffice_on_an_empty_path(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert not pdf_available()
    with pytest.raises(XxgkError) as exc:
        convert_to_pdf(source, tmp_path / "out")
    assert _code(exc) == "output/no-libreoffice"


# ---------------------------------------------------------------- a fake soffice


def _arguments(log: Path) -> list[str]:
    return log.read_text().splitlines()


def _profile(arguments: list[str]) -> Path:
    (env,) = [a for a in arguments if a.startswith("-env:UserInstallation=")]
    uri = env.split("=", 1)[1]
    assert uri.startswith("file:///")
    return Path(unquote(urlparse(uri).path))


def test_command_profile_and_output(fake_soffice: Path, source: Path, tmp_path: Path) -> None:
    assert pdf_available()
    require_pdf()
    out = tmp_path / "out"
    result = convert_to_pdf(source, out)
    assert result == out / f"{STEM}.pdf"
    assert result.read_bytes() == b"%PDF-fake ok PK fake docx\n"
    arguments = _arguments(fake_soffice)
    assert arguments[0].startswith("-env:UserInstallation=")
    assert "--headless" in arguments
    # PDF/A-2b: LibreOffice's export filter with SelectPdfVersion 2.
    assert arguments[arguments.index("--convert-to") + 1] == (
        'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
    )
    assert re.fullmatch(r"[ -~]+", arguments[-1]), "LibreOffice is handed an ASCII file name"
    profile = _profile(arguments)
    assert not profile.exists(), "the throw-away profile is removed"
    assert not Path(arguments[arguments.index("--outdir") + 1]).exists()
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.pdf"]


def test_each_call_has_its_own_profile_and_replaces_the_pdf(
    fake_soffice: Path, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    convert_to_pdf(source, out)
    monkeypatch.setenv("FAKE_MODE", "again")
    result = convert_to_pdf(source, out)
    assert result.read_bytes() == b"%PDF-fake again PK fake docx\n"
    profiles = [a for a in _arguments(fake_soffice) if a.startswith("-env:")]
    assert len(profiles) == 2
    assert profiles[0] != profiles[1]


def test_libreoffice_name_is_found_too(
    fake_soffice: Path, source: Path, tmp_path: Path
) -> None:
    program = Path(os.environ["PATH"]) / "soffice"
    program.rename(program.with_name("libreoffice"))
    assert pdf_available()
    assert convert_to_pdf(source, tmp_path / "out").exists()


def test_failure_is_reported_with_libreoffice_words(
    fake_soffice: Path, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "fail")
    out = tmp_path / "out"
    with pytest.raises(XxgkError) as exc:
        convert_to_pdf(source, out)
    assert _code(exc) == "output/pdf-failed"
    assert "退出码 3" in exc.value.findings[0].message
    assert "boom: cannot load" in exc.value.findings[0].message
    assert exc.value.findings[0].location.file == str(source)
    assert list(out.iterdir()) == []
    assert not _profile(_arguments(fake_soffice)).exists()


def test_no_pdf_without_an_error_code_is_a_failure(
    fake_soffice: Path, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "nothing")
    with pytest.raises(XxgkError) as exc:
        convert_to_pdf(source, tmp_path / "out")
    assert _code(exc) == "output/pdf-failed"
    assert "退出码 0" in exc.value.findings[0].message


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status  # killed, waiting for init to reap it


def test_timeout_ends_the_whole_process_group(
    fake_soffice: Path, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "hang")
    started = time.monotonic()
    with pytest.raises(XxgkError) as exc:
        convert_to_pdf(source, tmp_path / "out", timeout=1)
    assert time.monotonic() - started < 10
    assert _code(exc) == "output/pdf-timeout"
    assert "超过 1 秒" in exc.value.findings[0].message
    child = int(Path(f"{fake_soffice}.child").read_text())
    deadline = time.monotonic() + 5
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child), "the child LibreOffice process was left running"
    assert not _profile(_arguments(fake_soffice)).exists()


def _sources(tmp_path: Path, names: list[str]) -> list[Path]:
    paths = []
    for i, name in enumerate(names):
        path = tmp_path / "many" / str(i) / f"{name}.docx"
        path.parent.mkdir(parents=True)
        path.write_bytes(f"PK docx {i}".encode())
        paths.append(path)
    return paths


def test_many_files_in_one_start(fake_soffice: Path, tmp_path: Path) -> None:
    sources = _sources(tmp_path, ["乙局", "甲局", "丙局"])
    out = tmp_path / "out"
    results = convert_many(sources, out)
    assert results == [out / "乙局.pdf", out / "甲局.pdf", out / "丙局.pdf"]
    assert [r.read_bytes() for r in results] == [
        f"%PDF-fake ok PK docx {i}\n".encode() for i in range(3)
    ]
    arguments = _arguments(fake_soffice)
    assert sum(a.startswith("-env:") for a in arguments) == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(r.name for r in results)


def test_many_moves_nothing_unless_all_converted(
    fake_soffice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODE", "partial")
    sources = _sources(tmp_path, ["甲局", "乙局"])
    out = tmp_path / "out"
    with pytest.raises(XxgkError) as exc:
        convert_many(sources, out)
    assert _code(exc) == "output/pdf-failed"
    assert exc.value.findings[0].location.file == str(sources[1])
    assert list(out.iterdir()) == []


def test_many_refuses_two_files_of_one_name(fake_soffice: Path, tmp_path: Path) -> None:
    sources = _sources(tmp_path, ["甲局", "甲局"])
    with pytest.raises(XxgkError) as exc:
        convert_many(sources, tmp_path / "out")
    assert _code(exc) == "output/pdf-same-name"
    assert exc.value.findings[0].location.file == str(sources[1])
    assert not fake_soffice.exists(), "LibreOffice is not started"


def test_missing_source(fake_soffice: Path, tmp_path: Path) -> None:
    with pytest.raises(XxgkError) as exc:
        convert_to_pdf(tmp_path / "nope.docx", tmp_path / "out")
    assert _code(exc) == "output/pdf-source-missing"


# ---------------------------------------------------------------- reproducible bytes

CREATED = dt.datetime(2022, 1, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _fake_pdf(when: bytes, file_id: bytes, checksum: bytes) -> bytes:
    return (b"%PDF-1.6\n1 0 obj <</CreationDate(D:" + when + b"Z')>>\nendobj\n"
            b"trailer <</Size 2/ID [ <" + file_id + b">\n<" + file_id + b"> ]\n"
            b"/DocChecksum /" + checksum + b"\n>>\nstartxref\n9\n%%EOF\n")


def test_stabilize_sets_the_date_and_derives_the_id() -> None:
    first = _fake_pdf(b"20261125015655", b"AB" * 16, b"CD" * 16)
    second = _fake_pdf(b"20261126101010", b"EF" * 16, b"12" * 16)
    assert first != second
    stable = stabilize(first, CREATED)
    assert stable == stabilize(second, CREATED)
    assert len(stable) == len(first), "offsets in the cross-reference table stay valid"
    assert b"/CreationDate(D:20220120013000Z')" in stable
    blanked = _fake_pdf(b"20220120013000", b"0" * 32, b"0" * 32)
    digest = hashlib.md5(blanked).hexdigest().upper().encode()
    assert stable == _fake_pdf(b"20220120013000", digest, digest)
    other = stabilize(first.replace(b"endobj", b"endobj "), CREATED)
    assert digest not in other, "another content gets another /ID"


def test_stabilize_takes_a_naive_time_as_utc() -> None:
    pdf = _fake_pdf(b"20261125015655", b"AB" * 16, b"CD" * 16)
    assert b"D:20220120093000" in stabilize(pdf, dt.datetime(2022, 1, 20, 9, 30))


# ---------------------------------------------------------------- real LibreOffice

needs_libreoffice = pytest.mark.skipif(
    not pdf_available() or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed",
)


@pytest.fixture(scope="module")
def converted(
    example_report: Report, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, list[str]]:
    """The example converted once; also what the temp folder held afterwards."""
    work = tmp_path_factory.mktemp("pdf")
    temp = work / "tmp"
    temp.mkdir()
    source = work / "in" / f"{STEM}.docx"
    source.parent.mkdir()
    source.write_bytes(render_docx(example_report))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(temp))
        result = convert_to_pdf(source, work / "out", timeout=pdf.DEFAULT_TIMEOUT,
                                created=CREATED)
    return work, result, sorted(p.name for p in temp.iterdir())


@needs_libreoffice
def test_real_conversion(converted: tuple[Path, Path, list[str]]) -> None:
    work, result, left_in_temp = converted
    assert result == work / "out" / f"{STEM}.pdf"
    assert result.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in (work / "out").iterdir()) == [result.name]
    assert left_in_temp == [], "the LibreOffice profile was left behind"
    text = subprocess.run(["pdftotext", str(result), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    squeezed = re.sub(r"\s+", "", text)
    assert STEM in squeezed
    assert "一、总体情况" in squeezed
    info = subprocess.run(["pdfinfo", "-isodates", str(result)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    assert re.search(r"CreationDate:\s+2022-01-20T01:30:00", info), info


@needs_libreoffice
def test_real_conversion_is_reproducible(
    converted: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    work, result, _ = converted
    source = work / "in" / f"{STEM}.docx"
    again = convert_to_pdf(source, tmp_path, created=CREATED)
    assert again.read_bytes() == result.read_bytes()


@needs_libreoffice
def test_real_conversion_of_many(example_report: Report, tmp_path: Path) -> None:
    other = example_report.model_copy(update={"organ": "晋江市安海镇", "title": None})
    sources = []
    for report in (example_report, other):
        path = tmp_path / "in" / f"{report.file_stem}.docx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(render_docx(report))
        sources.append(path)
    results = convert_many(sources, tmp_path / "out")
    for report, result in zip((example_report, other), results, strict=True):
        text = subprocess.run(["pdftotext", str(result), "-"], capture_output=True, text=True,
                              check=True, timeout=60).stdout
        assert report.display_title in re.sub(r"\s+", "", text)


def test_each_file_gets_its_own_outcome(
    fake_soffice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # LibreOffice stops after the first file: that one is converted, the second is an error
    # concerning it alone.
    monkeypatch.setenv("FAKE_MODE", "partial")
    sources = _sources(tmp_path, ["甲局", "乙局"])
    first, second = convert_each(sources)
    assert first == b"%PDF-fake partial PK docx 0\n"
    assert isinstance(second, XxgkError)
    assert second.findings[0].code == "output/pdf-failed"
    assert second.findings[0].location.file == str(sources[1])


@needs_libreoffice
def test_batch_pdfs_equal_the_pdfs_built_alone(example_path: Path, tmp_path: Path) -> None:
    """A later report of a --pdf batch gets the bytes it gets alone; a duplicate input is
    refused before anything is written (issue 15: two inputs never write one file)."""
    text = example_path.read_text(encoding="utf-8")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.yaml").write_text(text, encoding="utf-8")
    (inputs / "a-again.yaml").write_text(text, encoding="utf-8")
    (inputs / "b.yaml").write_text(text.replace("机关名称: 晋江市永和镇", "机关名称: 晋江市安海镇"),
                                   encoding="utf-8")
    batch = build_many([inputs / "a.yaml", inputs / "b.yaml"], tmp_path / "batch",
                       formats=("docx", "pdf"))
    alone = build_many([inputs / "b.yaml"], tmp_path / "alone", formats=("docx", "pdf"))
    name = "晋江市安海镇2021年政府信息公开工作年度报告.pdf"
    assert (tmp_path / "batch" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()
    assert all(r.ok for r in [*batch, *alone])
    with pytest.raises(XxgkError) as refused:
        build_many([inputs / "a.yaml", inputs / "a-again.yaml", inputs / "b.yaml"],
                   tmp_path / "dup", formats=("docx", "pdf"))
    assert {f.code for f in refused.value.findings} == {"build/same-output"}
    assert not any((tmp_path / "dup").glob("*.*"))


def test_nothing_to_convert_starts_nothing(fake_soffice: Path) -> None:
    assert convert_each([]) == []
    assert not fake_soffice.exists(), "LibreOffice is not started"
