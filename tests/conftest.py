"""Shared fixtures: the example report, a CLI runner that asserts no traceback escaped."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from xxgk.cli import cli
from xxgk.inputs import load
from xxgk.model import Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example.yaml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def _compiled_templates_in_a_test_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The compiled-template cache of the tests stays with the tests (and their subprocesses),
    not in the user's cache folder."""
    import os

    os.environ["XXGK_CACHE_DIR"] = str(tmp_path_factory.mktemp("xxgk-cache"))


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def example_report() -> Report:
    return load(EXAMPLE)


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example data file."""
    target = tmp_path / "example.yaml"
    shutil.copy(EXAMPLE, target)
    return target


def run_xxgk(*args: str | Path) -> Result:
    """Run the CLI in-process; fail the test if anything but SystemExit escaped."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback escaped: {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def xxgk() -> Callable[..., Result]:
    return run_xxgk


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report how many fuzz examples ran (the issue asks for the count in CI's output)."""
    from tests import test_fuzz

    counts = getattr(test_fuzz, "EXAMPLES_RUN", {})
    if counts:
        total = sum(counts.values())
        detail = "，".join(f"{k} {v}" for k, v in counts.items())
        failed = [r for r in terminalreporter.stats.get("failed", []) if "test_fuzz" in r.nodeid]
        terminalreporter.write_line(
            f"fuzz: {total} examples run, {len(failed)} fuzz tests failed（{detail}）"
        )
