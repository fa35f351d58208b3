"""PDF/A-2b as LibreOffice writes it, made reproducible, and read back.

LibreOffice embeds an sRGB ICC profile as the PDF/A output intent, made afresh by Little CMS at
each export: its header carries the time of the export (and a profile ID hashed over it), so two
exports of one document differ inside a compressed stream, where no same-length patch can reach.
``fixed_output_intent`` rewrites that profile with the date and ID zeroed (both allowed by
ICC.1: an ID of zeros means "not computed") through pikepdf (qpdf), with a static /ID, streams
left as they were and no object streams — ``convert.stabilize`` then sets the dates and /ID from
the data. ``pdfa_identification`` reads what an archive checks: the XMP identification, the
output intent and whether every font is embedded.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

_ICC_DATE = slice(24, 36)  # dateTimeNumber of the profile header
_ICC_ID = slice(84, 100)  # profile ID (MD5)


def _fixed_profile(data: bytes) -> bytes:
    if len(data) < 128:
        return data
    blank = bytearray(data)
    blank[_ICC_DATE] = bytes(12)
    blank[_ICC_ID] = bytes(16)
    return bytes(blank)


def fixed_output_intent(pdf: bytes) -> bytes:
    """The PDF with its output intents' ICC profiles free of the export time (the same bytes
    when it has none)."""
    if b"/OutputIntents" not in pdf:
        return pdf
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        intents = document.Root.get("/OutputIntents")
        if not isinstance(intents, pikepdf.Array):
            return pdf
        for intent in intents:
            profile = intent.get("/DestOutputProfile")
            if not isinstance(profile, pikepdf.Stream):
                continue
            data = profile.read_bytes()
            fixed = _fixed_profile(data)
            if fixed != data:
                profile.write(zlib.compress(fixed, 9), filter=pikepdf.Name.FlateDecode)
        out = io.BytesIO()
        document.save(
            out,
            static_id=True,  # convert.stabilize derives the /ID from the content
            compress_streams=False,  # PDF/A: the XMP metadata stays unfiltered
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
    return out.getvalue()


@dataclass(frozen=True)
class PdfaFacts:
    """What an archive checks in a PDF/A file."""

    part: str | None  # pdfaid:part, "2" for PDF/A-2
    conformance: str | None  # pdfaid:conformance, "B"
    output_intent: str | None  # /S of the first output intent, /GTS_PDFA1
    fonts_not_embedded: tuple[str, ...]
    pages: int

    @property
    def is_pdfa_2b(self) -> bool:
        return (self.part == "2" and (self.conformance or "").upper() == "B"
                and self.output_intent == "/GTS_PDFA1" and not self.fonts_not_embedded)


def pdfa_identification(pdf: bytes) -> PdfaFacts:
    """Read a PDF's PDF/A identification, output intent, font embedding and page count."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        with document.open_metadata() as meta:
            part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
        intents = document.Root.get("/OutputIntents")
        intent = None
        if isinstance(intents, pikepdf.Array) and len(intents):
            intent = str(intents[0].get("/S"))
        missing: list[str] = []
        for page in document.pages:
            fonts = page.resources.get("/Font")
            if not isinstance(fonts, pikepdf.Dictionary):
                continue
            for font in fonts.values():
                if not _embedded(font):
                    missing.append(str(font.get("/BaseFont")))
        return PdfaFacts(part, conformance, intent, tuple(dict.fromkeys(missing)),
                         len(document.pages))


def _embedded(font: object) -> bool:
    import pikepdf

    if not isinstance(font, pikepdf.Dictionary):
        return True
    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True  # glyphs drawn by the PDF itself
    descendants = font.get("/DescendantFonts")
    if isinstance(descendants, pikepdf.Array):
        return all(_embedded(d) for d in descendants)
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
