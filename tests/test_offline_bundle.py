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
