"""The design holds in the code: data flows one way and start-up stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "xxgk"

# Each stage may import only from the stages before it (inputs → model → checks → render → writer).
STAGE = {
    "labels": 0,
    "errors": 0,
    "rules": 0,
    "office": 0,
    "safe_text": 0,
    "zip_limits": 0,
    "pdfium": 0,
    "openpyxl_lean": 0,
    "model": 1,
    "xlsx_layout": 1,
    "inputs": 2,
    "importers": 2,
    "pairing": 2,
    "figures": 2,
    "rates": 2,
    "checks": 3,
    "diff": 4,
    "summary": 4,
    "scaffold": 4,
    "audit": 4,
    "compare": 4,
    "breakdown": 4,
    "render": 5,
    "correction": 5,  # the 更正说明's wording: numbers as printed (render.printed)
    "writer": 6,
    "manifest": 6,
    "editlock": 6,
    "api": 7,
    "build": 8,
    "archive": 8,
    "tujie": 8,  # builds, then packages what the build wrote
    "bulk": 8,
    "review": 8,
    "web": 8,
    "cli": 9,
    "__main__": 10,
    "__init__": 10,
}


def _module_stage(path: Path) -> tuple[str, int]:
    name = path.relative_to(SRC).parts[0].removesuffix(".py")
    return name, STAGE[name]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xxgk"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("xxgk."))
    return found


SOURCES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(SRC)) for p in SOURCES])
def test_imports_flow_one_way(path: Path) -> None:
    name, stage = _module_stage(path)
    later = {m for m in _imports(path) if m in STAGE and STAGE[m] > stage and m != name}
    assert not later, f"{path.relative_to(SRC)} imports later stages {later}"


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(SRC)) for p in SOURCES])
def test_only_the_cli_imports_click(path: Path) -> None:
    if path.name == "cli.py":
        return
    assert "import click" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["--help"], ["check", "inputs/example.yaml"]])
def test_light_commands_do_not_import_office_libraries(command: list[str]) -> None:
    code = (
        f"import sys, runpy; sys.argv = ['xxgk', *{command!r}]\n"
        "try:\n    runpy.run_module('xxgk', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('docxtpl', 'docx', 'openpyxl', 'jinja2', 'lxml'))\nprint('HEAVY', heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=SRC.parents[1],
        check=False,
    )
    assert "HEAVY []" in result.stdout, result.stdout[-500:]
