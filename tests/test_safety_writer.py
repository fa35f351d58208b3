"""The writer never leaves an output missing: the earlier version is kept in .history by a hard
link, so a build stopped between keeping it and putting the new file in place loses nothing."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from xxgk import writer
from xxgk.errors import XxgkError
from xxgk.writer import HISTORY_DIR, write_outputs


@pytest.mark.skipif(os.link not in os.supports_dir_fd, reason="no hard links with dir_fd here")
def test_a_build_stopped_after_keeping_history_leaves_the_earlier_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"old")
    real = os.replace

    def fail_on_the_output(src: object, dst: object, **kwargs: object) -> None:
        if Path(str(dst)) == target:
            raise OSError(errno.EIO, "stopped here")
        real(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writer.os, "replace", fail_on_the_output)
    with pytest.raises(XxgkError) as caught:
        write_outputs({target: b"new"})
    assert "原有文件未改动" in str(caught.value)
    assert target.read_bytes() == b"old"
    kept = list((tmp_path / HISTORY_DIR).iterdir())
    assert [p.read_bytes() for p in kept] == [b"old"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_message_names_what_changed_when_a_later_file_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.xlsx"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")
    real = os.replace

    def full_at_the_second(src: object, dst: object, **kwargs: object) -> None:
        if Path(str(dst)) == second:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writer.os, "replace", full_at_the_second)
    with pytest.raises(XxgkError) as caught:
        write_outputs({first: b"new a", second: b"new b"})
    message = str(caught.value)
    assert "磁盘空间不足" in message
    assert "原有文件未改动" not in message
    assert "已更新：a.docx" in message
    assert "未改动：b.xlsx" in message
    assert first.read_bytes() == b"new a"
    assert second.read_bytes() == b"old b"
