"""render_docx: content, GB/T 9704 layout, the national tables' merges, user templates."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.docx_dump import NS, Region, body_dump, part, regions, text, w, xml_parts
from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.model import ApplicantCounts, DocumentHeader, Report, Subsection
from xxgk.render.docx import default_template, render_docx

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "data" / "golden" / "example-docx.txt"
UPDATE = os.environ.get("XXGK_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def docx(example_report: Report) -> bytes:
    return render_docx(example_report)


@pytest.fixture(scope="module")
def tables(docx: bytes) -> list:
    return part(docx, "word/document.xml").findall(f".//{w('tbl')}")


def _style(docx: bytes, style_id: str):
    styles = part(docx, "word/styles.xml")
    found = styles.find(f"{w('style')}[@{w('styleId')}='{style_id}']")
    assert found is not None, style_id
    return found


def _attr(element, path: str, name: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.get(w(name))


# ---------------------------------------------------------------- content


def test_golden_dump(docx: bytes) -> None:
    dump = body_dump(docx)
    if UPDATE:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(dump, encoding="utf-8")
    assert dump == GOLDEN.read_text(encoding="utf-8"), "set XXGK_UPDATE_GOLDEN=1 to regenerate"


def test_every_paragraph_in_order(docx: bytes, example_report: Report) -> None:
    # The title's line breaks (w:br) read as "\n".
    paragraphs = [p.text.replace("\n", "") for p in Document(io.BytesIO(docx)).paragraphs]
    expected = [
        example_report.display_title,
        labels.SECTIONS[0].heading,
        *example_report.overview.intro,
    ]
    for index, sub in enumerate(example_report.overview.subsections):
        expected += [labels.subsection_marker(index) + sub.title, *sub.paragraphs]
    expected += [s.heading for s in labels.SECTIONS[1:4]]
    expected += [labels.SECTIONS[4].heading, *example_report.problems]
    expected += [labels.SECTIONS[5].heading, *example_report.other_matters]
    found = [p for p in paragraphs if p]
    position = 0
    for wanted in expected:
        assert wanted in found[position:], wanted
        position = found.index(wanted, position) + 1


def test_every_label_and_number(docx: bytes, tables: list) -> None:
    table2, table3, table4 = ([r.text for r in regions(t)] for t in tables)
    for block in labels.TABLE2_BLOCKS:
        assert {block.item, *block.columns, *(lbl for _, lbl in block.rows)} <= set(table2)
    assert {
        labels.TABLE3_CORNER,
        labels.TABLE3_APPLICANTS,
        labels.TABLE3_ORGANISATIONS,
        labels.TABLE3_TOTAL,
        labels.TABLE3_RESULTS,
        labels.TABLE3_RESULTS_TOTAL,
        *labels.TABLE3_COLUMN_LABELS,
        *(r.label for r in labels.TABLE3_ROWS),
        *(g.label for g in labels.TABLE3_GROUPS),
    } <= set(table3)
    assert {
        labels.TABLE4_REVIEW,
        labels.TABLE4_LITIGATION,
        labels.TABLE4_TOTAL,
        *(b.label for b in labels.TABLE4_BLOCKS[1:]),
        *(lbl for _, lbl in labels.TABLE4_OUTCOMES),
    } <= set(table4)
    assert table3.count("0") == 25 * 7  # 24 entered rows and （七）总计, with 总计 column
    assert table4.count("0") == 15
    assert table2.count("0") == 10


def _report(example_report: Report, **changes) -> Report:
    return example_report.model_copy(update=changes)


def test_numbers_totals_blanks_and_fee(example_report: Report) -> None:
    rows = dict(example_report.table3.rows)
    rows["new"] = ApplicantCounts(cells=(5, 1, 0, 0, 2, None))
    rows["granted"] = ApplicantCounts(cells=(3, 1, 0, 0, 1, 0))
    rows["refused.third_party"] = ApplicantCounts(cells=(2, 0, 0, 0, 0, 0))
    table3 = example_report.table3.model_copy(update={"rows": rows})
    table4 = example_report.table4.model_copy(
        update={
            "review": example_report.table4.review.model_copy(update={"upheld": 2, "pending": 1})
        }
    )
    table2 = example_report.table2.model_copy(update={"fees": Decimal("1.2345"), "licensing": None})
    data = render_docx(_report(example_report, table2=table2, table3=table3, table4=table4))
    t2, t3, t4 = (regions(t) for t in part(data, "word/document.xml").iter(w("tbl")))

    def row(regs: list[Region], r: int) -> list[str]:
        return [g.text for g in regs if g.row0 == r and g.col0 >= 3]

    assert row(t3, 3) == ["5", "1", "0", "0", "2", "", ""]  # blank cell, unknown total
    assert row(t3, 5) == ["3", "1", "0", "0", "1", "0", "5"]
    assert row(t3, 10) == ["2", "0", "0", "0", "0", "0", "2"]
    assert row(t3, 26) == ["5", "1", "0", "0", "1", "0", "7"]  # （七）总计 computed
    assert [g.text for g in t4 if g.row0 == 3][:5] == ["2", "0", "0", "1", "3"]
    assert [g.text for g in t2 if g.row0 == 13] == [labels.TABLE2_ROW_LABELS["fees"], "1.2345"]
    assert [g.text for g in t2 if g.row0 == 6] == [labels.TABLE2_ROW_LABELS["licensing"], ""]


def test_red_header_and_signature(example_report: Report) -> None:
    header = DocumentHeader(
        issuer_mark="某某县人民政府文件", doc_number="某政〔2022〕1号", date=dt.date(2022, 1, 20)
    )
    dump = body_dump(render_docx(_report(example_report, header=header)))
    assert "P[ReportIssuerMark] 某某县人民政府文件" in dump
    assert "P[ReportDocNumber] 某政〔2022〕1号\nP[ReportRedRule] " in dump
    assert dump.endswith(
        f"P[ReportSignature] {example_report.organ}\nP[ReportSignature] 2022年1月20日\n"
    )
    signed = header.model_copy(update={"signer": "某某县人民政府办公室", "issuer_mark": None})
    dump = body_dump(render_docx(_report(example_report, header=signed)))
    assert "ReportIssuerMark" not in dump
    assert "ReportRedRule" not in dump
    assert "P[ReportDocNumber] 某政〔2022〕1号" in dump
    assert "P[ReportSignature] 某某县人民政府办公室\n" in dump


def test_no_header_no_signature(docx: bytes, example_report: Report) -> None:
    assert example_report.header.date is None
    dump = body_dump(docx)
    assert "ReportSignature" not in dump
    assert "ReportDocNumber" not in dump


ESCAPES = "R&D <b> {{ x }} {% if %} \"q\" 'a' {_{ }_}"


def test_text_is_never_a_template(example_report: Report) -> None:
    subsection = Subsection(title="标题 & <i>", paragraphs=[ESCAPES, "第二段"])
    overview = example_report.overview.model_copy(update={"subsections": [subsection]})
    report = _report(example_report, overview=overview, problems=[ESCAPES], organ="R&D <机关>")
    paragraphs = [p.text.replace("\n", "")
                  for p in Document(io.BytesIO(render_docx(report))).paragraphs]
    assert paragraphs.count(ESCAPES) == 2
    assert "（一）标题 & <i>" in paragraphs
    assert "R&D <机关>2021年政府信息公开工作年度报告" in paragraphs


def test_characters_xml_cannot_hold_are_dropped(example_report: Report) -> None:
    report = _report(example_report, problems=["甲\x00乙\x0b丙\ufffe"], organ="某\x01镇")
    data = render_docx(report)
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert "甲乙丙" in paragraphs
    assert "<dc:creator>某镇</dc:creator>" in xml_parts(data)["docProps/core.xml"].decode()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_any_text_reads_back(example_report: Report, value: str) -> None:
    value = value.strip() or "x"
    report = _report(example_report, other_matters=[value])
    body = part(render_docx(report), "word/document.xml").find(w("body"))
    texts = [text(p) for p in body.iter(w("p"))]
    assert value in texts


def test_same_input_same_bytes(example_report: Report, docx: bytes) -> None:
    assert render_docx(example_report) == docx
    core = xml_parts(docx)["docProps/core.xml"].decode()
    assert "2022-01-01T00:00:00Z" in core  # no 成文日期: 1 January of the next year
    assert f"<dc:creator>{example_report.organ}</dc:creator>" in core
    dated = _report(example_report, header=DocumentHeader(date=dt.date(2022, 1, 20)))
    assert "2022-01-20T00:00:00Z" in xml_parts(render_docx(dated))["docProps/core.xml"].decode()


def test_package_template_is_the_committed_one() -> None:
    committed = ROOT / "templates" / "report-2021.docx"
    assert default_template().read_bytes() == committed.read_bytes()


# ---------------------------------------------------------------- GB/T 9704 layout


def test_page_setup(docx: bytes) -> None:
    sect = part(docx, "word/document.xml").find(f"{w('body')}/{w('sectPr')}")
    size, margins, grid = sect.find(w("pgSz")), sect.find(w("pgMar")), sect.find(w("docGrid"))
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    assert {k: margins.get(w(k)) for k in ("top", "bottom", "left", "right")} == {
        "top": "2098",
        "bottom": "1984",
        "left": "1587",
        "right": "1474",
    }
    # 22 lines of 579 twips; 28 characters a line come from the body's spacing of −0.25 pt
    # (a lines-only grid: LibreOffice draws the linesAndChars grid as 14 a line).
    assert dict(grid.attrib) == {w("type"): "lines", w("linePitch"): "579"}
    styles = part(docx, "word/styles.xml")
    normal = styles.find(f"{w('style')}[@{w('styleId')}='Normal']")
    assert normal.find(f"{w('rPr')}/{w('spacing')}").get(w("val")) == "-5"
    refs = {r.get(w("type")) for r in sect.findall(w("footerReference"))}
    assert refs == {"default", "even"}
    assert part(docx, "word/settings.xml").find(w("evenAndOddHeaders")) is not None


FONTS = {
    "Normal": ("仿宋_GB2312", 32),
    "ReportTitle": ("方正小标宋简体", 44),
    "ReportHeading1": ("黑体", 32),
    "ReportHeading2": ("楷体_GB2312", 32),
    "ReportPageNumber": ("宋体", 28),
    "ReportTableText": ("仿宋_GB2312", 21),
    "ReportTableLabel": ("仿宋_GB2312", 21),
}


@pytest.mark.parametrize(("style_id", "expected"), FONTS.items())
def test_style_fonts_and_sizes(docx: bytes, style_id: str, expected: tuple[str, int]) -> None:
    style = _style(docx, style_id)
    fonts = style.find("w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == fonts.get(w("ascii")) == expected[0]
    assert fonts.get(w("hint")) == "eastAsia"
    assert _attr(style, "w:rPr/w:sz", "val") == str(expected[1])
    assert _attr(style, "w:pPr/w:widowControl", "val") == "0"


def test_body_paragraph_spacing_and_indent(docx: bytes) -> None:
    for style_id in ("Normal", "ReportHeading1", "ReportHeading2"):
        style = _style(docx, style_id)
        assert _attr(style, "w:pPr/w:spacing", "line") == "579"
        assert _attr(style, "w:pPr/w:spacing", "lineRule") == "exact"
        assert _attr(style, "w:pPr/w:ind", "firstLineChars") == "200"
    title = _style(docx, "ReportTitle")
    assert _attr(title, "w:pPr/w:jc", "val") == "center"
    assert _attr(title, "w:pPr/w:ind", "firstLineChars") == "0"
    assert _attr(_style(docx, "ReportHeading1"), "w:pPr/w:outlineLvl", "val") == "0"
    for style_id in ("ReportTableText", "ReportTableLabel"):
        style = _style(docx, style_id)
        assert _attr(style, "w:pPr/w:spacing", "lineRule") == "auto"
        assert _attr(style, "w:pPr/w:spacing", "line") == "240"
        assert _attr(style, "w:pPr/w:ind", "firstLineChars") == "0"
        assert _attr(style, "w:pPr/w:snapToGrid", "val") == "0"


def test_chinese_language_and_run_fonts(docx: bytes) -> None:
    styles = part(docx, "word/styles.xml")
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(w("eastAsia")) == "zh-CN"
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert defaults.get(w("eastAsiaTheme")) is None
    assert defaults.get(w("eastAsia")) == "仿宋_GB2312"
    declared = {f.get(w("name")): f for f in part(docx, "word/fontTable.xml")}
    for name, _ in FONTS.values():
        assert _attr(declared[name], "w:charset", "val") == "86"  # GB2312, for substitution
    assert _attr(declared["仿宋_GB2312"], "w:altName", "val") == "仿宋"
    body = part(docx, "word/document.xml").find(w("body"))
    runs = [r for r in body.iter(w("r")) if text(r)]
    assert runs
    for run in runs:
        fonts = run.find("w:rPr/w:rFonts", NS)
        assert fonts.get(w("hint")) == "eastAsia"
        assert fonts.get(w("eastAsia")) in {name for name, _ in FONTS.values()}


@pytest.mark.parametrize(
    ("footer_type", "align", "side"), [("default", "right", "right"), ("even", "left", "left")]
)
def test_page_number_footers(docx: bytes, footer_type: str, align: str, side: str) -> None:
    document = part(docx, "word/document.xml")
    rels = part(docx, "word/_rels/document.xml.rels")
    ref = document.find(f".//{w('footerReference')}[@{w('type')}='{footer_type}']")
    r_id = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    target = next(r.get("Target") for r in rels if r.get("Id") == r_id)
    footer = part(docx, f"word/{target}")
    paragraph = footer.find(w("p"))
    assert _attr(paragraph, "w:pPr/w:jc", "val") == align
    assert _attr(paragraph, "w:pPr/w:ind", side) == "280"
    kinds = [c.get(w("fldCharType")) for c in paragraph.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert paragraph.find(".//w:instrText", NS).text.strip() == "PAGE"
    assert text(paragraph) == "\u2014 1 \u2014"
    for fonts in paragraph.iter(w("rFonts")):
        assert {fonts.get(w(s)) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {"宋体"}
    assert {s.get(w("val")) for s in paragraph.iter(w("sz"))} == {"28"}


# ---------------------------------------------------------------- the national tables


def test_table_shapes_fit_the_text_block(tables: list) -> None:
    shapes = []
    for table in tables:
        grid = [int(c.get(w("w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(grid) <= 8844  # 156 mm
        assert _attr(table, "w:tblPr/w:tblLayout", "type") == "fixed"
        assert _attr(table, "w:tblPr/w:tblW", "w") == str(sum(grid))
        borders = table.find("w:tblPr/w:tblBorders", NS)
        assert {b.get(w("val")) for b in borders} == {"single"}
        rows = table.findall(w("tr"))
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
        shapes.append((len(rows), len(grid)))
    assert shapes == [(14, 4), (28, 10), (4, 15)]


def test_table3_header_rows_repeat(tables: list) -> None:
    rows = tables[1].findall(w("tr"))
    assert [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows] == [True] * 3 + [False] * 25


def _merges(table) -> set[tuple[int, int, int, int, str]]:
    return {(g.row0, g.row1, g.col0, g.col1, g.text) for g in regions(table) if g.merged}


def test_table2_merges(tables: list) -> None:
    expected = set()
    starts = (0, 4, 7, 11)
    for start, block in zip(starts, labels.TABLE2_BLOCKS, strict=True):
        expected.add((start, start, 0, 3, block.item))
        if len(block.columns) == 1:
            expected.add((start + 1, start + 1, 1, 3, block.columns[0]))
            for i in range(len(block.rows)):
                expected.add((start + 2 + i, start + 2 + i, 1, 3, "0"))
    assert _merges(tables[0]) == expected


def test_table3_merges(tables: list) -> None:
    orgs = labels.TABLE3_ORGANISATIONS
    refused, unavailable, not_processed, other = labels.TABLE3_GROUPS
    expected = {
        (0, 2, 0, 2, labels.TABLE3_CORNER),
        (0, 0, 3, 9, labels.TABLE3_APPLICANTS),
        (1, 2, 3, 3, labels.TABLE3_COLUMN_LABELS[0]),
        (1, 1, 4, 8, orgs),
        (1, 2, 9, 9, labels.TABLE3_TOTAL),
        (3, 3, 0, 2, labels.TABLE3_NEW),
        (4, 4, 0, 2, labels.TABLE3_CARRIED_IN),
        (5, 26, 0, 0, labels.TABLE3_RESULTS),
        (5, 5, 1, 2, labels.TABLE3_ROW_BY_ID["granted"].label),
        (6, 6, 1, 2, labels.TABLE3_ROW_BY_ID["partial"].label),
        (7, 14, 1, 1, refused.label),
        (15, 17, 1, 1, unavailable.label),
        (18, 22, 1, 1, not_processed.label),
        (23, 25, 1, 1, other.label),
        (26, 26, 1, 2, labels.TABLE3_RESULTS_TOTAL),
        (27, 27, 0, 2, labels.TABLE3_CARRIED_OUT),
    }
    assert _merges(tables[1]) == expected
    xml = tables[1]
    spans = [int(s.get(w("val"))) for s in xml.iter(w("gridSpan"))]
    restarts = [v for v in xml.iter(w("vMerge")) if v.get(w("val")) == "restart"]
    continues = [v for v in xml.iter(w("vMerge")) if v.get(w("val")) is None]
    assert (len(spans), len(restarts), len(continues)) == (11, 8, 40)
    for row in labels.TABLE3_ROWS:  # every sub-item label on its own grid row
        assert any(g.row0 == row.grid_row and g.text == row.label for g in regions(xml))


def test_table4_merges(tables: list) -> None:
    outcome_labels = [lbl for _, lbl in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    expected = {
        (0, 0, 0, 4, labels.TABLE4_REVIEW),
        (0, 0, 5, 14, labels.TABLE4_LITIGATION),
        (1, 1, 5, 9, labels.TABLE4_BLOCKS[1].label),
        (1, 1, 10, 14, labels.TABLE4_BLOCKS[2].label),
    }
    expected |= {(1, 2, c, c, lbl) for c, lbl in enumerate(outcome_labels)}
    assert _merges(tables[2]) == expected
    assert [g.text for g in regions(tables[2]) if g.row0 == 2] == outcome_labels * 2


def test_numbers_centred(tables: list) -> None:
    styles = {
        c.find("w:p/w:pPr/w:pStyle", NS).get(w("val"))
        for t in tables
        for c in t.iter(w("tc"))
        if re.fullmatch(r"\d+", text(c))
    }
    assert styles == {"ReportTableText"}


# ---------------------------------------------------------------- user templates


def _template(tmp_path: Path, *paragraphs: str, name: str = "my.docx") -> Path:
    doc = Document()
    for paragraph in paragraphs:
        doc.add_paragraph(paragraph)
    path = tmp_path / name
    doc.save(str(path))
    return path


def test_user_template_renders(tmp_path: Path, example_report: Report) -> None:
    path = _template(
        tmp_path,
        "{{ title }}",
        "{{ table3.new.total }}/{{ table2.fees }}",
        "{%p for paragraph in problems %}",
        "{{ paragraph }}",
        "{%p endfor %}",
    )
    rendered = Document(io.BytesIO(render_docx(example_report, path)))
    expected = [example_report.display_title, "0/0", *example_report.problems]
    assert [p.text for p in rendered.paragraphs] == expected


def _error(tmp_path: Path, example_report: Report, template: Path) -> XxgkError:
    with pytest.raises(XxgkError) as caught:
        render_docx(example_report, template)
    return caught.value


@pytest.mark.parametrize(
    ("paragraphs", "code", "words"),
    [
        (("正文", "{{ title }", "其他"), "template/syntax", "第 2 段有语法错误"),
        (("{% if title %}没有结束",), "template/syntax", "语法错误"),
        (("{{ titel }}",), "template/unknown-variable", "titel"),
        (("{{ table3.nothing.total }}",), "template/unknown-variable", "nothing"),
        (("{{ ''.__class__.__mro__ }}",), "template/unsafe", "不安全"),
        (("{{ title.__class__.__init__.__globals__ }}",), "template/unsafe", "不安全"),
    ],
)
def test_broken_templates(
    tmp_path: Path, example_report: Report, paragraphs: tuple[str, ...], code: str, words: str
) -> None:
    path = _template(tmp_path, *paragraphs)
    error = _error(tmp_path, example_report, path)
    assert [f.code for f in error.findings] == [code]
    assert words in error.findings[0].message
    assert str(path) in error.findings[0].message
    assert error.findings[0].location.file == str(path)


def test_missing_and_not_docx(tmp_path: Path, example_report: Report) -> None:
    missing = tmp_path / "无.docx"
    error = _error(tmp_path, example_report, missing)
    assert error.findings[0].code == "template/missing"
    assert str(missing) in error.findings[0].message
    text_file = tmp_path / "plain.docx"
    text_file.write_text("不是 Word 文档", encoding="utf-8")
    error = _error(tmp_path, example_report, text_file)
    assert error.findings[0].code == "template/not-docx"
    assert str(text_file) in error.findings[0].message


def test_split_tag(tmp_path: Path, example_report: Report) -> None:
    path = _template(tmp_path, "占位")
    doc = Document(str(path))
    p = doc.paragraphs[0]._p
    run = p.r_lst[0]
    run.t_lst[0].text = "{{ title"
    from docx.oxml import OxmlElement

    field = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.text = " }}"
    field.append(instr)
    p.append(field)
    doc.save(str(path))
    error = _error(tmp_path, example_report, path)
    assert error.findings[0].code == "template/split-tag"
    assert str(path) in error.findings[0].message


def test_changed_template_is_reloaded(tmp_path: Path, example_report: Report) -> None:
    path = _template(tmp_path, "甲{{ year }}")
    first = Document(io.BytesIO(render_docx(example_report, path))).paragraphs[0].text
    _template(tmp_path, "乙乙{{ year }}")
    second = Document(io.BytesIO(render_docx(example_report, path))).paragraphs[0].text
    assert (first, second) == ("甲2021", "乙乙2021")


def test_cell_loops_get_their_grid_fixed(tmp_path: Path, example_report: Report) -> None:
    doc = Document()
    row = doc.add_table(rows=1, cols=3).rows[0]
    for cell, value in zip(
        row.cells, ("{%tc for s in sections %}", "{{ s.number }}", "{%tc endfor %}"), strict=True
    ):
        cell.text = value
    path = tmp_path / "loop.docx"
    doc.save(str(path))
    table = part(render_docx(example_report, path), "word/document.xml").find(f".//{w('tbl')}")
    assert [g.text for g in regions(table)] == [s.number for s in labels.SECTIONS]
    assert len(table.findall("w:tblGrid/w:gridCol", NS)) == len(labels.SECTIONS)


def test_template_compiled_once_per_version(tmp_path: Path) -> None:
    from xxgk.render.docx import load_template

    assert load_template() is load_template(default_template())
    path = _template(tmp_path, "{{ title }}")
    first = load_template(path)
    assert load_template(str(path)) is first
    _template(tmp_path, "{{ organ }}{{ year }}")
    assert load_template(path) is not first


def test_template_doc_names_every_variable(example_report: Report) -> None:
    from xxgk.render.docx.context import build_context

    doc = (ROOT / "docs" / "TEMPLATE.md").read_text(encoding="utf-8")
    context = build_context(example_report)
    for key in context:
        assert f"`{key}" in doc, key
    for row in context["table3"]:
        assert f"`{row}`" in doc, row
    for name in [
        *context["table3"]["new"],
        *context["table4"]["review"],
        *context["table2"]["regulations"],
        *context["table2"],
    ]:
        assert re.search(rf"[`.]{name}[`. ]", doc), name


def test_same_document_as_plain_docxtpl(example_report: Report, docx: bytes) -> None:
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from xxgk.render.docx.context import build_context

    template = DocxTemplate(str(default_template()))
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    template.render(build_context(example_report), jinja_env=env)
    out = io.BytesIO()
    template.save(out)
    plain = out.getvalue()
    assert body_dump(plain) == body_dump(docx)

    def canonical(data: bytes) -> bytes:
        body = part(data, "word/document.xml").find(w("body"))
        return etree.tostring(body, method="c14n")

    assert canonical(plain) == canonical(docx)
    for name in ("word/styles.xml", "word/settings.xml", "word/footer1.xml", "word/footer2.xml"):
        assert etree.tostring(part(plain, name), method="c14n") == etree.tostring(
            part(docx, name), method="c14n"
        ), name


@pytest.mark.parametrize(
    ("signer", "signer_right", "date_right"),
    [
        # 署名 longer than 2022年1月20日 (6.5 characters): 署名右空二字, the date centred under it
        ("晋江市永和镇人民政府", 640, 640 + round(1.75 * 320)),
        # the date longer: the date 右空二字, 署名 moved left to stay centred over it
        ("某某局", 640 + round(1.75 * 320), 640),
    ],
)
def test_signature_follows_gb_t_9704(
    example_report: Report, signer: str, signer_right: int, date_right: int
) -> None:
    header = DocumentHeader(date=dt.date(2022, 1, 20), signer=signer)
    data = render_docx(_report(example_report, header=header))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    tail = xml[xml.rindex(f">{signer}<") - 1500 :]
    indents = re.findall(r'<w:ind w:right="(\d+)"/>', tail)
    assert [int(i) for i in indents[-2:]] == [signer_right, date_right]
