"""`xxgk build`: outputs, manifest, history on corrections, reproducible bytes, bad outputs."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from freezegun import freeze_time

from xxgk.build import build_file
from xxgk.manifest import MANIFEST

Run = Callable[..., Result]
STEM = "晋江市永和镇2021年政府信息公开工作年度报告"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_docx_xlsx_and_manifest(xxgk: Run, example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = xxgk("build", example_path, "-o", out)
    assert result.exit_code == 0, result.output
    docx, xlsx = out / f"{STEM}.docx", out / f"{STEM}.xlsx"
    assert f"已生成：{docx}" in result.output
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    entries = {e["file"]: e for e in manifest["files"]}
    assert set(entries) == {docx.name, xlsx.name}
    assert entries[docx.name]["sha256"] == _sha(docx)
    assert entries[xlsx.name]["source_sha256"] == _sha(example_path)
    assert entries[docx.name]["xxgk_version"]
    assert len(entries[docx.name]["template_sha256"]) == 64


def test_rebuild_after_correction_keeps_the_filed_version(
    xxgk: Run, example_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert xxgk("build", example_copy, "-o", out).exit_code == 0
    filed = (out / f"{STEM}.docx").read_bytes()
    again = xxgk("build", example_copy, "-o", out)
    assert f"无变化：{out / f'{STEM}.docx'}" in again.output
    assert not (out / ".history").exists()

    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(text.replace("信息数74条", "信息数80条"), encoding="utf-8")
    assert xxgk("build", example_copy, "-o", out).exit_code == 0
    kept = list((out / ".history").glob(f"{STEM}.*.docx"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == filed
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    entry = next(e for e in manifest["files"] if e["file"] == f"{STEM}.docx")
    assert entry["sha256"] == _sha(out / f"{STEM}.docx")
    assert entry["source_sha256"] == _sha(example_copy)
    # the xlsx changed too (it holds the narrative and the data hash)
    assert len(list((out / ".history").glob(f"{STEM}.*.xlsx"))) == 1


def test_errors_stop_the_build_and_write_nothing(xxgk: Run, example_copy: Path,
                                                 tmp_path: Path) -> None:
    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(text.replace("    予以公开: [0, 0", "    予以公开: [1, 0"),
                            encoding="utf-8")
    out = tmp_path / "out"
    result = xxgk("build", example_copy, "-o", out)
    assert result.exit_code == 1
    assert "[t3/balance] 表三/自然人" in result.output
    assert "有错误，未生成" in result.output
    assert not out.exists() or list(out.iterdir()) == []
    # the same words and lines as `xxgk check`
    checked = xxgk("check", example_copy)
    findings = [line for line in checked.output.splitlines() if re.search(r"(错误|警告)( \S+)? \[", line)]
    assert findings
    assert all(line in result.output for line in findings)
    assert f"{example_copy}:" in findings[0]


def test_batch_with_one_bad_input(xxgk: Run, example_path: Path, tmp_path: Path) -> None:
    inputs = []
    text = example_path.read_text(encoding="utf-8")
    for i in range(20):
        path = tmp_path / f"organ{i:02d}.yaml"
        body = text.replace("机关名称: 晋江市永和镇", f"机关名称: 测试镇{i:02d}")
        if i == 7:
            body = body.replace("  本年新收: [0, 0", "  本年新收: [5, 0")
        path.write_text(body, encoding="utf-8")
        inputs.append(path)
    out = tmp_path / "out"
    result = xxgk("build", *inputs, "-o", out, "--jobs", "2")
    assert result.exit_code == 1
    assert len(list(out.glob("*.docx"))) == 19, result.output
    assert not (out / "测试镇072021年政府信息公开工作年度报告.docx").exists()
    assert "共 20 个：成功 19 个，失败 1 个" in result.output
    row = next(line for line in result.output.splitlines() if line.startswith("organ07.yaml"))
    assert "未生成" in row
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 38


def test_same_bytes_on_any_day_and_time_zone(example_path: Path, tmp_path: Path) -> None:
    with freeze_time("2030-06-01 12:00:00"):
        first = build_file(example_path, tmp_path / "a")
    with freeze_time("2022-02-02 03:04:05", tz_offset=8):
        second = build_file(example_path, tmp_path / "b")
    for a, b in zip(first.outputs, second.outputs, strict=True):
        assert _sha(a) == _sha(b), a.name
    env = {**os.environ, "TZ": "America/New_York", "SOURCE_DATE_EPOCH": "1"}
    out = tmp_path / "c"
    subprocess.run([sys.executable, "-m", "xxgk", "build", str(example_path), "-o", str(out)],
                   env=env, check=True, capture_output=True)
    for a in first.outputs:
        assert _sha(out / a.name) == _sha(a), a.name


def _read_only_mount(folder: Path) -> list[str] | None:
    """A command prefix that runs with ``folder`` mounted read-only, if this machine allows it."""
    if os.geteuid() != 0:
        return None
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run([unshare, "-m", "true"], capture_output=True, check=False)
    return [unshare, "-m", "sh", "-c", f'mount --bind -o ro "{folder}" "{folder}" && exec "$@"',
            "sh"] if probe.returncode == 0 else None


def test_read_only_output_folder(example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "xxgk", "build", str(example_path), "-o", str(out)],
                   check=True, capture_output=True)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    prefix = _read_only_mount(out)
    if prefix is None:
        if os.geteuid() == 0:
            pytest.skip("needs unshare (root) or a non-root user to make a folder read-only")
        out.chmod(0o555)
        prefix = []
    changed = tmp_path / "changed.yaml"
    changed.write_text(example_path.read_text(encoding="utf-8").replace("74条", "80条"),
                       encoding="utf-8")
    try:
        result = subprocess.run([*prefix, sys.executable, "-m", "xxgk", "build", str(changed),
                                 "-o", str(out)], capture_output=True, text=True, check=False)
    finally:
        out.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "没有写入权限" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_read_only_target_is_left_alone(xxgk: Run, example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert xxgk("build", example_copy, "-o", out).exit_code == 0
    docx = out / f"{STEM}.docx"
    filed = docx.read_bytes()
    docx.chmod(0o444)
    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(text.replace("74条", "80条"), encoding="utf-8")
    result = xxgk("build", example_copy, "-o", out)
    assert result.exit_code == 1
    assert "目标文件是只读的（或正被其他程序打开）" in result.output
    assert docx.read_bytes() == filed
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_missing_output_folder_is_made(xxgk: Run, example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    assert xxgk("build", example_path, "-o", out).exit_code == 0
    assert (out / f"{STEM}.docx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_batch_with_pdf_and_html(xxgk: Run, example_path: Path, tmp_path: Path) -> None:
    text = example_path.read_text(encoding="utf-8")
    inputs = []
    for name in ("甲镇", "乙镇"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text.replace("机关名称: 晋江市永和镇", f"机关名称: {name}"), encoding="utf-8")
        inputs.append(path)
    out = tmp_path / "out"
    result = xxgk("build", *inputs, "-o", out, "--pdf", "--html", "--jobs", "2")
    assert result.exit_code == 0, result.output
    for name in ("甲镇", "乙镇"):
        for suffix in ("docx", "xlsx", "html", "pdf"):
            assert (out / f"{name}2021年政府信息公开工作年度报告.{suffix}").exists()
    pdf = out / "甲镇2021年政府信息公开工作年度报告.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    first = _sha(pdf)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["files"]) == 8
    # rebuilt on another run of LibreOffice: the same bytes, so nothing moves to .history
    assert xxgk("build", *inputs, "-o", out, "--pdf", "--html", "--jobs", "2").exit_code == 0
    assert _sha(pdf) == first
    assert not (out / ".history").exists()
