"""The fast workbook path gives exactly the bytes of the openpyxl path, for any report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk import labels
from xxgk.inputs import load
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    DocumentHeader,
    Overview,
    Report,
    ReviewOutcomes,
    Subsection,
    Table2,
    Table3,
    Table4,
)
from xxgk.render.clean import clean_report
from xxgk.render.xlsx import fast as xlsx_fast
from xxgk.render.xlsx.fast import Skeleton, escape, shape
from xxgk.render.xlsx.workbook import _core, render_xlsx, render_xlsx_reference, xxgk_version

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "example.yaml"
SHA = "ab" * 32
HOSTILE = [
    '=HYPERLINK("http://example.com","点我")',
    "-1+2",
    "+SUM(A1:A2)",
    "@cmd",
    "  leading and trailing spaces  ",
    "\u3000全角空格\u3000",
    "tab\tline\nbreak\r\nand CR\r",
    "control\x00\x01\x08\x0b\x1f\ufffe chars",
    "emoji 😀🇨🇳 and 𠀀 (outside the BMP)",
    "<b>&amp; ]]> \"quotes\" 'apos' & < >",
    "",
    " ",
    "#N/A",
    "=",
]


@pytest.fixture(scope="module")
def example() -> Report:
    return load(EXAMPLE)


def fast(report: Report) -> bytes:
    """render_xlsx through a skeleton (built first from another report of the same shape)."""
    cleaned, _ = clean_report(report)
    key = shape(cleaned)
    while key not in xlsx_fast._SKELETONS:  # the skeleton comes with a shape's second report
        render_xlsx(_probe(key), data_sha256=SHA)
    skeleton = xlsx_fast._SKELETONS[key]
    assert skeleton is not None, f"the fast path fell back to openpyxl for shape {key}"
    return render_xlsx(report, data_sha256=SHA)


def _probe(key: tuple[bool, bool]) -> Report:
    has_date, has_text = key
    return Report(
        organ="探针机关", year=2023,
        header=DocumentHeader(date=dt.date(2024, 1, 5) if has_date else None),
        problems=["一段。"] if has_text else [],
    )


def same(report: Report) -> None:
    assert fast(report) == render_xlsx_reference(report, data_sha256=SHA)


def test_example_is_identical(example: Report) -> None:
    same(example)
    assert render_xlsx(example, data_sha256=SHA) == render_xlsx(example, data_sha256=SHA)


def test_numbers_blanks_and_stated_totals(example: Report) -> None:
    rows = {r.id: ApplicantCounts(cells=(i, None, 3, 0, 2**40, i * 7), stated_total=i + 1)
            for i, r in enumerate(labels.TABLE3_ROWS)}
    table3 = Table3(rows=rows, stated_results_total=ApplicantCounts(
        cells=(1, 2, None, 4, 5, 6), stated_total=99))
    table4 = Table4(
        review=ReviewOutcomes(upheld=1, corrected=None, other=3, pending=4, stated_total=11),
        direct_suit=ReviewOutcomes(upheld=5, corrected=6, other=7, pending=8),
        suit_after_review=ReviewOutcomes(upheld=None, corrected=None, other=None, pending=None),
    )
    table2 = Table2(
        regulations=DocumentCounts(issued=3, repealed=None, in_force=12),
        normative_documents=DocumentCounts(issued=None, repealed=1, in_force=2**70),
        licensing=123, punishment=None, enforcement=-4, fees=Decimal("12.3456"),
    )
    report = example.model_copy(update={"table2": table2, "table3": table3, "table4": table4})
    same(report)
    same(report.model_copy(update={"table2": table2.model_copy(update={"fees": None})}))


@pytest.mark.parametrize("date", [None, dt.date(2022, 1, 20), dt.date(1900, 2, 1)])
def test_header_and_fee(example: Report, date: dt.date | None) -> None:
    header = DocumentHeader(issuer_mark="某某人民政府文件", doc_number="永政〔2022〕1号",
                            date=date, signer="=签名")
    table2 = example.table2.model_copy(update={"fees": Decimal("0.0001")})
    same(example.model_copy(update={"header": header, "table2": table2, "title": " 标题 "}))


def test_hostile_text(example: Report) -> None:
    overview = Overview(
        intro=HOSTILE,
        subsections=[Subsection(title=t, paragraphs=HOSTILE[:3]) for t in HOSTILE]
        + [Subsection(title="空分项")],
    )
    same(example.model_copy(update={
        "organ": "R&D <机关> \"&P\" ＆", "overview": overview, "problems": HOSTILE,
        "other_matters": list(reversed(HOSTILE)),
    }))


def test_long_and_many_paragraphs(example: Report) -> None:
    long = "长" * 10_000 + " x" * 30_000  # longer than a cell holds: split over rows
    same(example.model_copy(update={"problems": [long, "短"], "other_matters": [long[:9999]]}))
    many = [f"第{i}段：" + "政府信息公开" * (i % 40) for i in range(300)]
    same(example.model_copy(update={"overview": Overview(intro=many), "problems": many}))


def test_no_text_at_all(example: Report) -> None:
    same(example.model_copy(update={"overview": Overview(), "problems": [], "other_matters": []}))
    header = DocumentHeader(date=dt.date(2022, 3, 1))
    same(example.model_copy(update={"overview": Overview(), "problems": [], "other_matters": [],
                                    "header": header}))


def test_skeleton_does_not_depend_on_its_probe(example: Report) -> None:
    hostile = example.model_copy(update={"organ": "=&<>😀", "problems": HOSTILE * 3,
                                         "year": 1999})
    for probe, report in ((example, hostile), (hostile, example)):
        probe_clean, _ = clean_report(probe)
        skeleton = Skeleton.of(render_xlsx_reference(probe, data_sha256=SHA), probe_clean)
        cleaned, _ = clean_report(report)
        expected = render_xlsx_reference(report, data_sha256=SHA)
        assert skeleton.render(cleaned, data_sha256=SHA, version=xxgk_version(),
                               core=_core(cleaned)) == expected


def test_escape_matches_lxml() -> None:
    from lxml import etree

    text = "".join(chr(c) for c in range(0x20, 0x3000)) + "\t\n\r😀&<>"
    element = etree.Element("t")
    element.text = text
    expected = etree.tostring(element).decode()
    assert f"<t>{escape(text)}</t>".encode("ascii", "xmlcharrefreplace").decode() == expected


counts = st.one_of(st.none(), st.integers(-(2**70), 2**70), st.integers(0, 1000))
texts = st.text(max_size=60)


@st.composite
def random_reports(draw: st.DrawFn) -> Report:
    rows = {r.id: ApplicantCounts(cells=tuple(draw(counts) for _ in range(6)),
                                  stated_total=draw(counts)) for r in labels.TABLE3_ROWS}
    stated = draw(st.one_of(st.none(), st.builds(
        lambda c, t: ApplicantCounts(cells=c, stated_total=t),
        st.tuples(*(counts for _ in range(6))), counts)))
    blocks = {b.id: ReviewOutcomes(upheld=draw(counts), corrected=draw(counts),
                                   other=draw(counts), pending=draw(counts),
                                   stated_total=draw(counts)) for b in labels.TABLE4_BLOCKS}
    table2 = Table2(
        regulations=DocumentCounts(issued=draw(counts), repealed=draw(counts),
                                   in_force=draw(counts)),
        licensing=draw(counts),
        fees=draw(st.one_of(st.none(), st.decimals(0, 10**9, places=4))),
    )
    paragraphs = st.lists(texts, max_size=4)
    overview = Overview(
        intro=draw(paragraphs),
        subsections=draw(st.lists(st.builds(Subsection, title=texts, paragraphs=paragraphs),
                                  max_size=3)),
    )
    header = DocumentHeader(
        issuer_mark=draw(st.one_of(st.none(), texts)),
        doc_number=draw(st.one_of(st.none(), texts)),
        date=draw(st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)))),
        signer=draw(st.one_of(st.none(), texts)),
    )
    return Report(
        organ=draw(st.text(min_size=1, max_size=20)),
        year=draw(st.integers(1900, 2999)),
        format_version=draw(st.sampled_from(labels.FORMAT_VERSIONS)),
        title=draw(st.one_of(st.none(), texts)),
        header=header,
        overview=overview,
        table2=table2,
        table3=Table3(rows=rows, stated_results_total=stated),
        table4=Table4(**blocks),
        problems=draw(paragraphs),
        other_matters=draw(paragraphs),
    )


@given(random_reports())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_reports_are_identical(report: Report) -> None:
    same(report)
