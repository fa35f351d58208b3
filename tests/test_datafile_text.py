"""Every character typed reaches the page: text in every text field → data file → report →
.docx, and the paragraphs of the .docx are the lines that were typed."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.docx_dump import part, text, w
from xxgk import labels
from xxgk.inputs import dump_report, parse_report
from xxgk.model import DocumentHeader, Overview, Report, Subsection
from xxgk.render.docx.template import render_docx

# YAML's own punctuation and what editors and input methods put in text; surrogates, control
# characters and non-characters are the renderer's business (dropped with a warning).
SPECIAL = ["#", " #", "# ", ": ", ":", "[", "]", "{", "}", "'", '"', "  ", "  ", "*", "&", "!",
           "|", ">", "- ", "-", "?", "%", "@", "`", "\\", "\\n", ",", "～", "。", "，", "：",
           "\u3000", "\u00a0", "…", "👍", "𠀀", "---", "...", "~", "null", "yes", "010", "0x1F"]
piece = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), max_size=6),
)
one_line = st.lists(piece, min_size=1, max_size=8).map("".join).filter(lambda s: s.strip() != "")
multi_line = st.lists(st.one_of(piece, st.just("\n")), max_size=12).map("".join)


def _lines(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for line in p.splitlines() if (s := line.strip())]


@st.composite
def reports(draw: st.DrawFn) -> Report:
    paragraphs = st.lists(multi_line, max_size=3)
    subsections = [
        Subsection(title=draw(one_line), paragraphs=draw(paragraphs))
        for _ in range(draw(st.integers(0, 3)))
    ]
    return Report(
        organ=draw(one_line),
        year=2025,
        title=draw(st.one_of(st.none(), st.lists(one_line, min_size=1, max_size=2)
                             .map("\n".join))),
        header=DocumentHeader(
            issuer_mark=draw(one_line),
            doc_number=draw(one_line),
            date=dt.date(2026, 1, 20),
            signer=draw(one_line),
        ),
        overview=Overview(intro=draw(paragraphs), subsections=subsections),
        problems=draw(paragraphs),
        other_matters=draw(paragraphs),
    )


def _body_paragraphs(docx: bytes) -> list[str]:
    body = part(docx, "word/document.xml").find(w("body"))
    return [text(p) for p in body if p.tag == w("p")]


def _between(paragraphs: list[str], first: str, last: str | None) -> list[str]:
    start = paragraphs.index(first) + 1
    end = paragraphs.index(last) if last is not None else len(paragraphs)
    return paragraphs[start:end]


@given(reports())
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_typed_text_reaches_the_docx_unchanged(report: Report) -> None:
    back, _ = parse_report(dump_report(report), "typed.yaml")
    assert back.organ == report.organ.strip()
    assert back.title == (
        "\n".join(line.strip() for line in report.title.split("\n")) if report.title else None
    )
    assert back.header == report.header.model_copy(
        update={
            "issuer_mark": report.header.issuer_mark.strip(),  # type: ignore[union-attr]
            "doc_number": report.header.doc_number.strip(),  # type: ignore[union-attr]
            "signer": report.header.signer.strip(),  # type: ignore[union-attr]
        }
    )
    paragraphs = _body_paragraphs(render_docx(back))
    heads = {s.number: s.heading for s in labels.SECTIONS}
    expected_one = _lines(report.overview.intro)
    for i, sub in enumerate(report.overview.subsections):
        expected_one.append(f"{labels.subsection_marker(i)}{sub.title.strip()}")
        expected_one += _lines(sub.paragraphs)
    assert _between(paragraphs, heads["一"], heads["二"]) == expected_one
    five = _between(paragraphs, heads["五"], heads["六"])
    assert five == _lines(report.problems) or (five == ["无"] and not _lines(report.problems))
    six = _between(paragraphs, heads["六"], None)
    assert six[: len(_lines(report.other_matters))] == _lines(report.other_matters)
    for field in (back.header.issuer_mark, back.header.doc_number, back.header.signer):
        assert field in paragraphs


def test_the_literal_block_refuses_exactly_what_yaml_cannot_hold_there() -> None:
    """dump.py's one pattern against the rule it stands for, on every code point: YAML's
    printable set, less its own line breaks (U+0085, U+2028, U+2029) and the BOM."""
    from xxgk.inputs.dump import _UNBLOCKABLE

    def unblockable(code: int) -> bool:
        if code < 0x20:
            return chr(code) not in "\t\n"
        return (0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF
                or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF))

    differ = [hex(c) for c in range(0x110000)
              if (_UNBLOCKABLE.search(chr(c)) is not None) != unblockable(c)]
    assert differ == []
