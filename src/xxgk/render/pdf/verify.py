"""Every character of the .docx is in its PDF: the check that keeps a wrong public PDF unwritten.

LibreOffice has dropped characters at line ends (hanging punctuation in justified lines, see
docs/LIBREOFFICE.md). A missing 。 changes a public document silently, so the build compares the
PDF's text layer with the document's text and refuses the PDF when any character is missing.
The comparison counts characters (whitespace and letter case ignored): the PDF may hold more
(page numbers, headers), never fewer.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterable

from lxml import etree

from xxgk import pdfium

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_PAGE_NUMBER = re.compile(r"[—–-]\s*\d+\s*[—–-]")
_SHOWN = 8  # lost characters named in a message
_ASKED = 64  # lost characters whose fonts fontconfig is asked about (one short call each)


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


# Default-ignorable code points (Unicode's Default_Ignorable_Code_Point, the ones text holds):
# joiners, variation selectors, the soft hyphen, word joiner… They shape what is drawn (👩‍💻 is
# one picture) but are no glyph of their own, so a PDF need not carry them.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def _normal(text: str) -> str:
    # Case aside: LibreOffice prints w:caps text in capitals.
    return _IGNORABLE.sub("", "".join(c for c in text if not c.isspace())).casefold()


def _hidden(run: etree._Element | None) -> bool:
    vanish = None if run is None else run.find(f"{_w('rPr')}/{_w('vanish')}")
    return vanish is not None and vanish.get(_w("val"), "1") not in ("0", "false", "off")


def _in_fallback(element: etree._Element) -> bool:
    """Text of an mc:Fallback repeats its mc:Choice: counted once."""
    return any(a.tag == f"{{{_MC}}}Fallback" for a in element.iterancestors())


def _field_results(root: etree._Element) -> set[etree._Element]:
    """The w:t of field results (page numbers, dates): LibreOffice computes its own."""
    found = {t for simple in root.iter(_w("fldSimple")) for t in simple.iter(_w("t"))}
    states: list[str] = []  # one per open field: "code" until w:separate, then "result"
    for element in root.iter(_w("fldChar"), _w("t")):
        if element.tag == _w("t"):
            if "result" in states:
                found.add(element)
            continue
        kind = element.get(_w("fldCharType"))
        if kind == "begin":
            states.append("code")
        elif kind == "separate" and states:
            states[-1] = "result"
        elif kind == "end" and states:
            states.pop()
    return found


def docx_paragraphs(docx: bytes) -> list[str] | None:
    """The text of every paragraph of the document body (whitespace removed), or None when the
    bytes are no .docx to read. Hidden text, field results and the fallback copy of a text
    box are left out: the PDF need not show them as they are."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, etree.XMLSyntaxError):
        return None
    skipped = _field_results(root)
    paragraphs = []
    for paragraph in root.iter(_w("p")):
        if _in_fallback(paragraph):
            continue
        text = "".join(
            t.text or "" for t in paragraph.iter(_w("t"))
            if t not in skipped and not _hidden(t.getparent())
            # A nested paragraph (text box) is a paragraph of its own.
            and next(t.iterancestors(_w("p"))) is paragraph
        )
        if _normal(text):
            paragraphs.append(_normal(text))
    return paragraphs


def pdf_pages(pdf: bytes) -> list[str] | None:
    """The text of every page without its page number line, or None when it cannot be read."""
    import pypdfium2  # type: ignore[import-untyped]  # no stubs published

    with pdfium.LOCK:  # pdfium is not thread-safe; --jobs verifies from threads
        try:
            document = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError:
            return None
        try:
            pages = []
            for page in document:
                text: str = page.get_textpage().get_text_range()
                lines = [line for line in text.splitlines()
                         if not _PAGE_NUMBER.fullmatch(line.strip())]
                pages.append("\n".join(lines))
            return pages
        finally:
            document.close()


def lost(expected: Iterable[str], printed: Iterable[str]) -> Counter[str]:
    """The characters of ``expected`` that ``printed`` lacks, with how many are missing."""
    return Counter(_normal("".join(expected))) - Counter(_normal("".join(printed)))


def first_broken(paragraphs: list[str], pages: list[str]) -> str | None:
    """The first paragraph whose text the PDF does not print whole (in one piece), if any."""
    printed = _normal("".join(pages))
    return next((p for p in paragraphs if p not in printed), None)


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def _kind(char: str) -> str:
    point = ord(char)
    if 0x20000 <= point <= 0x323AF:
        return "CJK 扩展区汉字"
    if 0x3400 <= point <= 0x4DBF:
        return "CJK 扩展 A 区汉字"
    if 0x1F000 <= point <= 0x1FAFF or 0x2600 <= point <= 0x27BF:
        return "表情符号"
    return "字符"


def without_font(chars: Iterable[str]) -> list[str]:
    """The characters no font of this machine has, as fontconfig (which LibreOffice asks for
    its fallback fonts) says; empty where fontconfig cannot be asked (Windows, macOS)."""
    program = shutil.which("fc-list")
    if program is None:
        return []
    found = []
    for char in chars:
        try:
            answer = subprocess.run([program, f":charset={ord(char):x}", "family"],
                                    capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            return []
        if answer.returncode == 0 and not answer.stdout.strip():
            found.append(char)
    return found


def no_font_message(chars: list[str]) -> str:
    """Which characters cannot be printed here, and which fonts to install for them."""
    named = "、".join(f"“{c}”（{_code_point(c)}，{_kind(c)}）" for c in chars[:_SHOWN])
    kinds = {_kind(c) for c in chars}
    fixes = []
    if any("汉字" in k for k in kinds):
        fixes.append("生僻汉字：Windows 自带「SimSun-ExtB」（宋体-ExtB；没有时在"
                     "“设置→应用→可选功能”中添加“中文补充字体”），"
                     "Debian/Ubuntu 可安装 fonts-hanazono（花园明朝，含扩展区汉字）")
    if "表情符号" in kinds:
        fixes.append("表情符号：Windows 自带 Segoe UI Emoji，"
                     "Debian/Ubuntu 可安装 fonts-noto-color-emoji")
    if not fixes or "字符" in kinds:
        fixes.append("其他字符：安装含有该字符的字体")
    return (
        f"本机没有任何字体含有 {named}，LibreOffice 无法在 PDF 中显示，未写出 PDF。"
        f"请安装含有这些字的字体后重新生成（{'；'.join(fixes)}），"
        "或在数据文件中改用通用规范汉字"
    )


def missing_characters(docx: bytes, pdf: bytes) -> str | None:
    """What the PDF lacks of the .docx, said in Chinese; None when nothing is missing (or either
    file cannot be read: LibreOffice's own error says so)."""
    paragraphs = docx_paragraphs(docx)
    pages = None if paragraphs is None else pdf_pages(pdf)
    if paragraphs is None or pages is None:
        return None
    missing = lost(paragraphs, pages)
    if not missing:
        return None
    unprintable = without_font(list(missing)[:_ASKED])
    if unprintable:
        return no_font_message(unprintable)
    shown = "、".join(f"“{c}”×{n}" if n > 1 else f"“{c}”" for c, n in missing.most_common(_SHOWN))
    more = f"等 {sum(missing.values())} 个字符" if len(missing) > _SHOWN else ""
    where = first_broken(paragraphs, pages)
    near = f"（如“{where[:24]}{'…' if len(where) > 24 else ''}”一段）" if where else ""
    return (
        f"LibreOffice 生成的 PDF 缺少 Word 成稿中的字符：{shown}{more}{near}。"
        "为免发布内容有误的公开文件，未写出 PDF。可不加 --pdf 生成 Word 成稿，"
        "再用 Word 或 WPS 另存为 PDF；并请向 xxgk 维护者报告此问题"
    )
