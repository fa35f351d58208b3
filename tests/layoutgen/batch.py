"""A seeded batch of generated reports in every form: .docx, .html and the markdown a Word →
markdown converter makes of the .docx for each, and for some the PDF (one LibreOffice start for
all of them) with pdftotext's three modes."""

from __future__ import annotations

import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.layoutgen import docx_out, html_out, md_out
from tests.layoutgen.national import Choices
from tests.layoutgen.styles import STYLES, layout
from tests.layoutgen.truth import Truth, random_truth
from xxgk.office import find_soffice, run_soffice, throwaway_folder

PDFTOTEXT = {"pdftotext 默认": [], "pdftotext -layout": ["-layout"], "pdftotext -raw": ["-raw"]}
MARKDOWN = "markdown（由 .docx 转换）"
SUFFIX = {"pdftotext 默认": ".default.txt", "pdftotext -layout": ".layout.txt",
          "pdftotext -raw": ".raw.txt"}


@dataclass(frozen=True)
class Generated:
    """One generated report: its numbers, its style, and every form it was written in."""

    name: str
    truth: Truth
    style: str
    choices: Choices
    forms: dict[str, Path]  # kind (.docx, 网页, PDF, pdftotext …) → file

    def expected(self) -> dict[str, object]:
        """Every cell as this report printed it."""
        return self.truth.cells(self.choices.six_one_row, self.choices.fee_digits)


def tools_available() -> bool:
    return find_soffice() is not None and shutil.which("pdftotext") is not None


def to_pdf(docx: list[Path], folder: Path) -> None:
    """Every .docx to PDF beside it, from one LibreOffice start with a throw-away profile."""
    program = find_soffice()
    assert program is not None
    with throwaway_folder("xxgk-layoutgen-profile-") as profile:
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir",
                   str(folder), *map(str, docx)]
        run_soffice(command, timeout=120 + 10 * len(docx), scratch=profile)


def generate(folder: Path, seed: int, count: int, with_pdf: int) -> list[Generated]:
    """``count`` reports (styles in turn), all as .docx, .html and markdown, the first
    ``with_pdf`` also as PDF and pdftotext's three modes."""
    made: list[tuple[str, Truth, str, Choices, dict[str, Path]]] = []
    names = list(STYLES)
    for i in range(count):
        rng = random.Random(f"{seed}-{i}")
        truth = random_truth(rng)
        style = names[i % len(names)]
        doc, choices = layout(truth, style, rng)
        name = f"r{i:04d}-{style}"
        docx = folder / f"{name}.docx"
        docx.write_bytes(docx_out.render(doc))
        html = folder / f"{name}.html"
        html.write_bytes(html_out.render(doc, truth.organ))
        markdown = folder / f"{name}.md"
        markdown.write_text(md_out.render(docx.read_bytes()), "utf-8")
        forms = {".docx": docx, "网页": html, MARKDOWN: markdown}
        made.append((name, truth, style, choices, forms))
    if with_pdf:
        to_pdf([forms[".docx"] for *_, forms in made[:with_pdf]], folder)
        for name, *_, forms in made[:with_pdf]:
            pdf = folder / f"{name}.pdf"
            if not pdf.is_file():
                continue  # not converted: counted as a missing form by the caller
            forms["PDF"] = pdf
            for kind, options in PDFTOTEXT.items():
                text = folder / f"{name}{SUFFIX[kind]}"
                subprocess.run(["pdftotext", *options, str(pdf), str(text)], check=True,
                               timeout=60)
                forms[kind] = text
    return [Generated(*m) for m in made]
