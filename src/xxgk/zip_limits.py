"""Every zip we read from a user (.docx/.xlsx to import, a template) is checked first.

A 1 MB zip can inflate to gigabytes (a zip bomb: one member at a ratio of 1 000:1, or thousands
of members sharing one compressed stream); an encrypted member or an unusual compression method
makes the libraries fail deep inside with a traceback; a member named ``../../x`` or ``/etc/x``
is somewhere no package part may be. The limits read only the central directory, so checking is
cheap, and they bind: ``zipfile`` never inflates a member past the size the directory declares
(it stops there and fails the CRC), so the declared sizes bound the work.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from xxgk.errors import XxgkError

MAX_MEMBERS = 5_000  # a large real report package has a few hundred (images, embedded fonts)
MAX_TOTAL_BYTES = 100 * 1024 * 1024  # inflated, all members together
MAX_RATIO = 100  # inflated : compressed, for a member above RATIO_FLOOR
RATIO_FLOOR = 4 * 1024 * 1024  # small members may compress as well as they like
_METHODS = {zipfile.ZIP_STORED: "不压缩", zipfile.ZIP_DEFLATED: "deflate"}


def _refuse(code: str, name: str, message: str) -> XxgkError:
    return XxgkError.single(f"zip/{code}", message, name)


def check_zip(archive: zipfile.ZipFile, name: str) -> None:
    """XxgkError naming the member when the archive breaks a limit or cannot be read safely."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _refuse(
            "too-many-members",
            name,
            f"压缩包中有 {len(members)} 个成员，超过上限 {MAX_MEMBERS}，"
            "不是正常的 Office 文件，未读取",
        )
    total = 0
    seen: set[str] = set()
    for info in members:
        member = info.filename
        if member in seen:
            # Readers disagree on which copy counts: the one checked may not be the one used.
            raise _refuse(
                "duplicate-member",
                name,
                f"文件中的「{member}」出现了不止一次，不是正常的 Office 文件，未读取",
            )
        seen.add(member)
        if info.flag_bits & 0x1:
            raise _refuse(
                "encrypted",
                name,
                f"文件中的「{member}」已加密（设置了打开密码），无法读取；"
                "请在 Word/Excel/WPS 中取消密码后另存",
            )
        if info.compress_type not in _METHODS:
            raise _refuse(
                "compression",
                name,
                f"文件中的「{member}」使用了不支持的压缩方式（编号 {info.compress_type}），"
                "无法读取；请在 Word/Excel/WPS 中另存为 .docx/.xlsx 后重试",
            )
        if _outside(member):
            raise _refuse(
                "unsafe-name",
                name,
                f"文件中的成员名「{member!r}」为空、含控制字符或指向包以外（绝对路径或含 ..），"
                "不是正常的 Office 文件，未读取",
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _refuse(
                "bomb",
                name,
                f"文件中的「{member}」压缩比异常（{ratio:.0f} 倍，解压后 {_mb(info.file_size)}），"
                "可能是“压缩炸弹”，未读取",
            )
        if total > MAX_TOTAL_BYTES:
            raise _refuse(
                "too-large",
                name,
                f"文件解压后超过 {_mb(MAX_TOTAL_BYTES)}，未读取（正常的报告远小于此）",
            )


def _outside(member: str) -> bool:
    # An empty name is what zipfile makes of one that starts with a NUL byte; control
    # characters name no part of an Office package either.
    if not member or any(ord(c) < 0x20 for c in member):
        return True
    parts = member.replace("\\", "/").split("/")
    return member.startswith(("/", "\\")) or ".." in parts or (len(member) > 1 and member[1] == ":")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The archive in ``data``, checked (XxgkError when it breaks a limit); BadZipFile as usual
    when it is not a zip at all."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        check_zip(archive, name)
    except XxgkError:
        archive.close()
        raise
    return archive


def check_file_size(path: Path) -> None:
    """XxgkError when a zip on disk is larger than everything it may inflate to (read whole by
    the libraries, a 10 GB "document" would be read into memory)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader that follows reports a missing or unreadable file in its words
    if size > MAX_TOTAL_BYTES:
        raise _refuse(
            "too-large", str(path), f"文件有 {_mb(size)}，超过 {_mb(MAX_TOTAL_BYTES)}，未读取"
        )


def check_zip_file(path: Path) -> None:
    """Check a .docx/.xlsx on disk before a library opens it; a file that is not a zip at all
    is left for the library to report in its own words."""
    check_file_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip(archive, str(path))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return
