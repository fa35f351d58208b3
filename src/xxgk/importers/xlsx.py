"""Our own workbook (.xlsx written by ``xxgk build``) → Report: every number, the text, the header.

The layout comes from ``xxgk.xlsx_layout``, the same data the renderer wrote it with. Every label
cell is compared with what the renderer wrote, so a workbook whose rows were moved is refused rather
than misread. Totals that are formulas (as xxgk writes them) are ignored: the model computes them
from the numbers entered. A total typed as a number (a clerk overwrote the formula, or a layout-1
workbook) is kept as a stated total where it differs from the sum of its parts: the checks then
report it. Findings name the cell (``表三 申请处理!D5``) as well as the place in the report.

Only what a reader of the workbook sees is read, and only what a clerk typed: a formula where a
number is entered is an error and the cell reads blank (its cached value may be anything, and an
external reference is another file's number); a formula in a text cell (机关名称, 正文) is refused
the same way, never read as its source text; a hidden sheet, and a number format that shows
another number than the cell holds (``0%``, ``"7"``, a date, a scaled ``0,``), are errors too.
The workbook is read in read-only mode, each sheet only as far as its layout reaches (正文 up to
``MAX_TEXT_ROWS``), so a cell at ``正文!D1048576`` costs nothing; counts and the fee typed as text
are read by the data file's own grammar (``inputs.numbers``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook import Workbook
from pydantic import ValidationError

from xxgk import labels
from xxgk import xlsx_layout as layout
from xxgk.errors import Finding, XxgkError, error, warning
from xxgk.importers import ImportResult
from xxgk.importers.xlsx_text import read_text
from xxgk.importers.xlsx_visible import SheetVisibility, sheet_visibility, unseen_colour
from xxgk.inputs import numbers
from xxgk.inputs.numbers import read_count
from xxgk.inputs.printable import shown
from xxgk.inputs.source import read_bytes
from xxgk.model import (
    ApplicantCounts,
    Count,
    DocumentCounts,
    DocumentHeader,
    Report,
    ReviewOutcomes,
    Table2,
    Table3,
    Table4,
    sum_or_none,
)

MAX_TEXT_ROWS = 20_000  # 正文 rows read: a report has a few hundred paragraphs and continuations
EXCEL_ROWS = 1_048_576
COVER_ROWS = 60  # 封面: its fields and the list of sheets
MAX_WORKBOOK_BYTES = 100 * 1024 * 1024  # the zip limits' inflated total: no larger file is read
# Number formats that show an entered count or fee as the number it is (a grouping comma at most),
# once what only pads or colours is set aside: `_)` and `* ` (padding, fill), `[Red]` (colour).
_FAITHFUL_FORMATS = re.compile(r"(General|@|0|#,##0)(\.0+)?\Z", re.IGNORECASE)
_PADDING = re.compile(r"_.|\*.|\[(?:Black|Blue|Cyan|Green|Magenta|Red|White|Yellow|Color\d+)\]",
                      re.IGNORECASE)


def shows_itself(fmt: str, value: float) -> bool:
    """True when the number format shows this (non-negative) value as the number it is: the
    section Excel uses for it (the third for zero when there is one) is a plain number format.
    Conditions (``[>5]``), literal text, percent, scaling, dates and exponents are not."""
    sections = fmt.split(";")
    if len(sections) > 4:
        return False
    section = sections[2] if value == 0 and len(sections) >= 3 else sections[0]
    return bool(_FAITHFUL_FORMATS.match(_PADDING.sub("", section).strip()))
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")


def place(finding: Finding, cells: dict[tuple[str, ...], str] | None = None) -> Finding:
    """A finding about a workbook's report, with the cell(s) that hold its place.

    ``cells`` are the places found while reading (正文's rows); the tables' are fixed.
    """
    if finding.location.cell is not None:
        return finding
    parts = finding.location.parts
    for end in range(len(parts), 0, -1):  # the place, or the nearest one around it
        cell = layout.cell_of(parts[:end]) or (cells or {}).get(parts[:end])
        if cell is not None:
            return finding.in_cell(cell)
    return finding


def read(path: Path) -> ImportResult:
    """The report stored in one of our workbooks; XxgkError when the file is not one."""
    sheets = _Sheets(read_bytes(path, MAX_WORKBOOK_BYTES), path)
    _require_ours(sheets, path)
    reader = _Reader(sheets, path)
    report = reader.report()
    findings = [place(f, reader.cells) for f in reader.findings]
    return ImportResult(report, report.format_version, findings, reader.cells)


def _open(data: bytes, path: Path, *, data_only: bool = False) -> Workbook:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features of other tools' workbooks it does not keep; we read
            # only values, so the warnings say nothing about what we import.
            warnings.simplefilter("ignore")
            # Read-only: cells stream from the sheet's XML, and only the rows asked for are kept.
            return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:
        # openpyxl raises whatever its parsing meets in a damaged package: not a usable .xlsx.
        raise XxgkError.single(
            "import/unreadable-workbook",
            f"无法打开工作簿「{path.name}」：文件已损坏或不是 .xlsx 格式（{type(exc).__name__}）",
            str(path),
        ) from exc


@dataclass(frozen=True)
class _Cell:
    """One cell as stored: a formula's text (``formula``) and its value as last saved."""

    value: Any
    formula: bool = False
    number_format: str = "General"
    cached: Any = None
    unseen: str | None = None  # why a reader cannot see it (hidden row, white on white …)


_EMPTY = _Cell(None)


class _Sheets:
    """The cells of our sheets, each read once in read-only mode as far as its layout reaches."""

    def __init__(self, data: bytes, path: Path) -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._read(data, path)
        except XxgkError:
            raise
        except Exception as exc:  # a damaged sheet part surfaces only while it streams
            raise XxgkError.single(
                "import/unreadable-workbook",
                f"无法读取工作簿「{path.name}」：文件已损坏（{type(exc).__name__}）",
                str(path),
            ) from exc

    def _read(self, data: bytes, path: Path) -> None:
        stored, saved = _open(data, path), _open(data, path, data_only=True)
        try:
            sheets = {ws.title: ws for ws in stored.worksheets if hasattr(ws, "iter_rows")}
            self.missing = [name for name in layout.SHEETS if name not in sheets]
            self.hidden = [name for name in layout.SHEETS[:-1]  # 校验 is never read
                           if name in sheets and sheets[name].sheet_state != "visible"]
            self.cells: dict[str, dict[str, _Cell]] = {}
            self.text_rows: list[tuple[int, tuple[_Cell, ...]]] = []
            self.text_beyond = False
            if self.missing:
                return
            extents = {layout.SHEET_COVER: (1, COVER_ROWS, 2)}
            for grid in layout.GRIDS:
                extents[grid.sheet] = (1, layout.excel_row(grid.rows - 1), grid.cols)
            for name, (first, last, cols) in extents.items():
                self.cells[name] = {
                    f"{get_column_letter(c)}{r}": cell
                    for r, row in _rows(sheets[name], saved[name], first, last, cols,
                                        _visibility(sheets[name], last))
                    for c, cell in enumerate(row, 1) if cell is not _EMPTY
                }
            first, cols = layout.TEXT_FIRST_ROW, layout.TEXT_READ_COLUMNS
            last = first + MAX_TEXT_ROWS - 1
            text, text_saved = sheets[layout.SHEET_TEXT], saved[layout.SHEET_TEXT]
            self.text_rows = list(_rows(text, text_saved, first, last, cols,
                                        _visibility(text, last)))
            # Rows past the limit are streamed (not kept) only to say that they were not read.
            self.text_beyond = any(
                v is not None for row in text.iter_rows(min_row=last + 1, max_row=EXCEL_ROWS,
                                                        max_col=cols, values_only=True)
                for v in row)  # the sheet's declared dimension may lie: Excel's own last row
        finally:
            stored.close()
            saved.close()

    def cell(self, sheet: str, ref: str) -> _Cell:
        """The cell at ``ref`` of a sheet read (an empty one where nothing is stored)."""
        return self.cells.get(sheet, {}).get(ref, _EMPTY)


def _visibility(ws: Any, last: int) -> SheetVisibility:
    """The sheet's hidden rows (up to ``last``) and columns, from its XML streamed once more."""
    with ws._get_source() as source:  # read-only openpyxl keeps no row/column dimensions
        return sheet_visibility(source, last)


def _rows(ws: Any, saved: Any, first: int, last: int, cols: int, visibility: SheetVisibility
          ) -> Iterator[tuple[int, tuple[_Cell, ...]]]:
    """The rows ``first``..``last`` of a sheet, ``cols`` wide, each cell with its saved value
    and, when a reader cannot see it, why."""
    stored_rows = ws.iter_rows(min_row=first, max_row=last, max_col=cols)
    saved_rows = saved.iter_rows(min_row=first, max_row=last, max_col=cols, values_only=True)
    for r, (row, values) in enumerate(zip(stored_rows, saved_rows, strict=False), first):
        cells = []
        for c, cell in enumerate(row):
            if cell.value is None:
                cells.append(_EMPTY)
                continue
            fmt = cell.number_format or "General"
            unseen = visibility.hides(r, c + 1) or unseen_colour(cell, fmt)
            cells.append(_Cell(cell.value, cell.data_type == "f", fmt,
                               values[c] if c < len(values) else None, unseen))
        yield r, tuple(cells)


def _require_ours(sheets: _Sheets, path: Path) -> None:
    missing = sheets.missing
    mark = _cover_values(sheets).get(layout.COVER_MARK) if not missing else None
    mark = None if isinstance(mark, _Cell) else mark
    expected = f"{layout.WORKBOOK_MARK} {layout.WORKBOOK_LAYOUT}"
    readable = {f"{layout.WORKBOOK_MARK} {n}" for n in layout.READABLE_LAYOUTS}
    if mark in readable:
        return
    if not missing and str(mark or "").startswith(f"{layout.WORKBOOK_MARK} "):
        raise XxgkError.single(
            "import/not-our-workbook",
            f"「{path.name}」由其他版本的 xxgk 生成（{layout.COVER_MARK}：{shown(str(mark))}），"
            f"本版本只能读取「{expected}」；请用相同版本的 xxgk 导入",
            str(path),
        )
    reason = (f"缺少工作表「{'」「'.join(missing)}」" if missing
              else f"封面的「{layout.COVER_MARK}」应为「{expected}」，"
                   f"实际为「{shown(str(mark or ''))}」")
    raise XxgkError.single(
        "import/not-our-workbook",
        f"「{path.name}」不是 xxgk 生成的年报工作簿（{reason}），无法导入；"
        "请导入 xxgk build 生成的 .xlsx，或改用数据文件",
        str(path),
    )


def _cover_values(sheets: _Sheets) -> dict[str, Any]:
    """封面's fields: column A names → column B values (the first occurrence of each name); a
    formula in column B stays a :class:`_Cell` for the reader to refuse with its place."""
    values: dict[str, Any] = {}
    for r in range(2, COVER_ROWS + 1):
        name = sheets.cell(layout.SHEET_COVER, f"A{r}").value
        cell = sheets.cell(layout.SHEET_COVER, f"B{r}")
        if isinstance(name, str) and name.strip() and name.strip() not in values:
            values[name.strip()] = cell if cell.formula or cell.unseen else cell.value
    return values


def _cover_refs(sheets: _Sheets) -> dict[str, str]:
    """Where each 封面 field's value stands (``封面!B3``)."""
    refs: dict[str, str] = {}
    for r in range(2, COVER_ROWS + 1):
        name = sheets.cell(layout.SHEET_COVER, f"A{r}").value
        if isinstance(name, str) and name.strip():
            refs.setdefault(name.strip(), f"{layout.SHEET_COVER}!B{r}")
    return refs


def _text(value: Any) -> str | None:
    """A text cell's value (a number a clerk typed into a text cell is taken as its digits)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def _shows_number(fmt: str, value: Any) -> bool:
    # A date or time in a number cell is never the count it stands for.
    return isinstance(value, int | float) and (value < 0 or shows_itself(fmt, value))


def _formula_message(cell: _Cell, entry: bool) -> str:
    """Why a formula is not read, and the fix."""
    source = shown(str(getattr(cell.value, "text", cell.value)), 60)
    saved = "" if cell.cached is None else f"（保存的计算结果为「{shown(str(cell.cached), 40)}」）"
    where = "引用了其他工作簿" if "[" in source else "是公式"
    if entry:
        return (f"此处{where}「{source}」{saved}，不是填写的数字；公式的结果可能已过时，"
                "年报只读填写的值，本格按未填处理：请把公式换成数字")
    return (f"此处{where}「{source}」{saved}，不是填写的文字；本格按未填处理："
            "请把公式换成它应显示的文字")


class _Reader:
    """Reads one workbook, collecting a finding for every cell it could not read."""

    def __init__(self, sheets: _Sheets, path: Path) -> None:
        self.sheets = sheets
        self.path = path
        self.findings: list[Finding] = []
        self.cells: dict[tuple[str, ...], str] = {}
        for name in sheets.hidden:
            self.findings.append(error(
                "import/hidden-sheet", (name,),
                f"工作表「{name}」被隐藏，读者看不到其中的内容；请在 Excel 或 WPS 中取消隐藏"
                "（右键工作表标签 →「取消隐藏」）并核对后再导入"))
        if sheets.text_beyond:
            self.findings.append(error(
                "import/too-many-rows", (layout.SHEET_TEXT,),
                f"「{layout.SHEET_TEXT}」超过 {MAX_TEXT_ROWS} 行，其后的内容未读取；"
                "请删去多余的行（段落不会有这么多）"))

    # ------------------------------------------------------------ cells

    def fail(
        self, code: str, parts: tuple[str, ...], message: str, cell: str | None = None
    ) -> None:
        """Record an error about a cell (the import goes on; the cell reads as blank)."""
        self.findings.append(error(code, parts, message).in_cell(cell))

    def is_formula(self, sheet: str, ref: str) -> bool:
        """True when the cell holds a formula (a total as xxgk writes it)."""
        return self.sheets.cell(sheet, ref).formula

    def value(self, sheet: str, ref: str, parts: tuple[str, ...]) -> Any:
        """A number cell's value as entered: a formula, or a number shown as another, is refused
        (an error; the cell reads blank)."""
        cell = self.sheets.cell(sheet, ref)
        where = f"{sheet}!{ref}"
        if cell.unseen:
            self.fail("import/unseen-cell", parts, _unseen_message(cell), where)
            return None
        if cell.formula:
            self.fail("import/formula-in-entry", parts, _formula_message(cell, True), where)
            return None
        fmt = cell.number_format
        if (isinstance(cell.value, int | float | dt.datetime | dt.time)
                and not isinstance(cell.value, bool) and not _shows_number(fmt, cell.value)):
            self.fail("import/number-format", parts,
                      f"单元格的数字格式「{shown(fmt, 40)}」显示的不是单元格里的数"
                      f"（{shown(str(cell.value), 40)}），读者看到的是另一个数；本格按未填处理："
                      "请把格式改为「常规」或「数值」后核对", where)
            return None
        return cell.value

    def count(self, sheet: str, ref: str, parts: tuple[str, ...]) -> Count:
        """A non-negative integer, or None for a blank cell (the checks report blanks)."""
        value = self.value(sheet, ref, parts)
        where = f"{sheet}!{ref}"
        if isinstance(value, str):
            return self.count_text(value, sheet, parts, where)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail("import/not-integer", parts,
                      f"应为非负整数，实际为「{shown(str(value), 40)}」", where)
            return None
        if value < 0:
            self.fail("import/negative", parts, f"应为非负整数，实际为 {value}", where)
            return None
        return value

    def count_text(self, value: str, sheet: str, parts: tuple[str, ...], where: str) -> Count:
        """A count typed (or pasted) as text: read by the data file's own rules, with the same
        message and fix; a number stored as text is taken, saying what it does to the sheet."""
        if not value.strip():
            return None
        read = read_count(value)
        if read.error is not None:
            # Said as the data file says it: what full-width characters were read as, then why
            # it is still not a count and what to type.
            if read.warning is not None:
                code, message = read.warning
                self.findings.append(warning(code, parts, message).in_cell(where))
            code, message = read.error  # the data file's own code: the same mistake, one name
            self.fail(code, parts, message + _two_numbers_hint(value), where)
            return None
        assert read.value is not None
        said = [f"数字以文本格式保存，已按数字 {read.value} 读取"]
        if read.warning is not None:
            said.append(read.warning[1])
        if sheet in _SUMMED_SHEETS and read.value:
            said.append(
                f"Excel 和 WPS 的 SUM 不计文本：工作簿中的总计和「校验」表少算了这 {read.value}，"
                "可能显示勾稽不成立（xxgk 已计入）；请把此格改为数字（选中单元格，点旁边的"
                "「!」→「转换为数字」，或删除后重新输入）"
            )
        note = warning("import/number-as-text", parts, "；".join(said))
        self.findings.append(note.in_cell(where))
        return read.value

    def amount(self, sheet: str, ref: str, parts: tuple[str, ...]) -> Decimal | None:
        """A non-negative amount in 万元, exactly as the cell holds it (text by the data file's
        grammar)."""
        value = self.value(sheet, ref, parts)
        where = f"{sheet}!{ref}"
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            read = numbers.read_fee(value)
            if read.error is not None:
                self.fail(read.error[0], parts, read.error[1], where)
            return read.value
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value \
                or value in (float("inf"), float("-inf")) or value < 0:
            self.fail("import/not-an-amount", parts,
                      f"应为非负金额（万元），实际为「{shown(str(value), 40)}」", where)
            return None
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def text(self, value: Any, parts: tuple[str, ...], where: str) -> str | None:
        """A text field's value; a formula is refused (its source is not what a reader sees), and
        so is text a reader cannot see."""
        if isinstance(value, _Cell) and value.unseen:
            self.fail("import/unseen-cell", parts, _unseen_message(value), where)
            return None
        if isinstance(value, _Cell):
            self.fail("import/formula-in-text", parts, _formula_message(value, False), where)
            return None
        return _text(value)

    # ------------------------------------------------------------ layout

    def check_labels(self) -> None:
        """Refuse a workbook whose table labels are not where the renderer put them."""
        moved = []
        for grid in layout.GRIDS:
            for span in grid.labels:
                ref = layout.cell_ref(span.row, span.col)
                actual = self.sheets.cell(grid.sheet, ref).value
                if _norm(actual) != _norm(span.text):
                    moved.append(
                        f"{grid.sheet}!{ref} 应为「{span.text}」，实际为「{actual or ''}」")
        if moved:
            more = f" 等 {len(moved)} 处" if len(moved) > 3 else ""
            raise XxgkError.single(
                "import/changed-layout",
                f"工作簿「{self.path.name}」的表格结构被改动（插入、删除或移动了行列），"
                f"无法按位置读取数字：{'；'.join(moved[:3])}{more}",
                str(self.path),
            )

    # ------------------------------------------------------------ the report

    def report(self) -> Report:
        """The whole report: cover, the three tables and the text."""
        self.check_labels()
        cover = {name: self.cover_text(name, value)
                 for name, value in _cover_values(self.sheets).items()}
        organ = cover.get(layout.COVER_ORGAN)
        year = self.year(cover.get(layout.COVER_YEAR))
        fmt = cover.get(layout.COVER_FORMAT) or labels.FORMAT_2021
        if not organ or year is None or fmt not in labels.FORMAT_VERSIONS:
            raise XxgkError([place(f).with_file(str(self.path)) for f in
                             [*self.findings, *self._cover_errors(organ, year, fmt)]])
        title = cover.get(layout.COVER_TITLE)
        default_title = f"{organ}{year}年{labels.TITLE_SUFFIX}"
        overview, problems, other = read_text(self.text_rows(), self.findings, self.cells)
        try:
            return Report(
                format_version=fmt,
                organ=organ,
                year=year,
                title=None if title in (None, default_title) else title,
                header=self.header(cover),
                overview=overview,
                table2=self.table2(),
                table3=self.table3(),
                table4=self.table4(),
                problems=problems,
                other_matters=other,
            )
        except ValidationError as exc:  # pragma: no cover - every field is typed above
            raise XxgkError.single(
                "import/invalid", f"工作簿内容无效：{exc}", str(self.path)) from exc

    def cover_text(self, name: str, value: Any) -> str | None:
        """A cover field as text (a date cell stays a date); a formula refused at its cell."""
        if isinstance(value, dt.date | int | float) and name == layout.COVER_DATE:
            return value  # type: ignore[return-value]  # 成文日期 is read as a date below
        where = _cover_refs(self.sheets).get(name)
        return self.text(value, (layout.SHEET_COVER, name), where or layout.SHEET_COVER)

    def text_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """正文's rows as values; a formula is refused at its cell and reads blank."""
        for r, cells in self.sheets.text_rows:
            values = []
            for c, cell in enumerate(cells, 1):
                if cell.formula or cell.unseen:
                    values.append(self.text(cell, (layout.SHEET_TEXT,),
                                            f"{layout.SHEET_TEXT}!{get_column_letter(c)}{r}"))
                else:
                    values.append(cell.value)
            yield r, tuple(values)

    def _cover_errors(self, organ: str | None, year: int | None, fmt: str) -> list[Finding]:
        where = (layout.SHEET_COVER,)
        found = []
        if not organ:
            found.append(error("import/missing-value", (*where, layout.COVER_ORGAN),
                               "机关名称不能为空"))
        if year is None:
            found.append(error("import/missing-value", (*where, layout.COVER_YEAR),
                               "年度应为四位数字，如 2025"))
        if fmt not in labels.FORMAT_VERSIONS:
            found.append(error("import/unknown-format", (*where, layout.COVER_FORMAT),
                               f"格式版本应为 {' 或 '.join(labels.FORMAT_VERSIONS)}，"
                               f"实际为「{fmt}」"))
        return [f.with_file(str(self.path)) for f in found]

    def year(self, value: Any) -> int | None:
        """The report year from the cover (a number or its digits)."""
        text = _text(value)
        if text is None or not re.fullmatch(r"\d{4}", text.strip()):
            return None
        return int(text)

    def header(self, cover: dict[str, Any]) -> DocumentHeader:
        """文头 fields from the cover."""
        return DocumentHeader(
            issuer_mark=_text(cover.get(layout.COVER_ISSUER_MARK)),
            doc_number=_text(cover.get(layout.COVER_DOC_NUMBER)),
            date=self.date(cover.get(layout.COVER_DATE)),
            signer=_text(cover.get(layout.COVER_SIGNER)),
        )

    def date(self, value: Any) -> dt.date | None:
        """成文日期: a date cell, a serial number or text such as 2026-01-15 / 2026年1月15日."""
        if value is None or isinstance(value, dt.date):
            return value.date() if isinstance(value, dt.datetime) else value
        parts = (layout.SHEET_COVER, layout.COVER_DATE)
        if isinstance(value, int | float) and not isinstance(value, bool):
            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else None
        text = unicodedata.normalize("NFKC", str(value)).strip()
        match = _CHINESE_DATE.fullmatch(text)
        try:
            if match:
                return dt.date(*(int(g) for g in match.groups()))
            return dt.date.fromisoformat(text) if text else None
        except ValueError:
            self.fail("import/bad-date", parts,
                      f"成文日期应为日期（如 2026-01-15），实际为「{value}」")
            return None

    def table2(self) -> Table2:
        """表二 from its sheet."""
        fields: dict[str, Any] = {}
        documents: dict[str, dict[str, Count]] = {}
        for cell in layout.TABLE2_CELLS:
            ref = layout.cell_ref(cell.span.row, cell.span.col)
            parts = ("表二", *cell.path)
            if cell.part is not None:
                documents.setdefault(cell.field, {})[cell.part] = self.count(
                    layout.SHEET_TABLE2, ref, parts)
            elif cell.field == "fees":
                fields[cell.field] = self.amount(layout.SHEET_TABLE2, ref, parts)
            else:
                fields[cell.field] = self.count(layout.SHEET_TABLE2, ref, parts)
        fields.update({name: DocumentCounts(**values) for name, values in documents.items()})
        return Table2(**fields)

    def table3_row(self, grid_row: int, path: tuple[str, ...]) -> tuple[list[Count], Count]:
        """One row of 表三: its six applicant numbers and the 总计 it shows."""
        values = []
        for c in range(len(labels.TABLE3_COLUMNS) + 1):
            ref = layout.cell_ref(grid_row, layout.TABLE3_FIRST_VALUE_COL + c)
            name = ([*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL])[c]
            total = layout.one(grid_row, layout.TABLE3_FIRST_VALUE_COL + c) in _TABLE3_TOTALS
            read = self.entered if total else self.count
            values.append(read(layout.SHEET_TABLE3, ref, ("表三", *path, name)))
        return values[:-1], values[-1]

    def entered(self, sheet: str, ref: str, parts: tuple[str, ...]) -> Count:
        """A count as entered; a formula (a total xxgk wrote) is not an entry and reads blank."""
        return None if self.is_formula(sheet, ref) else self.count(sheet, ref, parts)

    def table3(self) -> Table3:
        """表三 from its sheet; a shown total that is not the sum of its parts is kept as stated."""
        rows: dict[str, ApplicantCounts] = {}
        for row in labels.TABLE3_ROWS:
            cells, total = self.table3_row(row.grid_row, row.path)
            rows[row.id] = ApplicantCounts(cells=tuple(cells),  # type: ignore[arg-type]
                                           stated_total=_differing(total, sum_or_none(cells)))
        table = Table3(rows=rows)
        path = (labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
        cells, total = self.table3_row(labels.TABLE3_RESULTS_TOTAL_GRID_ROW, path)
        stated = _differing(total, sum_or_none(cells))
        formulas = all(v is None for v in cells)  # the formulas xxgk wrote: nothing stated
        if (formulas or tuple(cells) == table.results_total()) and stated is None:
            return table
        results = ApplicantCounts(cells=tuple(cells), stated_total=stated)  # type: ignore[arg-type]
        return Table3(rows=rows, stated_results_total=results)

    def table4(self) -> Table4:
        """表四 from its sheet; a shown 总计 that is not the sum of its four is kept as stated."""
        blocks = {}
        for b, block in enumerate(labels.TABLE4_BLOCKS):
            values = []
            names = [*(n for _, n in labels.TABLE4_OUTCOMES), labels.TABLE4_TOTAL]
            for k, name in enumerate(names):
                ref = layout.cell_ref(layout.TABLE4_VALUE_ROW, layout.table4_col(b, k))
                read = self.entered if k == len(names) - 1 else self.count
                values.append(read(layout.SHEET_TABLE4, ref, ("表四", *block.path, name)))
            upheld, corrected, other, pending, total = values
            blocks[block.id] = ReviewOutcomes(
                upheld=upheld, corrected=corrected, other=other, pending=pending,
                stated_total=_differing(total, sum_or_none(values[:-1])),
            )
        return Table4(**blocks)


_TABLE3_TOTALS = layout.TABLE3.total_spans
# Sheets whose counts feed a SUM (a total or a 校验 rule): a number stored as text is left out.
_SUMMED_SHEETS = (layout.SHEET_TABLE3, layout.SHEET_TABLE4)
_SEPARATORS = "，、；;"


def _unseen_message(cell: _Cell) -> str:
    return (f"单元格里有「{shown(str(cell.value), 40)}」，但{cell.unseen}；本格按未填处理："
            "请取消隐藏（或改回正常的字体颜色）并核对后再导入，读者看不到的内容不应算作报告的内容")


def _two_numbers_hint(value: str) -> str:
    """What a full-width comma (or 、；) in a number cell means: two numbers in one cell, or a
    thousands separator typed by an input method."""
    found = [c for c in _SEPARATORS if c in value]
    if not found:
        return ""
    names = {"，": "全角逗号「，」", "、": "顿号「、」", "；": "全角分号「；」", ";": "分号「;」"}
    return (f"（其中的{'、'.join(names[c] for c in found)}：一格只填一个数，"
            "几个数请分别填入各自的格；千位也不加分隔符）")


def _differing(shown: Count, computed: Count) -> Count:
    """The shown total when it is not the computed one (then the checks compare them), else None."""
    return None if shown == computed else shown


def _norm(text: Any) -> str:
    """A label compared loosely: spaces and line breaks a clerk's editor may add do not count."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(text or "")))
