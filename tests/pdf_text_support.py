"""Body texts that put Chinese punctuation at every position of a line, and what a PDF printed.

Shared by the PDF text tests and bench-style measurements: a seeded generator (the same texts on
every run), the body paragraphs of a .docx, and the PDF's text read back with poppler.
"""

from __future__ import annotations

import random
import re
import subprocess
import unicodedata
from itertools import pairwise
from pathlib import Path

from tests.docx_dump import NS, part, w
from xxgk.model import Report

HAN = "政府信息公开工作年度报告按照上级部署扎实推进及时更新专栏内容建设档案管理规范发布程序审查"
# Punctuation that may not start a line (closing) or end one (opening), as in GB/T 15834.
CLOSING = "。，、；：？！”）》"
OPENING = "“（《"
PAIRS = (("“", "”"), ("（", "）"), ("《", "》"))
LATIN = ("2021", "100%", "12", "www.gov.cn", "PDF", "3.5", "GB/T 9704")
PAGE_NUMBER = re.compile(r"[—–-]\s*\d+\s*[—–-]")


def _clause(rng: random.Random) -> str:
    """Han characters, sometimes quoted or bracketed, sometimes with digits or Latin inside."""
    text = "".join(rng.choice(HAN) for _ in range(rng.randint(1, 30)))
    if rng.random() < 0.25:
        at = rng.randint(0, len(text))
        text = f"{text[:at]}{rng.choice(LATIN)}{text[at:]}"
    if rng.random() < 0.25:
        left, right = rng.choice(PAIRS)
        text = f"{left}{text}{right}"
    return text


def paragraph(rng: random.Random, length: int) -> str:
    """About ``length`` characters of clauses, each closed by a punctuation mark; a sentence
    ends in 。 (sometimes 。” or ）。), so every mark lands at every place of a line over many."""
    parts: list[str] = []
    while sum(map(len, parts)) < length:
        parts.append(_clause(rng) + rng.choice("，，，、；：。。？！"))
    text = "".join(parts)
    return text[:-1] + "。" if text[-1] in "，、；：" else text


def report_with_texts(report: Report, seed: int) -> Report:
    """The report with its free-text paragraphs replaced by generated ones (seeded)."""
    rng = random.Random(seed)
    intro = [paragraph(rng, rng.randint(40, 400)) for _ in range(3)]
    overview = report.overview.model_copy(update={"intro": intro})
    problems = [paragraph(rng, rng.randint(40, 300)) for _ in range(2)]
    return report.model_copy(update={"overview": overview, "problems": problems,
                                     "other_matters": [paragraph(rng, 120)]})


def body_paragraphs(docx: bytes) -> list[str]:
    """The text of every paragraph outside the tables, whitespace removed, in order."""
    found = []
    for p in part(docx, "word/document.xml").iter(w("p")):
        if any(a.tag == w("tbl") for a in p.iterancestors()):
            continue
        text = "".join("".join(t.text or "" for t in p.iterfind(".//w:t", NS)).split())
        if text:
            found.append(text)
    return found


def docx_characters(docx: bytes) -> str:
    """Every character of the document body, tables included, whitespace removed."""
    root = part(docx, "word/document.xml")
    return "".join("".join(t.text or "" for t in root.iter(w("t"))).split())


def pdf_text(pdf: Path, *options: str) -> list[str]:
    """``pdftotext`` of every page, without the page-number line (「— 2 —」)."""
    text = subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return ["\n".join(line for line in page.splitlines()
                      if not PAGE_NUMBER.fullmatch(line.strip()))
            for page in text.split("\f")]


def squeezed(text: str) -> str:
    return "".join(text.split())




def width(text: str) -> float:
    """Printed width in body characters: CJK, full-width and quotes 1, other characters ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5
               for c in text if not c.isspace())


def full_lines(pdf: Path) -> list[tuple[bool, str, str]]:
    """(indented, text, the next line's text) of every full body line: a line followed by more
    of its paragraph, which starts at the margin (first lines are indented two characters,
    table rows spaced)."""
    full = []
    for page in pdf_text(pdf, "-layout"):
        lines = [line for line in page.splitlines() if line.strip()]
        for line, following in pairwise(lines):
            if following.startswith(" ") or "  " in line.strip() or "  " in following.strip():
                continue
            if width(line) >= 20:
                full.append((line.startswith(" "), squeezed(line), squeezed(following)))
    return full


def _no_break(before: str, after: str) -> bool:
    """The line may not break between ``before`` and ``after``: before a closing mark, after an
    opening one (GB/T 15834, LibreOffice's zh-CN rules), inside a number or Latin word, or
    between a closing mark and a number or Latin word (as LibreOffice does: 「。100%」)."""
    return (after in CLOSING or before in OPENING
            or (after.isascii() and (before.isascii() or before in CLOSING)))


def _next_unit(following: str) -> str:
    """The start of the next line up to its first place a line may break."""
    j = 1
    while j < len(following) and _no_break(following[j - 1], following[j]):
        j += 1
    return following[:j]


def line_fault(indented: bool, text: str, following: str, per_line: int = 28) -> str | None:
    """What is wrong with a full body line, or None: it holds ``per_line`` characters (less the
    first line's two-character indent), never more (no punctuation hangs in the margin), and
    fewer only when the next line's first unbreakable piece (a character with the closing mark
    it carries, an opening mark, a number) would not have fitted."""
    expected = per_line - 2 if indented else per_line
    if any(c.isascii() for c in text):
        # Digits and Latin letters are about half as wide (w and m more), plus the space
        # around them.
        letters = sum(c.isascii() and c.isalpha() for c in text)
        low = expected - 2 - width(_next_unit(following)) - letters / 4
        if not low <= width(text) <= expected + 0.5:
            return f"{width(text)} characters wide: {text} / {following}"
        return None
    if len(text) > expected:
        return f"{len(text)} characters (one hangs in the margin): {text}"
    unit = _next_unit(following)
    room = expected - len(text)
    # How wide a number or Latin word prints is not known well enough to say it would fit.
    fits = width(unit) <= room and not any(c.isascii() for c in unit)
    if fits:
        return f"{len(text)} characters, though 「{unit}」 would have fitted: {text} / {following}"
    return None
