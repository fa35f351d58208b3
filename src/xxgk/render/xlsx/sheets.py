"""The workbook's other sheets: 封面 (what this is), 正文 (the narrative), 校验 (the 勾稽 rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xxgk import labels
from xxgk.model import Report
from xxgk.render.xlsx.style import (
    CENTER,
    DATE_FORMAT,
    LEFT,
    TITLE_SIZE,
    TOP_LEFT,
    RowHeights,
    box,
    mark_input,
    number_font,
    protect,
    put_number,
    put_text,
    setup_page,
    style,
    text_font,
)
from xxgk.render.xlsx.tables import (
    Cached,
    grid_values,
    table3_cell,
    table4_cell,
)
from xxgk.xlsx_layout import (
    COVER_DATE,
    COVER_DOC_NUMBER,
    COVER_FIELD_ORDER,
    COVER_FORMAT,
    COVER_FORMAT_DOCUMENT,
    COVER_INPUTS,
    COVER_ISSUER_MARK,
    COVER_MARK,
    COVER_ORGAN,
    COVER_SHA256,
    COVER_SHEET_NOTE,
    COVER_SHEETS,
    COVER_SIGNER,
    COVER_TITLE,
    COVER_VERSION,
    COVER_YEAR,
    MAX_CELL_TEXT,
    SHEET_CHECKS,
    SHEET_COVER,
    SHEET_TABLE2,
    SHEET_TABLE3,
    SHEET_TABLE4,
    SHEET_TEXT,
    TABLE3,
    TABLE3_FIRST_VALUE_COL,
    TABLE4,
    TABLE4_VALUE_ROW,
    TEXT_CONTINUATION,
    TEXT_FIRST_ROW,
    TEXT_HEADINGS,
    TEXT_SECTIONS,
    WORKBOOK_LAYOUT,
    WORKBOOK_MARK,
    table4_col,
)

HEADINGS = {s.number: s.heading for s in labels.SECTIONS}
COVER_WIDTHS = (22.0, 90.0)
TEXT_WIDTHS = (16.0, 7.0, 14.0, 90.0, 36.0)
# 正文's input columns: 分项, 分项标题, 段落 (章节 and 填写说明 are xxgk's).
TEXT_INPUT_COLUMNS = (2, 3, 4)
TEXT_PARAGRAPH_COLUMN = 4
# The input message of each 正文 input column, over rows a clerk may add paragraphs to (the same
# for every report: the fast path keeps the sheet's tail as it is).
TEXT_PROMPTS = {
    2: ("分项序号", "一、总体情况的分项序号，如（一）；概述和五、六不填"),
    3: ("分项标题", "分项标题，可修改；写在分项的第一行"),
    4: ("段落", "每段一行，写法见右侧「填写说明」；要增加段落，在下方插入一行，"
               "章节、分项留空即属于上一段所在部分"),
}
TEXT_PROMPT_ROWS = 5000
CHECK_WIDTHS = (6.0, 96.0, 16.0)
CHECK_TITLE = "勾稽关系校验"


def _title(ws: Worksheet, text: str, cols: int, width: float, heights: RowHeights) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=cols)
    put_text(ws, 1, 1, text, font=number_font(bold=True, size=TITLE_SIZE), align=CENTER)
    heights.need_text(1, 1, text, width, TITLE_SIZE)


def _widths(ws: Worksheet, widths: tuple[float, ...]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


# ---------------------------------------------------------------- 封面


def sheet_notes() -> tuple[tuple[str, str], ...]:
    """One line per sheet saying what it holds (the cover lists them)."""
    grid = "第 1 行为标题，第 2 行起与 Word 报告中的表格相同（标签、合并单元格一致）"
    return (
        (SHEET_COVER, "机关、年度、格式版本、文头字段和生成信息；xxgk import 读回时以本表为准"),
        (SHEET_TABLE2, f"{HEADINGS['二']}；{grid}"),
        (SHEET_TABLE3, f"{HEADINGS['三']}；{grid}；总计列与（七）总计行为公式，自动计算"),
        (SHEET_TABLE4, f"{HEADINGS['四']}；{grid}；总计为公式，自动计算"),
        (
            SHEET_TEXT,
            f"{HEADINGS['一']}、{HEADINGS['五']}、{HEADINGS['六']}的正文，"
            "每段一行（章节、分项序号、分项标题、段落、填写说明）；插入行可增加段落；"
            f"超过一个单元格容量的段落在下一行续写（章节栏为「{TEXT_CONTINUATION}」）",
        ),
        (
            SHEET_CHECKS,
            "勾稽关系，每条规则一行：Excel 公式（打开时计算，应为 TRUE；为 FALSE 时表三中"
            "相应单元格标红）和 xxgk 的计算结果；总计随表中数字自动更新",
        ),
    )


def cover_fields(report: Report, data_sha256: str, version: str) -> list[tuple[str, object]]:
    h = report.header
    return [
        (COVER_ORGAN, report.organ),
        (COVER_YEAR, report.year),
        (COVER_FORMAT, report.format_version),
        (COVER_FORMAT_DOCUMENT, labels.FORMAT_DOCUMENTS[report.format_version]),
        (COVER_TITLE, report.display_title),
        (COVER_ISSUER_MARK, h.issuer_mark),
        (COVER_DOC_NUMBER, h.doc_number),
        (COVER_DATE, h.date),
        (COVER_SIGNER, h.signer),
        (COVER_SHA256, data_sha256),
        (COVER_VERSION, f"xxgk {version}"),
        (COVER_MARK, f"{WORKBOOK_MARK} {WORKBOOK_LAYOUT}"),
    ]


def how_to_fill() -> str:
    return ("黄色单元格为填写处，其余单元格已锁定（工作表保护，无密码）；"
            "填好后运行 xxgk check 本文件 检查，xxgk build 本文件 生成报告")


COVER_HOW_TO = "填写方法"
COVER_PROMPTS = {
    COVER_ORGAN: "标题中的机关名称，如「某某市某某局」",
    COVER_YEAR: "报告年度，四位数字，如 2025",
    COVER_TITLE: "报告标题；不填则为 机关名称+年度+年政府信息公开工作年度报告",
    COVER_ISSUER_MARK: "红头（发文机关标志），如「××县人民政府文件」，可不填",
    COVER_DOC_NUMBER: "发文字号，如「×政〔2026〕1号」，可不填",
    COVER_DATE: "成文日期，如 2026-01-15；填写后文末加署名和日期，可不填",
    COVER_SIGNER: "落款机关，不填则用机关名称",
}


def cover_rules() -> list[DataValidation]:
    """An input message on each cover field the clerk fills in; the year and date validated."""
    rules = []
    for row, name in enumerate(COVER_FIELD_ORDER, 2):
        if name not in COVER_INPUTS:
            continue
        if name == COVER_YEAR:
            rule = DataValidation(type="whole", operator="between", formula1="2008",
                                  formula2="2100", showErrorMessage=True, errorTitle="填写有误",
                                  error="年度应为四位数字，如 2025。")
        elif name == COVER_DATE:
            rule = DataValidation(type="date", operator="greaterThan",
                                  formula1="39448",  # 2008-01-01, as Excel counts days
                                  showErrorMessage=True, errorTitle="填写有误",
                                  error="成文日期应为日期，如 2026-01-15。")
        else:
            rule = DataValidation()  # any text: only the input message
        rule.allow_blank, rule.showInputMessage = True, True
        rule.promptTitle, rule.prompt = name, COVER_PROMPTS[name]
        rule.add(f"B{row}")
        rules.append(rule)
    return rules


def write_cover(wb: Workbook, report: Report, *, data_sha256: str, version: str) -> None:
    """The 封面 sheet: the report's identity, how it was made, and what each sheet holds."""
    ws = wb.active
    assert ws is not None  # a new Workbook always has one sheet
    ws.title = SHEET_COVER
    widths = COVER_WIDTHS
    _widths(ws, widths)
    heights = RowHeights()
    _title(ws, report.display_title, 2, sum(widths), heights)
    row = 2
    for name, value in cover_fields(report, data_sha256, version):
        put_text(ws, row, 1, name, font=text_font(bold=True))
        if name == COVER_DATE:  # a date cell even when blank, so that what is typed is a date
            put_number(ws, row, 2, None, number_format=DATE_FORMAT, align=LEFT)
            ws.cell(row, 2).value = value if isinstance(value, dt.date) else None
        elif isinstance(value, int):
            put_number(ws, row, 2, value, align=LEFT)
        else:
            put_text(ws, row, 2, value if isinstance(value, str) else None)
            heights.need_text(row, row, str(value or ""), widths[1])
        if name in COVER_INPUTS:
            mark_input(ws.cell(row, 2))
        row += 1
    box(ws, 2, 1, row - 1, 2)
    for rule in cover_rules():
        ws.add_data_validation(rule)
    row += 1
    sheets_row = row
    put_text(ws, row, 1, COVER_SHEETS, font=text_font(bold=True))
    put_text(ws, row, 2, COVER_SHEET_NOTE, font=text_font(bold=True))
    for name, note in sheet_notes():
        row += 1
        put_text(ws, row, 1, name)
        put_text(ws, row, 2, note)
        heights.need_text(row, row, note, widths[1])
    box(ws, sheets_row, 1, row, 2)
    row += 2
    put_text(ws, row, 1, COVER_HOW_TO, font=text_font(bold=True))
    put_text(ws, row, 2, how_to_fill())
    heights.need_text(row, row, how_to_fill(), widths[1])
    heights.apply(ws, range(1, row + 1))
    protect(ws)
    setup_page(ws, organ=report.organ, year=report.year, title_rows=1)
    ws.page_setup.fitToHeight = 1  # the cover is one page


# ---------------------------------------------------------------- 正文


TextRow = tuple[str, str | None, str | None, str | None, str | None]

SUBSECTION_NOTES = {
    "主动公开": "主动公开情况：重点领域信息的公开、公开渠道和数量等",
    "依申请公开": "依申请公开情况：收到、办理申请的总体情况，数字应与表三一致",
    "政府信息管理": "政府信息管理：发布审查、动态更新、规范性文件清理等",
    "平台建设": "平台建设：政府网站、政务新媒体等公开平台的建设和维护",
    "监督保障": "监督保障：考核、培训、社会评议和责任追究等",
}
SLOT_NOTES = {
    "概述": "概述本年度政府信息公开工作总体情况（可写多段：每段一行，在下方插入行即可增加段落）",
    "分项": "本分项的情况；分项标题可在「分项标题」栏修改",
    "五": "上年度问题的整改情况，本年度存在的主要问题和改进措施",
    "六": "必须写明本年度信息处理费的收取情况（未收取也应写明，如「本年度未收取信息处理费」），"
          "以及年度政务公开工作要点落实等情况",
    "续": "上一行的段落超过一个单元格的容量（32767 字），接续于此；导入时与上一行合为一段",
}


def split_cell_text(text: str, limit: int = MAX_CELL_TEXT) -> list[str]:
    """A text in pieces that each fit an Excel cell, joined back they give the text exactly.

    Excel counts UTF-16 code units. A piece ends after the last 。；！？ or line break in its
    final eighth when there is one (so each cell reads as whole sentences), else at the limit.
    """
    pieces: list[str] = []
    rest = text
    while len(rest.encode("utf-16-le")) // 2 > limit:
        end, units = 0, 0
        for end, ch in enumerate(rest):  # noqa: B007 - the index where the units run out
            units += 2 if ord(ch) > 0xFFFF else 1
            if units > limit:
                break
        cut = max(rest.rfind(mark, end - limit // 8, end) for mark in "。；！？\n") + 1
        cut = cut if cut > 0 else max(end, 1)  # a character wider than the limit goes alone
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def _paragraph_rows(first: TextRow) -> list[TextRow]:
    """A paragraph's row, and continuation rows when it is longer than a cell holds."""
    heading, marker, title, paragraph, note = first
    if paragraph is None:
        return [first]
    head, *rest = split_cell_text(paragraph)
    return [(heading, marker, title, head, note),
            *((TEXT_CONTINUATION, None, None, piece, SLOT_NOTES["续"]) for piece in rest)]


def text_rows(report: Report) -> list[TextRow]:
    """正文's rows: (section heading, subsection marker, subsection title, paragraph, note).

    Every slot has a row even when empty (概述, each subsection, 五, 六), with what to write in it,
    so that a blank workbook shows the clerk where each part of the text goes.
    """
    one_ = HEADINGS["一"]
    rows: list[TextRow] = []

    def slot(section: str, marker: str | None, title: str | None, paragraphs: list[str],
             note: str) -> None:
        for i, p in enumerate([*paragraphs] or [None]):
            rows.extend(_paragraph_rows((section, marker, title, p, note if i == 0 else None)))

    slot(one_, None, None, report.overview.intro, SLOT_NOTES["概述"])
    for i, sub in enumerate(report.overview.subsections):
        # Offices name the usual five a little differently (依申请公开情况 …): match the words.
        note = next((n for key, n in SUBSECTION_NOTES.items() if key in sub.title),
                    SLOT_NOTES["分项"])
        slot(one_, labels.subsection_marker(i), sub.title, sub.paragraphs, note)
    slot(HEADINGS["五"], None, None, report.problems, SLOT_NOTES["五"])
    slot(HEADINGS["六"], None, None, report.other_matters, SLOT_NOTES["六"])
    return rows


def write_text(wb: Workbook, report: Report) -> None:
    """The 正文 sheet: every paragraph slot of 一, 五 and 六, one row per paragraph."""
    ws = wb.create_sheet(SHEET_TEXT)
    widths = TEXT_WIDTHS
    _widths(ws, widths)
    heights = RowHeights()
    title = "、".join(HEADINGS[n] for n in TEXT_SECTIONS)
    _title(ws, title, len(widths), sum(widths), heights)
    header = TEXT_FIRST_ROW - 1
    for col, name in enumerate(TEXT_HEADINGS, 1):
        put_text(ws, header, col, name, font=text_font(bold=True), align=CENTER)
    row = header
    for row, values in enumerate(text_rows(report), TEXT_FIRST_ROW):
        for col, value in enumerate(values, 1):
            align = TOP_LEFT if col == TEXT_PARAGRAPH_COLUMN else LEFT
            cell = put_text(ws, row, col, value, align=align)
            if col in TEXT_INPUT_COLUMNS:
                mark_input(cell)
            heights.need_text(row, row, value or "", widths[col - 1])
    box(ws, header, 1, row, len(widths))
    for col, (name, prompt) in TEXT_PROMPTS.items():
        rule = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=name,
                              prompt=prompt)
        letter = get_column_letter(col)
        rule.add(f"{letter}{TEXT_FIRST_ROW}:{letter}{TEXT_PROMPT_ROWS}")
        ws.add_data_validation(rule)
    heights.apply(ws, range(1, row + 1))
    ws.freeze_panes = f"A{TEXT_FIRST_ROW}"
    protect(ws, rows=True)
    setup_page(ws, organ=report.organ, year=report.year, title_rows=header)


# ---------------------------------------------------------------- 校验


@dataclass(frozen=True)
class Rule:
    """One 勾稽 rule instance: in words and as an Excel formula."""

    words: str
    formula: str
    cached: bool  # what the formula gives on the sheets as written (blank cells count 0)


def _q(sheet: str, ref: str) -> str:
    return f"'{sheet}'!{ref}"


def _number(label: str) -> str:
    """「一」 of 「一、本年新收…」: the short name the table's own corner note uses."""
    return label.split("、", 1)[0]


Numbers = dict[tuple[str, int, int], int]  # (sheet, grid row, grid col) → value


def _sheet_numbers(report: Report) -> Numbers:
    """Every table number as a formula sees it: (sheet, grid row, grid col) → value, blank 0."""
    out = {}
    for grid in (TABLE3, TABLE4):
        for span, value in zip(grid.values, grid_values(report, grid), strict=True):
            number = value.value if isinstance(value, Cached) else int(value or 0)
            out[(grid.sheet, span.row, span.col)] = number
    return out


Key = tuple[str, int, int]  # a key of Numbers


@dataclass(frozen=True)
class _RuleShape:
    """A rule as the same for every report: its words, its formula, and the cells whose sums
    it compares (the verdict, ``sum(left) == sum(right)``, is all a report changes)."""

    words: str
    formula: str
    left: tuple[Key, ...]
    right: tuple[Key, ...]


def _t3(grid_row: int, col: int) -> Key:
    return (SHEET_TABLE3, grid_row, TABLE3_FIRST_VALUE_COL + col)


def _table3_balance() -> list[_RuleShape]:
    rows = [labels.TABLE3_ROW_BY_ID[i].grid_row for i in ("new", "carried_in", "carried_out")]
    new, carried_in, carried_out = rows
    results = labels.TABLE3_RESULTS_TOTAL_GRID_ROW
    words = (
        f"{_number(labels.TABLE3_NEW)} + {_number(labels.TABLE3_CARRIED_IN)} = "
        f"{labels.TABLE3_RESULTS_TOTAL} + {_number(labels.TABLE3_CARRIED_OUT)}"
    )
    out = []
    for c, col in enumerate([*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL]):
        ref = {
            k: _q(SHEET_TABLE3, table3_cell(i, c))
            for k, i in (("n", "new"), ("i", "carried_in"), ("t", None), ("o", "carried_out"))
        }
        out.append(
            _RuleShape(
                f"表三「{col}」列：{words}",
                f"={ref['n']}+{ref['i']}={ref['t']}+{ref['o']}",
                (_t3(new, c), _t3(carried_in, c)),
                (_t3(results, c), _t3(carried_out, c)),
            )
        )
    return out


def _table3_row_totals() -> list[_RuleShape]:
    total_col = len(labels.TABLE3_COLUMNS)
    first, last = labels.TABLE3_COLUMN_LABELS[0], labels.TABLE3_COLUMN_LABELS[-1]
    columns = f"{first}至{last}{total_col}列之和"
    rows: list[tuple[str | None, str, int]] = [
        (r.id, "/".join(p for p in r.path if p != labels.TABLE3_RESULTS), r.grid_row)
        for r in labels.TABLE3_ROWS
    ]
    rows.append((None, labels.TABLE3_RESULTS_TOTAL, labels.TABLE3_RESULTS_TOTAL_GRID_ROW))
    rows.sort(key=lambda r: r[2])
    out = []
    for row_id, name, grid_row in rows:
        left, right = table3_cell(row_id, 0), table3_cell(row_id, total_col - 1)
        out.append(
            _RuleShape(
                f"表三「{name}」行：{labels.TABLE3_TOTAL} = {columns}",
                f"={_q(SHEET_TABLE3, table3_cell(row_id, total_col))}"
                f"=SUM({_q(SHEET_TABLE3, left)}:{right})",
                (_t3(grid_row, total_col),),
                tuple(_t3(grid_row, c) for c in range(total_col)),
            )
        )
    return out


def _table3_results() -> list[_RuleShape]:
    result_rows = [r.grid_row for r in labels.TABLE3_RESULT_ROWS]
    first_id, last_id = labels.TABLE3_RESULT_ROWS[0].id, labels.TABLE3_RESULT_ROWS[-1].id
    groups = f"{labels.TABLE3_RESULT_ROWS[0].label[:3]}至{labels.TABLE3_GROUPS[-1].label[:3]}"
    out = []
    for c, col in enumerate([*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL]):
        out.append(
            _RuleShape(
                f"表三「{col}」列：{labels.TABLE3_RESULTS_TOTAL} = {groups}各行之和",
                f"={_q(SHEET_TABLE3, table3_cell(None, c))}"
                f"=SUM({_q(SHEET_TABLE3, table3_cell(first_id, c))}:{table3_cell(last_id, c)})",
                (_t3(labels.TABLE3_RESULTS_TOTAL_GRID_ROW, c),),
                tuple(_t3(r, c) for r in result_rows),
            )
        )
    return out


def _table4_totals() -> list[_RuleShape]:
    n = len(labels.TABLE4_OUTCOMES)
    outcomes = " + ".join(name for _, name in labels.TABLE4_OUTCOMES)
    row = TABLE4_VALUE_ROW
    out = []
    for b, block in enumerate(labels.TABLE4_BLOCKS):
        out.append(
            _RuleShape(
                f"表四「{'/'.join(block.path)}」：{labels.TABLE4_TOTAL} = {outcomes}",
                f"={_q(SHEET_TABLE4, table4_cell(b, n))}"
                f"=SUM({_q(SHEET_TABLE4, table4_cell(b, 0))}:{table4_cell(b, n - 1)})",
                ((SHEET_TABLE4, row, table4_col(b, n)),),
                tuple((SHEET_TABLE4, row, table4_col(b, k)) for k in range(n)),
            )
        )
    return out


@cache  # the words and formulas are the layout's, the same for every report
def _rule_shapes() -> tuple[_RuleShape, ...]:
    return (*_table3_balance(), *_table3_row_totals(), *_table3_results(), *_table4_totals())


def check_rules(report: Report) -> list[Rule]:
    """Every 勾稽 rule instance of 表三 and 表四, in the order the 校验 sheet lists them."""
    numbers = _sheet_numbers(report)
    return [
        Rule(shape.words, shape.formula,
             sum(numbers[k] for k in shape.left) == sum(numbers[k] for k in shape.right))
        for shape in _rule_shapes()
    ]


# One verdict column, a live formula: a frozen copy of xxgk's verdict or of the numbers would
# contradict it as soon as a cell is edited in Excel or WPS.
CHECK_HEADINGS = ("序号", "勾稽关系", "是否成立")
CHECK_FIRST_ROW = 3
# LibreOffice shows a formula's TRUE as 1 unless the cell has a boolean format (Excel ignores it).
BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'
FALSE_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")


def write_checks(wb: Workbook, report: Report) -> None:
    """The 校验 sheet: one row per rule and its live formula over the table sheets."""
    ws = wb.create_sheet(SHEET_CHECKS)
    widths = CHECK_WIDTHS
    _widths(ws, widths)
    heights = RowHeights()
    _title(ws, CHECK_TITLE, len(widths), sum(widths), heights)
    for col, name in enumerate(CHECK_HEADINGS, 1):
        put_text(ws, CHECK_FIRST_ROW - 1, col, name, font=text_font(bold=True), align=CENTER)
    row = CHECK_FIRST_ROW - 1
    for row, rule in enumerate(check_rules(report), CHECK_FIRST_ROW):
        put_number(ws, row, 1, row - CHECK_FIRST_ROW + 1)
        put_text(ws, row, 2, rule.words)
        formula = ws.cell(row, 3)
        formula.value = rule.formula  # the one place a formula is written
        style(formula, "font", number_font())
        style(formula, "number_format", BOOLEAN_FORMAT)
        style(formula, "alignment", CENTER)
        heights.need_text(row, row, rule.words, widths[1])
    box(ws, CHECK_FIRST_ROW - 1, 1, row, len(widths))
    ws.conditional_formatting.add(
        f"C{CHECK_FIRST_ROW}:C{row}",
        CellIsRule(operator="equal", formula=["FALSE"], fill=FALSE_FILL),  # type: ignore[no-untyped-call]
    )
    heights.apply(ws, range(1, row + 1))
    ws.freeze_panes = f"A{CHECK_FIRST_ROW}"
    protect(ws)
    setup_page(ws, organ=report.organ, year=report.year, title_rows=CHECK_FIRST_ROW - 1)
