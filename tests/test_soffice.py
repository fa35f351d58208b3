"""Finding LibreOffice on every platform, and the advice when it is missing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from xxgk import office as soffice
from xxgk.errors import XxgkError
from xxgk.office import ENV, find_soffice, missing_message

Run = Callable[..., Result]


@pytest.fixture
def no_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing on PATH: what a Windows clerk's console looks like."""
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def _program(root: Path, *parts: str) -> Path:
    path = root.joinpath(*parts)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    return path


@pytest.mark.usefixtures("no_path")
@pytest.mark.parametrize("variable", ["ProgramFiles", "ProgramFiles(x86)"])
def test_windows_program_files(tmp_path: Path, variable: str) -> None:
    exe = _program(tmp_path, "LibreOffice", "program", "soffice.exe")
    assert find_soffice({variable: str(tmp_path)}, "win32") == str(exe)


@pytest.mark.usefixtures("no_path")
def test_windows_registry_app_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = _program(tmp_path, "D盘 软件", "LibreOffice", "program", "soffice.exe")
    monkeypatch.setattr(soffice, "_registered", lambda: iter([exe]))
    assert find_soffice({}, "win32") == str(exe)


@pytest.mark.usefixtures("no_path")
def test_macos_application(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    exe = _program(tmp_path, "Applications", "LibreOffice.app", "Contents", "MacOS", "soffice")
    if Path("/Applications/LibreOffice.app").exists():
        pytest.skip("a real LibreOffice.app comes first")
    assert find_soffice({}, "darwin") == str(exe)


@pytest.mark.usefixtures("no_path")
def test_nothing_found(tmp_path: Path) -> None:
    assert find_soffice({"ProgramFiles": str(tmp_path)}, "win32") in (None, *_real_windows())


def _real_windows() -> list[str]:
    return [str(p) for p in soffice._installed({}, "win32") if p.is_file()]


def test_the_override_wins(tmp_path: Path) -> None:
    exe = _program(tmp_path, "LO", "program", "soffice.exe")
    assert find_soffice({ENV: str(exe)}, "win32") == str(exe)
    assert find_soffice({ENV: f'"{tmp_path / "LO"}"'}, "win32") == str(exe)  # folder, quoted


def test_an_override_naming_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(XxgkError) as exc:
        find_soffice({ENV: str(tmp_path / "nope")}, "win32")
    finding = exc.value.findings[0]
    assert finding.code == "output/bad-soffice"
    assert str(tmp_path / "nope") in finding.message
    assert r"C:\Program Files\LibreOffice\program\soffice.exe" in finding.message


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_missing_message_fits_the_platform(platform: str) -> None:
    message = missing_message(platform)
    assert "apt" not in message
    assert "sudo" not in message
    assert soffice.DOWNLOAD_PAGE in message
    assert "--soffice" in message
    assert ENV in message


def test_missing_message_on_debian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "is_file", lambda self: str(self) == "/etc/debian_version")
    assert "sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk" in missing_message("linux")


def test_build_soffice_option(xxgk: Run, example_path: Path, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "")  # restored after the test: the option sets the variable
    result = xxgk("build", example_path, "-o", tmp_path / "out", "--pdf",
                  "--soffice", tmp_path / "没有 这个")
    assert result.exit_code == 1
    assert "[output/bad-soffice]" in result.output
    assert "没有 这个" in result.output
    assert not (tmp_path / "out").exists()
