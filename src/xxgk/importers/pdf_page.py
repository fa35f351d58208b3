"""One PDF page through pdfium: its characters with positions, its ruling lines, its rendering.

pdfium (pypdfium2, the engine of Chrome's PDF viewer) lays the page out in C++, about five times
faster than pdfminer (scripts/compare_pdf_libraries.py). Characters come as pdfplumber's
character dictionaries (top-down coordinates from the crop box's top left), so that pdfplumber's
geometry — its table finder and its text lines — works on them unchanged. Characters pdfium
inserts itself (spaces and line ends it guesses) are left out: they are not printed.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

from xxgk.importers.pdf_rulings import Edge, Segment, rulings_of

_INVISIBLE_MODES = frozenset({3, 7})  # neither fill nor stroke (7: clip only)
_STROKED_MODES = frozenset({1, 5})  # stroke only
_PATH = 2  # FPDF_PAGEOBJ_PATH
_FORM = 5  # FPDF_PAGEOBJ_FORM
_MOVETO = 2  # FPDF_SEGMENT_MOVETO
_ABSURD = 2.5  # a character box this many times its size tall is pdfium's mistake
_ASCENT = 0.88  # of the size above the baseline, as fonts' em boxes put it


@dataclass
class Page:
    """A page as read: pdfplumber-shaped characters, rulings, size, and which chars paint."""

    chars: list[dict[str, Any]]
    invisible: list[bool]  # per character: render mode 3 or 7
    vertical: list[Edge]
    horizontal: list[Edge]
    bbox: tuple[float, float, float, float]  # (0, 0, width, height)

    @property
    def width(self) -> float:
        return self.bbox[2]

    @property
    def height(self) -> float:
        return self.bbox[3]


def read_page(page: Any) -> Page:
    """The pypdfium2 page's characters and rulings."""
    import pypdfium2.raw as raw  # type: ignore[import-untyped]  # no stubs published

    left, bottom, right, top = page.get_cropbox()
    chars, invisible = _chars(raw, page, left, top)
    segments = list(_segments(raw, page.raw, 0, _IDENTITY, (left, top)))
    vertical, horizontal = rulings_of(segments)
    return Page(chars, invisible, vertical, horizontal, (0.0, 0.0, right - left, top - bottom))


def _chars(raw: Any, page: Any, left: float, top: float) -> tuple[list[dict[str, Any]], list[bool]]:
    text_page = raw.FPDFText_LoadPage(page.raw)
    chars: list[dict[str, Any]] = []
    invisible: list[bool] = []
    try:
        box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        tight = tuple(ctypes.c_double() for _ in range(4))
        origin = (ctypes.c_double(), ctypes.c_double())
        red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
        for i in range(raw.FPDFText_CountChars(text_page)):
            if raw.FPDFText_IsGenerated(text_page, i) == 1:
                continue
            code = raw.FPDFText_GetUnicode(text_page, i)
            if code in (0, 0xFFFE, 0xFFFF, 0x0D, 0x0A) or 0xD800 <= code <= 0xDFFF:
                continue  # no character, or half of a pair pdfium gives as two
            if not raw.FPDFText_GetLooseCharBox(text_page, i, box):
                continue
            size = _size(raw, text_page, i, matrix)
            x0, x1, y_top, y_bottom = box.left, box.right, box.top, box.bottom
            if y_top - y_bottom > _ABSURD * size and _tight(raw, text_page, i, tight, origin):
                # pdfium's font box of a character without the text matrix applied (seen on a
                # WPS rowspan heading): the glyph's own box and the baseline stand in for it
                x0, x1 = tight[0].value, max(tight[1].value, tight[0].value + size / 2)
                baseline = origin[1].value
                y_top, y_bottom = baseline + _ASCENT * size, baseline - (1 - _ASCENT) * size
            mode = raw.FPDFTextObj_GetTextRenderMode(raw.FPDFText_GetTextObject(text_page, i))
            if mode in _STROKED_MODES:  # outlined, not filled: the outline's colour is seen
                raw.FPDFText_GetStrokeColor(text_page, i, red, green, blue, alpha)
            else:
                raw.FPDFText_GetFillColor(text_page, i, red, green, blue, alpha)
            x0, x1 = x0 - left, x1 - left
            y_top, y_bottom = top - y_top, top - y_bottom
            chars.append(
                {
                    "object_type": "char",
                    "text": chr(code),
                    "x0": x0, "x1": x1, "top": y_top, "bottom": y_bottom,
                    "doctop": y_top, "width": x1 - x0, "height": y_bottom - y_top,
                    "upright": True, "size": size,
                    "non_stroking_color": (red.value / 255, green.value / 255, blue.value / 255),
                    # the grey level a grey rendering gives the character's colour
                    "grey": 0.299 * red.value + 0.587 * green.value + 0.114 * blue.value,
                }
            )
            invisible.append(mode in _INVISIBLE_MODES)
    finally:
        raw.FPDFText_ClosePage(text_page)
    return chars, invisible


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 8


def _times(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    p, q, r, s, t, u = outer
    return (
        a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
        e * p + f * r + t, e * q + f * s + u,
    )


def _matrix(raw: Any, obj: Any) -> Matrix | None:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return None
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _size(raw: Any, text_page: Any, i: int, matrix: Any) -> float:
    """The character's size on the page: its font size through the text matrix's scale."""
    size = float(raw.FPDFText_GetFontSize(text_page, i))
    if raw.FPDFText_GetMatrix(text_page, i, matrix):
        size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
    return size


def _tight(raw: Any, text_page: Any, i: int, tight: Any, origin: Any) -> bool:
    """Fill ``tight`` (left, right, bottom, top) and ``origin`` (x, y); False when pdfium cannot."""
    found = raw.FPDFText_GetCharBox(text_page, i, *tight)
    return bool(found and raw.FPDFText_GetCharOrigin(text_page, i, *origin))


def _segments(
    raw: Any, parent: Any, depth: int, outer: Matrix, origin: tuple[float, float]
) -> Any:
    """Every path's subpaths (page coordinates, top down), forms' paths through their matrix."""
    count = raw.FPDFFormObj_CountObjects(parent) if depth else raw.FPDFPage_CountObjects(parent)
    get = raw.FPDFFormObj_GetObject if depth else raw.FPDFPage_GetObject
    for i in range(max(count, 0)):
        obj = get(parent, i)
        kind = raw.FPDFPageObj_GetType(obj)
        matrix = _matrix(raw, obj)
        if matrix is None:
            continue
        if kind == _FORM and depth < _MAX_FORM_DEPTH:
            yield from _segments(raw, obj, depth + 1, _times(matrix, outer), origin)
        elif kind == _PATH:
            yield from _path_segments(raw, obj, _times(matrix, outer), origin)


def _path_segments(raw: Any, obj: Any, matrix: Matrix, origin: tuple[float, float]) -> Any:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    raw.FPDFPageObj_GetFillColor(obj, red, green, blue, alpha)
    colour = (red.value / 255, green.value / 255, blue.value / 255)
    a, b, c, d, e, f = matrix
    left, top = origin
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    closed = False
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        kind = raw.FPDFPathSegment_GetType(segment)
        px = a * x.value + c * y.value + e - left
        py = top - (b * x.value + d * y.value + f)
        if kind == _MOVETO and points:
            yield Segment(points, closed, bool(stroke.value), fill_mode.value != 0, colour)
            points, closed = [], False
        points.append((px, py))
        closed = closed or bool(raw.FPDFPathSegment_GetClose(segment))
    if points:
        yield Segment(points, closed, bool(stroke.value), fill_mode.value != 0, colour)
