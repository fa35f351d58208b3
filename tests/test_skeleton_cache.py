"""The workbook skeleton kept between runs: the same bytes from it, never trusted blindly, and
one `xxgk build` that renders nothing through openpyxl and imports no numpy."""

from __future__ import annotations

import ast
import hashlib
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xxgk.model import ApplicantCounts, Report
from xxgk.render.clean import clean_report
from xxgk.render.xlsx import fast, skeleton_cache
from xxgk.render.xlsx.workbook import _core, render_xlsx, render_xlsx_reference, xxgk_version

SHA = "cd" * 32
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XXGK_CACHE_DIR", str(folder))
    _as_a_new_process(monkeypatch)
    return folder


def _as_a_new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "_SKELETONS", {})
    monkeypatch.setattr(fast, "_SEEN", set())


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("skeleton-*.bin"))


def _no_openpyxl(report: Report, *, data_sha256: str) -> bytes:
    raise AssertionError("openpyxl rendered although a checked skeleton was stored")


def _other(report: Report) -> Report:
    """Another organ's report: other words, numbers, date and text than the skeleton's."""
    first = next(iter(report.table3.rows))
    rows = {**report.table3.rows, first: ApplicantCounts(cells=(7, None, 1, 0, 2, 9))}
    t3 = report.table3.model_copy(update={"rows": rows})
    return report.model_copy(update={
        "organ": "A&B<测试>县人民政府", "year": report.year + 1, "table3": t3,
        "problems": ["第一段 & <b>", "第二段\t制表\n换行"], "header": report.header.model_copy(
            update={"date": None}),
    })


def test_a_new_process_fills_the_stored_skeleton_without_openpyxl(
    cache: Path, example_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render_xlsx(example_report, data_sha256=SHA)  # openpyxl, checked, stored
    assert len(_entries(cache)) == 1
    other = _other(example_report)
    expected = render_xlsx_reference(other, data_sha256=SHA)
    _as_a_new_process(monkeypatch)
    key = fast.shape(clean_report(other)[0])
    stored = fast._stored(key, xxgk_version())
    assert stored is not None
    cleaned, _ = clean_report(other)
    got = fast.render_fast(cleaned, data_sha256=SHA, version=xxgk_version(),
                           core=_core(cleaned), reference=_no_openpyxl)
    assert got == expected
    _as_a_new_process(monkeypatch)
    assert render_xlsx(example_report, data_sha256=SHA) == first


@pytest.mark.parametrize("damage", ["truncated", "flipped", "foreign", "wrong-shape"])
def test_a_damaged_or_foreign_entry_is_made_again(
    cache: Path, example_report: Report, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    expected = render_xlsx(example_report, data_sha256=SHA)
    (entry,) = _entries(cache)
    data = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":  # one byte of the contents changed: its SHA-256 no longer matches
        at = len(data) // 2
        entry.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :])
    elif damage == "foreign":
        entry.write_bytes(b"not a skeleton")
    else:  # a well-formed entry whose contents are not a skeleton's
        packed = marshal.dumps(("a", "b"))
        key = entry.stem.removeprefix("skeleton-")
        entry.write_bytes(marshal.dumps({"format": 1, "key": key, "contents": packed,
                                         "sha256": hashlib.sha256(packed).hexdigest()}))
    _as_a_new_process(monkeypatch)
    assert render_xlsx(example_report, data_sha256=SHA) == expected
    _as_a_new_process(monkeypatch)
    assert fast._stored(fast.shape(example_report), xxgk_version()) is not None  # rewritten


def test_an_entry_of_another_key_is_refused(cache: Path, example_report: Report) -> None:
    render_xlsx(example_report, data_sha256=SHA)
    (entry,) = _entries(cache)
    key = entry.stem.removeprefix("skeleton-")
    assert skeleton_cache.load(key) is not None
    entry.rename(cache / f"skeleton-{'0' * 64}.bin")
    assert skeleton_cache.load("0" * 64) is None  # the entry names its own key


def test_the_key_follows_shape_version_and_code() -> None:
    key = skeleton_cache.entry_key((False, True), "1.0")
    assert key == skeleton_cache.entry_key((False, True), "1.0")
    assert key != skeleton_cache.entry_key((True, True), "1.0")
    assert key != skeleton_cache.entry_key((False, True), "1.1")
    shaping = set(skeleton_cache._SHAPING)
    assert all((ROOT / "src" / "xxgk" / m).is_file() for m in shaping)
    # Every xxgk module the renderer imports, at the top or inside a function, is in the key.
    assert _imported_by("render/xlsx/workbook.py") <= shaping


def _imported_by(start: str) -> set[str]:
    src = ROOT / "src" / "xxgk"

    def file_of(module: str) -> str | None:
        path = module.replace(".", "/")
        for candidate in (f"{path}.py", f"{path}/__init__.py"):
            if (src / candidate).is_file():
                return candidate
        return None

    found: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        if "/" in name:  # a package's __init__ runs before its modules
            package = name.rsplit("/", 1)[0] + "/__init__.py"
            if (src / package).is_file():
                todo.append(package)
        for node in ast.walk(ast.parse((src / name).read_text(encoding="utf-8"))):
            modules: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xxgk"):
                base = node.module.removeprefix("xxgk").removeprefix(".")
                modules += [base] if base else []
                modules += [f"{base}.{a.name}" if base else a.name for a in node.names]
            elif isinstance(node, ast.Import):
                modules += [a.name.removeprefix("xxgk.") for a in node.names
                            if a.name.startswith("xxgk.")]
            todo += [f for f in map(file_of, modules) if f is not None]
    return found


def test_without_a_cache_folder_one_report_is_openpyxl_alone(
    monkeypatch: pytest.MonkeyPatch, example_report: Report
) -> None:
    monkeypatch.setenv("XXGK_CACHE_DIR", "")
    _as_a_new_process(monkeypatch)
    made: list[object] = []

    def of(*args: object) -> None:
        made.append(args)

    monkeypatch.setattr(fast.Skeleton, "of", of)
    render_xlsx(example_report, data_sha256=SHA)
    assert made == []  # no skeleton for a single report when it cannot be kept


def test_one_build_as_a_process_uses_the_stored_skeleton_and_no_numpy(
    tmp_path: Path, example_path: Path
) -> None:
    env = {**os.environ, "XXGK_CACHE_DIR": str(tmp_path / "cache")}
    code = (
        "import sys, runpy\n"
        "import xxgk.render.xlsx.workbook as w\n"
        "def refuse(*a, **k):\n    raise SystemExit('openpyxl rendered')\n"
        "if sys.argv[1] == 'cached':\n    w.render_xlsx_reference = refuse\n"
        f"sys.argv = ['xxgk', 'build', {str(example_path)!r}, '-o', sys.argv[2]]\n"
        "try:\n    runpy.run_module('xxgk', run_name='__main__')\nexcept SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print('NUMPY', 'numpy' in sys.modules)\n"
        "import numpy\nprint('LATER', numpy.__name__)\n"
    )
    outputs = []
    for run in ("first", "cached"):
        out = tmp_path / run
        result = subprocess.run([sys.executable, "-c", code, run, str(out)], env=env,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "NUMPY False" in result.stdout  # openpyxl loaded without its optional numpy
        assert "LATER numpy" in result.stdout  # which still imports for whoever needs it
        outputs.append(sorted((p.name, p.read_bytes()) for p in out.iterdir()))
    assert outputs[0] == outputs[1]  # the same .docx, .xlsx and manifest, byte for byte
