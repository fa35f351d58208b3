"""One PDF page as pdfminer paints it, bounded: characters with their render mode, shapes.

pdfplumber reads a page through pdfminer's layout device; this module gives it a device of our
own that (1) stops a page drawing more characters or shapes than any report page holds, before
they cost memory (a 16 KB file can draw millions of characters), and (2) remembers what
pdfminer's character objects forget: the text render mode (3 and 7 paint nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import PDFPageAggregatorWithMarkedContent

# A dense A4 page of 10-point text holds about 2 500 characters; a table page fewer. Ten times
# that is room for any real report page, and little memory (an LTChar is about 1 KB).
MAX_PAGE_CHARS = 25_000
MAX_PAGE_SHAPES = 25_000  # WPS paints a fill behind every line and a rule per cell edge
_INVISIBLE_MODES = frozenset({3, 7})  # neither fill nor stroke (7: clip only)


class PageTooLarge(Exception):
    """The page draws more characters or shapes than a report page can hold."""

    def __init__(self, what: str, limit: int, page: int = 0) -> None:
        super().__init__(what, limit, page)
        self.what = what
        self.limit = limit
        self.page = page  # 1-based, set by the caller that knows which page it laid out


@dataclass
class PaintLog:
    """What the device saw on one page: per character, in pdfplumber's order, whether its render
    mode paints nothing (3 or 7)."""

    char_invisible: list[bool] = field(default_factory=list)


class _BoundedDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's device, counting what it draws and noting render modes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.log = PaintLog()
        self._shapes = 0
        self._invisible = False

    def render_string(self, textstate: Any, *args: Any, **kwargs: Any) -> None:
        self._invisible = textstate.render in _INVISIBLE_MODES
        super().render_string(textstate, *args, **kwargs)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        if len(self.log.char_invisible) >= MAX_PAGE_CHARS:
            raise PageTooLarge("字符", MAX_PAGE_CHARS)
        advance: float = super().render_char(*args, **kwargs)
        self.log.char_invisible.append(self._invisible)
        return advance

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        self._shapes += 1
        if self._shapes > MAX_PAGE_SHAPES:
            raise PageTooLarge("图形", MAX_PAGE_SHAPES)
        super().paint_path(gstate, stroke, fill, evenodd, path)


def lay_out(page: Any) -> PaintLog:
    """Lay the pdfplumber page out with the bounded device (PageTooLarge past the bounds)."""
    device = _BoundedDevice(
        page.pdf.rsrcmgr,
        pageno=page.page_number,
        laparams=page.pdf.laparams,
    )
    interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
    interpreter.process_page(page.page_obj)
    page._layout = device.get_result()  # pdfplumber uses a layout already made (page.layout)
    return device.log
