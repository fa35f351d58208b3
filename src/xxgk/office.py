"""Where LibreOffice's ``soffice`` is, and what to say when it is nowhere.

Order: the ``XXGK_SOFFICE`` environment variable (``xxgk build --soffice PATH`` sets it, so that
worker processes see it too), then ``soffice``/``libreoffice`` on PATH, then the folders the
official installers use — on Windows ``%ProgramFiles%`` and ``%ProgramFiles(x86)%`` and the
registry's App Paths entry (a clerk's PATH never holds LibreOffice), on macOS the .app bundle,
on Linux the /opt folders of the LibreOffice.org packages.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from xxgk.errors import XxgkError

ENV = "XXGK_SOFFICE"
DEBIAN_PACKAGES = ("libreoffice-writer-nogui", "fonts-noto-cjk")
DOWNLOAD_PAGE = "https://zh-cn.libreoffice.org/download/libreoffice/"
_PROGRAMS = ("soffice", "libreoffice")
_APP_PATHS = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\soffice.exe"


def find_soffice(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> str | None:
    """The path of soffice, or None; an ``XXGK_SOFFICE`` that names nothing usable is an error."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    chosen = environ.get(ENV, "").strip().strip('"')
    if chosen:
        return _chosen(Path(chosen), platform)
    for name in _PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    for candidate in _installed(environ, platform):
        if candidate.is_file():
            return str(candidate)
    return None


def _chosen(path: Path, platform: str) -> str:
    """The program a user named: the file itself, or soffice inside the folder they gave."""
    if path.is_file():
        return str(path)
    exe = "soffice.exe" if platform == "win32" else "soffice"
    for inside in (path / exe, path / "program" / exe, path / "Contents" / "MacOS" / "soffice"):
        if inside.is_file():
            return str(inside)
    example = {
        "win32": r"C:\Program Files\LibreOffice\program\soffice.exe",
        "darwin": "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    }.get(platform, "/usr/bin/soffice")
    raise XxgkError.single(
        "output/bad-soffice",
        f"{ENV}（或 --soffice）指定的 LibreOffice 不存在：{path}；"
        f"请指向 soffice 程序，如 {example}",
    )


def _installed(environ: Mapping[str, str], platform: str) -> Iterator[Path]:
    if platform == "win32":
        for variable in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
            folder = environ.get(variable)
            if folder:
                yield Path(folder) / "LibreOffice" / "program" / "soffice.exe"
        for fixed in (r"C:\Program Files", r"C:\Program Files (x86)"):
            yield Path(fixed) / "LibreOffice" / "program" / "soffice.exe"
        yield from _registered()
    elif platform == "darwin":
        for apps in (Path("/Applications"), Path.home() / "Applications"):
            yield apps / "LibreOffice.app" / "Contents" / "MacOS" / "soffice"
    else:
        yield from sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)


def _registered() -> Iterator[Path]:
    """The installer's App Paths entry (HKLM, then HKCU), on Windows only."""
    if sys.platform != "win32":
        return
    import winreg

    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, _APP_PATHS) as key:
                value, _ = winreg.QueryValueEx(key, "")
        except OSError:
            continue
        if isinstance(value, str) and value:
            yield Path(value.strip('"'))


def missing_message(platform: str | None = None) -> str:
    """No LibreOffice: how to get it on this platform, and how to point xxgk at it."""
    platform = sys.platform if platform is None else platform
    point = f"已安装在别处时，用 --soffice 路径 或环境变量 {ENV} 指明 soffice 程序"
    if platform.startswith("linux") and Path("/etc/debian_version").is_file():
        return (
            "未找到 LibreOffice（soffice），无法生成 PDF。请先安装：\n"
            f"    sudo apt-get install {' '.join(DEBIAN_PACKAGES)}\n"
            "（Debian/Ubuntu；fonts-noto-cjk 提供中文字体，缺少时 PDF 中的汉字会显示为方框）\n"
            + point
        )
    if platform == "win32":
        where = "（xxgk 会在 C:\\Program Files\\LibreOffice\\program 中查找）"
    elif platform == "darwin":
        where = "（xxgk 会在“应用程序”文件夹中查找 LibreOffice.app）"
    else:
        where = "（也可用系统的软件包管理器安装 LibreOffice 和 Noto CJK 中文字体）"
    return (
        "未找到 LibreOffice（soffice），无法生成 PDF。请从 "
        f"{DOWNLOAD_PAGE} 下载安装 LibreOffice{where}；\n" + point
    )


# The throw-away profile's settings: nothing a document names is fetched (issue 19). Linked
# images and other links from a document outside the trusted locations are blocked
# (BlockUntrustedRefererLinks), links are never updated (Writer and Calc: 2 = never), the update
# check is off, and every HTTP, HTTPS and FTP request goes to a proxy at 127.0.0.1:9 (discard),
# which refuses it — that also stops what the first two do not cover, such as the stylesheets
# of an HTML page saved as .doc, on every platform.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
_BLOCKED_PROXY = ("127.0.0.1", "9")
_SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "2"),
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "2"),
    ("/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments",
     "AutoCheckEnabled", "false"),
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "2"),
    *(("/org.openoffice.Inet/Settings", f"ooInet{kind}Proxy{field}", value)
      for kind in ("HTTP", "HTTPS", "FTP")
      for field, value in zip(("Name", "Port"), _BLOCKED_PROXY, strict=True)),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
)


def profile_settings() -> str:
    """The registrymodifications.xcu every throw-away profile starts with."""
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, name, value in _SETTINGS
    )
    return _PROFILE_SETTINGS.format(items=items)


def _profile_folder(command: list[str]) -> Path | None:
    """The folder of ``-env:UserInstallation=file:///…`` in a soffice command."""
    for argument in command:
        if argument.startswith("-env:UserInstallation="):
            url = urlsplit(argument.split("=", 1)[1])
            if url.scheme == "file":
                path = unquote(url.path)
                if sys.platform == "win32" and path[:1] == "/" and path[2:3] == ":":
                    path = path[1:]  # file:///C:/… → C:/…
                return Path(path)
    return None


def block_remote_content(profile: Path) -> None:
    """Write the settings that keep LibreOffice from fetching anything into a new profile."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    settings = user / "registrymodifications.xcu"
    if not settings.exists():  # a profile LibreOffice already made is its own
        settings.write_text(profile_settings(), encoding="utf-8")


@cache
def network_isolation() -> tuple[str, ...]:
    """The prefix that runs a program without any network, where the platform allows: on Linux,
    a new network namespace of its own (``unshare --net``, with ``--map-root-user`` when not
    root); empty where that is unavailable (then the profile's settings alone hold)."""
    if not sys.platform.startswith("linux"):
        return ()
    program = shutil.which("unshare") or next(
        (p for p in ("/usr/bin/unshare", "/bin/unshare") if Path(p).is_file()), None)
    if program is None:
        return ()
    prefix = (program, "--net") if os.geteuid() == 0 else (program, "--map-root-user", "--net")
    try:
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    return prefix if probe.returncode == 0 else ()


def offline(command: list[str]) -> list[str]:
    """The soffice command as it is run: its profile set to fetch nothing, and without any
    network where the platform allows."""
    profile = _profile_folder(command)
    if profile is not None:
        block_remote_content(profile)
    return [*network_isolation(), *command]


def run_soffice(
    command: list[str], timeout: float, scratch: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in its own process group, so a timeout, Ctrl-C or SIGTERM ends
    soffice.bin as well (and the caller's throw-away profile can then be removed). Its own
    temporary files (``lu….tmp``, left behind when it is killed) go to ``scratch``: a
    throw-away folder of the caller's, so nothing stays in the user's temporary folder.
    Nothing a document names is fetched (``offline``)."""
    command = offline(command)
    env = {**os.environ, "TZ": "UTC"}
    if scratch is not None:
        env.update({"TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)})
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        # UTC keeps the length of the PDF date (…Z') the same whatever the machine's zone.
        env=env,
    )
    with _LIVE_LOCK:
        _LIVE.add(process)
    try:
        with _terminate_as_interrupt():
            out, err = process.communicate(timeout=timeout)
    except BaseException:
        # A timeout, Ctrl-C or SIGTERM: soffice runs in its own session (Ctrl-C does not reach
        # it) and its wrapper forks soffice.bin, so end the whole group we started, by its id,
        # before the throw-away profile folder is removed on the way out.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:  # Windows: no process groups to signal
                process.kill()
        process.communicate()
        raise
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(process)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


# LibreOffice runs started from worker threads (a batch's PDFs, one LibreOffice per job): a
# Ctrl-C or SIGTERM reaches only the main thread, which ends them all through end_all_soffice.
_LIVE: set[subprocess.Popen[str]] = set()
_LIVE_LOCK = threading.Lock()


def end_all_soffice() -> None:
    """Kill every LibreOffice this process started and that still runs (its whole group)."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for process in live:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()


def interrupted_by_sigterm() -> contextlib.AbstractContextManager[None]:
    """SIGTERM raised as KeyboardInterrupt in the main thread, so cleanup runs."""
    return _terminate_as_interrupt()


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While soffice runs, SIGTERM unwinds like Ctrl-C (Python's default would end the process
    at once, leaving soffice and its profile folder behind)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def throwaway_folder(prefix: str) -> Iterator[Path]:
    """A temporary folder (a LibreOffice profile, its work files) that is gone afterwards even
    when Ctrl-C or SIGTERM arrives at any moment: SIGTERM unwinds like Ctrl-C for the whole
    block, and an interrupt arriving during the removal does not cut the removal short."""
    with _terminate_as_interrupt():
        folder = private_folder(prefix)
        try:
            yield folder
        finally:
            _remove_for_good(folder)


def private_folder(prefix: str) -> Path:
    """A new temporary folder named ``{prefix}{pid}-…``, after removing those of the same prefix
    whose process has ended: kill -9 runs no clean-up, so the next run does it (a LibreOffice
    profile, a copy of a report, uploaded files never stay in the temp folder for good)."""
    remove_orphans(prefix)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))


def remove_orphans(prefix: str, folder: Path | None = None) -> list[Path]:
    """Remove the temporary folders ``{prefix}{pid}-…`` of ended processes of this user; the
    folders removed. Never on Windows, where probing a pid could signal it."""
    if os.name == "nt":
        return []
    removed = []
    base = Path(folder or tempfile.gettempdir())
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)-[^/]*\Z")
    try:
        entries = list(os.scandir(base))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            continue
        if _alive(int(match.group(1))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _remove_for_good(folder: Path) -> None:
    interrupted = False
    for _ in range(_REMOVAL_TRIES):
        try:
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                break
            # A killed soffice.bin may still be closing its files: try again shortly.
            time.sleep(_REMOVAL_PAUSE)
        except KeyboardInterrupt:
            interrupted = True
    if interrupted:
        raise KeyboardInterrupt


_REMOVAL_TRIES = 20
_REMOVAL_PAUSE = 0.1  # seconds
