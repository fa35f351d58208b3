"""What makes a batch build fast keeps its guarantees (issue 22 (b), (c)).

A batch stages its outputs without an fsync each and syncs the file system once before any rename
(Linux); the renames' folder is synced after them; killed builds' temporaries are swept once per
batch; a report cleaned once is not walked again; a table's values are computed once per
workbook. Each is checked here against what it replaces.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk import writer
from xxgk.build import build_file, build_many
from xxgk.inputs import dump_report, load
from xxgk.model import DocumentHeader, Report
from xxgk.render.clean import clean_report
from xxgk.render.docx import template as docx_template
from xxgk.render.xlsx import tables
from xxgk.xlsx_layout import GRIDS

if TYPE_CHECKING:
    from openpyxl import Workbook

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "example.yaml"
LINUX = pytest.mark.skipif(sys.platform != "linux", reason="syncfs(2) and /proc are Linux's")


def _inputs(folder: Path, count: int) -> list[Path]:
    """``count`` data files of different organs (the example's text and numbers)."""
    base = load(EXAMPLE)
    folder.mkdir()
    paths = []
    for i in range(count):
        report = base.model_copy(update={"organ": f"测试县第{i}镇"})
        path = folder / f"organ{i}.yaml"
        path.write_text(dump_report(report), encoding="utf-8")
        paths.append(path)
    return paths


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@LINUX
def test_a_batch_syncs_once_before_any_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_syncfs = writer._syncfs()
    assert real_syncfs is not None, "this Linux C library has no syncfs"
    real_fsync, real_replace = os.fsync, os.replace

    def syncfs(fd: int) -> int:
        events.append("syncfs")
        return real_syncfs(fd)

    def fsync(fd: int) -> None:
        events.append("fsync " + os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def replace(source: str | Path, target: str | Path) -> None:
        events.append(f"replace {Path(target).name}")
        real_replace(source, target)

    monkeypatch.setattr(writer, "_syncfs", lambda: syncfs)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    out = tmp_path / "out"
    results = build_many(_inputs(tmp_path / "data", 3), out, jobs=1)
    assert all(r.ok for r in results)
    renames = [i for i, e in enumerate(events) if re.fullmatch(r"replace .*\.(docx|xlsx)", e)]
    assert len(renames) == 6  # three reports, .docx and .xlsx each
    before = events[: renames[0]]
    # No output was synced one by one: the one syncfs covers all six.
    assert [e for e in before if e == "syncfs"] == ["syncfs"]
    assert not [e for e in before if e.startswith("fsync") and e.endswith((".tmp", ".xlsx"))]
    # After the renames, the folder that now names them.
    after = events[renames[-1] + 1 :]
    assert f"fsync {out}" in after
    for result in results:
        for output in result.outputs:
            assert output.is_file()


@LINUX
def test_a_single_build_syncs_each_file_and_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    out = tmp_path / "out"
    build_file(EXAMPLE, out)
    temporaries = [s for s in synced if s.endswith(".tmp")]
    assert len(temporaries) >= 2  # the .docx and the .xlsx (and the manifest), each
    assert str(out) in synced


def test_without_syncfs_each_staged_file_is_synced_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(writer, "_syncfs", lambda: None)
    monkeypatch.setattr(os, "fsync", fsync)
    staged = writer.stage_outputs(
        {tmp_path / "a.docx": b"one", tmp_path / "b.xlsx": b"two"}, sync_later=True
    )
    assert [s.synced for s in staged] == [True, True]
    assert len(calls) == 2
    writer.commit_outputs(staged)
    assert (tmp_path / "a.docx").read_bytes() == b"one"


def test_staged_but_unsynced_is_synced_by_the_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[Path]] = []
    real = writer.sync_staged

    def sync_staged(staged: list[writer.Staged]) -> None:
        asked.append([s.target for s in staged])
        real(staged)

    monkeypatch.setattr(writer, "sync_staged", sync_staged)
    staged = writer.stage_outputs({tmp_path / "a.docx": b"one"}, sync_later=True)
    writer.commit_outputs(staged)
    if writer._syncfs() is not None:
        assert asked == [[tmp_path / "a.docx"]]
    assert (tmp_path / "a.docx").read_bytes() == b"one"


def test_the_sweep_removes_only_ended_builds_temporaries(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    names = [
        f".report.docx.{dead}.abc123_x.tmp",  # a killed build's: goes
        f".报告 v1.2.xlsx.{dead}.zz9.tmp",  # dots and spaces in the target's name: goes
        f".report.docx.{alive}.def456.tmp",  # this process's own: stays
        ".notes.tmp",  # not ours: stays
        "report.docx",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    writer.sweep_temporaries(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])
    writer.sweep_temporaries(tmp_path / "missing")  # no folder yet: nothing to do


def test_a_batch_sweeps_leftovers_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / f".organ.docx.{_dead_pid()}.abcdef.tmp"
    leftover.write_bytes(b"partial")
    build_many(_inputs(tmp_path / "data", 2), out, jobs=1)
    assert not leftover.exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_batch_writes_the_bytes_each_report_gets_alone(tmp_path: Path) -> None:
    """Two processes, the workbook's fast path from the second report on, one sync: the same
    files, byte for byte, as building each report by itself."""
    paths = _inputs(tmp_path / "data", 4)
    batch, alone = tmp_path / "batch", tmp_path / "alone"
    results = build_many(paths, batch, jobs=2)
    assert all(r.ok for r in results)
    for path in paths:
        build_file(path, alone)
    names = sorted(p.name for p in batch.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in alone.iterdir() if not p.name.startswith("."))
    assert len(names) == 4 * 2 + 1  # .docx, .xlsx each, and manifest.json
    for name in names:
        assert (batch / name).read_bytes() == (alone / name).read_bytes(), name


def test_a_cleaned_report_is_not_cleaned_again_and_a_dirty_one_always_is() -> None:
    dirty = load(EXAMPLE).model_copy(update={"problems": ["控制\x01字符"]})
    cleaned, findings = clean_report(dirty)
    assert findings
    assert cleaned.problems == ["控制字符"]
    again, none = clean_report(cleaned)
    assert again is cleaned
    assert none == []
    _, repeated = clean_report(dirty)  # the dirty report is never taken for a clean one
    assert [f.code for f in repeated] == [f.code for f in findings]


def test_table_values_kept_for_the_last_report_are_that_reports() -> None:
    base = load(EXAMPLE)
    one = base.model_copy(update={"header": DocumentHeader(date=None)})
    other = Report(organ="另一机关", year=base.year)
    for report in (one, other, one, other):
        for grid in GRIDS:
            assert tables.grid_values(report, grid) == tables._grid_values(report, grid)
    values = tables.grid_values(one, GRIDS[0])
    values.clear()  # a caller's list is its own
    assert tables.grid_values(one, GRIDS[0]) == tables._grid_values(one, GRIDS[0])


_OLD_PARAGRAPH_LINE = re.compile(r"\n<w:p([ >])")


@given(st.lists(st.sampled_from(["\n", "<w:p", " ", ">", "<w:pPr>", "r", "\n\n"]), max_size=30))
def test_dropping_paragraph_newlines_gives_the_text_the_old_pattern_gave(parts: list[str]) -> None:
    xml = "".join(parts)
    assert docx_template._PARAGRAPH_LINE.sub("", xml) == _OLD_PARAGRAPH_LINE.sub(r"<w:p\1", xml)


_CELL = r"'([^']+)'!([A-Z]+\d+)"
_SUM_RULE = re.compile(rf"={_CELL}=SUM\({_CELL}:([A-Z]+\d+)\)")
_BALANCE_RULE = re.compile(rf"={_CELL}\+{_CELL}={_CELL}\+{_CELL}")


def _evaluate(formula: str, book: Workbook) -> bool:
    """A 校验 formula evaluated on the workbook's cells as written (blank counts 0)."""
    def value(sheet: str, ref: str) -> int:
        return int(book[sheet][ref].value or 0)

    if match := _SUM_RULE.fullmatch(formula):
        sheet, total, _, first, last = match.groups()
        cells = book[sheet][f"{first}:{last}"]
        return value(sheet, total) == sum(int(c.value or 0) for row in cells for c in row)
    match = _BALANCE_RULE.fullmatch(formula)
    assert match, formula
    s1, a, s2, b, s3, c, s4, d = match.groups()
    return value(s1, a) + value(s2, b) == value(s3, c) + value(s4, d)


@pytest.mark.parametrize("seed", range(6))
def test_each_verdict_is_what_its_formula_gives(seed: int) -> None:
    """The 校验 rules' words and formulas are laid out once; each report's verdicts still come
    from its own numbers: a broken cell fails exactly the rules whose formula it breaks."""
    import io
    import random

    from openpyxl import load_workbook

    from xxgk.model import ApplicantCounts, ReviewOutcomes, Table3, Table4
    from xxgk.render.xlsx import render_xlsx
    from xxgk.render.xlsx.sheets import check_rules

    rng = random.Random(seed)
    base = load(EXAMPLE)
    rows = dict(base.table3.rows)
    row_id, column = rng.choice(sorted(rows)), rng.randrange(6)
    cells = list(rows[row_id].cells)
    cells[column] = (cells[column] or 0) + rng.randint(1, 50)  # one side of the balance moves
    rows[row_id] = ApplicantCounts(cells=tuple(cells))  # type: ignore[arg-type]
    report = base.model_copy(update={
        "table3": Table3(rows=rows),
        "table4": Table4(review=ReviewOutcomes(upheld=rng.choice([None, 1, 5]), pending=2)),
    })
    book = load_workbook(io.BytesIO(render_xlsx(report, data_sha256="0" * 64)), data_only=True)
    rules = check_rules(report)
    verdicts = [r[0] for r in book["校验"].iter_rows(min_row=3, min_col=3, values_only=True)]
    assert verdicts == [rule.cached for rule in rules]
    assert [rule.cached for rule in rules] == [_evaluate(rule.formula, book) for rule in rules]
    assert not all(rule.cached for rule in rules)  # the broken cells did break something
