"""The audit workbook a supervisor files: 总表 first, then one sheet per list and per rule.

The SpreadsheetML is written directly as strings (inline strings, eight fixed cell styles) rather
than through openpyxl: an audit of a thousand reports has some fifty thousand cells, and openpyxl's
per-cell objects took seconds where string joins take a fraction of one. The parts are zipped in a
fixed order with fixed dates, so the same records give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from xxgk.audit import Sheet
from xxgk.audit.table import COPIED_COLUMN, Value
from xxgk.render.clean import clean_text
from xxgk.render.xlsx.style import MAX_ROW_HEIGHT, text_height, text_width
from xxgk.render.zipfix import Deflated, core_xml, write_zip

MIN_WIDTH, MAX_WIDTH, WIDE_WIDTH = 6.0, 40.0, 60.0
ENTRY_WIDTH, ENTRY_WIDE_WIDTH = 10.0, 24.0  # 复核/整改状态; 复核说明/责任单位/整改反馈
DEFAULT_HEIGHT = 15.0  # points: one line of 11 pt
SHEET_NAME_LIMIT = 31  # Excel's
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
PAPER_A3, PAPER_A4 = 8, 9

# Cell style indexes into styles.xml's cellXfs (see _STYLES).
TITLE, HEADER, TEXT, NUMBER, PERCENT = 1, 2, 3, 4, 5
RED, YELLOW = 3, 6  # added to TEXT, NUMBER or PERCENT: the same style with that fill

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_FONT = '<font><sz val="11"/><name val="{name}"/><charset val="134"/>{bold}</font>'
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0%"/></numFmts>'
    '<fonts count="4">'
    + _FONT.format(name="宋体", bold="")
    + _FONT.format(name="仿宋_GB2312", bold="")
    + _FONT.format(name="宋体", bold="")
    + _FONT.format(name="仿宋_GB2312", bold="<b/>")
    + "</fonts>"
    '<fills count="5"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    # Excel's own 「浅红填充」 for failing rows; a pale blue under the headings.
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/></patternFill></fill>'
    # Excel's own 「黄填充」: a change worth a look, not a rule broken.
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="12">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"'
    ' applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    + "".join(
        f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
        f' applyNumberFormat="1" applyFont="1" applyFill="1" applyAlignment="1">'
        f'<alignment vertical="top"{wrap}/></xf>'
        for fill in (0, 2, 4)
        for fmt, font, wrap in ((0, 1, ' wrapText="1"'), (0, 2, ""), (164, 2, ""))
    )
    + "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts (no []:*?/\\, at most 31 characters), unique in the workbook."""
    # Excel also refuses a name that begins or ends with an apostrophe.
    base = _NOT_IN_SHEET_NAMES.sub("·", name)[:SHEET_NAME_LIMIT].strip("'") or "表"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate, n = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def column_letter(index: int) -> str:
    """A, B, … Z, AA … for a 1-based column index."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _shown(value: Value) -> str:
    if isinstance(value, float):  # the copied share, shown as a percentage
        return f"{value:.0%}"
    return "" if value is None else str(value)


def _widest(texts: set[str], limit: float) -> float:
    """The width of the widest line (at most ``limit``), measuring only the lines that could be
    wider than the widest so far: a line is never wider than a full-width glyph per character."""
    em = text_width("\u4e00")
    lines = sorted({line for text in texts for line in text.split("\n")}, key=len, reverse=True)
    best = 0.0
    for line in lines:
        if len(line) * em <= best or best >= limit:
            break
        best = max(best, text_width(line))
    return best


def _widths(sheet: Sheet) -> list[float]:
    widths = []
    for i, column in enumerate(sheet.columns):
        limit = WIDE_WIDTH if column.wide else MAX_WIDTH
        data = _widest({_shown(r[i]) for r in sheet.rows}, limit)
        # A long heading over a column of numbers wraps onto two lines rather than widen it.
        heading = text_width(column.heading) / (2 if column.numeric else 1)
        # A column to fill in is as wide as what is usually written there, even while empty.
        least = (ENTRY_WIDE_WIDTH if column.wide else ENTRY_WIDTH) if column.entry else MIN_WIDTH
        widths.append(max(round(min(max(data, heading) + 2, limit), 1), least))
    return widths


def _height(texts: Sequence[str], widths: Sequence[float]) -> float | None:
    """Points a row needs to show its wrapped texts whole (None: the default height will do)."""
    needed = max((text_height(t, w) for t, w in zip(texts, widths, strict=True) if t), default=0.0)
    return min(needed, MAX_ROW_HEIGHT) if needed > DEFAULT_HEIGHT * 1.5 else None


def _text_cell(ref: str, style: int, text: str) -> str:
    return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
            f"{escape(clean_text(text)[0])}</t></is></c>")


def _cell(ref: str, value: Value, percent: bool, fill: int) -> str:
    extra = fill
    if isinstance(value, str) and value:
        return _text_cell(ref, TEXT + extra, value)  # never a formula: data stays data
    if value is None or value == "":
        return f'<c r="{ref}" s="{NUMBER + extra}"/>'
    if isinstance(value, bool):  # pragma: no cover - no boolean column
        value = int(value)
    number = format(value, "f") if isinstance(value, Decimal) else repr(value)
    style = (PERCENT if percent else NUMBER) + extra
    return f'<c r="{ref}" s="{style}"><v>{number}</v></c>'


def _row(n: int, cells: Iterator[str], height: float | None) -> str:
    ht = f' ht="{height:.1f}" customHeight="1"' if height else ""
    return f'<row r="{n}"{ht}>{"".join(cells)}</row>'


def header_row(sheet: Sheet) -> int:
    """The row of the column headings: after the title and its notes."""
    return 2 + len(sheet.all_notes())


def _choose(choices: Sequence[str]) -> str:
    return "请从列表中选择：" + "、".join(choices)


def _validations(sheet: Sheet, letters: list[str], first: int, last: int) -> str:
    """A drop-down list on each column filled in by choosing (复核: 确认/排除)."""
    rules = [
        f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
        f'errorTitle="{escape(c.heading)}" error={quoteattr(_choose(c.choices))} '
        f'sqref="{x}{first}:{x}{max(last, first)}"><formula1>'
        f'{escape(chr(34) + ",".join(c.choices) + chr(34))}</formula1></dataValidation>'
        for x, c in zip(letters, sheet.columns, strict=True) if c.choices
    ]
    if not rules:
        return ""
    return f'<dataValidations count="{len(rules)}">{"".join(rules)}</dataValidations>'


def _sheet_xml(sheet: Sheet, widths: list[float]) -> str:
    letters = [column_letter(i) for i in range(1, len(sheet.columns) + 1)]
    head = header_row(sheet)
    last_row = len(sheet.rows) + head
    percent = [c.percent or c.heading == COPIED_COLUMN for c in sheet.columns]
    wide = [c.wide for c in sheet.columns]
    rows = [
        _row(1, iter([_text_cell("A1", TITLE, sheet.title)]), None),
        *(_row(n, iter([_text_cell(f"A{n}", NUMBER, note)]), None)  # unwrapped, over the row
          for n, note in enumerate(sheet.all_notes(), 2)),
        _row(head, (_text_cell(f"{x}{head}", HEADER, c.heading)
                    for x, c in zip(letters, sheet.columns, strict=True)),
             _height([c.heading for c in sheet.columns], widths)),
    ]
    mark = RED if sheet.mark == "fail" else YELLOW
    for n, (values, marked) in enumerate(zip(sheet.rows, sheet.failing, strict=True), head + 1):
        texts = [v if w and isinstance(v, str) else "" for v, w in zip(values, wide, strict=True)]
        rows.append(_row(n, (
            _cell(f"{x}{n}", v, p, mark if marked else 0)
            for x, v, p in zip(letters, values, percent, strict=True)
        ), _height(texts, widths)))
    frozen_cols = 2 if len(sheet.columns) >= 8 else 0  # keep the organ in view
    pane = (f'<pane xSplit="{frozen_cols}" ySplit="{head}" topLeftCell="{letters[frozen_cols]}'
            f'{head + 1}" activePane="bottomRight" state="frozen"/>' if frozen_cols else
            f'<pane ySplit="{head}" topLeftCell="A{head + 1}" activePane="bottomLeft" '
            'state="frozen"/>')
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(widths, 1))
    paper = PAPER_A3 if len(sheet.columns) > 10 else PAPER_A4
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{letters[-1]}{last_row}"/>'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="{DEFAULT_HEIGHT}"/><cols>{cols}</cols>'
        f'<sheetData>{"".join(rows)}</sheetData>'
        f'<autoFilter ref="A{head}:{letters[-1]}{last_row}"/>'
        f"{_validations(sheet, letters, head + 1, last_row)}"
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        # Printed for the file: landscape, every column on one page wide.
        f'<pageSetup paperSize="{paper}" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )


def _workbook_xml(names: list[str], last_cells: list[str], heads: list[int]) -> str:
    sheets = "".join(f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>'
                     for i, n in enumerate(names, 1))
    defined = []
    for i, (name, last, head) in enumerate(zip(names, last_cells, heads, strict=True)):
        quoted = "'" + name.replace("'", "''") + "'"
        defined.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" '
                       f'hidden="1">{escape(quoted)}!$A${head}:{last}</definedName>')
        defined.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                       f"{escape(quoted)}!${head}:${head}</definedName>")
    return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets><definedNames>{''.join(defined)}</definedNames>"
            "</workbook>")


def _package(names: list[str], sheets: list[str], last_cells: list[str], heads: list[int],
             core: bytes) -> list[tuple[str, bytes]]:
    count = len(sheets)
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    content_types = (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
        f"{types}</Types>"
    )
    root_rels = (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
    )
    book_rels = (
        f'{_XML}<Relationships xmlns="{_PKG_REL}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                  f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, count + 1))
        + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    parts = [
        ("[Content_Types].xml", content_types.encode()),
        ("_rels/.rels", root_rels.encode()),
        ("docProps/core.xml", core),
        ("xl/_rels/workbook.xml.rels", book_rels.encode()),
        ("xl/styles.xml", _STYLES.encode()),
        ("xl/workbook.xml", _workbook_xml(names, last_cells, heads).encode()),
    ]
    return parts + [(f"xl/worksheets/sheet{i}.xml", xml.encode())
                    for i, xml in enumerate(sheets, 1)]


def render_audit_xlsx(
    sheets: Sequence[Sheet], when: dt.datetime, title: str = "政府信息公开工作年度报告审核表"
) -> bytes:
    """The workbook; the same sheets give the same bytes (document dates from ``when``)."""
    taken: set[str] = set()
    names, xmls, last_cells, heads = [], [], [], []
    for sheet in sheets:
        names.append(sheet_name(sheet.name, taken))
        xmls.append(_sheet_xml(sheet, _widths(sheet)))
        heads.append(header_row(sheet))
        last_cells.append(f"${column_letter(len(sheet.columns))}${len(sheet.rows) + heads[-1]}")
    core = core_xml(title=title, creator="xxgk", last_modified_by="xxgk", when=when)
    parts = _package(names, xmls, last_cells, heads, core)
    return write_zip((Deflated.of(name, data) for name, data in parts), utf8_names=True)
