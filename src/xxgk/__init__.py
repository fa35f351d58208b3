"""xxgk: 政府信息公开工作年度报告 — data file, 勾稽 checks, Word and Excel output, import.

The library is the product; the ``xxgk`` command is a thin shell over it::

    import xxgk
    report = xxgk.load("inputs/example.yaml")
    findings = xxgk.check(report)

The names below are imported when first used (PEP 562), so ``import xxgk`` — which every
``xxgk`` command and worker process does first — costs nothing until one is asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xxgk.api import check_file, load_source
    from xxgk.checks import check
    from xxgk.errors import Finding, Location, Severity, XxgkError
    from xxgk.inputs import dump_report, load
    from xxgk.model import Report

# Each public name and the module it comes from.
_HOMES = {
    "check_file": "xxgk.api",
    "load_source": "xxgk.api",
    "check": "xxgk.checks",
    "Finding": "xxgk.errors",
    "Location": "xxgk.errors",
    "Severity": "xxgk.errors",
    "XxgkError": "xxgk.errors",
    "dump_report": "xxgk.inputs",
    "load": "xxgk.inputs",
    "Report": "xxgk.model",
}

__all__ = [
    "Finding",
    "Location",
    "Report",
    "Severity",
    "XxgkError",
    "check",
    "check_file",
    "dump_report",
    "load",
    "load_source",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
