"""The table styles, none of them our template's: each a set of choices on the national layout,
with a little random variation of its own (fonts, widths, fills) per report."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from tests.layoutgen.layout import Document
from tests.layoutgen.national import Choices, document_blocks
from tests.layoutgen.truth import Truth

FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "仿宋_GB2312", "宋体")


def _wps(rng: random.Random) -> tuple[Choices, dict[str, object]]:
    """As WPS prints: a white or light fill behind every text line, the organ alone on the
    title's first line, 表二 as four small tables, 「— 3 —」 footers."""
    return (Choices(table2_split=True, title_lines=2, long_overview=rng.randint(1, 3),
                    repeat_header=rng.random() < 0.5),
            {"line_fill": rng.choice(("FFFFFF", "FFFFFF", "F2F2F2", "FAFAFA")),
             "footer": "dash", "font": "仿宋_GB2312"})


def _narrow(rng: random.Random) -> tuple[Choices, dict[str, object]]:
    """Narrow number columns (big numbers wrap), headings wrapped, a small sans font."""
    return (Choices(number_width=rng.choice((0.8, 0.9, 1.0)), header_wrap=True,
                    label_widths=(0.9, 1.4, rng.choice((3.2, 4.0))), font_size=9.0,
                    table4_widths=0.85, caption_tables=True),
            {"font": "Noto Sans CJK SC", "size": 12.0})


def _six_one_row(rng: random.Random) -> tuple[Choices, dict[str, object]]:
    """（六）其他处理 printed as one row with its total; wide label columns; fee with 6 decimals."""
    return (Choices(six_one_row=True, label_widths=(1.6, 2.4, 6.0), number_width=1.1,
                    fee_digits=rng.choice((6, 2, None)), long_overview=2),
            {"font": rng.choice(FONTS), "footer": "page"})


def _vertical(rng: random.Random) -> tuple[Choices, dict[str, object]]:
    """三、本年度办理结果 and the group labels written one character a line."""
    return (Choices(vertical_results=True, label_widths=(0.7, 0.7, 5.6),
                    number_width=1.5, table2_split=rng.random() < 0.5),
            {"font": "Noto Serif CJK SC", "heading_font": "Noto Sans CJK SC"})


def _split(rng: random.Random) -> tuple[Choices, dict[str, object]]:
    """表三 over a page break (a long 一 before it), its header repeated or not; rows that may
    break across the page."""
    return (Choices(long_overview=rng.randint(4, 9), repeat_header=rng.random() < 0.5,
                    font_size=11.0),
            {"font": rng.choice(FONTS), "size": 15.0, "footer": rng.choice(("dash", "page"))})


def _typos(rng: random.Random) -> tuple[Choices, dict[str, object]]:
    """Misspelt labels (a character missing or wrong), the rest as usual."""
    return (Choices(typos=0.6, label_widths=(1.3, 1.9, 4.6)),
            {"font": rng.choice(FONTS), "line_fill": rng.choice((None, "FFFFFF"))})


def _unruled(rng: random.Random) -> tuple[Choices, dict[str, object]]:
    """Tables without ruling lines: cells only by alignment."""
    return (Choices(borders=False, number_width=1.3), {"font": "AR PL UKai CN"})


STYLES: dict[str, Callable[[random.Random], tuple[Choices, dict[str, object]]]] = {
    "wps": _wps,
    "narrow": _narrow,
    "six-one-row": _six_one_row,
    "vertical": _vertical,
    "split": _split,
    "typos": _typos,
    "unruled": _unruled,
}


def layout(truth: Truth, style: str, rng: random.Random) -> tuple[Document, Choices]:
    """The document of a report in a style, with the choices it was made with."""
    choices, settings = STYLES[style](rng)
    if rng.random() < 0.2:  # any style may also misspell a label or two
        choices = replace(choices, typos=max(choices.typos, 0.15))
    blocks = document_blocks(truth, choices, rng)
    return Document(blocks=blocks, **settings), choices  # type: ignore[arg-type]
