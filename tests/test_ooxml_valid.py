"""Every .docx and .xlsx kind xxgk writes is schema-clean: 0 violations of the OOXML validator.

The validator and its schemas are copied into tests/ooxml/ (README there); it checks each part
against the ISO/IEC 29500 transitional schemas, the package rules, and what Word and Excel enforce
beyond the schemas — template tags inside attribute values among them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_xxgk
from tests.yearly import write_two_years
from xxgk.inputs import dump_report
from xxgk.model import Report

VALIDATOR = Path(__file__).parent / "ooxml" / "ooxml_validate.py"
ROOT = Path(__file__).resolve().parent.parent


def _validate(*files: Path) -> tuple[list[dict[str, object]], str]:
    """The validator's findings (one dict each) and its summary line."""
    done = subprocess.run([sys.executable, str(VALIDATOR), "--json", *map(str, files)],
                          capture_output=True, text=True, timeout=300, check=False)
    lines = done.stdout.splitlines()
    assert lines, done.stderr
    assert lines[-1].startswith("ooxml:"), done.stdout + done.stderr
    return [json.loads(line) for line in lines[:-1]], lines[-1]


@pytest.fixture(scope="module")
def outputs(example_report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file of every kind: kind → path."""
    work = tmp_path_factory.mktemp("kinds")
    header = example_report.header.model_copy(update={"date": dt.date(2022, 1, 20)})
    signed = example_report.model_copy(update={"header": header})  # with 署名 and its indents
    filed = work / "filed.yaml"
    filed.write_text(dump_report(signed), encoding="utf-8")
    assert run_xxgk("build", filed, "-o", work / "out").exit_code == 0
    found = {
        "report.docx": next((work / "out").glob("*.docx")),
        "archive.xlsx": next((work / "out").glob("*.xlsx")),
    }
    corrected = work / "corrected.yaml"
    changed = signed.model_copy(update={"problems": ["更正后的问题。"]})
    corrected.write_text(dump_report(changed), encoding="utf-8")
    found["notice.docx"] = work / "更正说明.docx"
    run_xxgk("diff", filed, corrected, "--notice", found["notice.docx"], "--date", "2022-03-01")
    found["fill-in.xlsx"] = work / "2025.xlsx"
    assert run_xxgk("init", found["fill-in.xlsx"], "--organ", "某镇",
                    "--year", "2025").exit_code == 0
    last, this = write_two_years(work / "years")
    pair = (last / "organ2.yaml", this / "organ2.yaml")
    for kind in ("compare.docx", "compare.xlsx"):
        found[kind] = work / kind
        assert run_xxgk("compare", *pair, "-o", found[kind]).exit_code == 0
    found["audit.xlsx"] = work / "audit.xlsx"
    run_xxgk("audit", *sorted(this.glob("*.yaml")), "--previous-dir", last,
             "-o", found["audit.xlsx"])
    summed = work / "sum" / "某县2022.yaml"
    assert run_xxgk("sum", *sorted(this.glob("organ[12].yaml")), "--organ", "某县",
                    "-o", summed).exit_code == 0
    assert run_xxgk("build", summed, "-o", work / "sum-out").exit_code == 0
    found["sum.docx"] = next((work / "sum-out").glob("*.docx"))
    found["sum.xlsx"] = next((work / "sum-out").glob("*.xlsx"))
    for kind, path in found.items():
        assert path.is_file(), kind
    return found


def test_every_kind_has_no_violation(outputs: dict[str, Path]) -> None:
    findings, summary = _validate(*outputs.values())
    violations = [f for f in findings if not f.get("warning")]
    assert violations == []
    assert summary.endswith(" 0 violations"), summary
    assert f"ooxml: {len(outputs)} files" in summary


def test_no_formula_loses_its_cached_value(outputs: dict[str, Path]) -> None:
    # The 汇总 workbook (with its 明细表) is rendered in one pass: re-saved by openpyxl it lost
    # all 76 cached results, and readers that do not recalculate saw blanks.
    findings, _ = _validate(outputs["sum.xlsx"], outputs["archive.xlsx"], outputs["fill-in.xlsx"])
    empty = [f for f in findings if "cached value" in str(f.get("reason"))]
    assert empty == []


def test_the_template_has_no_tag_inside_an_attribute() -> None:
    findings, summary = _validate(ROOT / "templates" / "report-2021.docx")
    assert [f for f in findings if not f.get("warning")] == [], summary
    assert "0 violations" in summary


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_template_resaved_in_libreoffice_still_builds(
    example_report: Report, tmp_path: Path
) -> None:
    # docs/TEMPLATE.md invites clerks to edit the template in Word, WPS or LibreOffice. Re-saved
    # by LibreOffice, a tag inside w:ind/@w:right became 0 and the 署名 indent was lost.
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"),
                    str(ROOT / "templates" / "report-2021.docx")],
                   capture_output=True, check=True, timeout=120)
    resaved = tmp_path / "lo" / "report-2021.docx"
    header = example_report.header.model_copy(update={"date": dt.date(2022, 1, 20)})
    data = tmp_path / "2021.yaml"
    data.write_text(dump_report(example_report.model_copy(update={"header": header})), "utf-8")
    for name, extra in (("ours", ()), ("resaved", ("--template", resaved))):
        result = run_xxgk("build", data, "-o", tmp_path / name, *extra)
        assert result.exit_code == 0, result.output
    from tests.docx_dump import NS, part, w

    def indents(folder: str) -> list[str | None]:
        document = part(next((tmp_path / folder).glob("*.docx")).read_bytes(),
                        "word/document.xml")
        return [p.find("w:pPr/w:ind", NS).get(w("right"))
                for p in document.iter(w("p"))
                if p.find("w:pPr/w:pStyle[@w:val='ReportSignature']", NS) is not None]

    # 晋江市永和镇 (6 characters) over 2022年1月20日 (about 6.5): the signer moves left by half
    # the difference, both lines end 二字 from the margin at the widest.
    assert indents("ours") == indents("resaved")
    assert [int(i or 0) for i in indents("ours")] == [720, 640]
    findings, _ = _validate(*(tmp_path / "resaved").glob("*.docx"))
    assert [f for f in findings if not f.get("warning")] == []
