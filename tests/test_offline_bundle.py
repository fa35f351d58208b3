"""scripts/make_offline_bundle.py without the network: requirements read for the target platform,
and the install script readable by cmd.exe on a Chinese Windows (GBK, CRLF).

The bundle itself is built and resolved with no index by ``.ci/run``.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_offline_bundle",
                                                  ROOT / "scripts" / "make_offline_bundle.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wheel(folder: Path, name: str, *requires: str) -> None:
    lines = [f"Name: {name}", "Version: 1.0", *(f"Requires-Dist: {r}" for r in requires)]
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as archive:
        archive.writestr(f"{name}-1.0.dist-info/METADATA", "\n".join(lines) + "\n")


def test_markers_are_evaluated_for_the_target(bundle: ModuleType, tmp_path: Path) -> None:
    _wheel(tmp_path, "click", 'colorama; platform_system == "Windows"')
    _wheel(tmp_path, "xxgk", "click>=8.1", 'pytest>=8; extra == "test"',
           'tomli>=1; python_version < "3.11"', 'uvloop; sys_platform != "win32"')
    windows = bundle._target_environment("win_amd64", "3.11")
    assert bundle.missing_requirements(tmp_path, windows) == ["colorama"]
    linux = bundle._target_environment("manylinux2014_x86_64", "3.10")
    assert bundle.missing_requirements(tmp_path, linux) == ["tomli>=1", "uvloop"]
    _wheel(tmp_path, "colorama")
    assert bundle.missing_requirements(tmp_path, windows) == []


def test_install_script_for_cmd(bundle: ModuleType) -> None:
    text = bundle.fill(bundle.INSTALL_BAT, "0.1.0", "win_amd64", "3.11", 15, guide=True)
    text.encode("gbk")  # cmd.exe reads a .bat in the console's code page
    assert "--no-index --find-links" in text
    assert "py -3.11" in text
    assert "sys.version_info[:2] != (3, 11)" in text
    assert "安装完成" in text
    # inside an if-block an ASCII parenthesis in an echo would end the block
    blocks = re.findall(r"\(\n(.*?)\n\)", text, re.S)
    assert blocks
    assert all("(" not in line and ")" not in line for b in blocks for line in b.splitlines()
               if line.strip().startswith("echo"))
    readme = bundle.fill(bundle.README, "0.1.0", "win_amd64", "3.11", 15, guide=True)
    assert "使用说明.md" in readme
    assert "双击“安装.bat”" in readme
    assert "--soffice" in readme


def _blocks_are_safe(text: str) -> None:
    # inside an if-block an ASCII parenthesis in an echo would end the block
    blocks = re.findall(r"\(\n(.*?)\n\)", text, re.S)
    assert blocks
    assert all("(" not in line and ")" not in line for b in blocks for line in b.splitlines()
               if line.strip().startswith("echo"))


def test_the_launcher_opens_the_clerks_folder_in_the_form(bundle: ModuleType) -> None:
    text = bundle.fill(bundle.LAUNCH_BAT, "0.1.0", "win_amd64", "3.11", 15, guide=True)
    text.encode("gbk")
    _blocks_are_safe(text)
    lines = text.splitlines()
    assert lines[0] == "@echo off"
    folder = r'set "FOLDER=%USERPROFILE%\Documents\政务公开年报"'
    assert folder in lines
    # The form on the folder, in the default browser (serve opens it; no --no-browser).
    [serve] = [line for line in lines if " -m xxgk serve" in line]
    assert serve == '%PY% -m xxgk serve "%FOLDER%"'
    assert lines.index(folder) < lines.index(serve)
    assert 'cd /d "%FOLDER%"' in lines
    assert lines[-1] == "if errorlevel 1 pause"  # a refusal (being edited elsewhere) stays readable
    assert "安装.bat" in text  # xxgk missing: what to run


def test_python_is_found_or_the_installer_named(bundle: ModuleType) -> None:
    for script in (bundle.INSTALL_BAT, bundle.LAUNCH_BAT):
        text = bundle.fill(script, "0.1.0", "win_amd64", "3.11", 15, guide=True)
        # The launcher, PATH, and the installer's default folders when PATH was not ticked.
        assert 'py -3.11 -c ""' in text
        assert r"%LOCALAPPDATA%\Programs\Python\Python311\python.exe" in text
        assert r"%ProgramFiles%\Python311\python.exe" in text
        assert 'python -c ""' in text  # the Microsoft Store's stub fails this and is passed by
        # Not found: the exact installer file, in this folder when the bundle carries it.
        assert 'if exist "%~dp0python-3.11.9-amd64.exe"' in text
        assert "请双击本文件夹中的 python-3.11.9-amd64.exe" in text
        assert "索取 Python 安装程序 python-3.11.9-amd64.exe" in text
    assert bundle.python_installer("3.12") == "python-3.12.10-amd64.exe"
    assert bundle.python_installer("3.11", "win32") == "python-3.11.9.exe"


def test_install_leaves_the_launcher_in_the_folder_and_on_the_desktop(bundle: ModuleType) -> None:
    text = bundle.fill(bundle.INSTALL_BAT, "0.1.0", "win_amd64", "3.11", 15, guide=True)
    lines = text.splitlines()
    install = next(i for i, line in enumerate(lines) if "pip install --no-index" in line)
    copies = [i for i, line in enumerate(lines) if line.startswith(("copy ", "if exist")) and
              "启动.bat" in line]
    assert len(copies) == 2
    assert all(i > install for i in copies)  # only once xxgk is installed
    assert r'copy /y "%~dp0启动.bat" "%FOLDER%\启动.bat" >nul' in lines
    assert r'"%USERPROFILE%\Desktop\政务公开年报表单.bat"' in text
    readme = bundle.fill(bundle.README, "0.1.0", "win_amd64", "3.11", 15, guide=True)
    assert "政务公开年报表单.bat" in readme
    assert "python-3.11.9-amd64.exe" in readme


def test_the_bundle_carries_the_launcher_and_the_installer_given(
    bundle: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pip is not run: the wheels folder is filled by hand, as pip would leave it.
    def fake_pip(*args: str) -> None:
        if args[0] == "wheel":
            folder = Path(args[args.index("--wheel-dir") + 1])
            folder.mkdir(parents=True, exist_ok=True)
            _wheel(folder, "xxgk")

    monkeypatch.setattr(bundle, "_pip", fake_pip)
    installer = tmp_path / "python-3.11.9-amd64.exe"
    installer.write_bytes(b"MZ installer")
    target = bundle.make_bundle("win_amd64", "3.11", tmp_path / "dist", installer)
    with zipfile.ZipFile(target) as archive:
        names = {n.split("/", 1)[1]: n for n in archive.namelist()}
        assert {"安装.bat", "启动.bat", "安装说明.txt", "python-3.11.9-amd64.exe"} <= names.keys()
        launcher = archive.read(names["启动.bat"])
    assert b"\r\n" in launcher
    assert b"\n" not in launcher.replace(b"\r\n", b"")
    assert "xxgk serve" in launcher.decode("gbk")
