"""Which characters of a PDF page a reader sees.

The text layer holds every character the page draws, seen or not: a digit painted white on white,
in render mode 3 (invisible), outside a clipping path, or painted over by a filled shape is still
in it, and read beside a visible digit it changes the number (5 → 57) without any sign. A reader
sees the page as it is rendered, so that is what decides: the page is rendered (pdfium, the
engine of Chrome's PDF viewer) with and without its text, and a character counts only when the
text changed the page inside its box — a ruling or a cell's fill under a hidden digit is in both
renderings and makes it no more visible. Render modes 3 and 7 paint nothing and are dropped
before.

Two different characters printed on top of each other are a smudge to the reader: they become
one unreadable character (U+FFFD), so that a number holding them is read as unreadable (blank,
a finding) — never as two digits, nor as the digits left once both are taken away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_TEXT, _FORM = 1, 5  # FPDF_PAGEOBJ_TEXT, FPDF_PAGEOBJ_FORM
_MAX_FORM_DEPTH = 12
_SCALE = 2.0  # 144 dpi: a 9-point digit is 18 pixels tall
_INNER = 0.1  # of its width, each side of a character box left out (its neighbours' ink)
_CONTRAST = 64  # grey levels between ink and background a reader tells apart
_BAND = 24.0  # points: taller than any character of a report's body or tables
_OVERLAP = 0.5  # of the narrower character's width: two characters in one place
_BOX = 4  # PIL's Image.Resampling.BOX: the mean of the pixels (PIL is loaded with pdfium)


@dataclass(frozen=True)
class Visibility:
    """The characters a reader sees, and how many of each kind were not."""

    visible: list[dict[str, Any]]
    hidden: int  # no ink on the rendered page (colour, render mode, clipping, overdraw)
    smudged: int  # printed over another character


@dataclass(frozen=True)
class Rendering:
    """What the page's text adds to it, and the page without its text (PIL grey images)."""

    ink: Any
    bare: Any


def rendered(page: Any) -> Rendering:
    """What the page's text adds to it, as a grey image (PIL) at the scale ``visible_chars``
    expects: the page rendered, then rendered again without its text objects, and the two
    compared. Ink there is ink of text; a ruling or a fill under a hidden character is in both
    renderings and shows nothing. Orientation: pdfium turns a page by its /Rotate, this turns it
    back to the characters' coordinates. The page's text objects are gone afterwards."""
    from PIL import ImageChops

    turn = (360 - int(page.get_rotation())) % 360
    full = page.render(scale=_SCALE, grayscale=True, rotation=turn).to_pil()
    _remove_text(page.raw)
    bare = page.render(scale=_SCALE, grayscale=True, rotation=turn).to_pil()
    return Rendering(ImageChops.difference(full, bare), bare)


def _remove_text(parent: Any, depth: int = 0) -> None:
    """Take every text object off the page (and out of its forms) for the bare rendering."""
    import pypdfium2.raw as raw  # type: ignore[import-untyped]  # no stubs published

    count = raw.FPDFFormObj_CountObjects(parent) if depth else raw.FPDFPage_CountObjects(parent)
    get = raw.FPDFFormObj_GetObject if depth else raw.FPDFPage_GetObject
    for i in range(max(count, 0) - 1, -1, -1):
        obj = get(parent, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == _TEXT:
            removed = (
                raw.FPDFFormObj_RemoveObject(parent, obj)
                if depth
                else raw.FPDFPage_RemoveObject(parent, obj)
            )
            if removed:
                raw.FPDFPageObj_Destroy(obj)
        elif kind == _FORM and depth < _MAX_FORM_DEPTH:
            _remove_text(obj, depth + 1)


def visible_chars(
    chars: list[dict[str, Any]],
    invisible: list[bool],
    image: Rendering,
    origin: tuple[float, float],
) -> Visibility:
    """The characters of ``chars`` that show on ``image`` (``invisible``: render mode 3/7)."""
    seen: list[dict[str, Any]] = []
    hidden = 0
    for char, mode_hides in zip(chars, invisible, strict=True):
        if char["text"].isspace():
            seen.append(char)
        elif mode_hides or not _shows_ink(char, image, origin):
            hidden += 1
        else:
            seen.append(char)
    clear, smudged = _without_overprints(seen)
    return Visibility(clear, hidden, smudged)


def _shows_ink(char: dict[str, Any], image: Rendering, origin: tuple[float, float]) -> bool:
    """True when the character's colour stands out from what lies under it, and text changed
    the page inside its box (it was not clipped away or painted over)."""
    width = char["x1"] - char["x0"]
    left = (char["x0"] - origin[0] + _INNER * width) * _SCALE
    right = (char["x1"] - origin[0] - _INNER * width) * _SCALE
    top = (char["top"] - origin[1]) * _SCALE  # a quote mark or a 。 inks one corner only
    bottom = (char["bottom"] - origin[1]) * _SCALE
    box = (int(left), int(top), max(int(right), int(left) + 1), max(int(bottom), int(top) + 1))
    if box[2] <= 0 or box[3] <= 0 or box[0] >= image.ink.width or box[1] >= image.ink.height:
        return False  # off the page: nobody sees it
    # What lies under the character, on average: a rule crossing a white cell barely moves it,
    # so a white digit over that rule is still white on white.
    under = image.bare.crop(box).resize((1, 1), _BOX).getpixel((0, 0))
    if abs(float(char.get("grey", 0.0)) - float(under)) < _CONTRAST:
        return False
    _, most = image.ink.crop(box).getextrema()
    return bool(most >= _CONTRAST)  # text changed the page here by as much as a reader tells


def _without_overprints(chars: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The characters, each pair printed over one another made one unreadable character."""
    smudged: set[int] = set()
    covered: set[int] = set()
    bands: dict[int, list[int]] = {}  # characters by the band of the page they start in
    for i, c in enumerate(chars):
        if not c["text"].isspace():
            bands.setdefault(int(c["top"] // _BAND), []).append(i)
    for band, members in bands.items():
        # Overlapping characters start less than a band apart: this band and the next one.
        order = sorted(members + bands.get(band + 1, []), key=lambda i: chars[i]["x0"])
        for at, i in enumerate(order):  # a sweep from left to right: only neighbours overlap
            a = chars[i]
            for j in order[at + 1 :]:
                b = chars[j]
                if b["x0"] >= a["x1"]:
                    break
                if i in covered or j in covered or a["text"] == b["text"] or not _overlap(a, b):
                    continue
                smudged.add(i)
                covered.add(j)
    for i in smudged:
        chars[i]["text"] = "\ufffd"  # in place: the page's own character object stays the one kept
    return [c for i, c in enumerate(chars) if i not in covered], len(smudged) + len(covered)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    across = float(min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]))
    down = float(min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]))
    narrower = float(min(a["x1"] - a["x0"], b["x1"] - b["x0"]))
    lower = float(min(a["bottom"] - a["top"], b["bottom"] - b["top"]))
    return across > _OVERLAP * narrower and down > _OVERLAP * lower
