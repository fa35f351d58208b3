"""A user's template stays inside its own package: nothing it renders reaches outside.

LibreOffice fetches a linked image (``TargetMode="External"``, a ``file://`` or ``http://``
target, an INCLUDEPICTURE field) while converting to PDF, and would publish whatever file or page
it names; a zip member that is not one of the package's parts (``../../x``, an absolute path, a
file no content type describes) would be copied into every filed .docx. Both are refused, naming
them. A hyperlink to a web page or mail address stays allowed: it is only shown, never fetched.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from xxgk.errors import XxgkError

_TYPES = "[Content_Types].xml"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_SHOWN_ONLY = re.compile(r"(?:https?|mailto):", re.IGNORECASE)
# Field codes that make Word or LibreOffice load another file or page into the document.
_FETCHING_FIELD = re.compile(rb"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b")
_FIELD_TEXT = re.compile(rb"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _refuse(code: str, name: str, message: str) -> XxgkError:
    return XxgkError.single(f"template/{code}", message, name)


def refuse_outside(parts: list[tuple[str, bytes]], name: str) -> None:
    """XxgkError naming what reaches outside the package: stray members, external links."""
    found = dict(parts)
    _refuse_stray_members(found, name)
    for part, data in parts:
        if part.endswith(".rels"):
            _refuse_external(part, data, name)
        elif part.endswith(".xml") and b"instr" in data:
            _refuse_fetching_fields(part, data, name)


def _content_types(found: dict[str, bytes], name: str) -> tuple[set[str], set[str]]:
    try:
        root = etree.fromstring(found.get(_TYPES, b""), _PARSER)
    except etree.XMLSyntaxError:
        raise _refuse("not-docx", name, f"模板「{name}」的 {_TYPES} 不是有效的 XML") from None
    defaults = {e.get("Extension", "").lower() for e in root.iter(f"{_CT}Default")}
    overrides = {e.get("PartName", "").lstrip("/") for e in root.iter(f"{_CT}Override")}
    return defaults, overrides


def _refuse_stray_members(found: dict[str, bytes], name: str) -> None:
    defaults, overrides = _content_types(found, name)
    stray = []
    for member in found:
        normal = posixpath.normpath(member)
        outside = member.startswith("/") or "\\" in member or normal != member or ".." in member
        extension = member.rsplit(".", 1)[-1].lower() if "." in member.rsplit("/", 1)[-1] else ""
        typed = member == _TYPES or member in overrides or extension in defaults
        if outside or not typed:
            stray.append(member)
    if stray:
        listed = "、".join(f"「{m}」" for m in stray[:5]) + ("等" if len(stray) > 5 else "")
        raise _refuse(
            "stray-member",
            name,
            f"模板「{name}」含有不属于 Word 文档的成员 {listed}（路径在包外，或没有登记内容类型），"
            "它们会被复制进生成的文件，已拒绝；请在 Word 中打开模板并另存为新的 .docx",
        )


def _refuse_external(part: str, data: bytes, name: str) -> None:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise _refuse("not-docx", name, f"模板「{name}」的部件 {part} 不是有效的 XML") from None
    for rel in root.iter(_REL):
        target = rel.get("Target", "")
        external = rel.get("TargetMode", "") == "External" or "://" in target
        shown_only = rel.get("Type") == _HYPERLINK and _SHOWN_ONLY.match(target)
        if external and not shown_only:
            kind = rel.get("Type", "").rsplit("/", 1)[-1] or "未知"
            raise _refuse(
                "external-link",
                name,
                f"模板「{name}」的 {part} 引用了包外的资源「{target}」（类型：{kind}），"
                "生成 PDF 时会被读取并发布，已拒绝；请在 Word 中把链接的图片改为嵌入"
                "（插入 → 图片 → 插入，而不是“链接到文件”），或删除附加的模板后另存",
            )


def _refuse_fetching_fields(part: str, data: bytes, name: str) -> None:
    # Word splits a field's code over runs at will: read the codes of a part joined up.
    codes = [m.group(1) or m.group(2) or b"" for m in _FIELD_TEXT.finditer(data)]
    instruction = b"".join(codes)
    field = _FETCHING_FIELD.search(instruction.upper())
    if field:
        start = max(field.start() - 20, 0)
        shown = instruction[start : field.end() + 60].decode("utf-8", "replace").strip()
        raise _refuse(
            "external-link",
            name,
            f"模板「{name}」的 {part} 含有读取外部文件的域代码 {field.group(1).decode()}"
            f"（{shown}），已拒绝；请删除该域后另存",
        )
