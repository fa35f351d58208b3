"""A .docx → PDF through LibreOffice headless, with a throw-away profile for every call."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from xxgk.errors import XxgkError

DEFAULT_TIMEOUT = 180  # seconds; a cold LibreOffice start with CJK fonts takes 5–20 s
PACKAGES = ("libreoffice-writer-nogui", "fonts-noto-cjk")
_PROGRAMS = ("soffice", "libreoffice")
_SOURCE_NAME = "report.docx"  # ASCII, so the conversion does not depend on the locale


def _program() -> str | None:
    for name in _PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_available() -> bool:
    """True when LibreOffice (soffice or libreoffice) is on PATH."""
    return _program() is not None


def _missing() -> XxgkError:
    return XxgkError.single(
        "output/no-libreoffice",
        "未找到 LibreOffice（soffice），无法生成 PDF。请先安装：\n"
        f"    sudo apt-get install {' '.join(PACKAGES)}\n"
        "（Debian/Ubuntu；fonts-noto-cjk 提供中文字体，缺少时 PDF 中的汉字会显示为方框）",
    )


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in its own process group, so a timeout ends soffice.bin as well."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # The wrapper script forks soffice.bin: end the whole group we started, by its id.
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def convert_to_pdf(docx_path: Path, outdir: Path, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """The PDF of a .docx, written to ``outdir/<stem>.pdf`` (replacing one already there)."""
    program = _program()
    if program is None:
        raise _missing()
    docx_path = Path(docx_path)
    if not docx_path.is_file():
        raise XxgkError.single("output/pdf-source-missing", "找不到要转换的 Word 文件",
                               str(docx_path))
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{docx_path.stem}.pdf"
    # The work folder sits in outdir so the finished PDF moves into place atomically.
    with (
        tempfile.TemporaryDirectory(prefix="xxgk-lo-profile-") as profile_dir,
        tempfile.TemporaryDirectory(prefix=".xxgk-pdf-", dir=outdir) as work,
    ):
        work_dir = Path(work)
        profile = Path(profile_dir)
        source = work_dir / _SOURCE_NAME
        shutil.copyfile(docx_path, source)
        command = [
            program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work_dir), str(source),
        ]
        try:
            result = _run(command, timeout)
        except subprocess.TimeoutExpired as exc:
            raise XxgkError.single(
                "output/pdf-timeout",
                f"LibreOffice 转换 PDF 超过 {timeout:g} 秒未完成，已中止",
                str(docx_path),
            ) from exc
        produced = source.with_suffix(".pdf")
        if result.returncode != 0 or not produced.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise XxgkError.single(
                "output/pdf-failed",
                f"LibreOffice 未能生成 PDF（退出码 {result.returncode}）"
                + (f"：{' '.join(detail)}" if detail else ""),
                str(docx_path),
            )
        os.replace(produced, target)
    return target
