"""pdfium, through pypdfium2, in one thread at a time.

PDFium is not thread-safe (pypdfium2's documentation says so, and its failed internal checks end
the whole process with SIGTRAP). xxgk uses it from threads in two places: `build --pdf --jobs N`
verifies each LibreOffice's PDFs in that job's thread, and `xxgk serve` imports or builds in
Starlette's worker threads. Every use of pdfium holds ``LOCK`` from opening a document to closing
it (which closes its pages and text pages too).
"""

from __future__ import annotations

import threading

LOCK = threading.RLock()
