"""The 更正说明: its wording from two versions, and the .docx in the report's 公文 format."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from lxml import etree

from xxgk.correction import correction_notice
from xxgk.errors import XxgkError
from xxgk.model import ApplicantCounts, Report, Table3
from xxgk.render.docx import default_template
from xxgk.render.docx.notice import notice_docx_text, render_notice, title_lines

Run = Callable[..., Result]
DAY = dt.date(2022, 3, 1)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _granted(report: Report, natural_persons: int) -> Report:
    """The example with applications granted to natural persons (new = granted, balanced)."""
    rows = dict(report.table3.rows)
    rows["new"] = ApplicantCounts(cells=(natural_persons, 0, 0, 0, 0, 0))
    rows["granted"] = ApplicantCounts(cells=(natural_persons, 0, 0, 0, 0, 0))
    return report.model_copy(update={"table3": Table3(rows=rows)})


def test_a_corrected_cell_and_the_totals_it_changes(example_report: Report) -> None:
    notice = correction_notice(_granted(example_report, 3), _granted(example_report, 4), DAY)
    assert notice.title == "关于《晋江市永和镇2021年政府信息公开工作年度报告》的更正说明"
    assert notice.opening == (
        "经核查，我单位已公开发布的《晋江市永和镇2021年政府信息公开工作年度报告》部分内容有误，"
        "现更正如下："
    )
    assert notice.items == (
        "1.表三“一、本年新收政府信息公开申请数量”“自然人”栏由“3”更正为“4”。",
        "2.表三“一、本年新收政府信息公开申请数量”“总计”栏由“3”更正为“4”。",
        "3.表三“三、本年度办理结果（一）予以公开”“自然人”栏由“3”更正为“4”。",
        "4.表三“三、本年度办理结果（一）予以公开”“总计”栏由“3”更正为“4”。",
        "5.表三“三、本年度办理结果（七）总计”“自然人”栏由“3”更正为“4”。",
        "6.表三“三、本年度办理结果（七）总计”“总计”栏由“3”更正为“4”。",
    )
    assert notice.closing == "特此说明。"
    assert (notice.signer, notice.date) == ("晋江市永和镇", DAY)


def test_tables_two_and_four_fields_and_text(example_report: Report) -> None:
    old = example_report
    new = old.model_copy(update={
        "table2": old.table2.model_copy(update={"licensing": 12, "fees": Decimal("0.12")}),
        "table4": old.table4.model_copy(update={
            "review": old.table4.review.model_copy(update={"upheld": 1})}),
        "header": old.header.model_copy(update={"doc_number": "永政〔2022〕1号"}),
        "other_matters": [*old.other_matters, "本年度未收取信息处理费。"],
        "problems": [old.problems[0].replace("时效性不够强", "时效性还不够强")],
    })
    items = correction_notice(old, new, DAY).items
    assert items[0] == "1.增加发文字号“永政〔2022〕1号”。"
    assert "2.表二“行政许可”“本年处理决定数量”栏由“0”更正为“12”。" in items
    assert "3.表二“行政事业性收费”“本年收费金额（单位：万元）”栏由“0”更正为“0.12”。" in items
    assert "4.表四“行政复议”“结果维持”栏由“0”更正为“1”。" in items
    assert "5.表四“行政复议”“总计”栏由“0”更正为“1”。" in items
    assert "6.“五、存在的主要问题及改进情况”第1段中，将“一是公开信息的时效性不够强；”更正为“一是公开信息的时效性还不够强；”。" in items
    assert "7.“五、存在的主要问题及改进情况”第2段删除：“2.整改措施：" in items[6]
    assert items[7] == "8.“六、其他需要报告的事项”第2段增加：“本年度未收取信息处理费。”"
    assert len(items) == 8


def test_nothing_to_correct(example_report: Report) -> None:
    notice = correction_notice(example_report, example_report, DAY)
    assert notice.items == ()
    assert "无需更正" in notice.opening


def test_two_years_are_refused(example_report: Report) -> None:
    with pytest.raises(XxgkError) as exc:
        correction_notice(example_report, example_report.model_copy(update={"year": 2022}), DAY)
    assert "xxgk compare" in exc.value.findings[0].message


@pytest.mark.parametrize(
    ("organ", "lines"),
    [
        ("某镇", ["关于《某镇2025年政府信息公开", "工作年度报告》的更正说明"]),
        ("晋江市永和镇", ["关于《晋江市永和镇2025年", "政府信息公开工作年度报告》的更正说明"]),
        ("福建省泉州市晋江市人民政府办公室",
         ["关于《福建省泉州市晋江市人民政府办公室", "2025年政府信息公开", "工作年度报告》的更正说明"]),
    ],
)
def test_title_breaks_where_the_words_allow(organ: str, lines: list[str]) -> None:
    title = f"关于《{organ}2025年政府信息公开工作年度报告》的更正说明"
    assert title_lines(title, organ) == lines
    assert title_lines("关于《某镇年报》的更正说明", "某镇") == ["关于《某镇年报》的更正说明"]


def test_notice_docx_in_the_report_format(example_report: Report) -> None:
    notice = correction_notice(_granted(example_report, 3), _granted(example_report, 4), DAY)
    data = render_notice(notice)
    assert render_notice(notice) == data  # same notice, same bytes
    text = notice_docx_text(data)
    assert text[0] == "关于《晋江市永和镇2021年\n政府信息公开工作年度报告》的更正说明"
    assert text[2] == notice.opening
    assert text[3:9] == list(notice.items)
    assert text[9:] == ["特此说明。", "", "晋江市永和镇", "2022年3月1日"]
    with zipfile.ZipFile(io.BytesIO(data)) as package, zipfile.ZipFile(default_template()) as tpl:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
        template_body = etree.fromstring(tpl.read("word/document.xml")).find(f"{W}body")
        # the report's page: margins, grid and footers (page numbers), and its styles and fonts
        assert etree.tostring(body.find(f"{W}sectPr")) == etree.tostring(
            template_body.find(f"{W}sectPr"))
        for part in ("word/styles.xml", "word/footer1.xml", "word/footer2.xml",
                     "word/settings.xml", "word/fontTable.xml"):
            assert package.read(part) == tpl.read(part)
        assert b"<dc:title>\xe5\x85\xb3\xe4\xba\x8e" in package.read("docProps/core.xml")
    styles = [p.find(f"{W}pPr/{W}pStyle") for p in body.iter(f"{W}p")]
    names = [None if s is None else s.get(f"{W}val") for s in styles]
    assert names[0] == "ReportTitle"
    assert names[-2:] == ["ReportSignature", "ReportSignature"]


def test_cli_diff_notice(xxgk: Run, example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert xxgk("build", example_copy, "-o", out).exit_code == 0
    filed = next(out.glob("*.docx"))
    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(text.replace("  行政许可: 0", "  行政许可: 12"), encoding="utf-8")
    target = tmp_path / "更正 说明.docx"
    result = xxgk("diff", filed, example_copy, "--notice", target, "--date", "2022-03-01")
    assert result.exit_code == 1
    assert f"已生成更正说明（1 项）：{target}" in result.output
    body = notice_docx_text(target.read_bytes())
    assert "1.表二“行政许可”“本年处理决定数量”栏由“0”更正为“12”。" in body
    assert body[-1] == "2022年3月1日"


def test_cli_refuses_two_years(xxgk: Run, example_path: Path, example_copy: Path) -> None:
    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(text.replace("年度: 2021", "年度: 2022"), encoding="utf-8")
    result = xxgk("diff", example_path, example_copy, "--notice", example_copy.with_suffix(".docx"))
    assert result.exit_code == 2
    assert "两个文件的年度不同（2021 年与 2022 年）" in result.output
    assert "xxgk compare" in result.output
    assert not example_copy.with_suffix(".docx").exists()


def test_build_says_what_moved_to_history(xxgk: Run, example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert "原有版本已移至" not in xxgk("build", example_copy, "-o", out).output
    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(text.replace("  行政许可: 0", "  行政许可: 12"), encoding="utf-8")
    result = xxgk("build", example_copy, "-o", out)
    kept = sorted((out / ".history").iterdir())
    assert [p.suffix for p in kept] == [".docx", ".xlsx"]
    for path in kept:
        assert f"原有版本已移至：{path}" in result.output
    assert "原有版本已移至" not in xxgk("build", example_copy, "-o", out).output  # unchanged


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler make and read the PDF")
def test_cli_notice_as_pdf_in_the_reports_layout(
    xxgk: Run, example_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert xxgk("build", example_copy, "-o", out).exit_code == 0
    filed = next(out.glob("*.docx"))
    text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(text.replace("  行政许可: 0", "  行政许可: 12"), encoding="utf-8")
    target = tmp_path / "更正说明.pdf"
    result = xxgk("diff", filed, example_copy, "--notice", target, "--date", "2022-03-01")
    assert result.exit_code == 1, result.output
    assert target.with_suffix(".docx").is_file()
    layout = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                            text=True, check=True).stdout
    # pdftotext puts spaces between CJK and digits; the page has none.
    lines = [line.replace(" ", "") for line in layout.splitlines() if line.strip()]
    assert lines[0] == "关于《晋江市永和镇2021年"
    assert "政府信息公开工作年度报告》的更正说明" in lines[1]
    # The opening sentence runs over full lines of the report's 28 characters, not 14.
    opening = next(line for line in lines if line.startswith("经核查"))
    assert len(opening) >= 24
    assert lines[-2:] == ["2022年3月1日", "—1—"]
