"""The ruling lines of a PDF page: what a reader sees as a table's grid.

A ruling is a stroked line or rectangle, or a thin bar filled in a dark colour (Word and WPS
draw cell borders either way). A fill behind text is not: WPS paints a white, unstroked
rectangle behind every line of text and light bands behind header cells, and taken as rulings
they turn a page of prose into a "table". A table that runs on to the next page has no rule
under its last row on this page (nor over its first on the next): where the column rules reach
past the last horizontal rule, the table is closed where they end.
"""

from __future__ import annotations

from typing import Any

_THIN = 2.0  # points: a bar at most this thick is a rule, a wider fill is a background
_DARK = 0.6  # mean colour component (0 black, 1 white) of a filled bar that reads as a rule
_REACH = 3.0  # points a column rule must run past the last horizontal rule to close the table
Edge = dict[str, Any]


def _dark(colour: Any) -> bool:
    if isinstance(colour, (int, float)):
        colour = (colour,)
    if not isinstance(colour, tuple) or not colour or not all(
        isinstance(c, (int, float)) for c in colour
    ):
        return False  # a pattern or an unknown colour space: not a plain rule
    if len(colour) == 4:  # CMYK: dark when much ink
        return sum(colour) / 4 > 1 - _DARK or colour[3] > 1 - _DARK
    return sum(colour) / len(colour) < _DARK


def _ruling(obj: Edge) -> bool:
    if obj["object_type"] == "line":
        return bool(obj.get("stroke", True))
    if obj.get("stroke"):
        return True
    thin = min(obj["width"], obj["height"]) <= _THIN
    return bool(obj.get("fill")) and thin and _dark(obj.get("non_stroking_color"))


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> Edge:
    return {
        "orientation": orientation, "object_type": "line",
        "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top,
    }


def page_rulings(page: Any) -> tuple[list[Edge], list[Edge]]:
    """The page's vertical and horizontal rules, closed at a page break."""
    from pdfplumber.utils.geometry import obj_to_edges

    edges: list[Edge] = []
    for obj in (*page.lines, *page.rects):
        if _ruling(obj):
            if obj["object_type"] == "rect" and not obj.get("stroke"):
                edges.append(_bar_edge(obj))
            else:
                edges.extend(obj_to_edges(obj))
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    if vertical and horizontal:
        horizontal += _closing_edges(vertical, horizontal)
    return vertical, horizontal


def _bar_edge(bar: Edge) -> Edge:
    """A filled thin bar as the one line it draws."""
    if bar["width"] <= bar["height"]:
        x = (bar["x0"] + bar["x1"]) / 2
        return _edge("v", x, bar["top"], x, bar["bottom"])
    y = (bar["top"] + bar["bottom"]) / 2
    return _edge("h", bar["x0"], y, bar["x1"], y)


def _closing_edges(vertical: list[Edge], horizontal: list[Edge]) -> list[Edge]:
    """Rules where column rules run past the last (or before the first) horizontal rule."""
    closing = []
    lowest = max(e["bottom"] for e in horizontal)
    below = [e for e in vertical if e["bottom"] > lowest + _REACH]
    if len(below) >= 2:
        end = max(e["bottom"] for e in below)
        left, right = min(e["x0"] for e in below), max(e["x1"] for e in below)
        closing.append(_edge("h", left, end, right, end))
    highest = min(e["top"] for e in horizontal)
    above = [e for e in vertical if e["top"] < highest - _REACH]
    if len(above) >= 2:
        start = min(e["top"] for e in above)
        closing.append(
            _edge("h", min(e["x0"] for e in above), start, max(e["x1"] for e in above), start)
        )
    return closing
