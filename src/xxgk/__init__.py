"""xxgk: 政府信息公开工作年度报告 — data file, 勾稽 checks, Word and Excel output, import.

The library is the product; the ``xxgk`` command is a thin shell over it::

    import xxgk
    report = xxgk.load("inputs/example.yaml")
    findings = xxgk.check(report)
"""

from xxgk.api import check_file, load_source
from xxgk.checks import check
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.inputs import dump_report, load
from xxgk.model import Report

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
