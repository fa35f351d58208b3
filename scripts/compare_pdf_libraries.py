"""Word positions from pdfplumber, pdfminer.six's lower-level layout and pypdfium2, on the
corpus's PDFs: characters per second, agreement, and the import through the one we use.

See docs/IMPORT.md for the figures and the choice.

    PYTHONPATH=src python3 scripts/compare_pdf_libraries.py

Each library gives every page's characters with their boxes; two libraries agree on a character
when its text is the same and its box's left edge and baseline within 1 point. The import (our PDF
importer, on pypdfium2) is compared with the truth files. Times are CPU seconds (the machine is
shared), best of three.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xxgk.errors import XxgkError
from xxgk.importers import import_source

ROOT = Path(__file__).resolve().parents[1]
Chars = list[tuple[str, float, float]]  # text, left edge, bottom (top-down)


def _accuracy() -> Any:
    script = ROOT / "scripts" / "import_accuracy.py"
    spec = importlib.util.spec_from_file_location("import_accuracy", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_accuracy"] = module
    spec.loader.exec_module(module)
    return module


def with_pdfplumber(path: Path) -> list[Chars]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [[(c["text"], c["x0"], c["bottom"]) for c in p.chars] for p in pdf.pages]


def with_pdfminer(path: Path) -> list[Chars]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    def walk(item: Any) -> Any:
        for child in item:
            if isinstance(child, LTChar):
                yield child
            elif isinstance(child, LTContainer):
                yield from walk(child)

    pages = []
    manager = PDFResourceManager()
    with path.open("rb") as handle:
        for page in PDFPage.get_pages(handle):
            device = PDFPageAggregator(manager, laparams=None)  # no text grouping: characters
            PDFPageInterpreter(manager, device).process_page(page)
            layout = device.get_result()
            height = layout.height
            pages.append([(c.get_text(), c.x0, height - c.y0) for c in walk(layout)])
    return pages


def with_pypdfium2(path: Path) -> list[Chars]:
    import pypdfium2

    from xxgk.importers.pdf_page import read_page

    document = pypdfium2.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            chars = read_page(page).chars
            page.close()
            pages.append([(c["text"], c["x0"], c["bottom"]) for c in chars])
        return pages
    finally:
        document.close()


def _agree(ours: list[Chars], reference: list[Chars]) -> tuple[int, int]:
    """Characters of ``reference`` found in ``ours``: the same text with its left edge within
    1 pt on a line within 3 pt (libraries put a box's bottom at the descent or the font box)."""
    found = total = 0
    for mine, theirs in zip(ours, reference, strict=False):
        places = {(t, round(x), round(y / 3)) for t, x, y in mine if not t.isspace()}
        for t, x, y in theirs:
            if t.isspace():
                continue
            total += 1
            near = ((t, round(x) + dx, round(y / 3) + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
            found += any(key in places for key in near)
    return found, total


def _cpu(call: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    acc = _accuracy()
    pdfs = [(p, t) for p, kind, t in acc.sources() if p.suffix == ".pdf"]
    readers = {
        "pdfplumber": with_pdfplumber,
        "pdfminer.six（底层布局）": with_pdfminer,
        "pypdfium2": with_pypdfium2,
    }
    extracted = {name: [read(p) for p, _ in pdfs] for name, read in readers.items()}
    pages = sum(len(doc) for doc in extracted["pypdfium2"])
    print(f"{len(pdfs)} PDFs, {pages} pages")
    reference = extracted["pdfminer.six（底层布局）"]
    for name, read in readers.items():
        seconds = _cpu(lambda read=read: [read(p) for p, _ in pdfs])
        found = total = 0
        for ours, theirs in zip(extracted[name], reference, strict=True):
            f, t = _agree(ours, theirs)
            found, total = found + f, total + t
        print(f"{name:24s} {pages / seconds:7.1f} pages/s (characters only)  "
              f"agree with pdfminer {found}/{total}")
    exact = blank = wrong = 0

    def run() -> None:
        for path, _ in pdfs:
            with contextlib.suppress(XxgkError):
                import_source(path)

    seconds = _cpu(run)
    for path, truth in pdfs:
        derived = path.name not in truth.get("printed_as_is", ())
        want = acc.truth_cells(acc.as_printed(truth) if derived else truth)
        got = acc.report_cells(import_source(path).report)
        for key, value in want.items():
            if value is None:
                continue
            have = got.get(key)
            exact += have == value
            blank += have is None
            wrong += have is not None and have != value
    print(f"import (pypdfium2)       {pages / seconds:7.1f} pages/s  "
          f"exact {exact}  blank {blank}  wrong {wrong}")


if __name__ == "__main__":
    main()
