"""Make the other kinds of one real report from its truth file (run once; the outputs are kept).

    PYTHONPATH=src python3 scripts/make_real_variants.py NAME [NAME …]

No published PDF or .doc could be fetched (see tests/data/real/README.md), so the PDF of a real
report is made the way an organ makes it: its text (read from the published page or paste under
tests/data/real/) with the numbers of its truth file, through our Word template and LibreOffice;
then what other tools leave of that PDF — pdftotext in its three modes — and of its Word file —
a .doc saved by LibreOffice, and crawler text with every table cell run together.
The report's own arithmetic errors are kept: this renders without checking.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from xxgk import labels
from xxgk.build import _pdf_bytes, render_documents
from xxgk.importers import import_source
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    Report,
    ReviewOutcomes,
    Table2,
    Table3,
    Table4,
)

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "real"
_SOURCE_SUFFIXES = (".html", ".md", ".txt")


def with_truth(report: Report, truth: dict[str, Any]) -> Report:
    """The report with every number of 表二/表三/表四 as its truth file has it."""
    t2 = truth["t2"]
    fields = ("issued", "repealed", "in_force")
    table2 = Table2(
        regulations=DocumentCounts(**dict(zip(fields, t2["regulations"], strict=True))),
        normative_documents=DocumentCounts(
            **dict(zip(fields, t2["normative_documents"], strict=True))
        ),
        licensing=t2["licensing"],
        punishment=t2["punishment"],
        enforcement=t2["enforcement"],
        fees=None if t2["fees"] is None else Decimal(t2["fees"]),
    )
    rows = {
        r.id: ApplicantCounts(cells=tuple(truth["t3"][r.id][:6]), stated_total=truth["t3"][r.id][6])
        for r in labels.TABLE3_ROWS
    }
    total = truth["t3"]["results_total"]
    stated = ApplicantCounts(cells=tuple(total[:6]), stated_total=total[6])
    table3 = Table3(rows=rows, stated_results_total=stated)
    outcomes = ("upheld", "corrected", "other", "pending", "stated_total")
    blocks = {
        b: ReviewOutcomes(**dict(zip(outcomes, v, strict=True))) for b, v in truth["t4"].items()
    }
    return report.model_copy(
        update={
            "organ": truth["organ"],
            "year": truth["year"],
            "table2": table2,
            "table3": table3,
            "table4": Table4(**blocks),
        }
    )


def crawler_text(docx: Path) -> str:
    """The text a crawler keeps of a Word report: paragraphs as lines, each table row's cells
    run together with nothing between them (「一、本年新收政府信息公开申请数量713000074」)."""
    import docx as python_docx

    document = python_docx.Document(str(docx))
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_text(child))
        elif tag == "tbl":
            for tr in child.iter():
                if not tr.tag.endswith("}tr"):
                    continue
                cells = [tc for tc in tr.iter() if tc.tag.endswith("}tc")]
                lines.append("".join(_text(tc) for tc in cells))
    return "\n".join(lines) + "\n"


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))


def make(name: str) -> None:
    truth = json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))
    found = (CORPUS / f"{name}{s}" for s in _SOURCE_SUFFIXES)
    source = next(p for p in found if p.exists())
    report = with_truth(import_source(source).report, truth)
    docx = render_documents(report, "0" * 64, formats=("docx",))["docx"]
    pdf = CORPUS / f"{name}.pdf"
    pdf.write_bytes(_pdf_bytes(report, docx))
    for mode, suffix in (
        ([], ".pdftotext.txt"),
        (["-layout"], ".pdftotext-layout.txt"),
        (["-raw"], ".pdftotext-raw.txt"),
    ):
        subprocess.run(["pdftotext", *mode, str(pdf), str(CORPUS / f"{name}{suffix}")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / f"{name}.docx"
        docx_path.write_bytes(docx)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "doc", "--outdir", tmp, str(docx_path)],
            check=True,
            capture_output=True,
        )
        (CORPUS / f"{name}.doc").write_bytes((Path(tmp) / f"{name}.doc").read_bytes())
        (CORPUS / f"{name}.crawler.txt").write_text(crawler_text(docx_path), "utf-8")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        make(arg)
