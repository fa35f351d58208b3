"""The rendered body is parsed only where the template cannot prove it well-formed, and tabs and
line breaks are resolved only in their paragraphs: both must change nothing but the time."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from xxgk.errors import XxgkError
from xxgk.inputs import load
from xxgk.render.docx import template as docx_template
from xxgk.render.docx.template import load_template, render_docx
from xxgk.render.docx.wellformed import always_wellformed

ROOT = Path(__file__).resolve().parents[1]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _proven(body: str) -> bool:
    source = f"<w:body {W}>{body}</w:body>"
    return always_wellformed(source, docx_template._ENV.parse(source))


def test_the_shipped_template_is_proven() -> None:
    compiled = load_template()
    assert compiled.body_proven
    assert compiled.tables_fixed


@pytest.mark.parametrize(
    "body",
    [
        "<w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p>",
        "{% if a %}<w:p/>{% elif b %}<w:p/><w:p/>{% else %}{% endif %}",
        "{% for x in xs %}<w:p><w:r><w:t>{{ x }}</w:t></w:r></w:p>{% endfor %}",
        '<w:p><w:pPr><w:ind w:right="{{ a }}"/></w:pPr></w:p>',
        "{% set n = 3 %}<w:p/>",
    ],
)
def test_whole_elements_between_statements_are_proven(body: str) -> None:
    assert _proven(body)


@pytest.mark.parametrize(
    "body",
    [
        "{% if a %}<w:p>{% endif %}<w:r/></w:p>",  # a branch opens what another closes
        "<w:p>{% if a %}<w:r>{% else %}</w:p><w:p>{% endif %}</w:p>",
        "<w:p><w:r><w:t>{{ a|safe }}</w:t></w:r></w:p>",  # unescaped markup
        "{% autoescape false %}<w:p>{{ a }}</w:p>{% endautoescape %}",
        "<w:p {{ a }}/>",  # an expression where attributes go
        "<w:{{ a }}/>",
        "<w:p><!-- {{ a }} --></w:p>",  # a value with -- would end the comment
        "{% macro m() %}<w:p/>{% endmacro %}{{ m() }}",
        "{% set a %}<w:p>{% endset %}",
    ],
)
def test_anything_else_keeps_the_strict_parse(body: str) -> None:
    assert not _proven(body)


def test_a_template_that_breaks_its_xml_is_still_refused(tmp_path: Path) -> None:
    """Not proven (a condition cuts a paragraph), so the rendering is parsed and refused."""
    shipped = Path(load_template().name).read_bytes()
    with zipfile.ZipFile(io.BytesIO(shipped)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    document = parts["word/document.xml"].decode("utf-8")
    body_end = document.index("</w:body>")
    broken = "<w:p><w:r><w:t>{% if not organ %}x</w:t></w:r></w:p><w:p>{% endif %}</w:p>"
    parts["word/document.xml"] = (document[:body_end] + broken + document[body_end:]).encode()
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert not load_template(path).body_proven
    report = load(ROOT / "inputs" / "example.yaml")
    with pytest.raises(XxgkError) as caught:
        render_docx(report, path)
    assert caught.value.findings[0].code in {"template/broken-xml", "template/syntax"}


_TEXT = st.text(alphabet=st.sampled_from([*"ab<>&\"'\t\n\a\f 中", "\u3000"]), max_size=12)


@given(organ=_TEXT, intro=st.lists(_TEXT, max_size=3))
@settings(max_examples=60, deadline=None)
def test_every_rendering_of_the_proven_template_parses(organ: str, intro: list[str]) -> None:
    """What the proof claims, checked on renderings with XML's special characters in the data."""
    report = load(ROOT / "inputs" / "example.yaml")
    report = report.model_copy(update={
        "organ": organ.strip() or "某镇",
        "overview": report.overview.model_copy(update={"intro": intro}),
    })
    data = render_docx(report)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        etree.fromstring(archive.read("word/document.xml"))


_PIECES = st.sampled_from([
    "<w:p>", '<w:p w:rsidR="1">', "</w:p>", "<w:pPr><w:jc/></w:pPr>", "<w:r>", "</w:r>",
    "<w:rPr><w:b/></w:rPr>", '<w:t xml:space="preserve">', "<w:t>", "</w:t>", "<w:p/>",
    "x", "\n", "\t", "\a", "\f", "<w:txbxContent>", "</w:txbxContent>",
])


@given(st.lists(_PIECES, max_size=40))
@settings(max_examples=400, deadline=None)
def test_listing_resolved_as_docxtpl_does(pieces: list[str]) -> None:
    """Only the paragraphs holding a tab or a break are rewritten, and exactly as docxtpl's
    resolve_listing rewrites the whole text — nested and unclosed paragraphs included."""
    xml = "".join(pieces)
    assert docx_template._resolve_listing(xml) == docx_template._PATCHER.resolve_listing(xml)
