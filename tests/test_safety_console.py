"""Console, JSON and file-name hygiene (issue 15, classes 6 and 7): what a terminal would obey is
shown as an escape, JSON lines carry no raw line separators, any console encoding works, a
planted `.history` link moves nothing out of out/, and names too long are shortened and said so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from tests.safety_support import EXAMPLE, manifest_lies, variant
from tests.test_fuzz import FUZZ, _count
from xxgk.errors import XxgkError
from xxgk.safe_text import MAX_NAME_BYTES, console_safe, json_line, shortened
from xxgk.writer import HISTORY_DIR, write_outputs

Run = Callable[..., Result]
OBEYED = ["\x1b", "\r", "\x07", "\x9b", "\u202e", "\u202a", "\u2066", "\u2069", "\u200e",
          "\u200f", "\u2028", "\u2029", "\x85"]


def _xxgk(*args: str | bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "xxgk", *args], capture_output=True,
                          env={**os.environ, **env}, check=False)


def test_terminal_output_shows_controls_as_escapes(xxgk: Run, tmp_path: Path) -> None:
    name = "report\x1b[2J\x1b]0;owned\x07\r\u202egpj.yaml"
    path = tmp_path / name
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = xxgk("check", path)
    for char in OBEYED:
        assert char not in result.output, repr(char)
    assert "\\x1b[2J" in result.output
    assert "\\u202e" in result.output


def test_json_lines_escape_every_line_separator(xxgk: Run, tmp_path: Path) -> None:
    name = "a\u2028b\u2029c\x85d\u202ee.yaml"
    path = tmp_path / name
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = xxgk("check", path, "--format", "json")
    for char in OBEYED:
        assert char not in result.output, repr(char)
    lines = result.output.splitlines()  # str.splitlines splits on U+2028 too: none may be left
    assert lines
    assert all(json.loads(line)["file"] == str(path) for line in lines)


@given(st.text())
@FUZZ
def test_fuzz_safe_text(text: str) -> None:
    _count("safe text")
    shown = console_safe(text)
    assert not any(char in shown for char in OBEYED)
    shown.encode("utf-8")  # no lone surrogate left
    line = json_line({"t": text})
    assert len(line.splitlines()) == 1
    assert json.loads(line) == {"t": text}


def test_a_gbk_console_prints_a_replacement_not_a_traceback(tmp_path: Path) -> None:
    path = variant(tmp_path, "😀𠀀.yaml")  # neither is in GBK
    run = _xxgk("check", str(path), PYTHONIOENCODING="gbk")
    assert run.returncode in (0, 1)
    assert b"Traceback" not in run.stderr
    text = run.stdout.decode("gbk")
    assert "没有错误" in text
    assert "?" in text


@pytest.mark.skipif(sys.platform != "linux", reason="file names as bytes")
def test_a_non_utf8_file_name_is_printed_safely(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    name = folder + b"/\xff\xfe\x1b[31m.yaml"
    with open(name, "wb") as handle:
        handle.write(EXAMPLE.read_bytes())
    for fmt in ("text", "json"):
        run = _xxgk(b"check", name, b"--format", fmt.encode())
        assert run.returncode in (0, 1), run.stderr
        assert b"Traceback" not in run.stderr
        assert b"\x1b" not in run.stdout
        assert b"\\xff\\xfe" in run.stdout or b"\\udcff\\udcfe" in run.stdout
    missing = _xxgk(b"check", folder + b"/\xff\xd8missing.yaml")
    assert b"Traceback" not in missing.stderr


def test_bidi_and_control_characters_never_reach_output_names(xxgk: Run, tmp_path: Path) -> None:
    # A data file refuses such a name outright (tests/test_grammar.py); our workbook carries
    # whatever was typed into its cell, so the name is made safe on the way to the file system.
    from xxgk.inputs import parse_report
    from xxgk.render.xlsx import render_xlsx

    text = variant(tmp_path, "a.yaml").read_text(encoding="utf-8")
    report = parse_report(text)[0].model_copy(update={"organ": "甲\u202e镇\u200b"})
    data = tmp_path / "a.xlsx"
    data.write_bytes(render_xlsx(report, data_sha256=""))
    out = tmp_path / "out"
    result = xxgk("build", data, "-o", out)
    assert result.exit_code == 0, result.output
    names = [p.name for p in out.iterdir()]
    assert all(console_safe(n) == n and "\u200b" not in n for n in names), names
    assert "甲_镇_2021年政府信息公开工作年度报告.docx" in names


def test_a_planted_history_link_moves_nothing_outside(xxgk: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert xxgk("build", variant(tmp_path, "a.yaml", count=1), "-o", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.glob("*.*x")}
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (out / HISTORY_DIR).symlink_to(outside, target_is_directory=True)
    result = xxgk("build", variant(tmp_path, "a.yaml", count=2), "-o", out)
    assert result.exit_code == 1
    assert "output/unsafe-history" in result.output
    assert list(outside.iterdir()) == []
    assert {p.name: p.read_bytes() for p in out.glob("*.*x")} == before
    assert manifest_lies(out) == []


def test_a_history_link_planted_after_the_check_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xxgk import writer

    target = tmp_path / "r.docx"
    target.write_bytes(b"old")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    real_check = writer._refuse_unsafe_history
    calls = [0]

    def plant_after_first_check(folder: Path) -> None:
        real_check(folder)
        calls[0] += 1
        if calls[0] == 2:  # the check made just before the move: the race is lost to the link
            (folder / HISTORY_DIR).symlink_to(outside, target_is_directory=True)

    monkeypatch.setattr(writer, "_refuse_unsafe_history", plant_after_first_check)
    with pytest.raises(XxgkError):
        write_outputs({target: b"new"})
    assert list(outside.iterdir()) == []
    assert target.read_bytes() == b"old"


def test_names_too_long_are_shortened_with_a_hash_and_said(xxgk: Run, tmp_path: Path) -> None:
    organs = ["很长的机关名称" * 15 + "甲", "很长的机关名称" * 15 + "乙"]
    inputs = [variant(tmp_path, f"{n}.yaml", organ=o) for n, o in enumerate(organs)]
    out = tmp_path / "out"
    result = xxgk("build", *inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert "已缩短为" in result.output
    names = sorted(p.name for p in out.glob("*.*x"))
    assert len(names) == 4  # two organs, both kept: the hash tells them apart
    assert all(len(n.encode("utf-8")) <= MAX_NAME_BYTES for n in names)
    assert manifest_lies(out) == []
    again = xxgk("import", *sorted(out.glob("*.xlsx")), "-o", tmp_path / "data")
    assert again.exit_code == 0, again.output
    assert len(list((tmp_path / "data").glob("*.yaml"))) == 2


@given(st.text(min_size=1, max_size=300), st.sampled_from([".docx", ".yaml", ".html"]))
@FUZZ
def test_fuzz_shortened_names(stem: str, suffix: str) -> None:
    _count("file names")
    name = shortened(stem, suffix)
    assert len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
    assert name.endswith(suffix)


def test_a_planted_lock_link_is_refused(xxgk: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.txt"
    (out / ".manifest.lock").symlink_to(outside)
    result = xxgk("build", variant(tmp_path, "a.yaml"), "-o", out)
    assert result.exit_code == 1
    assert "output/unsafe-lock" in result.output
    assert not outside.exists()
    assert not list(out.glob("*.docx"))
    assert not list(out.glob("*.tmp"))  # what was staged is removed


@pytest.mark.skipif(sys.platform != "linux", reason="file names as bytes")
def test_a_non_utf8_data_file_name_is_recorded_in_the_manifest(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/\xff\xfe.yaml"
    with open(name, "wb") as handle:
        handle.write(EXAMPLE.read_bytes())
    out = tmp_path / "out"
    run = _xxgk(b"build", name, b"-o", os.fsencode(out))
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert manifest_lies(out) == []
    sources = {e["source"] for e in json.loads((out / "manifest.json").read_text())["files"]}
    assert sources == {"\\xff\\xfe.yaml"}
