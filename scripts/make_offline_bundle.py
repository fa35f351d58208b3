"""An offline install bundle: xxgk and every dependency as wheels, with an install script.

    python scripts/make_offline_bundle.py --platform win_amd64 --python 3.11 -o dist/

For a clerk's PC without internet (or behind a portal that blocks PyPI): copy the zip over,
unpack it, double-click 安装.bat. The zip holds ``wheels/`` (the xxgk wheel built from this
checkout and every dependency for the target platform and Python, binary wheels only),
``安装.bat`` (``pip install --no-index --find-links wheels xxgk``) and ``安装说明.txt``.

``pip download --platform`` evaluates environment markers for the machine it runs on, not the
target (click needs colorama on Windows only), so the requirements of every wheel are read back
and evaluated for the target; whatever is missing is downloaded until nothing is.
"""

from __future__ import annotations

import argparse
import email.parser
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]

# Where a Python installed for one user or for all users lives when "Add python.exe to PATH" was
# left unticked (the installer's default): the launcher ``py`` and PATH are tried first.
FIND_PYTHON = r"""set "PY="
where py >nul 2>nul && py -{python} -c "" >nul 2>nul && set "PY=py -{python}"
set "USERPY=%LOCALAPPDATA%\Programs\Python\Python{nodot}\python.exe"
set "ALLPY=%ProgramFiles%\Python{nodot}\python.exe"
if not defined PY if exist "%USERPY%" set "PY="%USERPY%""
if not defined PY if exist "%ALLPY%" set "PY="%ALLPY%""
if not defined PY where python >nul 2>nul && python -c "" >nul 2>nul && set "PY=python"
"""

# Said when no Python is found: the exact installer file, in this folder when the bundle has it.
NO_PYTHON = r"""if not defined PY (
  echo 没有找到 Python {python}。
  if exist "%~dp0{installer}" (
    echo 请双击本文件夹中的 {installer} 安装 Python，
  ) else (
    echo 请向技术支持索取 Python 安装程序 {installer}，拷到本文件夹后双击安装，
  )
  echo 安装第一页勾选“Add python.exe to PATH”，装好后再双击本文件。
  pause
  exit /b 1
)
"""

INSTALL_BAT = r"""@echo off
setlocal
cd /d "%~dp0"
echo 正在安装 xxgk（离线安装，不需要网络）……
""" + FIND_PYTHON + NO_PYTHON + (
    'set "CHECK=import sys; sys.exit(sys.version_info[:2] != {version_tuple})"\n'
) + r"""%PY% -c "%CHECK%" >nul 2>nul
if errorlevel 1 (
  echo 本安装包需要 Python {python}（64 位）：其中的部分组件是为这个版本编译的。
  echo 请先安装 Python {python}（{installer}），或向技术支持索取与本机 Python 版本相同的安装包。
  pause
  exit /b 1
)
%PY% -m pip install --no-index --find-links "%~dp0wheels" xxgk
if errorlevel 1 (
  echo 安装没有成功，请把上面的信息截图发给技术支持。
  pause
  exit /b 1
)
set "FOLDER=%USERPROFILE%\Documents\{folder}"
if not exist "%FOLDER%" mkdir "%FOLDER%"
copy /y "%~dp0{launcher}" "%FOLDER%\{launcher}" >nul
if exist "%USERPROFILE%\Desktop" copy /y "%~dp0{launcher}" "%USERPROFILE%\Desktop\{shortcut}" >nul
echo.
echo 安装完成。以后双击桌面上的“{shortcut}”（或“%FOLDER%”中的“{launcher}”），
echo 就会在浏览器中打开报告表单；报告保存在“%FOLDER%”文件夹中。
echo 需要命令时，打开新的“命令提示符”窗口输入 xxgk；
echo 如提示“不是内部或外部命令”，请改用 %PY% -m xxgk。
pause
"""

# The way in without a command prompt: a double click opens the clerk's folder in the form.
LAUNCH_BAT = r"""@echo off
setlocal
title xxgk 年度报告表单（用完后关闭本窗口）
""" + FIND_PYTHON + NO_PYTHON + r"""%PY% -c "import xxgk" >nul 2>nul
if errorlevel 1 (
  echo 这台电脑还没有安装 xxgk：请先双击离线安装包中的“安装.bat”。
  pause
  exit /b 1
)
set "FOLDER=%USERPROFILE%\Documents\{folder}"
if not exist "%FOLDER%" mkdir "%FOLDER%"
cd /d "%FOLDER%"
echo 正在浏览器中打开报告表单，报告保存在“%FOLDER%”。
echo 填写完毕并保存后，关闭本窗口即可。
%PY% -m xxgk serve "%FOLDER%"
if errorlevel 1 pause
"""

README = """xxgk {version} 离线安装包（{platform}，Python {python}）

适用于不能上网的电脑。本包含 xxgk 及其全部依赖，共 {count} 个文件（wheels 文件夹）。

一、先装 Python
  需要 Python {python}（64 位），安装程序的文件名是 {installer}。本包中有这个文件时直接双击它；
  没有时在能上网的电脑上从 https://www.python.org/ftp/python/ 下载同名文件，拷过来双击。
  安装第一页勾选“Add python.exe to PATH”（不勾也能找到，只是命令提示符中要用 py 代替 python）。

二、安装 xxgk
  把本压缩包解压到任意文件夹（路径中有中文或空格也可以），双击“安装.bat”。
  没有找到 Python 时，它会说要先运行哪个安装程序。
  也可以在“命令提示符”中运行：
    py -{python} -m pip install --no-index --find-links wheels xxgk

  安装完成后，桌面上多了“{shortcut}”，“文档\\{folder}”文件夹中有“{launcher}”。
  以后双击它，就在浏览器中打开报告表单（不用命令提示符）：填写、保存、生成都在表单中，
  报告和生成的文件都在“文档\\{folder}”中；用完关闭那个黑色窗口即可。

三、检查
  打开新的“命令提示符”窗口，输入：
    xxgk --help
  能看到中文的用法说明即安装成功。如提示“不是内部或外部命令”，用 py -m xxgk 代替 xxgk。

四、生成 PDF（可选）
  xxgk build --pdf 需要 LibreOffice：从 https://zh-cn.libreoffice.org/download/libreoffice/
  下载安装。装在默认位置（C:\\Program Files\\LibreOffice）时 xxgk 会自动找到；装在别处时用
    xxgk build 数据文件.yaml --pdf --soffice "D:\\LibreOffice\\program\\soffice.exe"

{guide}"""


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def _target_environment(platform: str, python: str) -> dict[str, str]:
    """Environment markers of the target machine (PEP 508), for reading wheels' requirements."""
    env = dict(default_environment())
    env.update(python_version=python, python_full_version=f"{python}.0",
               implementation_name="cpython", platform_python_implementation="CPython")
    if platform.startswith("win"):
        env.update(sys_platform="win32", platform_system="Windows", os_name="nt",
                   platform_machine="AMD64" if platform.endswith("amd64") else "x86")
    elif platform.startswith("macosx"):
        env.update(sys_platform="darwin", platform_system="Darwin", os_name="posix",
                   platform_machine="arm64" if "arm64" in platform else "x86_64")
    else:
        env.update(sys_platform="linux", platform_system="Linux", os_name="posix",
                   platform_machine="aarch64" if "aarch64" in platform else "x86_64")
    return env


def _requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(r) for r in metadata.get_all("Requires-Dist") or []]


def missing_requirements(wheels: Path, environment: dict[str, str]) -> list[str]:
    """Requirements of the wheels in ``wheels`` that hold for the target and no wheel meets."""
    present = {canonicalize_name(parse_wheel_filename(w.name)[0]) for w in wheels.glob("*.whl")}
    missing: dict[str, str] = {}
    for wheel in sorted(wheels.glob("*.whl")):
        for req in _requirements(wheel):
            applies = req.marker is None or req.marker.evaluate({**environment, "extra": ""})
            if applies and canonicalize_name(req.name) not in present:
                missing[canonicalize_name(req.name)] = str(req.name) + str(req.specifier)
    return sorted(missing.values())


# The clerk's folder (under 文档) and the launcher's names; the Python installer each target
# version's last binary release ships as (python.org/downloads/windows).
CLERK_FOLDER = "政务公开年报"
LAUNCHER = "启动.bat"
SHORTCUT = "政务公开年报表单.bat"
PYTHON_INSTALLERS = {"3.10": "3.10.11", "3.11": "3.11.9", "3.12": "3.12.10", "3.13": "3.13.9"}


def python_installer(python: str, platform: str = "win_amd64") -> str:
    """The file name of the Windows installer of this Python version (python.org's name)."""
    full = PYTHON_INSTALLERS.get(python, f"{python}.0")
    return f"python-{full}{'-amd64' if platform.endswith('amd64') else ''}.exe"


def fill(text: str, version: str, platform: str, python: str, count: int, guide: bool) -> str:
    """The install script, the launcher or the instructions for this bundle."""
    major, minor = (int(part) for part in python.split(".")[:2])
    return text.format(
        version=version, platform=platform, python=python, count=count,
        version_tuple=f"({major}, {minor})", nodot=f"{major}{minor}",
        installer=python_installer(python, platform), folder=CLERK_FOLDER,
        launcher=LAUNCHER, shortcut=SHORTCUT,
        guide="\n五、使用说明\n  见本包中的“使用说明.md”（可用记事本打开）。\n" if guide else "",
    )


def _clean_copy(work: str) -> Path:
    """The project's sources alone: setuptools reuses a checkout's build/ folder, so a wheel
    built in place could carry files deleted since."""
    copy = Path(work) / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(ROOT / "src", copy / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, copy / name)
    return copy


def _version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version = "([^"]+)"', text, re.M)
    return match.group(1) if match else "0"


def make_bundle(
    platform: str, python: str, outdir: Path, installer: Path | None = None
) -> Path:
    """Build the zip in ``outdir`` and return its path (with the Python installer when given:
    it is not downloaded here, the bundle's maker brings it)."""
    version = _version()
    name = f"xxgk-{version}-offline-{platform}-py{python}"
    download = ["download", "--quiet", "--only-binary=:all:", "--platform", platform,
                "--python-version", python]
    with tempfile.TemporaryDirectory(prefix="xxgk-bundle-") as work:
        wheels = Path(work) / "wheels"
        _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(_clean_copy(work)))
        own = next(wheels.glob("xxgk-*.whl"))
        _pip(*download, "--dest", str(wheels), str(own))
        environment = _target_environment(platform, python)
        for _ in range(10):  # each round adds what the last one's wheels require
            missing = missing_requirements(wheels, environment)
            if not missing:
                break
            _pip(*download, "--dest", str(wheels), *missing)
        else:
            raise SystemExit(f"依赖无法补齐：{missing}")
        files = sorted(wheels.glob("*.whl"))
        outdir.mkdir(parents=True, exist_ok=True)
        target = outdir / f"{name}.zip"
        guide = ROOT / "docs" / "使用说明.md"
        crlf = {"安装.bat": INSTALL_BAT, LAUNCHER: LAUNCH_BAT, "安装说明.txt": README}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for wheel in files:
                archive.write(wheel, f"{name}/wheels/{wheel.name}")
            if guide.is_file():
                archive.write(guide, f"{name}/{guide.name}")
            if installer is not None:
                archive.write(installer, f"{name}/{python_installer(python, platform)}")
            for filename, text in crlf.items():
                filled = fill(text, version, platform, python, len(files), guide.is_file())
                filled = filled.replace("\n", "\r\n")
                # cmd.exe reads a .bat in the console's code page (GBK on Chinese Windows);
                # Notepad reads UTF-8 with a BOM.
                data = (filled.encode("gbk") if filename.endswith(".bat")
                        else b"\xef\xbb\xbf" + filled.encode("utf-8"))
                archive.writestr(f"{name}/{filename}", data)
    return target


def python_version(text: str) -> str:
    """``--python``: a major.minor version xxgk runs on (3.10 and later), e.g. 3.11."""
    match = re.fullmatch(r"3\.(\d{1,2})", text.strip())
    if match is None or int(match.group(1)) < 10:
        raise argparse.ArgumentTypeError(
            f"「{text}」不是可用的 Python 版本：请写主版本和次版本，如 3.11"
            "（xxgk 需要 3.10 或更高）")
    return text.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--platform", default="win_amd64", help="pip platform tag")
    parser.add_argument("--python", default="3.11", type=python_version,
                        help="target Python version, e.g. 3.11")
    parser.add_argument("-o", "--output", type=Path, default=Path("dist"), help="output folder")
    parser.add_argument("--python-installer", type=Path, default=None,
                        help="the Python installer (.exe) to put in the bundle")
    args = parser.parse_args()
    if args.python_installer is not None and not args.python_installer.is_file():
        raise SystemExit(f"找不到 Python 安装程序：{args.python_installer}")
    target = make_bundle(args.platform, args.python, args.output, args.python_installer)
    with zipfile.ZipFile(target) as archive:
        count = sum(n.endswith(".whl") for n in archive.namelist())
    print(f"wrote {target} ({count} wheels, {target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
