"""How much a PDF page draws, counted before any engine lays it out.

A 16 KB file can draw millions of characters (one string in a form XObject painted a thousand
times), and laying that page out costs gigabytes. The page's content streams are read here with
qpdf (pikepdf) and what they would draw is counted — the bytes of every shown string, and the
bytes of content (which bound its operators), a form's count once per time it is painted — and
counting stops at the bound.
"""

from __future__ import annotations

from typing import Any

MAX_PAGE_CHARS = 25_000  # string bytes: a dense A4 page of CJK text shows about 5 000
MAX_PAGE_CONTENT = 16 * 2**20  # bytes of content, forms expanded: a WPS table page has 60 KB
MAX_FORM_DEPTH = 12  # forms inside forms; deeper (a form painting itself) is refused
MAX_FORM_PAINTS = 5_000  # forms painted on one page, nested ones counted each time
_SHOW = frozenset({"Tj", "'", '"'})
_COUNTED = "Tj TJ ' \" Do"  # the operators parsed into Python objects (the rest only skipped)


class PageTooLarge(Exception):
    """The page draws more than a report page can hold."""

    def __init__(self, what: str, limit: int, page: int = 0) -> None:
        super().__init__(what, limit, page)
        self.what = what
        self.limit = limit
        self.page = page  # 1-based


def check_page(page: Any, number: int) -> None:
    """Raise PageTooLarge when the pikepdf page draws more than the bounds allow."""
    counter = _Counter(number)
    counter.count(page.obj, page.obj.get("/Resources"), 0)


class _Counter:
    def __init__(self, number: int) -> None:
        self.number = number
        self.chars = 0
        self.content = 0
        self.paints = 0
        self._forms: dict[tuple[int, int], tuple[int, int, int]] = {}

    def count(self, owner: Any, resources: Any, depth: int) -> None:
        import pikepdf

        if depth > MAX_FORM_DEPTH:  # pdfium would follow it 40 levels deep, each level again
            raise PageTooLarge("嵌套图形层数", MAX_FORM_DEPTH, self.number)
        try:
            self.content += _content_bytes(owner)
            self._check()
            instructions = pikepdf.parse_content_stream(owner, _COUNTED)
        except (pikepdf.PdfError, TypeError, ValueError):
            return  # a damaged stream: the layout engine reads what it can of it
        for instruction in instructions:
            operator = str(instruction.operator)
            operands = instruction.operands
            if operator in _SHOW and operands:
                self.chars += _string_bytes(operands[-1])
            elif operator == "TJ" and operands:
                self.chars += sum(_string_bytes(part) for part in _items(operands[0]))
            elif operator == "Do" and operands:
                self._form(resources, operands[0], depth)
            self._check()

    def _form(self, resources: Any, name: Any, depth: int) -> None:
        import pikepdf

        try:
            form = resources["/XObject"][name]
        except (KeyError, TypeError, ValueError, pikepdf.PdfError):
            return
        if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != "/Form":
            return
        self.paints += 1
        key = form.objgen
        if key in self._forms and key != (0, 0):  # painted again: the same count again
            chars, content, paints = self._forms[key]
            self.chars += chars
            self.content += content
            self.paints += paints
            return
        before = (self.chars, self.content, self.paints)
        self.count(form, form.get("/Resources", resources), depth + 1)
        self._forms[key] = (
            self.chars - before[0], self.content - before[1], self.paints - before[2]
        )

    def _check(self) -> None:
        if self.chars > MAX_PAGE_CHARS:
            raise PageTooLarge("字符", MAX_PAGE_CHARS, self.number)
        if self.content > MAX_PAGE_CONTENT:
            raise PageTooLarge("内容字节", MAX_PAGE_CONTENT, self.number)
        if self.paints > MAX_FORM_PAINTS:
            raise PageTooLarge("图形对象（XObject）", MAX_FORM_PAINTS, self.number)


def _content_bytes(owner: Any) -> int:
    """The decoded length of a page's content streams or of a form's stream (at most just over
    the bound: a compressed stream is inflated only that far, so a zip bomb costs nothing)."""
    import pikepdf

    if isinstance(owner, pikepdf.Stream):
        return _decoded_length(owner)
    contents = owner.get("/Contents")
    if isinstance(contents, pikepdf.Stream):
        return _decoded_length(contents)
    if isinstance(contents, pikepdf.Array):
        return sum(_decoded_length(c) for c in contents if isinstance(c, pikepdf.Stream))
    return 0


def _decoded_length(stream: Any) -> int:
    import zlib

    import pikepdf

    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    if str(filters) == "/FlateDecode":
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(stream.read_raw_bytes(), MAX_PAGE_CONTENT + 1)
        except zlib.error:
            return 0  # damaged: the layout engine reads what it can of it
        return len(data)
    return len(stream.read_bytes())


def _items(array: Any) -> list[Any]:
    try:
        return list(array)
    except TypeError:
        return []


def _string_bytes(value: Any) -> int:
    import pikepdf

    return len(bytes(value)) if isinstance(value, pikepdf.String) else 0
