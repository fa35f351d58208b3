"""What keeps pages and titles right in Word, WPS and LibreOffice: keeps, grid, title, warts."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from tests.docx_dump import NS, part, w
from xxgk.api import load_source
from xxgk.diff import diff_reports
from xxgk.inputs import load
from xxgk.model import Report
from xxgk.render.docx import render_docx
from xxgk.render.pdf.fonts import _decrypt, _encrypt, type1_with_fixed_ids
from xxgk.render.pdf.prepare import for_libreoffice, word_grid
from xxgk.render.printed import amount


@pytest.fixture(scope="module")
def docx(example_report: Report) -> bytes:
    signed = example_report.header.model_copy(update={"date": dt.date(2022, 1, 20)})
    return render_docx(example_report.model_copy(update={"header": signed}))


def _paragraph_keeps(paragraph: etree._Element) -> bool:
    keep = paragraph.find("w:pPr/w:keepNext", NS)
    return keep is not None and keep.get(w("val"), "true") not in ("0", "false", "off")


def _style_keeps(docx: bytes, style_id: str) -> bool:
    styles = part(docx, "word/styles.xml")
    style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
    return style is not None and style.find("w:pPr/w:keepNext", NS) is not None


# ---------------------------------------------------------------- line breaks


def test_one_punctuation_setting_for_word_and_libreoffice(docx: bytes) -> None:
    # w:overflowPunct="1": Word and WPS keep their default (a closing mark may hang), and
    # LibreOffice, which reads the attribute inverted, hangs nothing — hung past the 28th
    # character of a justified line, LibreOffice 7.4 drops the mark from its PDF.
    styles = part(docx, "word/styles.xml")
    for place in ("w:docDefaults/w:pPrDefault/w:pPr", "w:style[@w:styleId='Normal']/w:pPr"):
        punct = styles.find(f"{place}/w:overflowPunct", NS)
        assert punct is not None, place
        assert punct.get(w("val")) == "1", place
    assert {e.get(w("val")) for e in styles.iter(w("overflowPunct"))} == {"1"}
    # Nothing left for the PDF's copy to prepare: LibreOffice gets the filed bytes.
    assert for_libreoffice(docx) == docx


# ---------------------------------------------------------------- page breaks


def test_headings_keep_with_what_follows(docx: bytes) -> None:
    assert _style_keeps(docx, "ReportHeading1")
    assert _style_keeps(docx, "ReportHeading2")


def test_table2_and_table4_keep_every_row_with_the_next(docx: bytes) -> None:
    table2, table3, table4 = part(docx, "word/document.xml").iter(w("tbl"))
    for table in (table2, table4):
        rows = table.findall("w:tr", NS)
        for row in rows:
            assert row.find("w:trPr/w:cantSplit", NS) is not None
            keeps = {_paragraph_keeps(p) for p in row.iter(w("p"))}
            assert keeps == ({False} if row is rows[-1] else {True})
    rows = table3.findall("w:tr", NS)
    headers = [r for r in rows if r.find("w:trPr/w:tblHeader", NS) is not None]
    assert len(headers) == 3, "表三's header repeats on every page it runs over"
    for row in rows:
        assert row.find("w:trPr/w:cantSplit", NS) is not None, "表三 splits only between rows"
        assert {_paragraph_keeps(p) for p in row.iter(w("p"))} == {row in headers}


def test_the_signature_keeps_with_the_last_paragraph(docx: bytes) -> None:
    body = part(docx, "word/document.xml").find("w:body", NS)
    paragraphs = body.findall("w:p", NS)
    last_text = max(i for i, p in enumerate(paragraphs) if "".join(p.itertext()) == "无")
    # 六's last paragraph, the blank line and the 署名 keep with the next; the date ends it.
    assert [_paragraph_keeps(p) for p in paragraphs[last_text:]] == [True, True, True, False]


def test_only_the_last_of_several_paragraphs_keeps(example_report: Report) -> None:
    report = example_report.model_copy(update={"other_matters": ["甲", "乙", "丙"]})
    body = part(render_docx(report), "word/document.xml").find("w:body", NS)
    keeps = {"".join(p.itertext()): _paragraph_keeps(p) for p in body.findall("w:p", NS)}
    assert [keeps["甲"], keeps["乙"], keeps["丙"]] == [False, False, True]


# ---------------------------------------------------------------- title


def _title(docx: bytes) -> etree._Element:
    body = part(docx, "word/document.xml").find("w:body", NS)
    return next(p for p in body.findall("w:p", NS)
                if p.find("w:pPr/w:pStyle[@w:val='ReportTitle']", NS) is not None)


def _title_lines(paragraph: etree._Element) -> list[str]:
    lines = [""]
    for element in paragraph.iter(w("t"), w("br")):
        if element.tag == w("br"):
            lines.append("")
        else:
            lines[-1] += element.text or ""
    return lines


def test_title_is_broken_explicitly_and_off_the_grid(docx: bytes) -> None:
    assert _title_lines(_title(docx)) == ["晋江市永和镇2021年", "政府信息公开工作年度报告"]
    styles = part(docx, "word/styles.xml")
    style = styles.find("w:style[@w:styleId='ReportTitle']", NS)
    assert style.find("w:pPr/w:snapToGrid", NS).get(w("val")) == "0"


def test_a_clerks_title_break_is_kept(example_report: Report) -> None:
    report = example_report.model_copy(update={"title": "晋江市永和镇2021年政府信息公开\n工作年度报告"})
    data = render_docx(report)
    assert _title_lines(_title(data)) == ["晋江市永和镇2021年政府信息公开", "工作年度报告"]
    core = part(data, "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == (
        "晋江市永和镇2021年政府信息公开工作年度报告")


def test_a_short_title_stays_on_one_line(example_report: Report) -> None:
    report = example_report.model_copy(update={"organ": "教育部"})
    assert _title_lines(_title(render_docx(report))) == ["教育部2021年政府信息公开工作年度报告"]


# ---------------------------------------------------------------- warts


def test_app_properties_name_xxgk(docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        app = archive.read("docProps/app.xml").decode("utf-8")
    assert "Microsoft" not in app
    assert "<Application>xxgk " in app
    etree.fromstring(app.encode())


def test_compatibility_mode_15(docx: bytes) -> None:
    settings = part(docx, "word/settings.xml")
    modes = [s.get(w("val")) for s in settings.iterfind("w:compat/w:compatSetting", NS)
             if s.get(w("name")) == "compatibilityMode"]
    assert modes == ["15"]


@pytest.mark.parametrize(("value", "printed"), [
    ("0", "0"), ("-0", "0"), ("0.0000", "0"), ("-0.00", "0"), ("1.2000", "1.2"),
    ("1.2345", "1.2345"), ("1E+2", "100"), ("100", "100"), ("1E-4", "0.0001"),
    ("12345.6789", "12345.6789"),
])
def test_fee_printed_by_one_rule(value: str, printed: str) -> None:
    assert amount(Decimal(value)) == printed
    assert amount(None) == ""


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False,
                   allow_infinity=False))
def test_fee_never_in_exponent_form_nor_minus_zero(value: Decimal) -> None:
    text = amount(value)
    assert "E" not in text.upper()
    assert text != "-0"
    assert Decimal(text) == value
    assert not ("." in text and text.endswith("0"))
    assert not text.endswith(".")


def test_fee_is_the_same_in_word_and_on_the_web(example_report: Report) -> None:
    from xxgk.render.html import render_html

    table2 = example_report.table2.model_copy(update={"fees": Decimal("0.5000")})
    report = example_report.model_copy(update={"table2": table2})
    document = part(render_docx(report), "word/document.xml")
    assert "0.5" in "".join(document.itertext())
    assert "0.5000" not in "".join(document.itertext())
    html = render_html(report).decode("utf-8")
    assert ">0.5<" in html
    assert "0.5000" not in html


# ---------------------------------------------------------------- the copy for LibreOffice


def test_word_grid_of_the_national_settings() -> None:
    grid = word_grid(11906 - 1587 - 1474, 16, -849)
    assert grid.chars_per_line == 28
    # −0.25 pt: 28 characters of 15.75 pt fit the 442.25 pt line, 29 do not.
    assert grid.spacing_twentieths == -5
    assert 28 * (16 + grid.spacing_twentieths / 20) <= grid.text_width_pt
    assert 29 * (16 + grid.spacing_twentieths / 20) > grid.text_width_pt


def _with_national_grid(docx: bytes) -> bytes:
    """Our report as a template with GB/T 9704's own character grid would make it (a clerk's
    own template): ``linesAndChars`` with charSpace −849, no character spacing, hanging off."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b'<w:docGrid w:type="lines" w:linePitch="579"/>',
                                    b'<w:docGrid w:type="linesAndChars" w:linePitch="579" '
                                    b'w:charSpace="-849"/>')
            elif info.filename == "word/styles.xml":
                data = data.replace(b'<w:spacing w:val="-5"/>', b"").replace(
                    b'<w:overflowPunct w:val="1"/>', b'<w:overflowPunct w:val="0"/>')
            target.writestr(info, data)
    return out.getvalue()


def test_prepared_copy_for_libreoffice(docx: bytes) -> None:
    national = _with_national_grid(docx)
    prepared = for_libreoffice(national)
    grid = part(prepared, "word/document.xml").find(".//w:sectPr/w:docGrid", NS)
    assert grid.get(w("type")) == "lines"
    assert grid.get(w("linePitch")) == "579"
    assert grid.get(w("charSpace")) is None
    styles = part(prepared, "word/styles.xml")

    def spacing(style_id: str) -> str | None:
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        found = style.find("w:rPr/w:spacing", NS)
        return None if found is None else found.get(w("val"))

    assert spacing("Normal") == "-5"  # body and headings inherit it
    assert spacing("ReportHeading1") is None
    for off_grid in ("ReportTitle", "ReportTableText", "ReportTableLabel", "ReportPageNumber"):
        assert spacing(off_grid) == "0", off_grid
    assert {e.get(w("val")) for e in styles.iter(w("overflowPunct"))} == {"1"}
    # The template's document keeps its own grid.
    original = part(national, "word/document.xml").find(".//w:sectPr/w:docGrid", NS)
    assert (original.get(w("type")), original.get(w("charSpace"))) == ("linesAndChars", "-849")
    assert for_libreoffice(prepared) == prepared, "a copy without a character grid is left alone"
    # Our own template needs no copy: its grid and spacing are the prepared copy's.
    ours = part(docx, "word/styles.xml")
    normal = ours.find("w:style[@w:styleId='Normal']", NS)
    assert normal.find("w:rPr/w:spacing", NS).get(w("val")) == "-5"


def test_prepared_copy_leaves_what_is_no_docx_alone() -> None:
    assert for_libreoffice(b"PK not a zip") == b"PK not a zip"


# ---------------------------------------------------------------- fonts of a batch


def test_type1_unique_ids_are_fixed_in_both_parts() -> None:
    clear = b"%!FontType1-1.0: X\n/UniqueID 4100005 def\ncurrentfile eexec\n"
    private = b"\x00\x01\x02\x03dup /Private 8 dict dup begin /UniqueID 4100005 def end"
    font = clear + _encrypt(private) + b"0000\ncleartomark\n"
    fixed = type1_with_fixed_ids(font, len(clear), len(private))
    assert len(fixed) == len(font)
    assert b"/UniqueID 1000000 def" in fixed[: len(clear)]
    assert b"/UniqueID 1000000 def" in _decrypt(fixed[len(clear): len(clear) + len(private)])
    assert fixed.endswith(b"0000\ncleartomark\n")
    other = font.replace(b"4100005", b"4100009")
    assert type1_with_fixed_ids(other.replace(
        _encrypt(private), _encrypt(private.replace(b"4100005", b"4100009"))),
        len(clear), len(private)) == fixed


@pytest.mark.parametrize(("mark", "half_points"), [
    ("晋江市永和镇人民政府文件", "72"),  # 12 characters of 36 pt fit the 442 pt line
    ("利川市人力资源和社会保障局文件", "56"),  # 15 would not: the next size down, 28 pt
    ("湖北省恩施土家族苗族自治州人民政府文件", "44"),  # 19: 22 pt
])
def test_issuer_mark_fits_one_line(example_report: Report, mark: str, half_points: str) -> None:
    header = example_report.header.model_copy(update={"issuer_mark": mark})
    data = render_docx(example_report.model_copy(update={"header": header}))
    body = part(data, "word/document.xml").find("w:body", NS)
    issuers = [p for p in body.findall("w:p", NS)
               if p.find("w:pPr/w:pStyle[@w:val='ReportIssuerMark']", NS) is not None]
    assert len(issuers) == 1
    assert "".join(issuers[0].itertext()) == mark
    size = issuers[0].find("w:r/w:rPr/w:sz", NS)  # none: the style's 36 pt
    assert ("72" if size is None else size.get(w("val"))) == half_points
    assert len(mark) * int(half_points) / 2 <= 442


def test_a_line_break_inside_the_data_files_title_forces_the_break(
    example_path: Path, tmp_path: Path
) -> None:
    # The clerk's way to choose the break: a line break inside 标题 (here a literal block).
    text = example_path.read_text(encoding="utf-8")
    year_line = next(line for line in text.splitlines() if line.startswith("年度:"))
    forced = text.replace(year_line, year_line + "\n标题: |\n  晋江市永和镇\n  2021年政府信息公开工作年度报告")
    path = tmp_path / "forced.yaml"
    path.write_text(forced, encoding="utf-8")
    report = load(path)
    docx = render_docx(report)
    assert _title_lines(_title(docx)) == ["晋江市永和镇", "2021年政府信息公开工作年度报告"]
    # The break is where the title breaks, not part of its text: everywhere else one line, and
    # the filed .docx read back differs in nothing.
    assert report.display_title == "晋江市永和镇2021年政府信息公开工作年度报告"
    filed = tmp_path / "filed.docx"
    filed.write_bytes(docx)
    assert diff_reports(report, load_source(filed)[0]) == []
