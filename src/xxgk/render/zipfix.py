"""Reproducible OOXML packages: re-zip with fixed entry order and dates, core dates from the data.

python-docx, docxtpl and openpyxl stamp the current time into every zip entry and into
``docProps/core.xml``; rewriting both from the report's own data makes the same report give the same
bytes (TECH-NOTES: reproducible outputs).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
CORE_PATH = "docProps/core.xml"
# Conventional first entries (some readers sniff [Content_Types].xml at the start of the file).
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name), "") if name in _FIRST else (len(_FIRST), name)


def rezip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """The package with entries sorted, dated 1980-01-01, deflated; ``replace`` swaps parts."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = sorted(set(src.namelist()) | set(replace), key=_order)
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            body = replace[name] if name in replace else src.read(name)
            dst.writestr(info, body, compresslevel=6)
    return out.getvalue()


def document_time(date: dt.date | None, year: int) -> dt.datetime:
    """The time a report's files carry: its 成文日期, else 1 January of the following year."""
    day = date or dt.date(year + 1, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def core_xml(*, title: str, creator: str, last_modified_by: str, when: dt.datetime) -> bytes:
    """docProps/core.xml with the given title, creator and created = modified = when."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title>"
        f"<dc:creator>{escape(creator)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(last_modified_by)}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()
