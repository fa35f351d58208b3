"""openpyxl imported without numpy: 35–50 ms of every command that writes a workbook.

openpyxl imports numpy whenever it is installed (matplotlib, for ``xxgk tujie``, brings it) only
so that numpy scalars count as cell numbers; we never write one. numpy is hidden while openpyxl
loads, so openpyxl takes it as absent; it imports normally afterwards for whoever needs it. Done
only when numpy is not loaded yet and no other thread runs (one importing numpy meanwhile would
be refused it), else openpyxl imports as usual: its output is the same either way.
"""

from __future__ import annotations

import importlib
import sys
import threading


def import_openpyxl() -> None:
    """Import openpyxl, without numpy when that is safe (see the module's note)."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules or threading.active_count() > 1:
        importlib.import_module("openpyxl")
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" raises ImportError
    try:
        importlib.import_module("openpyxl")
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]


import_openpyxl()
