"""render_html: a valid, accessible HTML5 page with the national tables' official merges."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports import consistent_reports
from xxgk import labels
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
from xxgk.render.html import render_html

Span = tuple[int, int, int, int]  # first row, last row, first column, last column (inclusive)
VOID = {"meta", "br", "col", "hr", "img", "input", "link", "wbr"}
SCOPES = {"col", "row", "colgroup", "rowgroup"}


def _numbered_report() -> Report:
    """A report where every cell holds a different number, so a misplaced value shows."""
    rows = {
        row.id: ApplicantCounts(cells=tuple(100 * i + c + 1 for c in range(6)))
        for i, row in enumerate(labels.TABLE3_ROWS)
    }
    return Report(
        organ="测试局",
        year=2021,
        table2=Table2(
            regulations=DocumentCounts(issued=1, repealed=2, in_force=3),
            normative_documents=DocumentCounts(issued=4, repealed=5, in_force=6),
            licensing=7,
            punishment=8,
            enforcement=9,
            fees=Decimal("1.2345"),
        ),
        table3=Table3(rows=rows),
        table4=Table4(
            review=ReviewOutcomes(upheld=1, corrected=2, other=3, pending=4),
            direct_suit=ReviewOutcomes(upheld=5, corrected=6, other=7, pending=8),
            suit_after_review=ReviewOutcomes(upheld=9, corrected=10, other=11, pending=12),
        ),
        overview=Overview(
            intro=["引言。"],
            subsections=[Subsection(title="主动公开", paragraphs=["一段。", "二段。"]),
                         Subsection(title="依申请公开", paragraphs=["三段。"])],
        ),
        problems=["问题。"],
        other_matters=["本年度未收取信息处理费。"],
    )


@pytest.fixture(scope="module")
def numbered() -> Report:
    return _numbered_report()


@pytest.fixture(scope="module")
def page(numbered: Report) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(render_html(numbered))


def _table(page: lxml.html.HtmlElement, table_id: str) -> lxml.html.HtmlElement:
    (table,) = page.xpath(f"//table[@id='{table_id}']")
    return table


def _text(element: lxml.html.HtmlElement) -> str:
    return element.text_content()


def grid(table: lxml.html.HtmlElement) -> tuple[dict[Span, lxml.html.HtmlElement], int, int]:
    """Every cell of a table by its span in the expanded grid, and the grid's size.

    Asserts that the cells tile the grid: no overlaps, no holes, every row as wide as the first.
    """
    taken: dict[tuple[int, int], Span] = {}
    cells: dict[Span, lxml.html.HtmlElement] = {}
    for r, tr in enumerate(table.xpath("./thead/tr | ./tbody/tr | ./tr")):
        c = 0
        for cell in tr.xpath("./th | ./td"):
            while (r, c) in taken:
                c += 1
            rows, cols = int(cell.get("rowspan", "1")), int(cell.get("colspan", "1"))
            span = (r, r + rows - 1, c, c + cols - 1)
            for rr in range(r, r + rows):
                for cc in range(c, c + cols):
                    assert (rr, cc) not in taken, f"cells overlap at {(rr, cc)}"
                    taken[(rr, cc)] = span
            cells[span] = cell
            c += cols
    n_rows = max(r for r, _ in taken) + 1
    n_cols = max(c for _, c in taken) + 1
    holes = [(r, c) for r in range(n_rows) for c in range(n_cols) if (r, c) not in taken]
    assert not holes, f"grid has holes at {holes}"
    return cells, n_rows, n_cols


def _assert_spans(cells: dict[Span, lxml.html.HtmlElement], expected: list[tuple[Span, str]],
                  tag: str = "th") -> None:
    for span, label in expected:
        assert span in cells, f"no cell spans {span} ({label})"
        assert _text(cells[span]) == label, span
        assert cells[span].tag == tag, span


# ---------------------------------------------------------------- 表二


def table2_expected() -> list[tuple[Span, str]]:
    """表二 as FORMAT.md draws it: 14 rows × 4 columns, (r0, r1, c0, c1) inclusive."""
    b1, b5, b6, b8 = labels.TABLE2_BLOCKS
    content = labels.TABLE2_CONTENT_HEADING
    cols = labels.TABLE2_DOCUMENT_COLUMNS
    return [
        ((0, 0, 0, 3), b1.item),
        ((1, 1, 0, 0), content), ((1, 1, 1, 1), cols[0]), ((1, 1, 2, 2), cols[1]),
        ((1, 1, 3, 3), cols[2]),
        ((2, 2, 0, 0), b1.rows[0][1]), ((3, 3, 0, 0), b1.rows[1][1]),
        ((4, 4, 0, 3), b5.item),
        ((5, 5, 0, 0), content), ((5, 5, 1, 3), labels.TABLE2_DECISION_COLUMN),
        ((6, 6, 0, 0), b5.rows[0][1]),
        ((7, 7, 0, 3), b6.item),
        ((8, 8, 0, 0), content), ((8, 8, 1, 3), labels.TABLE2_DECISION_COLUMN),
        ((9, 9, 0, 0), b6.rows[0][1]), ((10, 10, 0, 0), b6.rows[1][1]),
        ((11, 11, 0, 3), b8.item),
        ((12, 12, 0, 0), content), ((12, 12, 1, 3), labels.TABLE2_FEE_COLUMN),
        ((13, 13, 0, 0), b8.rows[0][1]),
    ]


def test_table2_merges_and_values(page: lxml.html.HtmlElement) -> None:
    cells, n_rows, n_cols = grid(_table(page, "table2"))
    assert (n_rows, n_cols) == (14, 4)
    _assert_spans(cells, table2_expected())
    values = [
        ((2, 2, 1, 1), "1"), ((2, 2, 2, 2), "2"), ((2, 2, 3, 3), "3"),
        ((3, 3, 1, 1), "4"), ((3, 3, 2, 2), "5"), ((3, 3, 3, 3), "6"),
        ((6, 6, 1, 3), "7"), ((9, 9, 1, 3), "8"), ((10, 10, 1, 3), "9"),
        ((13, 13, 1, 3), "1.2345"),
    ]
    _assert_spans(cells, values, tag="td")
    assert len(cells) == len(table2_expected()) + len(values)


# ---------------------------------------------------------------- 表三


def table3_expected() -> list[tuple[Span, str]]:
    """表三's header and label cells as FORMAT.md draws them: 28 rows × 10 columns."""
    by_row = {r.grid_row: r.label for r in labels.TABLE3_ROWS}
    org = [c.label for c in labels.TABLE3_COLUMNS[1:]]
    groups = [g.label for g in labels.TABLE3_GROUPS]
    expected = [
        ((0, 2, 0, 2), labels.TABLE3_CORNER),
        ((0, 0, 3, 9), labels.TABLE3_APPLICANTS),
        ((1, 2, 3, 3), labels.TABLE3_COLUMNS[0].label),
        ((1, 1, 4, 8), labels.TABLE3_ORGANISATIONS),
        ((1, 2, 9, 9), labels.TABLE3_TOTAL),
        *[((2, 2, 4 + i, 4 + i), label) for i, label in enumerate(org)],
        ((3, 3, 0, 2), labels.TABLE3_NEW),
        ((4, 4, 0, 2), labels.TABLE3_CARRIED_IN),
        ((5, 26, 0, 0), labels.TABLE3_RESULTS),
        ((5, 5, 1, 2), by_row[5]),
        ((6, 6, 1, 2), by_row[6]),
        ((7, 14, 1, 1), groups[0]),
        ((15, 17, 1, 1), groups[1]),
        ((18, 22, 1, 1), groups[2]),
        ((23, 25, 1, 1), groups[3]),
        *[((r, r, 2, 2), by_row[r]) for r in range(7, 26)],
        ((26, 26, 1, 2), labels.TABLE3_RESULTS_TOTAL),
        ((27, 27, 0, 2), labels.TABLE3_CARRIED_OUT),
    ]
    assert len(expected) == 5 + 5 + 2 + 1 + 2 + 4 + 19 + 2
    return expected


def test_table3_merges(page: lxml.html.HtmlElement) -> None:
    cells, n_rows, n_cols = grid(_table(page, "table3"))
    assert (n_rows, n_cols) == (labels.TABLE3_GRID_ROWS, labels.TABLE3_GRID_COLUMNS)
    _assert_spans(cells, table3_expected())
    numbers = {span for span in cells if span[2] >= 3 and span[0] >= 3}
    assert numbers == {(r, r, c, c) for r in range(3, 28) for c in range(3, 10)}
    assert len(cells) == len(table3_expected()) + len(numbers)


def test_table3_values_and_computed_totals(page: lxml.html.HtmlElement, numbered: Report) -> None:
    cells, _, _ = grid(_table(page, "table3"))
    t3 = numbered.table3
    for row in labels.TABLE3_ROWS:
        r = row.grid_row
        shown = [_text(cells[(r, r, c, c)]) for c in range(3, 10)]
        assert shown == [str(v) for v in t3.row(row.id).cells] + [str(t3.row(row.id).total)]
    shown = [_text(cells[(26, 26, c, c)]) for c in range(3, 10)]
    results = [r for r in labels.TABLE3_ROWS if r.part == "三"]
    by_hand = [sum(100 * labels.TABLE3_ROWS.index(r) + c + 1 for r in results) for c in range(6)]
    assert shown == [str(v) for v in by_hand] + [str(sum(by_hand))]
    assert all(cells[(r, r, c, c)].tag == "td" for r in range(3, 28) for c in range(3, 10))


# ---------------------------------------------------------------- 表四


def table4_expected() -> list[tuple[Span, str]]:
    """表四 as FORMAT.md draws it: 4 rows × 15 columns."""
    outcomes = [label for _, label in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    _, direct, after = labels.TABLE4_BLOCKS
    return [
        ((0, 0, 0, 4), labels.TABLE4_REVIEW),
        ((0, 0, 5, 14), labels.TABLE4_LITIGATION),
        *[((1, 2, c, c), label) for c, label in enumerate(outcomes)],
        ((1, 1, 5, 9), direct.label),
        ((1, 1, 10, 14), after.label),
        *[((2, 2, 5 + c, 5 + c), label) for c, label in enumerate(outcomes)],
        *[((2, 2, 10 + c, 10 + c), label) for c, label in enumerate(outcomes)],
    ]


def test_table4_merges_and_values(page: lxml.html.HtmlElement) -> None:
    cells, n_rows, n_cols = grid(_table(page, "table4"))
    assert (n_rows, n_cols) == (4, 15)
    _assert_spans(cells, table4_expected())
    shown = [_text(cells[(3, 3, c, c)]) for c in range(15)]
    assert shown == ["1", "2", "3", "4", "10", "5", "6", "7", "8", "26", "9", "10", "11", "12", "42"]
    assert len(cells) == len(table4_expected()) + 15


def test_blank_cells_are_empty_and_their_totals_too() -> None:
    report = _numbered_report()
    rows = dict(report.table3.rows)
    rows["granted"] = ApplicantCounts(cells=(None, 2, 3, 4, 5, 6))
    blanks = report.model_copy(update={
        "table3": Table3(rows=rows),
        "table2": report.table2.model_copy(update={"fees": None, "licensing": None}),
        "table4": report.table4.model_copy(
            update={"review": ReviewOutcomes(upheld=None, corrected=1, other=0, pending=0)}),
    })
    page = lxml.html.document_fromstring(render_html(blanks))
    t3, _, _ = grid(_table(page, "table3"))
    assert [_text(t3[(5, 5, c, c)]) for c in range(3, 10)] == ["", "2", "3", "4", "5", "6", ""]
    assert _text(t3[(26, 26, 3, 3)]) == ""
    assert _text(t3[(26, 26, 9, 9)]) == ""
    assert _text(t3[(26, 26, 4, 4)]) != ""
    t2, _, _ = grid(_table(page, "table2"))
    assert _text(t2[(6, 6, 1, 3)]) == ""
    assert _text(t2[(13, 13, 1, 3)]) == ""
    t4, _, _ = grid(_table(page, "table4"))
    assert [_text(t4[(3, 3, c, c)]) for c in range(5)] == ["", "1", "0", "0", ""]


# ---------------------------------------------------------------- accessibility


@pytest.mark.parametrize("table_id", ["table2", "table3", "table4"])
def test_caption_and_header_scopes(page: lxml.html.HtmlElement, table_id: str) -> None:
    table = _table(page, table_id)
    (caption,) = table.xpath("./caption")
    assert _text(caption).strip()
    assert table.xpath("./caption") == [table[0]], "caption must be the table's first child"
    headers = table.xpath(".//th")
    assert headers
    assert all(th.get("scope") in SCOPES for th in headers)
    assert all(th.get("scope") in {"col", "colgroup"} for th in table.xpath("./thead//th"))
    assert all(td.text_content() == "" or td.text_content().replace(".", "").isdigit()
               for td in table.xpath(".//td")), "only numbers go in td"
    # The scrolling region is reachable by keyboard and named by the caption.
    wrap = table.getparent()
    assert wrap.get("tabindex") == "0"
    assert wrap.get("role") == "region"
    assert wrap.get("aria-labelledby") == caption.get("id")


def test_captions_name_the_sections(page: lxml.html.HtmlElement) -> None:
    captions = [_text(c) for c in page.xpath("//caption")]
    assert captions == [s.title for s in labels.SECTIONS[1:4]]


# ---------------------------------------------------------------- the page


class _TagBalance(HTMLParser):
    """Checks that every non-void element is closed, in order (a well-formedness test)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unexpected </{tag}>")


def test_page_is_valid_html5(numbered: Report) -> None:
    data = render_html(numbered)
    source = data.decode("utf-8")
    assert source.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    checker = _TagBalance()
    checker.feed(source)
    checker.close()
    assert checker.doctype == "DOCTYPE html"
    assert checker.problems == []
    assert checker.stack == []
    page = lxml.html.document_fromstring(data)
    assert page.get("lang") == "zh-CN"
    assert page.xpath("/html/head/*[1]")[0].get("charset") == "utf-8"
    assert page.xpath("//title/text()") == [numbered.display_title]
    assert len(page.xpath("//h1")) == 1
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert set(page.xpath("//@aria-labelledby")) <= set(ids)
    assert not page.xpath("//script | //link | //img | //iframe | //object")
    external = [v for v in page.xpath("//@src | //@href") if not v.startswith("#")]
    assert external == []
    assert "http" not in "".join(page.xpath("//style/text()"))


def test_headings_and_paragraphs(page: lxml.html.HtmlElement, numbered: Report) -> None:
    assert [_text(h) for h in page.xpath("//h1")] == [numbered.display_title]
    assert [_text(h) for h in page.xpath("//h2")] == [s.heading for s in labels.SECTIONS]
    assert [_text(h) for h in page.xpath("//h3")] == ["（一）主动公开", "（二）依申请公开"]
    sections = page.xpath("//section")
    assert len(sections) == 6
    assert [_text(p) for p in sections[0].xpath("./p")] == ["引言。", "一段。", "二段。", "三段。"]
    assert [_text(p) for p in sections[4].xpath("./p")] == ["问题。"]
    assert [_text(p) for p in sections[5].xpath("./p")] == ["本年度未收取信息处理费。"]
    assert [len(s.xpath(".//table")) for s in sections] == [0, 1, 1, 1, 0, 0]


def test_header_and_signature_when_set(numbered: Report) -> None:
    plain = lxml.html.document_fromstring(render_html(numbered))
    assert not plain.xpath("//header | //footer")
    dated = numbered.model_copy(update={"header": DocumentHeader(
        issuer_mark="测试局文件", doc_number="测〔2022〕1号", date=dt.date(2022, 1, 20))})
    page = lxml.html.document_fromstring(render_html(dated))
    assert [_text(p) for p in page.xpath("//header/p")] == ["测试局文件", "测〔2022〕1号"]
    assert [_text(p) for p in page.xpath("//footer/p")] == ["测试局", "2022年1月20日"]
    assert page.xpath("//header/following-sibling::*[1]")[0].tag == "h1"
    signed = dated.model_copy(update={"header": dated.header.model_copy(
        update={"signer": "某某县测试局", "issuer_mark": None})})
    page = lxml.html.document_fromstring(render_html(signed))
    assert [_text(p) for p in page.xpath("//header/p")] == ["测〔2022〕1号"]
    assert [_text(p) for p in page.xpath("//footer/p")] == ["某某县测试局", "2022年1月20日"]


NASTY = "<script>alert(\"x\")</script>&amp;'"


def test_text_is_escaped(numbered: Report) -> None:
    report = numbered.model_copy(update={
        "organ": NASTY,
        "header": DocumentHeader(issuer_mark=NASTY, doc_number=NASTY, date=dt.date(2022, 1, 2)),
        "overview": Overview(intro=[NASTY], subsections=[Subsection(title=NASTY,
                                                                   paragraphs=[NASTY])]),
        "problems": [NASTY],
        "other_matters": [f"{NASTY}\n第二行"],
    })
    data = render_html(report).decode("utf-8")
    assert "<script" not in data
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;&#x27;" in data
    page = lxml.html.document_fromstring(data)
    assert not page.xpath("//script")
    assert _text(page.xpath("//h1")[0]) == report.display_title
    assert page.xpath("//title/text()") == [report.display_title]
    texts = [_text(p) for p in page.xpath("//p")]
    assert texts.count(NASTY) == 6  # issuer mark, number, intro, sub paragraph, 五, signer
    assert _text(page.xpath("//h3")[0]) == "（一）" + NASTY
    last = page.xpath("//section")[5].xpath("./p")[0]
    assert last.xpath("./br")
    assert _text(last) == NASTY + "第二行"


def test_control_characters_are_dropped(numbered: Report) -> None:
    report = numbered.model_copy(update={"problems": ["甲\x00乙\x0b丙\x85丁\ufffe"]})
    page = lxml.html.document_fromstring(render_html(report))
    assert _text(page.xpath("//section")[4].xpath("./p")[0]) == "甲乙丙丁"


def test_deterministic(numbered: Report) -> None:
    assert render_html(numbered) == render_html(numbered.model_copy(deep=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paragraph=st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co"),
                               blacklist_characters="\ufffe\uffff"),
        min_size=1, max_size=40,
    ),
)
def test_any_paragraph_reads_back(paragraph: str) -> None:
    report = Report(organ="测试局", year=2021, problems=[paragraph])
    page = lxml.html.document_fromstring(render_html(report))
    assert _text(page.xpath("//section")[4].xpath("./p")[0]) == paragraph


@settings(max_examples=15, deadline=None)
@given(report=consistent_reports())
def test_any_consistent_report_tiles_its_grids(report: Report) -> None:
    page = lxml.html.document_fromstring(render_html(report))
    sizes = [grid(_table(page, t))[1:] for t in ("table2", "table3", "table4")]
    assert sizes == [(14, 4), (28, 10), (4, 15)]


# ---------------------------------------------------------------- looking at it


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_example_page_screenshots(example_report: Report, tmp_path: Path) -> None:
    page = tmp_path / "example.html"
    page.write_bytes(render_html(example_report))
    shot = tmp_path / "example.png"
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=1000,3000", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 100_000  # a blank page is a few kB; the example's text and tables are not
