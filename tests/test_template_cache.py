"""The compiled template kept between runs: the same document from it, and never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.model import Report
from xxgk.render.docx import compiled_cache, template
from xxgk.render.docx.template import default_template, load_template, render_docx


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XXGK_CACHE_DIR", str(folder))
    monkeypatch.setattr(template, "_CACHE", {})
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("template-*.bin"))


def test_a_second_process_renders_the_same_bytes_from_the_entry(
    cache: Path, example_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = render_docx(example_report)
    assert len(_entries(cache)) == 1
    monkeypatch.setattr(template, "_CACHE", {})  # as a new process
    monkeypatch.setattr(template, "_compile", _no_compiling)
    assert render_docx(example_report) == compiled
    assert load_template().body_proven


def _no_compiling(data: bytes, name: str) -> template.CompiledTemplate:
    raise AssertionError("compiled although an entry was stored")


def test_a_damaged_entry_is_compiled_again(
    cache: Path, example_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = render_docx(example_report)
    (entry,) = _entries(cache)
    entry.write_bytes(entry.read_bytes()[:1000])
    monkeypatch.setattr(template, "_CACHE", {})
    assert render_docx(example_report) == expected
    assert entry.stat().st_size > 1000  # rewritten whole


def test_another_template_has_another_entry(cache: Path, tmp_path: Path) -> None:
    load_template()
    other = tmp_path / "other.docx"
    data = bytearray(default_template().read_bytes())
    other.write_bytes(bytes(data))
    load_template(other)  # the same bytes: the same entry
    assert len(_entries(cache)) == 1
    assert compiled_cache.entry_key(b"a") != compiled_cache.entry_key(b"b")


def test_no_cache_when_switched_off_or_unwritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example_report: Report
) -> None:
    monkeypatch.setattr(template, "_CACHE", {})
    monkeypatch.setenv("XXGK_CACHE_DIR", "")
    assert compiled_cache.cache_folder() is None
    render_docx(example_report)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setattr(template, "_CACHE", {})
    monkeypatch.setenv("XXGK_CACHE_DIR", str(blocker / "cache"))  # cannot be made
    assert render_docx(example_report)


def test_an_entry_of_another_key_is_refused(cache: Path) -> None:
    load_template()
    (entry,) = _entries(cache)
    key = entry.stem.removeprefix("template-")
    assert compiled_cache.load(key) is not None
    moved = cache / f"template-{'0' * 64}.bin"
    entry.rename(moved)
    assert compiled_cache.load("0" * 64) is None  # the entry names its own key
