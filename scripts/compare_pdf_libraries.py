"""pdfplumber vs pypdfium2 on the corpus's PDFs: pages per second and cells read.

See docs/IMPORT.md for the figures and the choice.

    pip install pypdfium2 && PYTHONPATH=src python3 scripts/compare_pdf_libraries.py

pypdfium2 gives each page's text only (no table cells), so its text goes through the text
importer; pdfplumber's result is our PDF importer's. Both are compared with the truth files.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.importers import import_source
from xxgk.importers.txt import parse_text

ROOT = Path(__file__).resolve().parents[1]


def _accuracy() -> object:
    script = ROOT / "scripts" / "import_accuracy.py"
    spec = importlib.util.spec_from_file_location("import_accuracy", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_accuracy"] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    import pdfplumber
    import pypdfium2

    acc = _accuracy()
    pdfs = [(p, t) for p, kind, t in acc.sources() if p.suffix == ".pdf"]  # type: ignore[attr-defined]
    pages = 0
    for path, _ in pdfs:
        with pdfplumber.open(path) as pdf:
            pages += len(pdf.pages)
    rows = {}
    for name in ("pdfplumber", "pypdfium2"):
        exact = blank = wrong = 0
        started = time.perf_counter()
        for path, truth in pdfs:
            if name == "pdfplumber":
                try:
                    report = import_source(path).report
                except XxgkError:
                    continue
            else:
                document = pypdfium2.PdfDocument(str(path))
                text = "\n".join(page.get_textpage().get_text_range() for page in document)
                document.close()
                try:
                    report = parse_text(text.replace("\r\n", "\n")).report
                except XxgkError:
                    continue
            want = acc.truth_cells(acc.as_printed(truth))  # type: ignore[attr-defined]
            got = acc.report_cells(report)  # type: ignore[attr-defined]
            for key, value in want.items():
                if value is None:
                    continue
                have = got.get(key)
                exact += have == value
                blank += have is None
                wrong += have is not None and have != value
        seconds = time.perf_counter() - started
        rows[name] = (pages / seconds, exact, blank, wrong)
    print(f"{len(pdfs)} PDFs, {pages} pages")
    for name, (speed, exact, blank, wrong) in rows.items():
        figures = f"exact {exact}  blank {blank}  wrong {wrong}"
        print(f"{name:11s} {speed:6.1f} pages/s (import included)  {figures}")


if __name__ == "__main__":
    main()
