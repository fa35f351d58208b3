"""Embedded Type 1 fonts made independent of what else LibreOffice converted in the same run.

LibreOffice 7.4 turns the CFF (OpenType) CJK fonts into Type 1 subsets and numbers each subset's
``/UniqueID`` from a counter that runs across every document of one ``soffice`` start, in the
font's clear text and again in its eexec-encrypted private part. The same report converted alone
or as the third of a batch therefore gave different bytes. Every ``/UniqueID`` is rewritten here
to one fixed value of the same length; the eexec cipher is undone and redone around the change.
"""

from __future__ import annotations

import io
import re

import pikepdf

_UNIQUE_ID = re.compile(rb"/UniqueID (\d+)")
# Adobe Type 1 Font Format, 7.2: eexec encryption with r = 55665, c1 = 52845, c2 = 22719.
_EEXEC_KEY, _C1, _C2 = 55665, 52845, 22719


def _decrypt(data: bytes) -> bytes:
    r, out = _EEXEC_KEY, bytearray()
    for cipher in data:
        out.append(cipher ^ (r >> 8))
        r = ((cipher + r) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def _encrypt(data: bytes) -> bytes:
    r, out = _EEXEC_KEY, bytearray()
    for plain in data:
        cipher = plain ^ (r >> 8)
        out.append(cipher)
        r = ((cipher + r) * _C1 + _C2) & 0xFFFF
    return bytes(out)


def _fixed_ids(data: bytes) -> bytes:
    # Same length (1 followed by zeros): nothing else in the font moves.
    return _UNIQUE_ID.sub(lambda m: b"/UniqueID " + b"1".ljust(len(m.group(1)), b"0"), data)


def type1_with_fixed_ids(font: bytes, clear_length: int, encrypted_length: int) -> bytes:
    """A Type 1 font program (clear text, eexec part, trailer) with every /UniqueID fixed."""
    clear = font[:clear_length]
    encrypted = font[clear_length : clear_length + encrypted_length]
    rest = font[clear_length + encrypted_length :]
    private = _decrypt(encrypted)
    fixed = _fixed_ids(private)
    return _fixed_ids(clear) + (encrypted if fixed == private else _encrypt(fixed)) + rest


def canonical_font_ids(pdf: bytes) -> bytes:
    """The PDF with its embedded Type 1 fonts' /UniqueID fixed (unchanged when there are none)."""
    try:
        document = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError:
        return pdf  # not for us to judge: the caller reads it as it came
    changed = False
    with document:
        for obj in document.objects:
            if not isinstance(obj, pikepdf.Stream) or "/Length2" not in obj.stream_dict:
                continue  # only Type 1 font files (FontFile) carry Length1 and Length2
            font = obj.read_bytes()
            fixed = type1_with_fixed_ids(
                font, int(obj.stream_dict.Length1), int(obj.stream_dict.Length2)
            )
            if fixed != font:
                obj.write(fixed)
                changed = True
        if not changed:
            return pdf
        out = io.BytesIO()
        # static_id: qpdf would otherwise mix the clock into /ID (stabilize then derives it).
        document.save(out, static_id=True, compress_streams=True)
    return out.getvalue()
