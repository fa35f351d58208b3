"""A list of publication dates (「--published 发布日期.csv」): organ, date, one a line.

The list comes from a portal's column page or a clerk's spreadsheet, saved as CSV by Excel or WPS:
UTF-8 (with or without BOM), GBK, or UTF-16 (Excel's 「Unicode 文本」, tab-separated). Dates as
people type them: 2025-01-23, 2025/1/23, 2025.1.23, 2025年1月23日.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.inputs.source import read_bytes

MAX_LIST_BYTES = 4 * 1024 * 1024
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\S+)?")
_HEADER_WORDS = ("机关", "单位", "名称", "日期", "时间")


def _decoded(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise XxgkError.single(
        "audit/published-encoding", "发布日期清单的编码无法识别；请在 Excel 或 WPS 中另存为"
        "「CSV UTF-8」", name,
    )


def parse_date(text: str) -> dt.date | None:
    """A date as typed (2025-01-23, 2025/1/23, 2025年1月23日, a time after it allowed)."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def read_published(path: Path) -> dict[str, dt.date]:
    """Organ name → publication date; XxgkError naming the file and line of every bad row."""
    name = str(path)
    text = _decoded(read_bytes(path, MAX_LIST_BYTES), name)
    dialect = "excel-tab" if "\t" in text.split("\n", 1)[0] else "excel"
    dates: dict[str, dt.date] = {}
    problems = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect=dialect), 1):
        cells = [c.strip().lstrip("\ufeff") for c in row]
        if not any(cells):
            continue
        organ, when = [*cells, "", ""][:2]
        date = parse_date(when)
        if date is None:
            if number == 1 and any(w in "".join(cells) for w in _HEADER_WORDS):
                continue  # the header row
            problems.append(_problem(
                name, number,
                f"「{when}」不是日期；每行应为：机关名称,发布日期（如 沭阳县财政局,2026-01-20）",
            ))
            continue
        if organ in dates and dates[organ] != date:
            problems.append(_problem(name, number, f"「{organ}」有两个不同的发布日期"))
        dates[organ] = date
    if problems:
        raise XxgkError(problems)
    return dates


def _problem(name: str, line: int, message: str) -> Finding:
    return Finding("audit/published-row", Severity.ERROR, Location((), name, line), message)
