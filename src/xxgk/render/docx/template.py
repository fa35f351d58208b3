"""Report → .docx bytes through a docxtpl template: the project's only docxtpl user.

docxtpl re-reads, re-patches and re-compiles its template on every render. Here a template is
loaded, patched (docxtpl's own ``patch_xml``), checked and compiled once per process and file
version; each report then only renders the compiled Jinja template of the body XML and zips the
parts, with fixed entry order and timestamps, so the same report gives the same bytes.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from xxgk.errors import XxgkError
from xxgk.model import Report
from xxgk.render.clean import clean_text
from xxgk.render.docx import compiled_cache, ooxml
from xxgk.render.docx.context import CONTEXT_KEYS, SIGNATURE_STYLE, build_context
from xxgk.render.docx.inside import refuse_outside
from xxgk.render.docx.limits import COMPILE_FAILURES, BoundedEnvironment, TemplateLimitError
from xxgk.render.docx.limits import render as bounded_render
from xxgk.render.docx.wellformed import always_wellformed
from xxgk.render.zipfix import Deflated, core_xml, document_time, write_zip
from xxgk.zip_limits import check_file_size, open_zip

DEFAULT_TEMPLATE = "report-2021.docx"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
_APP = "docProps/app.xml"
# The parts docxtpl renders besides the body: headers, footers and footnotes.
_EXTRA_PART = re.compile(r"word/(?:header\d*|footer\d*|footnotes)\.xml")
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
# The newline _PARAGRAPH_START put before a paragraph, dropped after rendering: a lookahead and
# an empty replacement, so no template is expanded for each of a report's hundreds of
# paragraphs (half the time of r"\n<w:p([ >])" → r"<w:p\1", the same text).
_PARAGRAPH_LINE = re.compile(r"\n(?=<w:p[ >])")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_XML_TAG = re.compile(r"<[^>]+>")
# docxtpl's escapes for a literal {{ … in a template, applied to the template source (docxtpl
# applies them to the output, where they would also rewrite such text coming from the data).
_LITERALS = {"{_{": "{{ '{{' }}", "}_}": "{{ '}}' }}", "{_%": "{{ '{%' }}", "%_}": "{{ '%}' }}"}
_LISTING_CHARS = ("\t", "\n", "\a", "\f")
_OPEN, _CLOSE = re.compile(r"<w:p(?: [^>]*)?>"), "</w:p>"  # a paragraph, as resolve_listing cuts
_STATEMENT_IN_TABLE = re.compile(r"<w:tbl>(?:(?!</w:tbl>).)*?\{%", re.DOTALL)


@dataclass
class CompiledTemplate:
    """A template ready to render: its parts in zip order and the compiled Jinja sources."""

    name: str
    parts: list[tuple[str, Deflated | None]]  # None: rendered for each report
    document_head: str
    document_tail: str
    body: jinja2.Template
    tables_fixed: bool = True  # no {% … %} inside a table: rows can never change their cells
    body_proven: bool = False  # every rendering of the body is well-formed (wellformed.py)
    codes: dict[str, Any] = field(default_factory=dict)  # Jinja's code objects, for the cache
    extra: dict[str, jinja2.Template] = field(default_factory=dict)


_CACHE: dict[tuple[str, int, int], CompiledTemplate] = {}
_PATCHER = DocxTemplate(io.BytesIO())  # patch_xml and resolve_listing use no template state


def default_template() -> Path:
    """The template shipped in the package (xxgk/data/report-2021.docx)."""
    return Path(str(resources.files("xxgk") / "data" / DEFAULT_TEMPLATE))


def _environment() -> SandboxedEnvironment:
    # Sandboxed: a user's .docx must not run code (docxtpl issue #632); bounded: nor run for
    # ever (limits.py); strict: a misspelt variable is an error, not a blank; autoescape: R&D
    # stays R&D.
    return BoundedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


_ENV = _environment()


def _fail(code: str, name: str, message: str, line: int | None = None) -> XxgkError:
    return XxgkError.single(f"template/{code}", message, file=name, line=line)


# ---------------------------------------------------------------- loading


def load_template(template: str | Path | None = None) -> CompiledTemplate:
    """The compiled template for a path (None = the package's), cached per path and version."""
    path = Path(template) if template is not None else default_template()
    name = str(path)
    try:
        stat = path.stat()
    except OSError:
        raise _fail("missing", name, f"找不到模板文件「{name}」") from None
    if not path.is_file():
        raise _fail("missing", name, f"模板「{name}」不是文件")
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    compiled = _CACHE.get(key)
    if compiled is None:
        check_file_size(path)
        data = path.read_bytes()
        disk_key = compiled_cache.entry_key(data)
        compiled = _from_entry(compiled_cache.load(disk_key), name)
        if compiled is None:
            compiled = _compile(data, name)
            compiled_cache.store(disk_key, _entry(compiled))
        _CACHE[key] = compiled
    return compiled


def _entry(compiled: CompiledTemplate) -> dict[str, Any]:
    """A compiled template as marshal can store it (compiled_cache.py)."""
    return {
        "parts": [
            (part, None if d is None else (d.name, d.crc, d.data, d.size))
            for part, d in compiled.parts
        ],
        "head": compiled.document_head,
        "tail": compiled.document_tail,
        "tables_fixed": compiled.tables_fixed,
        "body_proven": compiled.body_proven,
        "codes": compiled.codes,
    }


def _from_entry(entry: dict[str, Any] | None, name: str) -> CompiledTemplate | None:
    """The template an entry stored, or None when the entry is not one of ours."""
    if entry is None:
        return None
    try:
        codes = dict(entry["codes"])
        return CompiledTemplate(
            name,
            [(str(part), None if d is None else Deflated(*d)) for part, d in entry["parts"]],
            str(entry["head"]),
            str(entry["tail"]),
            _from_code(codes.pop(_DOCUMENT)),
            tables_fixed=bool(entry["tables_fixed"]),
            body_proven=bool(entry["body_proven"]),
            extra={part: _from_code(code) for part, code in codes.items()},
            codes=dict(entry["codes"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _read_zip(data: bytes, name: str) -> list[tuple[str, bytes]]:
    not_docx = f"模板「{name}」不是有效的 Word 文档（.docx）"
    try:
        with open_zip(data, name) as archive:  # limits first: zip bombs, encryption
            parts = [
                (info.filename, archive.read(info))
                for info in archive.infolist()
                if not info.is_dir()
            ]
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise _fail("not-docx", name, f"{not_docx}：无法作为 zip 打开（{exc}）") from None
    found = dict(parts)
    types = found.get("[Content_Types].xml", b"").decode("utf-8", "replace")
    if _DOCUMENT not in found or _MAIN_TYPE not in types:
        raise _fail(
            "not-docx",
            name,
            f"{not_docx}：缺少正文部件 {_DOCUMENT}（.dotx、.docm 请在 Word 中另存为 .docx）",
        )
    refuse_outside(parts, name)
    return parts


def _parse(data: bytes, name: str, part: str) -> etree._Element:
    try:
        return etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        message = f"模板「{name}」的部件 {part} 不是有效的 XML：{exc}"
        raise _fail("not-docx", name, message) from None


def _source(xml: str) -> str:
    """docxtpl's preparation of a part's XML for Jinja: patch_xml, then one paragraph a line."""
    patched = _PATCHER.patch_xml(xml)
    for literal, expression in _LITERALS.items():
        patched = patched.replace(literal, expression)
    return _PARAGRAPH_START.sub(r"\n<w:p\1", patched)


def _paragraph_number(line: int) -> int:
    """The paragraph a source line holds: line 1 is the body's start, then one paragraph a line."""
    return max(line - 1, 1)


def _check_split_tags(source: str, name: str) -> None:
    for match in _TAG.finditer(source):
        if "<w:" in match.group(0) or "</w:" in match.group(0):
            line = _paragraph_number(source.count("\n", 0, match.start()) + 1)
            text = _XML_TAG.sub("", match.group(0))[:60]
            raise _fail(
                "split-tag",
                name,
                f"模板「{name}」第 {line} 段的标签「{text}」跨越了段落或文字格式，"
                "docxtpl 无法识别；请在 Word 中删除整个标签后一次性重新输入"
                "（不要在标签中间改变格式）",
                line,
            )


def _compile_source(source: str, name: str) -> jinja2.Template:
    return _compile_proven(source, name)[0]


def _from_code(code: Any) -> jinja2.Template:
    return _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None), None)


def _compile_proven(source: str, name: str) -> tuple[jinja2.Template, bool, Any]:
    """The compiled template, and whether every rendering of it is well-formed (proven on the
    tree as written, before limits.py wraps its loops)."""
    _check_split_tags(source, name)
    try:
        # Parsed once: the tree serves both the variable check and the compiled template.
        parsed = _ENV.parse(source)
        proven = always_wellformed(source, parsed)
        code = _ENV.compile(parsed)
        template = _from_code(code)
    except jinja2.TemplateSyntaxError as exc:
        lines = source.splitlines()
        text = _XML_TAG.sub("", lines[exc.lineno - 1])[:60] if 0 < exc.lineno <= len(lines) else ""
        line = _paragraph_number(exc.lineno)
        raise _fail(
            "syntax",
            name,
            f"模板「{name}」第 {line} 段有语法错误：{exc.message}（该段文字：「{text}」）",
            line,
        ) from None
    except COMPILE_FAILURES as exc:
        raise _fail(
            "too-complex", name, f"模板「{name}」过于复杂，无法编译（{type(exc).__name__}）"
        ) from None
    unknown = sorted(meta.find_undeclared_variables(parsed) - CONTEXT_KEYS)
    if unknown:
        raise _fail(
            "unknown-variable",
            name,
            f"模板「{name}」使用了未定义的变量：{'、'.join(unknown)}"
            f"（可用的变量：{'、'.join(sorted(CONTEXT_KEYS))}；见 docs/TEMPLATE.md）",
        )
    return template, proven, code


# ECMA-376's sequence of run properties (EG_RPrBase, with CT_ParaRPr's revision marks first and
# rPrChange last). The transitional schema lets them come in any order, Word does not: it
# ignores a property out of order. LibreOffice 7.4 writes w:rFonts after w:szCs in field runs
# (a re-saved template's page numbers lose 宋体 in Word), so templates are put in order once.
_RPR_SEQUENCE = {f"{{{_W}}}{tag}": rank for rank, tag in enumerate((
    "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
    "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
    "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz",
    "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange"))}
_ORDERED_PARTS = re.compile(r"word/(?:document|styles|header\d*|footer\d*|footnotes)\.xml")


def _run_properties_in_order(root: etree._Element) -> bool:
    """Put every w:rPr's children in ECMA-376 order (unknown ones last); True if any moved."""
    moved = False
    last = len(_RPR_SEQUENCE)
    for rpr in root.iter(f"{{{_W}}}rPr"):
        children = [c for c in rpr if isinstance(c.tag, str)]
        ordered = sorted(children, key=lambda c: _RPR_SEQUENCE.get(c.tag, last))
        if ordered != children:
            for child in ordered:
                rpr.append(child)  # appending moves it: the children end in sequence
            moved = True
    return moved


def _ordered_parts(parts: list[tuple[str, bytes]], name: str) -> list[tuple[str, bytes]]:
    out = []
    for part, blob in parts:
        if _ORDERED_PARTS.fullmatch(part):
            root = _parse(blob, name, part)
            if _run_properties_in_order(root):
                blob = etree.tostring(root, encoding="UTF-8", xml_declaration=True,
                                      standalone=True)
        out.append((part, blob))
    return out


def _compile(data: bytes, name: str) -> CompiledTemplate:
    parts = _ordered_parts(_read_zip(data, name), name)
    found = dict(parts)
    root = _parse(found[_DOCUMENT], name, _DOCUMENT)
    body = root.find(f"{{{_W}}}body")
    if body is None:
        raise _fail("not-docx", name, f"模板「{name}」的 {_DOCUMENT} 没有正文（w:body）")
    indents = _indent_signature(body)
    body_xml = etree.tostring(body, encoding="unicode")
    # A marker no template can already hold (a fixed comment could be in the document itself).
    marker = f"xxgk-body-{secrets.token_hex(16)}"
    body.getparent().replace(body, etree.Comment(marker))
    document = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)
    head, tail = document.decode("utf-8").split(f"<!--{marker}-->")
    source = _source(body_xml)
    for placeholder, expression in indents.items():
        source = source.replace(f'"{placeholder}"', f'"{expression}"')
    body_template, proven, body_code = _compile_proven(source, name)
    compiled = CompiledTemplate(
        name,
        [],
        head,
        tail,
        body_template,
        tables_fixed=_STATEMENT_IN_TABLE.search(source) is None,
        body_proven=proven,
        codes={_DOCUMENT: body_code},
    )
    for part, blob in parts:
        if _EXTRA_PART.fullmatch(part):
            source = _source(etree.tostring(_parse(blob, name, part), encoding="unicode"))
            if "{{" in source or "{%" in source or "{#" in source:
                compiled.extra[part], _, compiled.codes[part] = _compile_proven(source, name)
        if part == _APP:
            blob = app_properties()  # the template's own may name another application
        dynamic = part in (_DOCUMENT, _CORE) or part in compiled.extra
        # Static parts are compressed once here; a report only compresses what it changes.
        compiled.parts.append((part, None if dynamic else Deflated.of(part, blob)))
    return compiled


# ---------------------------------------------------------------- rendering


def _render(template: jinja2.Template, context: dict[str, Any], name: str) -> str:
    try:
        xml = bounded_render(template, context)
    except TemplateLimitError as exc:
        message = f"模板「{name}」要求的工作量超出上限：{exc}，已停止渲染"
        raise _fail("too-much", name, message) from None
    except SecurityError as exc:
        raise _fail(
            "unsafe", name, f"模板「{name}」试图访问不安全的属性或方法，已拒绝渲染：{exc}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise _fail(
            "unknown-variable",
            name,
            f"模板「{name}」使用了数据中不存在的内容：{exc}（见 docs/TEMPLATE.md）",
        ) from None
    except Exception as exc:  # a user template's expression may raise anything
        message = f"模板「{name}」渲染失败：{type(exc).__name__}: {exc}"
        raise _fail("render", name, message) from None
    xml = _PARAGRAPH_LINE.sub("", xml)
    if any(char in xml for char in _LISTING_CHARS):
        xml = _resolve_listing(xml)
    return xml


def _listing_positions(xml: str) -> list[int]:
    """Where the rare characters are (str.find: a regex scan of 200 KB costs more than the rest)."""
    positions = []
    for char in _LISTING_CHARS:
        at = xml.find(char)
        while at >= 0:
            positions.append(at)
            at = xml.find(char, at + 1)
    return sorted(positions)


def _resolve_listing(xml: str) -> str:
    """Tabs and line breaks in the data made into runs, exactly as docxtpl's resolve_listing does,
    but only in the paragraphs that hold one (the title's line breaks): docxtpl rewrites every
    run of every paragraph, 40 % of a report's time, to change one.

    resolve_listing cuts the XML into paragraphs left to right (``<w:p …>`` to the first
    ``</w:p>`` after it). The piece holding a character at p starts at the first paragraph start
    after the last ``</w:p>`` before p, and ends at the first ``</w:p>`` after that start; a
    character in no piece is left alone, as there."""
    pieces: list[str] = []
    done = 0
    for at in _listing_positions(xml):
        if at < done:
            continue  # in the piece just resolved
        close = xml.rfind(_CLOSE, done, at)
        opening = _OPEN.search(xml, close + len(_CLOSE) if close >= 0 else done)
        if opening is None or opening.start() > at:
            continue
        end = xml.find(_CLOSE, opening.start())
        if end < 0:
            continue
        end += len(_CLOSE)
        piece = xml[opening.start() : end]
        pieces += [xml[done : opening.start()], _PATCHER.resolve_listing(piece)]
        done = end
    pieces.append(xml[done:])
    return "".join(pieces)


def _checked_body(xml: str, name: str, tables_fixed: bool, proven: bool = False) -> str:
    """The rendered body, parsed strictly (never a broken file), with docxtpl's table fixes.

    ``proven``: the template shows that no rendering can be broken (wellformed.py), so the
    parse is skipped unless the tree is needed anyway (image ids, tables built by loops)."""
    if proven and tables_fixed and "docPr" not in xml:
        return xml
    try:
        tree = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise _fail(
            "broken-xml",
            name,
            f"模板「{name}」渲染后的正文不是有效的 XML（{exc}），"
            "未生成文件；请检查模板中的循环和条件标签是否成对",
        ) from None
    if not tables_fixed and _tables_need_fixing(tree):
        tree = _PATCHER.fix_tables(xml)
        xml = etree.tostring(tree, encoding="unicode")
    if "docPr" in xml:
        for number, element in enumerate(tree.iter("{*}docPr"), start=1001):
            element.set("id", str(number))  # as docxtpl's fix_docpr_ids: no duplicate ids
        xml = etree.tostring(tree, encoding="unicode")
    return xml


# The 署名 and 成文日期 right indents (context.py computes them from the text's width).
_SIGNATURE_INDENTS = ("signer_right", "date_right")


def _indent_signature(body: etree._Element) -> dict[str, str]:
    """Mark the right indents of the first two paragraphs of the signature style (署名, then
    成文日期) in the template's body, to be given by the data when it is compiled.

    The indent is set in the compiled source, never as a tag inside ``w:ind/@w:right`` of the
    template file: a template re-saved in Word, WPS or LibreOffice turns such a tag into 0
    (issue 21), and the schema forbids it. Returns placeholder → Jinja expression."""
    w = f"{{{_W}}}"
    found = [p for p in body.iter(f"{w}p")
             if p.find(f"{w}pPr/{w}pStyle[@{w}val='{SIGNATURE_STYLE}']") is not None]
    expressions: dict[str, str] = {}
    for paragraph, key in zip(found, _SIGNATURE_INDENTS, strict=False):
        indent = ooxml.ppr_child(paragraph.find(f"{w}pPr"), "w:ind")
        kept = indent.get(f"{w}right", "0")
        kept = kept if kept.isdigit() else "0"
        placeholder = f"xxgk-indent-{key}"
        indent.set(f"{w}right", placeholder)
        # Only a report with a 成文日期 prints them; otherwise the template's own indent stays.
        expressions[placeholder] = (
            "{{ signature." + key + " if signature.date else '" + kept + "' }}"
        )
    return expressions


def _tables_need_fixing(tree: etree._Element) -> bool:
    """True when a table's rows cover other than its gridCol count (loops over cells)."""
    w = f"{{{_W}}}"

    def span(cell: etree._Element) -> int:
        grid_span = cell.find(f"{w}tcPr/{w}gridSpan")
        return 1 if grid_span is None else int(grid_span.get(f"{w}val", "1"))

    for table in tree.iter(f"{w}tbl"):
        grid = len(table.findall(f"{w}tblGrid/{w}gridCol"))
        for row in table.iter(f"{w}tr"):
            if sum(span(cell) for cell in row.findall(f"{w}tc")) != grid:
                return True
    return False


def core_properties(report: Report) -> bytes:
    """docProps/core.xml from the data: title, author = organ, dates = 成文日期."""
    organ = clean_text(report.organ)[0]
    return core_xml(
        title=clean_text(report.display_title)[0],
        creator=organ,
        last_modified_by=organ,
        when=document_time(report.header.date, report.year),
    )


def app_properties() -> bytes:
    """docProps/app.xml naming xxgk and its version as the application that wrote the file."""
    try:
        version = metadata.version("xxgk")
    except metadata.PackageNotFoundError:
        version = "0"
    # No AppVersion: Office expects it as NN.NNNN, a Word version, which this is not.
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes"><Application>xxgk {version}</Application><DocSecurity>0</DocSecurity>'
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def zip_parts(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of the parts in the given order with fixed timestamps: same parts, same bytes."""
    return _zip(Deflated.of(name, data) for name, data in parts)


def _zip(entries: Iterable[Deflated]) -> bytes:
    # UTF-8 names and rw-r--r--, as the template's own package has them.
    return write_zip(entries, utf8_names=True, mode=0o644)


def render_docx(report: Report, template: str | Path | None = None) -> bytes:
    """The report as .docx bytes through a template (None = the package's GB/T 9704 one)."""
    compiled = load_template(template)
    context = build_context(report)
    name = compiled.name
    body = _checked_body(
        _render(compiled.body, context, name), name, compiled.tables_fixed, compiled.body_proven
    )
    rendered = {
        _DOCUMENT: (compiled.document_head + body + compiled.document_tail).encode("utf-8"),
        _CORE: core_properties(report),
    }
    for part, extra in compiled.extra.items():
        xml = _render(extra, context, name)
        try:
            etree.fromstring(xml)
        except etree.XMLSyntaxError as exc:
            raise _fail(
                "broken-xml",
                name,
                f"模板「{name}」的 {part} 渲染后不是有效的 XML（{exc}），未生成文件",
            ) from None
        declaration = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        rendered[part] = (declaration + xml).encode("utf-8")
    return _zip(
        entry or Deflated.of(part, rendered[part], level=1) for part, entry in compiled.parts
    )
