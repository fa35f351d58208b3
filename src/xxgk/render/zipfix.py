"""Reproducible OOXML packages: re-zip with fixed entry order and dates, core dates from the data.

python-docx, docxtpl and openpyxl stamp the current time into every zip entry and into
``docProps/core.xml``; rewriting both from the report's own data makes the same report give the same
bytes (TECH-NOTES: reproducible outputs).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape as _html_escape

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


@dataclass(frozen=True)
class Deflated:
    """A zip member compressed once: name, CRC-32, raw deflate data and uncompressed size."""

    name: bytes
    crc: int
    data: bytes
    size: int

    @classmethod
    def of(cls, name: str, content: bytes, level: int = 6) -> Deflated:
        """The part deflated (level 6 is what zipfile uses, so ``rezip``'s bytes can be matched)."""
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        data = compressor.compress(content) + compressor.flush()
        return cls(name.encode("utf-8"), zlib.crc32(content), data, len(content))


# Version 2.0, deflate, 1980-01-01 00:00 for every entry.
_VERSION, _DEFLATE, _DOS_DATE = 20, 8, (1 << 5) | 1
_UTF8_NAMES = 0x800


def write_zip(parts: Iterable[Deflated], *, utf8_names: bool = False, mode: int = 0o600) -> bytes:
    """A zip archive of the parts in this order: the same parts give the same bytes.

    The defaults are what zipfile writes for ``rezip``'s entries (no flags; an entry written with
    no mode gets rw-------), so the workbook's fast path matches ``rezip`` byte for byte.
    """
    flags = _UTF8_NAMES if utf8_names else 0
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = count = 0
    for p in parts:
        fields = (_VERSION, flags, _DEFLATE, 0, _DOS_DATE, p.crc, len(p.data), p.size, len(p.name))
        local = struct.pack("<4s2B4HL2L2H", b"PK\003\004", *_split(fields), 0)
        out += (local, p.name, p.data)
        directory.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\001\002",
                _VERSION,
                0,
                *_split(fields),
                0,
                0,
                0,
                0,
                mode << 16,
                offset,
            )
            + p.name
        )
        offset += len(local) + len(p.name) + len(p.data)
        count += 1
    central = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, count, count, len(central), offset, 0)
    return b"".join(out) + central + end


def _split(fields: tuple[int, ...]) -> tuple[int, ...]:
    """Version needed as zipfile packs it: the version byte, then a zero reserved byte."""
    return (fields[0], 0, *fields[1:])


def document_time(date: dt.date | None, year: int) -> dt.datetime:
    """The time a report's files carry: its 成文日期, else 1 January of the following year."""
    day = date or dt.date(year + 1, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _escape(text: str) -> str:
    """Text content escaped as xml.sax.saxutils.escape does (&, <, >), without the 8 ms
    import of urllib.request and http.client that saxutils brings."""
    return _html_escape(text, quote=False)


def core_xml(*, title: str, creator: str, last_modified_by: str, when: dt.datetime) -> bytes:
    """docProps/core.xml with the given title, creator and created = modified = when."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_escape(title)}</dc:title>"
        f"<dc:creator>{_escape(creator)}</dc:creator>"
        f"<cp:lastModifiedBy>{_escape(last_modified_by)}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()
