"""The year-over-year comparison of one organ's two reports (numbers, carry-over, text)."""

from __future__ import annotations

from xxgk.compare.comparison import Comparison, compare_reports
from xxgk.compare.text import copied_share

__all__ = ["Comparison", "compare_reports", "copied_share"]
