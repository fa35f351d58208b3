"""Process hygiene (issue 15, class 6): --jobs capped at the CPU count, pool workers die with
their parent, soffice and its profile folder go when a PDF build is interrupted."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.safety_support import variant
from xxgk.build import capped_jobs, default_jobs

Run = Callable[..., Result]
LINUX = sys.platform == "linux"


def test_jobs_above_the_cpu_count_are_capped_with_a_warning(xxgk: Run, tmp_path: Path) -> None:
    assert capped_jobs(None) == (default_jobs(), None)
    assert capped_jobs(1) == (1, None)
    used, warning = capped_jobs(default_jobs() + 46)
    assert used == default_jobs()
    assert warning is not None
    assert str(default_jobs()) in warning
    inputs = [variant(tmp_path, f"{n}.yaml", organ=f"{n}镇") for n in ("甲", "乙")]
    result = xxgk("build", *inputs, "-o", tmp_path / "out", "--jobs", "48")
    assert result.exit_code == 0, result.output
    assert "超过本机可用的 CPU 数" in result.output


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if text.encode() in cmdline:
                found.append(int(entry.name))
    return found


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not LINUX, reason="reads /proc to find the workers")
def test_workers_die_when_the_parent_is_killed(tmp_path: Path) -> None:
    if default_jobs() < 2:
        pytest.skip("needs two CPUs for a pool of two")
    # Slow inputs (many of them) keep the pool busy while the parent is killed.
    inputs = [variant(tmp_path, f"{n}.yaml", organ=f"镇{n:03d}") for n in range(40)]
    parent = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "build", *map(str, inputs), "-o", str(tmp_path / "out"),
         "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    assert _wait_for(lambda: len(_children(parent.pid)) >= 2), "the pool never started"
    workers = _children(parent.pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()

    def gone() -> bool:
        alive = []
        for pid in workers:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
            except OSError:
                continue
            if state != "Z":
                alive.append(pid)
        return not alive

    try:
        assert _wait_for(gone, 10), f"workers {workers} outlived their parent"
    finally:  # never leave a test's processes running
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not LINUX or shutil.which("soffice") is None,
                    reason="LibreOffice on Linux (reads /proc)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_interrupted_pdf_build_leaves_no_soffice_and_no_profile(
    tmp_path: Path, sig: signal.Signals
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    data = variant(tmp_path, "a.yaml")
    build = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "build", str(data), "-o", str(tmp_path / "out"), "--pdf"],
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert _wait_for(lambda: bool(_processes_mentioning(str(temporary)))), "soffice never ran"
    build.send_signal(sig)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode != 0
    assert "Traceback" not in stderr
    assert _wait_for(lambda: not _processes_mentioning(str(temporary)), 10)
    assert not list(temporary.iterdir()), "the profile and LibreOffice's own lu*.tmp files go"
    assert not list((tmp_path / "out").glob("*.pdf")) if (tmp_path / "out").exists() else True


@pytest.mark.skipif(not LINUX, reason="process groups and /proc")
def test_ctrl_c_of_a_parallel_build_stops_cleanly(tmp_path: Path) -> None:
    inputs = [variant(tmp_path, f"{n}.yaml", organ=f"镇{n:03d}") for n in range(40)]
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "build", *map(str, inputs), "-o", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        assert _wait_for(lambda: len(_children(build.pid)) >= 1), "the pool never started"
        os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        _, stderr = build.communicate(timeout=120)
    finally:
        with contextlib.suppress(OSError):
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode == 1
    assert "Traceback" not in stderr
    assert "已中止" in stderr
    assert not list(out.glob(".*.tmp")) if out.exists() else True
    assert _wait_for(lambda: not _processes_mentioning(str(out)), 10)
