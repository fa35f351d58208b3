"""The web form's data: places named as the checks name them, form ⇄ report without loss."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk import labels
from xxgk.checks import check
from xxgk.checks.cells import all_cells
from xxgk.model import Report
from xxgk.web.form import (
    form_to_report,
    number_fields,
    parse_amount,
    parse_count,
    placed,
    report_to_form,
)
from xxgk.web.page import render_page


def test_every_number_input_is_a_cell_the_checks_name(example_report: Report) -> None:
    assert [f.place for f in number_fields()] == [c.parts for c in all_cells(example_report)]
    labels_ = {f.label for f in number_fields()}
    assert "表三/一、本年新收政府信息公开申请数量/自然人" in labels_
    assert "表三/三、本年度办理结果/（三）不予公开/1.属于国家秘密/自然人" in labels_


def test_the_example_survives_the_form(example_report: Report) -> None:
    report, problems = form_to_report(report_to_form(example_report), 2000)
    assert problems == []
    assert report == example_report


counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10**16))


@settings(max_examples=60, deadline=None)
@given(
    t3=st.lists(st.tuples(*[counts] * 6), min_size=24, max_size=24),
    t4=st.lists(st.tuples(*[counts] * 4), min_size=3, max_size=3),
    fee=st.one_of(st.none(), st.decimals(min_value=0, allow_nan=False, allow_infinity=False,
                                         places=4)),
    title=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12),
)
def test_numbers_and_titles_survive_the_form(
    example_report: Report,
    t3: list[tuple[int | None, ...]],
    t4: list[tuple[int | None, ...]],
    fee: Decimal | None,
    title: str,
) -> None:
    form = report_to_form(example_report)
    for row, values in zip(labels.TABLE3_ROWS, t3, strict=True):
        for c, v in enumerate(values):
            form["fields"][f"t3.{row.id}.{c}"] = "" if v is None else str(v)
    for block, values in zip(labels.TABLE4_BLOCKS, t4, strict=True):
        for o, v in enumerate(values):
            form["fields"][f"t4.{block.id}.{o}"] = "" if v is None else str(v)
    form["fields"]["t2.fees"] = "" if fee is None else format(fee, "f")
    form["subsections"][0]["title"] = title.strip()  # the form trims what is typed around a title
    report, problems = form_to_report(form, 2000)
    assert problems == []
    assert report_to_form(report) == form
    assert report.table2.fees == fee


def test_full_width_digits_are_numbers() -> None:
    assert parse_count("１２") == (12, None)
    assert parse_count(" 3 ") == (3, None)
    assert parse_count("") == (None, None)
    assert parse_amount("0.5") == (Decimal("0.5"), None)


def test_unreadable_input_is_an_error_at_its_cell(example_report: Report) -> None:
    form = report_to_form(example_report)
    form["fields"]["t3.new.0"] = "五"
    form["fields"]["t2.fees"] = "一万"
    form["fields"]["year"] = "今年"
    form["fields"]["date"] = "2022-13-01"
    report, problems = form_to_report(form, 2000)
    places = {str(f.location): f.message for f in problems}
    # The data file's own messages (inputs.numbers), not the form's own wording.
    assert "请用阿拉伯数字填写" in places["表三/一、本年新收政府信息公开申请数量/自然人"]
    assert "万元数" in places["表二/行政事业性收费"]
    assert "四位数年份" in places["年度"]
    assert "YYYY-MM-DD" in places["文头/成文日期"]
    assert report.table3.row("new").cells[0] is None


def test_paragraphs_are_the_lines_of_a_box(example_report: Report) -> None:
    form = report_to_form(example_report)
    form["fields"]["problems"] = "第一段。\n\n  第二段。  \n"
    report, _ = form_to_report(form, 2000)
    assert report.problems == ["第一段。", "第二段。"]


def test_findings_land_on_their_inputs(example_report: Report) -> None:
    form = report_to_form(example_report)
    form["fields"]["t3.new.0"] = "3"  # 一 + 二 ≠ 三 + 四 in 自然人
    form["subsections"][1]["text"] = ""
    form["fields"]["organ"] = ""
    report, _ = form_to_report(form, 2000)
    targets = {f["code"] + ":" + str(f["target"]) for f in placed(check(report), report)}
    assert "t3/balance:t3-col-0" in targets
    assert "text/empty-section:sub-1" in targets
    assert "meta/organ-missing:organ" in targets


def test_the_page_escapes_the_report_and_carries_the_token(example_report: Report) -> None:
    form = report_to_form(example_report)
    form["fields"]["organ"] = "</script><script>alert(1)</script>{{TOKEN}}"
    page = render_page("tok-123", {"form": form, "file": "x.yaml", "previous": None})
    assert '<meta name="xxgk-token" content="tok-123">' in page
    assert "</script><script>alert(1)" not in page
    assert page.count("tok-123") == 1  # nothing in the data is read as a marker
    assert 'aria-label="表三/四、结转下年度继续办理/其他"' in page
