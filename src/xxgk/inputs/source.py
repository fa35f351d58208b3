"""Bytes on disk → text: UTF-8 (with or without BOM), or GBK as Windows editors save it."""

from __future__ import annotations

from pathlib import Path

from xxgk.errors import Finding, Location, Severity, XxgkError


def read_text(path: str | Path) -> tuple[str, list[Finding]]:
    """The file's text and any warning about how it was decoded; XxgkError when unreadable."""
    return decode(read_bytes(Path(path)), str(path))


def read_bytes(path: Path) -> bytes:
    """The file's bytes; XxgkError naming the file when it is missing, a folder or unreadable."""
    if not path.exists():
        raise XxgkError.single("input/missing-file", "文件不存在", str(path))
    if path.is_dir():
        raise XxgkError.single("input/not-a-file", "这是一个文件夹，不是数据文件", str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise XxgkError.single(
            "input/unreadable", f"无法读取文件：{exc.strerror}", str(path)
        ) from exc


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
