"""The comparison as one self-contained web page (sortable tables, no CDN)."""

from __future__ import annotations

from xxgk.compare import Comparison
from xxgk.render.audit.html import render_audit_html
from xxgk.render.compare.xlsx import comparison_sheets


def render_compare_html(c: Comparison) -> bytes:
    """The page: the summary, then every table of the comparison."""
    summary, *parts = comparison_sheets(c)
    return render_audit_html(parts, title=summary.title, intro=c.summary())
