"""Bytes on disk → text: UTF-8 (with or without BOM), or GBK as Windows editors save it.

Only a regular file of bounded size is read: a FIFO, a device (``/dev/zero``) or a folder given as a
data file is refused at once, before a single byte is read, so nothing hangs or fills memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.inputs.printable import shown_path

# The largest report seen is well under 1 MB; 16 MB leaves room for megabyte paragraphs and
# bounds what a wrong file can cost.
MAX_BYTES = 16 * 1024 * 1024


def read_text(path: str | Path) -> tuple[str, list[Finding]]:
    """The file's text and any warning about how it was decoded; XxgkError when unreadable."""
    return decode(read_bytes(Path(path)), shown_path(path))


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file; XxgkError naming the file when it cannot be a data file."""
    name = shown_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO must not wait for a writer
    except FileNotFoundError as exc:
        raise XxgkError.single("input/missing-file", "文件不存在", name) from exc
    except IsADirectoryError as exc:  # Windows refuses to open a folder
        raise _not_a_file("这是一个文件夹，不是数据文件", name) from exc
    except OSError as exc:
        raise _unreadable(exc, name) from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _not_a_file("这是一个文件夹，不是数据文件", name)
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(
                "这不是普通文件（是管道、设备或套接字），不能作为数据文件读取", name
            )
        if info.st_size > limit:
            raise _too_large(name, limit)
        data = _read_up_to(fd, limit + 1)  # the size may have grown since fstat
    except OSError as exc:
        raise _unreadable(exc, name) from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(name, limit)
    return data


def _read_up_to(fd: int, most: int) -> bytes:
    chunks: list[bytes] = []
    got = 0
    while got < most:
        chunk = os.read(fd, min(most - got, 1 << 20))  # os.read allocates all it is asked for
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _not_a_file(message: str, name: str) -> XxgkError:
    return XxgkError.single("input/not-a-file", message, name)


def _too_large(name: str, limit: int) -> XxgkError:
    return XxgkError.single(
        "input/too-large",
        f"文件超过 {limit // (1024 * 1024)} MB，不像是一份年度报告的数据文件；请确认选对了文件",
        name,
    )


def _unreadable(exc: OSError, name: str) -> XxgkError:
    return XxgkError.single("input/unreadable", f"无法读取文件：{exc.strerror or exc}", name)


def decode(data: bytes, name: str) -> tuple[str, list[Finding]]:
    """Decode a data file's bytes; refuse empty and binary files with a clear message."""
    if not data.strip():
        raise XxgkError.single("input/empty", "文件是空的，没有任何数据", name)
    if b"\x00" in data:
        raise XxgkError.single(
            "input/binary",
            "这不是文本文件（含有二进制内容）；数据文件应为 UTF-8 编码的 YAML 文本",
            name,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gbk")
    except UnicodeDecodeError as exc:
        raise XxgkError.single(
            "input/encoding",
            f"无法识别文件编码（第 {exc.start + 1} 字节起既不是 UTF-8 也不是 GBK）；请另存为 UTF-8",
            name,
        ) from exc
    note = Finding(
        "input/gbk",
        Severity.WARNING,
        Location((), name),
        "文件是 GBK 编码（Windows 记事本等的默认编码），已按 GBK 读取；建议另存为 UTF-8",
    )
    return text, [note]
