"""The manifest never lies: concurrent builds, builds killed at every step and a full disk leave
each entry's SHA-256 equal to the file on disk, or the entry absent (issue 15, class 2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.safety_support import manifest_entries, manifest_lies, outputs, variant
from xxgk.build import build_file
from xxgk.errors import XxgkError

ROUNDS = 20

# One process of the concurrency test: builds its organ and the shared one with a new number each
# round, and after each build checks the manifest against the disk while holding the lock.
CONCURRENT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[4])
    from tests.safety_support import manifest_lies, variant
    from xxgk.build import build_many
    from xxgk.manifest import manifest_lock
    work, out, me = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    lies = []
    for r in range({rounds}):
        own = variant(work, f"{{me}}-{{r}}.yaml", organ=f"{{me}}镇", count=100 + r)
        shared = variant(work, f"{{me}}-shared-{{r}}.yaml", organ="共用镇", count=200 + r)
        build_many([own, shared], out)
        with manifest_lock(out):
            lies += manifest_lies(out)
    print(json.dumps(lies))
""")


def test_concurrent_builds_into_one_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    root = str(Path(__file__).resolve().parents[1])
    script = CONCURRENT.format(rounds=ROUNDS)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), str(out), name, root],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("甲", "乙", "丙")
    ]
    for process in processes:
        stdout, _ = process.communicate(timeout=600)
        assert process.returncode == 0
        assert json.loads(stdout) == []
    assert manifest_lies(out) == []
    # nothing lost: every output of every process has its entry
    assert sorted(manifest_entries(out)) == sorted(outputs(out))
    assert len(outputs(out)) == 8  # 甲 乙 丙 共用 × docx, xlsx


# A build killed (SIGKILL) at its n-th rename (outputs, history moves, manifest): staging done,
# some outputs in place, some not.
KILLED = textwrap.dedent("""
    import os, signal, sys
    from xxgk.build import build_file
    kill_at, calls = int(sys.argv[3]), [0]
    def killing(real):
        def rename(*args, **kwargs):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return rename
    os.replace, os.rename = killing(os.replace), killing(os.rename)
    build_file(sys.argv[1], sys.argv[2])
""")


def test_build_killed_at_every_step_leaves_a_true_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_file(variant(tmp_path, "start.yaml", count=1), out)
    # a changed rebuild renames: manifest (entries removed), 2 × (history, output), manifest
    killed = 0
    for kill_at in range(1, 8):
        data = variant(tmp_path, f"r{kill_at}.yaml", count=10 + kill_at)
        run = subprocess.run(
            [sys.executable, "-c", KILLED, str(data), str(out), str(kill_at)],
            capture_output=True,
            check=False,
        )
        assert run.returncode in (0, -9), run.stderr
        killed += run.returncode == -9
        assert manifest_lies(out) == [], f"killed at rename {kill_at}"
    assert killed >= 4  # (a round after a kill between moves may have fewer renames to kill at)
    # the next build completes what the killed ones left: every output recorded, no leftovers
    build_file(variant(tmp_path, "last.yaml", count=99), out)
    assert manifest_lies(out) == []
    assert sorted(manifest_entries(out)) == sorted(outputs(out))
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def _tmpfs(folder: Path, size: str) -> list[str] | None:
    """A command prefix that runs with a small tmpfs mounted on ``folder``, where allowed."""
    unshare = shutil.which("unshare")
    if os.name != "posix" or os.geteuid() != 0 or unshare is None:
        return None
    probe = subprocess.run(
        [unshare, "-m", "sh", "-c", f'mount -t tmpfs -o size={size} tmpfs "{folder}"'],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return None
    return [unshare, "-m", "sh", "-c",
            f'mount -t tmpfs -o size={size} tmpfs "{folder}" && exec "$@"', "sh"]


# Inside the small file system: each round leaves a little less room, so the disk fills at a
# different step each time (staging the .docx, the .xlsx, the manifest before or after).
FULL_DISK = textwrap.dedent("""
    import json, os, shutil, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from tests.safety_support import manifest_lies, outputs, variant
    from xxgk.build import build_file
    from xxgk.errors import XxgkError
    disk, work = Path(sys.argv[1]), Path(sys.argv[2])
    out, filler = disk / "out", disk / "filler"
    build_file(variant(work, "start.yaml", count=1), out)
    rounds = []
    for r in range({rounds}):
        shutil.rmtree(out / ".history", ignore_errors=True)
        filler.unlink(missing_ok=True)
        st = os.statvfs(disk)
        room = 4096 * (6 + r)  # 24 KiB, 28 KiB, … 100 KiB of room left
        with open(filler, "wb") as f:
            try:
                f.write(b"x" * max(st.f_bavail * st.f_frsize - room, 0))
            except OSError:
                pass
        before = outputs(out)
        message = ""
        try:
            build_file(variant(work, f"r{{r}}.yaml", count=10 + r), out)
        except XxgkError as exc:
            message = str(exc)
        after = outputs(out)
        changed = sorted(n for n in after if after[n] != before.get(n))
        rounds.append({{"message": message, "changed": changed, "lies": manifest_lies(out)}})
    print(json.dumps(rounds, ensure_ascii=False))
""")


def test_full_disk_leaves_a_true_manifest_and_a_true_message(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    prefix = _tmpfs(disk, "512k")
    if prefix is None:
        pytest.skip("needs root and unshare to mount a small tmpfs (the injected test runs)")
    root = str(Path(__file__).resolve().parents[1])
    run = subprocess.run(
        [*prefix, sys.executable, "-c", FULL_DISK.format(rounds=ROUNDS), str(disk),
         str(tmp_path), root],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([root + "/src", root])},
    )
    assert run.returncode == 0, run.stderr
    rounds = json.loads(run.stdout)
    failed = [r for r in rounds if r["message"]]
    assert failed  # the disk was full in some rounds…
    assert len(failed) < len(rounds)  # …not in all
    for r in rounds:
        assert r["lies"] == [], r
        if "原有文件未改动" in r["message"]:
            assert r["changed"] == [], r
        elif r["message"]:
            assert "磁盘空间不足" in r["message"], r
            for name in r["changed"]:
                assert name in r["message"], r  # what changed is named


def test_injected_disk_full_at_every_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no tmpfs can be mounted: ENOSPC at each file write and each rename in turn."""
    import errno

    from xxgk import writer

    out = tmp_path / "out"
    build_file(variant(tmp_path, "start.yaml", count=1), out)
    real_replace, real_fsync = os.replace, os.fsync
    for step in range(1, 12):
        calls = [0]

        def fail_at_step(real, calls=calls, step=step):  # type: ignore[no-untyped-def]
            def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
                calls[0] += 1
                if calls[0] == step:
                    raise OSError(errno.ENOSPC, "No space left on device")
                return real(*args, **kwargs)

            return wrapper

        monkeypatch.setattr(writer.os, "replace", fail_at_step(real_replace))
        monkeypatch.setattr(writer.os, "fsync", fail_at_step(real_fsync))
        before = outputs(out)
        message = ""
        try:
            build_file(variant(tmp_path, f"r{step}.yaml", count=10 + step), out)
        except XxgkError as exc:
            message = str(exc)
        monkeypatch.undo()
        after = outputs(out)
        changed = [n for n in after if after[n] != before.get(n)]
        assert manifest_lies(out) == [], step
        if "原有文件未改动" in message:
            assert changed == [], (step, message)
        for name in changed:
            assert not message or name in message, (step, message)
        assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
