"""pdfium is not thread-safe: `build --pdf --jobs N` verifies PDFs from threads and `xxgk serve`
imports in threads, so every use holds one lock (a pdfium failure ends the process with SIGTRAP,
as CI saw before the lock)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from xxgk import pdfium
from xxgk.importers import import_source
from xxgk.render.pdf import verify

REAL_PDF = Path(__file__).parent / "data" / "real" / "hongze-2023.pdf"


def test_every_use_of_pdfium_holds_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2

    opened: list[bool] = []
    real = pypdfium2.PdfDocument

    def watched(*args: object, **kwargs: object) -> object:
        # RLock can be acquired again by its holder only: a non-blocking try from another
        # thread tells whether this thread holds it.
        held: list[bool] = []
        probe = threading.Thread(target=lambda: held.append(not pdfium.LOCK.acquire(False)))
        probe.start()
        probe.join()
        if not held[0]:
            pdfium.LOCK.release()
        opened.append(held[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(pypdfium2, "PdfDocument", watched)
    data = REAL_PDF.read_bytes()
    assert verify.pdf_pages(data)
    import_source(REAL_PDF)
    assert opened
    assert all(opened)


def test_threads_reading_pdfs_at_once() -> None:
    data = REAL_PDF.read_bytes()
    expected = verify.pdf_pages(data)

    def both(_: int) -> bool:
        return verify.pdf_pages(data) == expected and bool(import_source(REAL_PDF).report.organ)

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(both, range(12)))
