"""The build's check that a PDF holds every character of its .docx (no LibreOffice needed)."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from xxgk.render.pdf.verify import docx_paragraphs, lost, missing_characters, pdf_pages

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
BODY = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:mc="{MC}"><w:body>
<w:p><w:r><w:t>推动档案查阅电子化、</w:t></w:r><w:r><w:t xml:space="preserve">便捷化。 </w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r><w:r><w:t>规范</w:t></w:r></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:p><w:r><w:t>文本框</w:t></w:r></w:p>
</mc:Choice><mc:Fallback><w:p><w:r><w:t>文本框</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent>
</w:r><w:r><w:t>外</w:t></w:r></w:p>
<w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>
<w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r>
<w:fldSimple w:instr="DATE"><w:r><w:t>2022-01-20</w:t></w:r></w:fldSimple></w:p>
<w:p/></w:body></w:document>"""


def _docx(document: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", document.encode())
    return out.getvalue()


def test_paragraphs_are_read_without_hidden_text_fields_or_fallbacks() -> None:
    assert docx_paragraphs(_docx(BODY)) == ["推动档案查阅电子化、便捷化。", "规范", "外", "文本框", "第页"]


def test_what_cannot_be_read_is_not_judged() -> None:
    assert docx_paragraphs(b"PK fake docx") is None
    assert pdf_pages(b"%PDF-fake ok") is None
    assert missing_characters(b"PK fake docx", b"%PDF-fake ok") is None
    assert missing_characters(_docx(BODY), b"%PDF-fake ok") is None


@given(st.lists(st.text("政府信息公开。，、；：“”（）《》2021ab", min_size=1), min_size=1),
       st.data())
def test_a_removed_character_is_lost_and_nothing_else(paragraphs: list[str],
                                                      data: st.DataObject) -> None:
    printed = "\n".join(paragraphs) + "— 1 —"
    assert lost(paragraphs, [printed]) == {}
    text = "".join(paragraphs)
    at = data.draw(st.integers(0, len(text) - 1))
    assert lost(paragraphs, [text[:at] + text[at + 1:]]) == {text[at]: 1}
