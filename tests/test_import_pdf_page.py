"""The PDF importer reads the page as a reader sees it (issue 18 item 1, issue 19 items 2 and 6).

The golden test reads a real WPS-made PDF (tests/data/real/hongze-2023.pdf: a two-line title,
表二 as four small tables over two pages, 表三 over a page break, （六） printed as one row, a 表四
that does not add up) against its hand transcription. The hostile PDFs are that same file with a
digit added beside a printed number in each way a reader does not see it; the bounds tests are
small files that draw far more than any report page.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.checks import check
from xxgk.errors import XxgkError
from xxgk.importers import import_source
from xxgk.importers.pdf_bounds import MAX_PAGE_CHARS

REAL = Path(__file__).parent / "data" / "real"
HONGZE = REAL / "hongze-2023.pdf"
TRUTH = json.loads((REAL / "hongze-2023.truth.json").read_text("utf-8"))
# 表二's 行政许可 550 on page 2: its last digit ends at x 383.159, baseline y 122.958 (PDF space).
LICENSING_END, LICENSING_BASELINE = 383.159, 122.958


def _cells(report: object) -> dict[str, object]:
    from tests.test_import_real import accuracy

    return accuracy.report_cells(report)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def hongze() -> object:
    return import_source(HONGZE)


def test_every_printed_number_of_the_real_wps_pdf_is_exact(hongze: object) -> None:
    from tests.test_import_real import accuracy

    want = accuracy.truth_cells(TRUTH)
    got = _cells(hongze.report)  # type: ignore[attr-defined]
    assert {k: got.get(k) for k in want} == want


def test_the_two_line_title_gives_organ_and_year(hongze: object) -> None:
    report = hongze.report  # type: ignore[attr-defined]
    assert report.organ in ("洪泽区人民政府", "淮安市洪泽区人民政府")
    assert report.year == 2023
    assert report.format_version == "2021"


def test_other_handling_as_one_row_is_a_checked_total_with_blank_sub_rows(hongze: object) -> None:
    result = hongze
    rows = result.report.table3.rows  # type: ignore[attr-defined]
    for row_id in ("other_handling.no_correction", "other_handling.fee_unpaid"):
        assert rows[row_id].cells == (None,) * 6
    assert rows["other_handling.other"].cells == (None,) * 6
    [finding] = [f for f in result.findings if f.code == "import/single-other-handling"]  # type: ignore[attr-defined]
    assert "印成一行" in finding.message
    assert "0、0、0、0、0、0、0" in finding.message
    assert "与（七）总计核对相符" in finding.message
    assert not any(f.code == "import/no-counterpart" for f in result.findings)  # type: ignore[attr-defined]


def test_check_of_the_import_reports_the_table4_totals_that_do_not_add_up(hongze: object) -> None:
    found = {
        f.location.parts[:2]
        for f in check(hongze.report)  # type: ignore[attr-defined]
        if f.code == "t4/stated-total"
    }
    assert found == {("表四", "行政复议"), ("表四", "行政诉讼")}
    report_errors = {f.code for f in check(hongze.report) if f.is_error}  # type: ignore[attr-defined]
    assert "t3/stated-total" not in report_errors
    assert "t3/balance" not in report_errors


def test_sections_and_narrative_of_the_real_pdf(hongze: object) -> None:
    report = hongze.report  # type: ignore[attr-defined]
    assert report.overview.intro[0].startswith("2023年，洪泽区人民政府坚持")
    assert len(report.overview.subsections) == 5
    assert report.problems[0].startswith("2023年，洪泽区政府信息公开工作取得一定的成效")
    assert report.other_matters == [
        "2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。"
    ]
    assert not any(f.code == "import/missing-section" for f in hongze.findings)  # type: ignore[attr-defined]


def test_the_file_creation_date_is_the_publication_date_with_a_finding(hongze: object) -> None:
    assert hongze.report.published == dt.date(2024, 2, 26)  # type: ignore[attr-defined]
    [finding] = [f for f in hongze.findings if f.code == "import/published-from-file-date"]  # type: ignore[attr-defined]
    assert "创建日期 2024-02-26" in finding.message


def test_a_label_typo_is_matched_only_with_certainty(hongze: object) -> None:
    typo = [f for f in hongze.findings if f.code == "import/fuzzy-label"]  # type: ignore[attr-defined]
    assert [f.message for f in typo] == [
        "行标签「2.其他法律行政止公开」与标准不同，按「2.其他法律行政法规禁止公开」导入"
    ]


# ------------------------------------------------------------------ hostile PDFs


def _with_drawing(tmp_path: Path, operators: str, page: int = 1) -> Path:
    """The real PDF with ``operators`` drawn last on ``page`` (font /Fx: Helvetica)."""
    out = tmp_path / "hostile.pdf"
    with pikepdf.open(HONGZE) as pdf:
        target = pdf.pages[page]
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        target.add_resource(pdf.make_indirect(font), pikepdf.Name.Font, pikepdf.Name("/Fx"))
        target.contents_add(pdf.make_stream(operators.encode("latin-1")), prepend=False)
        pdf.save(out)
    return out


def _digit_after_550(colour: str = "0 g", mode: int = 0) -> str:
    # Helvetica at 15 points: its character box lines up with the 12-point Times digits' box.
    x, y = LICENSING_END + 0.3, LICENSING_BASELINE
    return f"q {colour} BT {mode} Tr /Fx 15 Tf {x} {y} Td (7) Tj ET Q"


def test_the_hostile_harness_can_change_a_number(tmp_path: Path) -> None:
    # A visible 7 after 550 is read: the test below would notice a hidden one read alike.
    report = import_source(_with_drawing(tmp_path, _digit_after_550())).report
    assert report.table2.licensing == 5507


@pytest.mark.parametrize(
    ("how", "operators"),
    [
        ("white on white", _digit_after_550("1 g")),
        ("white in RGB", _digit_after_550("1 1 1 rg")),
        ("render mode 3", _digit_after_550(mode=3)),
        ("render mode 7", _digit_after_550(mode=7)),
        (
            "clipped away",
            f"q 0 0 100 100 re W n {_digit_after_550()} Q",
        ),
        (
            "painted over",
            f"{_digit_after_550()} q 1 g {LICENSING_END + 0.2} {LICENSING_BASELINE - 4} 9.5 16 re f Q",
        ),
        (
            "off the page",
            "q 0 g BT /Fx 12 Tf 700 900 Td (7) Tj ET Q",
        ),
    ],
)
def test_a_digit_the_reader_does_not_see_never_joins_a_number(
    tmp_path: Path, how: str, operators: str
) -> None:
    result = import_source(_with_drawing(tmp_path, operators))
    assert result.report.table2.licensing == 550, how
    hidden = [f for f in result.findings if f.code == "import/pdf-hidden-text"]
    assert any(f.location.parts == ("第 2 页",) for f in hidden), how


def test_a_digit_printed_over_another_makes_the_number_unreadable_not_wrong(
    tmp_path: Path,
) -> None:
    # A 7 printed on the 0 of 550: neither 550, 557, 5507 nor 55 is what a reader can tell.
    x = LICENSING_END - 6
    result = import_source(
        _with_drawing(tmp_path, f"q 0 g BT /Fx 15 Tf {x} {LICENSING_BASELINE} Td (7) Tj ET Q")
    )
    assert result.report.table2.licensing is None
    assert any(f.code == "import/pdf-overprint" for f in result.findings)
    assert any(f.code == "import/unreadable-cell" for f in result.findings)


def _many_characters(tmp_path: Path, per_form: int, calls: int) -> Path:
    """A small PDF whose one page draws per_form × calls characters through a repeated form."""
    out = tmp_path / "many.pdf"
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    form = pdf.make_stream(f"BT /F 1 Tf 10 10 Td ({'8' * per_form}) Tj ET".encode())
    form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    form.BBox = [0, 0, 595, 842]
    form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F=font))
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    page.add_resource(pdf.make_indirect(form), pikepdf.Name.XObject, pikepdf.Name("/X"))
    page.contents_add(pdf.make_stream(b"/X Do " * calls))
    pdf.save(out, compress_streams=True)
    return out


def test_a_small_pdf_drawing_two_million_characters_is_refused_cheaply(tmp_path: Path) -> None:
    path = _many_characters(tmp_path, per_form=2_000, calls=1_000)
    assert path.stat().st_size < 40_000
    tracemalloc.start()
    try:
        with pytest.raises(XxgkError) as info:
            import_source(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [finding] = info.value.findings
    assert finding.code == "import/pdf-too-large"
    assert "第 1 页" in finding.message
    assert f"{MAX_PAGE_CHARS}" in finding.message
    assert peak < 200 * 2**20  # bounded: the page is given up long before its last character


def test_a_pdf_of_more_pages_than_a_report_is_refused(tmp_path: Path) -> None:
    from xxgk.importers.pdf import MAX_PAGES

    pdf = pikepdf.new()
    for _ in range(MAX_PAGES + 1):
        pdf.add_blank_page()
    path = tmp_path / "pages.pdf"
    pdf.save(path)
    with pytest.raises(XxgkError) as info:
        import_source(path)
    assert info.value.findings[0].code == "import/pdf-too-large"
    assert f"{MAX_PAGES + 1} 页" in info.value.findings[0].message


def test_a_form_painting_itself_is_refused_before_pdfium_follows_it(tmp_path: Path) -> None:
    # Each level paints the form twice: followed 40 levels deep, as pdfium would, 2**40 paints.
    pdf = pikepdf.new()
    form = pdf.make_indirect(pdf.make_stream(b"0 0 10 10 re f /X Do /X Do"))
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 9, 9]
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=form))
    pdf.add_blank_page()
    pdf.pages[0].add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/X"))
    pdf.pages[0].contents_add(pdf.make_stream(b"/X Do"))
    path = tmp_path / "recursive.pdf"
    pdf.save(path)
    with pytest.raises(XxgkError) as info:
        import_source(path)
    assert info.value.findings[0].code == "import/pdf-too-large"
    assert "嵌套" in info.value.findings[0].message


def test_a_ruled_row_with_more_numbers_than_columns_is_blank_and_names_them() -> None:
    # A grid with a stray column (a hidden copy, a split cell): which seven are the row's is not
    # known, so none is placed — never the first seven.
    from xxgk.importers.document import read_rows
    from xxgk.importers.rows import paragraph_row, table_rows

    rows = [
        paragraph_row("某某局2023年政府信息公开工作年度报告"),
        paragraph_row("三、收到和处理政府信息公开申请情况"),
        *table_rows(
            [
                ["一、本年新收政府信息公开申请数量", "7", "5", "0", "0", "0", "0", "0", "5"],
                ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"],
            ]
        ),
        paragraph_row("四、政府信息公开行政复议、行政诉讼情况"),
        *table_rows([["1", "0", "0", "0", "1", *["0"] * 10, "9"]]),
    ]
    result = read_rows(rows, tables_marked=True)
    assert result.report.table3.rows["new"].cells == (None,) * 6
    assert result.report.table3.rows["carried_in"].cells == (0,) * 6
    [t3] = [f for f in result.findings if f.code == "import/extra-cells" and "表三" in f.location.parts]
    assert "7、5、0、0、0、0、0、5" in t3.message
    assert result.report.table4.review.upheld is None
    [t4] = [f for f in result.findings if f.code == "import/extra-cells" and "表四" in f.location.parts]
    assert "多于 15 列" in t4.message


def test_a_scan_under_an_invisible_ocr_layer_is_a_clear_finding(tmp_path: Path) -> None:
    # OCR tools put the recognised text over the page image in render mode 3: nobody sees it.
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page.add_resource(pdf.make_indirect(font), pikepdf.Name.Font, pikepdf.Name("/F"))
    page.contents_add(pdf.make_stream(b"BT 3 Tr /F 12 Tf 72 700 Td (2023 550 4119) Tj ET"))
    path = tmp_path / "ocr.pdf"
    pdf.save(path)
    with pytest.raises(XxgkError) as info:
        import_source(path)
    assert info.value.findings[0].code == "import/scanned-pdf"
    assert "OCR" in info.value.findings[0].message


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_page_is_read_the_same(tmp_path: Path, turn: int) -> None:
    # pdfium renders a page turned by its /Rotate; the visibility test turns it back, or every
    # character would be judged unseen (or a hidden one seen).
    from tests.test_import_real import accuracy

    path = tmp_path / "turned.pdf"
    with pikepdf.open(HONGZE) as pdf:
        for page in pdf.pages:
            page.Rotate = turn
        pdf.save(path)
    result = import_source(path)
    want = accuracy.truth_cells(TRUTH)
    got = accuracy.report_cells(result.report)
    assert {k: got.get(k) for k in want} == want
    assert not any(f.code == "import/pdf-hidden-text" for f in result.findings)


@pytest.mark.parametrize("as_array", [False, True])
def test_a_content_stream_that_inflates_past_the_bound_is_refused_unread(
    tmp_path: Path, as_array: bool
) -> None:
    import zlib

    pdf = pikepdf.new()
    pdf.add_blank_page()
    bomb = zlib.compress(b"0 0 1 1 re f\n" * (2_000_000), 9)  # 26 MB of drawing from ~60 KB
    stream = pikepdf.Stream(pdf, bomb)
    stream.Filter = pikepdf.Array([pikepdf.Name.FlateDecode]) if as_array else pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = pdf.make_indirect(stream)
    path = tmp_path / "bomb.pdf"
    pdf.save(path, compress_streams=False)
    assert path.stat().st_size < 200_000
    with pytest.raises(XxgkError) as info:
        import_source(path)
    assert info.value.findings[0].code == "import/pdf-too-large"
    assert "内容字节" in info.value.findings[0].message


def _printed_numbers() -> list[tuple[int, float, float, float]]:
    """Every number printed in hongze's tables: (page index, left, right, baseline in PDF space)."""
    import pypdfium2

    from xxgk.importers.pdf_page import read_page

    found = []
    document = pypdfium2.PdfDocument(str(HONGZE))
    try:
        for index in (1, 2, 3):
            page = read_page(document[index])
            run: list[dict[str, Any]] = []
            for char in [*page.chars, {"text": " "}]:
                in_number = char["text"].isdigit() or (char["text"] == "." and bool(run))
                if in_number and (
                    not run or (abs(char["x0"] - run[-1]["x1"]) < 1 and char["top"] == run[-1]["top"])
                ):
                    run.append(char)
                    continue
                if run and run[0]["top"] < 780 and _room_beside(run, page.chars):
                    found.append((index, run[0]["x0"], run[-1]["x1"], page.height - run[-1]["bottom"]))
                run = [char] if char["text"].isdigit() else []
    finally:
        document.close()
    return found


def _room_beside(run: list[dict[str, Any]], chars: list[dict[str, Any]]) -> bool:
    """True when a digit fits on either side of the number without touching another character
    (「2.重复申请」's 2. has none: a digit there is printed over 重, a smudge, not a hidden digit)."""
    left, right, top = run[0]["x0"] - 9, run[-1]["x1"] + 9, run[0]["top"]
    return not any(
        c not in run and not c["text"].isspace() and abs(c["top"] - top) < 5
        and c["x1"] > left and c["x0"] < right
        for c in chars
    )


NUMBERS = _printed_numbers()
_HIDINGS = {
    "white": lambda x, y, d: f"q 1 g BT /Fx 15 Tf {x} {y} Td ({d}) Tj ET Q",
    "mode 3": lambda x, y, d: f"q 0 g BT 3 Tr /Fx 15 Tf {x} {y} Td ({d}) Tj ET Q",
    "mode 7": lambda x, y, d: f"q 0 g BT 7 Tr /Fx 15 Tf {x} {y} Td ({d}) Tj ET Q",
    "clipped": lambda x, y, d: f"q {x} {y + 40} 9 9 re W n 0 g BT /Fx 15 Tf {x} {y} Td ({d}) Tj ET Q",
    "painted over": lambda x, y, d: (
        f"q 0 g BT /Fx 15 Tf {x} {y} Td ({d}) Tj ET 1 g {x - 0.1} {y - 4} 8.6 16 re f Q"
    ),
}


@given(
    st.sampled_from(NUMBERS),
    st.sampled_from(sorted(_HIDINGS)),
    st.sampled_from("0123456789"),
    st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_a_hidden_digit_beside_any_printed_number_never_changes_it(
    number: tuple[int, float, float, float], how: str, digit: str, after: bool
) -> None:
    from tests.test_import_real import accuracy

    page, left, right, baseline = number
    x = right + 0.3 if after else left - 8.34 - 0.3  # Helvetica's 7 is 8.34 points wide at 15
    with tempfile.TemporaryDirectory() as folder:
        path = _with_drawing(Path(folder), _HIDINGS[how](x, baseline, digit), page=page)
        result = import_source(path)
    want = accuracy.truth_cells(TRUTH)
    got = accuracy.report_cells(result.report)
    assert {k: got.get(k) for k in want} == want, (number, how, digit, after)
    assert any(f.code == "import/pdf-hidden-text" for f in result.findings)
