"""The .docx importer: a report made by hand in Word (another layout), and our own Word output."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.table import Table

from tests.import_support import example, numbered, tables, without_stated_totals
from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.importers import import_source
from xxgk.importers.docx import read_document
from xxgk.model import Report


def split_runs(paragraph, text: str, pieces: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Write text as several runs, some bold, as Word does after edits."""
    step = max(1, len(text) // pieces)
    for i in range(0, len(text), step):
        paragraph.add_run(text[i : i + step]).bold = (i // step) % 2 == 1


def fill(table: Table, r: int, c: int, text: object) -> None:
    cell = table.cell(r, c)
    split_runs(cell.paragraphs[0], str(text), 2)


def table2(doc, report: Report) -> None:  # type: ignore[no-untyped-def]
    t2 = report.table2
    values = {
        "regulations": t2.regulations.cells(),
        "normative_documents": t2.normative_documents.cells(),
        "licensing": (t2.licensing,),
        "punishment": (t2.punishment,),
        "enforcement": (t2.enforcement,),
        "fees": (t2.fees,),
    }
    rows = sum(2 + len(b.rows) for b in labels.TABLE2_BLOCKS)
    table = doc.add_table(rows=rows, cols=4)
    r = 0
    for block in labels.TABLE2_BLOCKS:
        table.cell(r, 0).merge(table.cell(r, 3))
        fill(table, r, 0, block.item)
        fill(table, r + 1, 0, labels.TABLE2_CONTENT_HEADING)
        for c, column in enumerate(block.columns):
            fill(table, r + 1, 1 + c, column)
        if len(block.columns) == 1:  # this layout merges only c2–c3, leaving c1 alone
            table.cell(r + 1, 2).merge(table.cell(r + 1, 3))
        for k, (name, label) in enumerate(block.rows):
            fill(table, r + 2 + k, 0, label)
            for c, value in enumerate(values[name]):
                fill(table, r + 2 + k, 1 + c, value)
            if len(values[name]) == 1:
                table.cell(r + 2 + k, 2).merge(table.cell(r + 2 + k, 3))
        r += 2 + len(block.rows)


def table3_part(doc, report: Report, rows: list[labels.Table3Row], total: bool) -> None:  # type: ignore[no-untyped-def]
    """Part of 表三 as its own table (a table broken over pages), header repeated."""
    t3 = report.table3
    n = 2 + len(rows) + (1 if total else 0)
    table = doc.add_table(rows=n, cols=9)
    # A two-row header: label corner merged over two rows, no 申请人情况 row.
    table.cell(0, 0).merge(table.cell(1, 1))
    fill(table, 0, 0, labels.TABLE3_CORNER)
    fill(table, 0, 2, labels.TABLE3_COLUMN_LABELS[0])
    table.cell(0, 3).merge(table.cell(0, 7))
    fill(table, 0, 3, labels.TABLE3_ORGANISATIONS)
    for c, label in enumerate(labels.TABLE3_COLUMN_LABELS[1:]):
        fill(table, 1, 3 + c, label)
    fill(table, 0, 8, labels.TABLE3_TOTAL)
    r = 2
    for row in rows:
        counts = t3.row(row.id)
        if row.group is None:  # label merged over the two label columns
            table.cell(r, 0).merge(table.cell(r, 1))
            cell = table.cell(r, 0)
            cell.paragraphs[0].add_run(row.label[: len(row.label) // 2])
            cell.add_paragraph(row.label[len(row.label) // 2 :])  # a label on two lines
        else:  # the group repeated in every row instead of merged
            fill(table, r, 0, row.group)
            fill(table, r, 1, row.label)
        for c, value in enumerate((*counts.cells, counts.total)):
            fill(table, r, 2 + c, value)
        r += 1
    if total:
        fill(table, r, 0, labels.TABLE3_RESULTS_TOTAL)
        table.cell(r, 0).merge(table.cell(r, 1))
        for c, value in enumerate((*t3.results_total(), t3.results_grand_total())):
            fill(table, r, 2 + c, value)


def table4(doc, report: Report) -> None:  # type: ignore[no-untyped-def]
    table = doc.add_table(rows=3, cols=15)
    fill(table, 0, 0, labels.TABLE4_REVIEW)
    table.cell(0, 0).merge(table.cell(0, 4))
    table.cell(0, 5).merge(table.cell(0, 9))
    fill(table, 0, 5, labels.TABLE4_BLOCKS[1].label)
    table.cell(0, 10).merge(table.cell(0, 14))
    fill(table, 0, 10, labels.TABLE4_BLOCKS[2].label)
    outcomes = [label for _, label in labels.TABLE4_OUTCOMES] + [labels.TABLE4_TOTAL]
    for b, block in enumerate(labels.TABLE4_BLOCKS):
        got = report.table4.block(block.id)
        for k, (label, value) in enumerate(zip(outcomes, (*got.cells(), got.total), strict=True)):
            fill(table, 1, 5 * b + k, label)
            fill(table, 2, 5 * b + k, value)


def hand_made(report: Report) -> bytes:
    """The report laid out by hand in Word, unlike our template."""
    doc = docx.Document()
    doc.add_paragraph(report.header.issuer_mark or "")
    split_runs(doc.add_paragraph(), report.display_title, 4)
    s = {x.number: x.heading for x in labels.SECTIONS}
    split_runs(doc.add_paragraph(), s["一"])
    for p in report.overview.intro:
        split_runs(doc.add_paragraph(), p)
    for i, sub in enumerate(report.overview.subsections):
        split_runs(doc.add_paragraph(), labels.subsection_marker(i) + sub.title)
        for p in sub.paragraphs:
            split_runs(doc.add_paragraph(), p)
    doc.add_paragraph(s["二"])
    table2(doc, report)
    doc.add_paragraph(s["三"])
    first = [r for r in labels.TABLE3_ROWS if r.grid_row <= 14]
    rest = [r for r in labels.TABLE3_ROWS if r.grid_row > 14 and r.id != "carried_out"]
    table3_part(doc, report, first, total=False)
    doc.add_paragraph("")  # the page break between the two halves
    table3_part(doc, report, [*rest], total=True)
    t = doc.add_table(rows=1, cols=9)
    fill(t, 0, 0, labels.TABLE3_ROW_BY_ID["carried_out"].label)
    counts = report.table3.row("carried_out")
    for c, value in enumerate((*counts.cells, counts.total)):
        fill(t, 0, 2 + c, value)
    doc.add_paragraph(s["四"])
    table4(doc, report)
    doc.add_paragraph(s["五"])
    for p in report.problems:
        doc.add_paragraph(p)
    doc.add_paragraph(s["六"])
    for p in report.other_matters:
        doc.add_paragraph(p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def numbered_report() -> Report:
    return numbered(example())


def test_hand_made_word_file_reads_the_right_numbers(numbered_report: Report) -> None:
    result = read_document(docx.Document(io.BytesIO(hand_made(numbered_report))))
    assert tables(result.report) == tables(numbered_report)
    assert result.findings == []
    assert result.report.table3.stated_results_total is not None


def test_hand_made_word_file_reads_the_narrative(numbered_report: Report) -> None:
    report = read_document(docx.Document(io.BytesIO(hand_made(numbered_report)))).report
    assert (
        without_stated_totals(report).model_copy(
            update={
                "table2": numbered_report.table2,
                "table3": numbered_report.table3,
                "table4": numbered_report.table4,
            }
        )
        == numbered_report
    )


def test_round_trip_of_our_own_word_output() -> None:
    render = pytest.importorskip("xxgk.render.docx")
    result = read_document(docx.Document(io.BytesIO(render.render_docx(example()))))
    assert result.findings == []
    assert without_stated_totals(result.report) == example()


def test_round_trip_of_numbered_report() -> None:
    render = pytest.importorskip("xxgk.render.docx")
    report = numbered(example())
    result = read_document(docx.Document(io.BytesIO(render.render_docx(report))))
    assert tables(result.report) == tables(report)


def test_not_a_word_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(XxgkError) as info:
        import_source(path)
    assert info.value.findings[0].code == "import/bad-docx"


def test_report_inside_a_frame_table(numbered_report: Report) -> None:
    doc = docx.Document(io.BytesIO(hand_made(numbered_report)))
    body = doc.element.body
    content = [el for el in body.iterchildren() if not el.tag.endswith("sectPr")]
    frame = doc.add_table(rows=1, cols=1)
    tc = frame.cell(0, 0)._tc
    for el in content:
        tc.append(el)  # moves the whole report into the frame's one cell
    tc.append(tc.makeelement(tc.tag.replace("tc", "p")))  # a cell must end with a paragraph
    result = read_document(doc)
    assert tables(result.report) == tables(numbered_report)
    assert result.findings == []


def test_damaged_old_word_file_renamed_to_docx_is_named(tmp_path: Path) -> None:
    # A .doc renamed to .docx goes through LibreOffice; a damaged one gets a clear message.
    path = tmp_path / "old.docx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 512)
    with pytest.raises(XxgkError) as info:
        import_source(path)
    assert info.value.findings[0].code in ("import/bad-doc", "import/no-libreoffice")
    assert info.value.findings[0].location.file == str(path)
