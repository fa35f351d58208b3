"""Start-up stays light: `import xxgk` loads nothing until a name is asked for, and the CLI's
collector does not walk the start-up's long-lived objects every 700 allocations."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import xxgk

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    return result.stdout


def test_importing_the_package_loads_no_module_of_it() -> None:
    out = _run("import sys, xxgk\nprint(sorted(m for m in sys.modules if m.startswith('xxgk')))")
    assert out.strip() == "['xxgk']"


def test_every_public_name_is_its_home_modules_object() -> None:
    for name in xxgk.__all__:
        home = importlib.import_module(xxgk._HOMES[name])
        assert getattr(xxgk, name) is getattr(home, name)
    assert set(xxgk.__all__) == set(xxgk._HOMES)
    assert set(xxgk.__all__) <= set(dir(xxgk))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        xxgk.no_such_name  # noqa: B018


def test_submodules_still_import_from_the_package() -> None:
    out = _run("from xxgk import labels, errors\nprint(labels.__name__, errors.__name__)")
    assert out.split() == ["xxgk.labels", "xxgk.errors"]


def test_the_cli_collects_cycles_less_often_but_still_collects() -> None:
    code = (
        "import gc, sys, runpy\n"
        "sys.argv = ['xxgk', '--help']\n"
        "try:\n    runpy.run_module('xxgk', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('THRESHOLD', gc.get_threshold()[0], gc.isenabled())\n"
    )
    assert "THRESHOLD 10000 True" in _run(code)
