"""The ruling lines of a PDF page: what a reader sees as a table's grid.

A ruling is a stroked straight line (a rule, or a side of a stroked rectangle), or a thin bar
filled in a dark colour (Word and WPS draw cell borders either way). A fill behind text is not:
WPS paints a white, unstroked rectangle behind every line of text and light bands behind header
cells, and taken as rulings they turn a page of prose into a "table". A table that runs on to the
next page has no rule under its last row on this page (nor over its first on the next): where
the column rules reach past the last horizontal rule, the table is closed where they end.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

_THIN = 2.0  # points: a bar at most this thick is a rule, a wider fill is a background
_DARK = 0.6  # mean colour component (0 black, 1 white) of a filled bar that reads as a rule
_STRAIGHT = 0.5  # points a rule may lean over its length and still be horizontal or vertical
_SHORTEST = 1.0  # points: a shorter stroke is a dot, not a rule
_REACH = 3.0  # points a column rule must run past the last horizontal rule to close the table
Edge = dict[str, Any]


@dataclass(frozen=True)
class Segment:
    """One subpath as painted: its points (page coordinates, top down) and how it was painted."""

    points: list[tuple[float, float]]
    closed: bool
    stroked: bool
    filled: bool
    fill: tuple[float, float, float]


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> Edge:
    return {
        "orientation": orientation, "object_type": "line",
        "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top,
    }


def _line(start: tuple[float, float], end: tuple[float, float]) -> Edge | None:
    (xa, ya), (xb, yb) = start, end
    if abs(ya - yb) <= _STRAIGHT and abs(xa - xb) >= _SHORTEST:
        y = (ya + yb) / 2
        return _edge("h", min(xa, xb), y, max(xa, xb), y)
    if abs(xa - xb) <= _STRAIGHT and abs(ya - yb) >= _SHORTEST:
        x = (xa + xb) / 2
        return _edge("v", x, min(ya, yb), x, max(ya, yb))
    return None


def _segment_edges(segment: Segment) -> list[Edge]:
    points = segment.points
    if segment.stroked:
        pairs = list(itertools.pairwise(points))
        if segment.closed and len(points) > 2:
            pairs.append((points[-1], points[0]))
        return [e for a, b in pairs if (e := _line(a, b)) is not None]
    if not segment.filled or sum(segment.fill) / 3 >= _DARK or len(points) < 2:
        return []  # a fill behind text or a light band: a background, not a rule
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
    if x1 - x0 <= _THIN and bottom - top > _THIN:
        return [_edge("v", (x0 + x1) / 2, top, (x0 + x1) / 2, bottom)]
    if bottom - top <= _THIN and x1 - x0 > _THIN:
        return [_edge("h", x0, (top + bottom) / 2, x1, (top + bottom) / 2)]
    return []


def rulings_of(segments: list[Segment]) -> tuple[list[Edge], list[Edge]]:
    """The page's vertical and horizontal rules, closed at a page break."""
    edges = [e for s in segments for e in _segment_edges(s)]
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    if vertical and horizontal:
        horizontal += _closing_edges(vertical, horizontal)
    return vertical, horizontal


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
        left, right = min(e["x0"] for e in above), max(e["x1"] for e in above)
        closing.append(_edge("h", left, start, right, start))
    return closing
