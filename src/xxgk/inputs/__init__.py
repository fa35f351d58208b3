"""Reading the data file: path → text → YAML nodes with line marks → Report."""

from xxgk.inputs.datafile import load, load_with_findings, parse_report
from xxgk.inputs.dump import dump_report

__all__ = ["dump_report", "load", "load_with_findings", "parse_report"]
