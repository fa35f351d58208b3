"""Outputs are written atomically, earlier versions are kept, and a killed build loses nothing."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from xxgk.errors import XxgkError
from xxgk.writer import HISTORY_DIR, write_outputs

NOW = dt.datetime(2026, 1, 20, 9, 30, 0)


def test_writes_new_files_with_the_usual_mode(tmp_path: Path) -> None:
    target = tmp_path / "a" / "report.docx"
    assert write_outputs({target: b"one"}, NOW) == [target]
    assert target.read_bytes() == b"one"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_identical_rebuild_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    write_outputs({target: b"one"}, NOW)
    mtime = target.stat().st_mtime_ns
    assert write_outputs({target: b"one"}, NOW) == []
    assert target.stat().st_mtime_ns == mtime
    assert not (tmp_path / HISTORY_DIR).exists()


def test_changed_rebuild_keeps_the_earlier_file(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    write_outputs({target: b"one"}, NOW)
    write_outputs({target: b"two"}, NOW)
    write_outputs({target: b"three"}, NOW)  # same second: a second name, nothing overwritten
    kept = sorted(p.name for p in (tmp_path / HISTORY_DIR).iterdir())
    assert kept == ["report.20260120-093000-2.docx", "report.20260120-093000.docx"]
    assert (tmp_path / HISTORY_DIR / "report.20260120-093000.docx").read_bytes() == b"one"
    assert target.read_bytes() == b"three"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    write_outputs({target: b"one"}, NOW)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(XxgkError) as info:
            write_outputs({target: b"two"}, NOW)
    finally:
        tmp_path.chmod(0o755)
    assert "没有写入权限" in str(info.value)
    assert target.read_bytes() == b"one"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


FAILING_WRITE = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from xxgk import writer

    real_fsync = os.fsync
    def fail(fd):
        {action}
    writer.os.fsync = fail
    writer.write_outputs({{Path(sys.argv[1]): b"new and longer contents"}})
""")


def test_injected_failure_mid_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    script = FAILING_WRITE.format(action='raise OSError(5, "injected failure")')
    result = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True,
                            check=False)
    assert result.returncode != 0
    assert b"injected failure" in result.stderr
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_killed_build_keeps_the_old_file_and_its_leftover_is_cleaned(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    script = FAILING_WRITE.format(action="import time; time.sleep(60)")
    process = subprocess.Popen([sys.executable, "-c", script, str(target)])
    deadline = time.monotonic() + 30
    while not _leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _leftovers(tmp_path), "the build never started its temporary file"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert target.read_bytes() == b"old"
    # the next build removes what the killed one left and writes the new file
    write_outputs({target: b"new"}, NOW)
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []
