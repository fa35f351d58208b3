"""The report's parts (title, six sections, 表二/表三/表四) laid out under a style's choices."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from tests.layoutgen.layout import Block, Cell, Para, Table
from tests.layoutgen.truth import Cell as Number
from tests.layoutgen.truth import Truth
from xxgk import labels

# Misprints seen in published reports: a character missing or wrong, each still closest to its
# own label and to no other.
TYPOS = {
    "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
    "5.属于三类内部事务信息": "5.属于三类内部事物信息",
    "1.本机关不掌握相关政府信息": "1.本机关不掌握相关政府信患",
    "2.重复申请": "2.重复申清",
    "一、本年新收政府信息公开申请数量": "一、本年新收政府信息公开申请数",
    "四、结转下年度继续办理": "四、结转下年度继续办",
    "行政规范性文件": "行政规范文件",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "（二）部分公开（区分处理的，只计这一情形，不计其它情形）",
    "3.要求提供公开出版物": "3.要求提供公开出板物",
    "行政事业性收费": "行政事业收费",
    "6.属于四类过程性信息": "6.属于四类过程信息",
}


@dataclass(frozen=True)
class Choices:
    """What a style does with the national layout."""

    typos: float = 0.0  # share of the labels above printed misspelt
    table2_split: bool = False  # 表二 as four small tables, one per 第二十条 item
    six_one_row: bool = False  # （六）其他处理 as one row with its total
    vertical_results: bool = False  # 三、本年度办理结果 (and the group labels) one character a line
    label_widths: tuple[float, float, float] = (1.2, 1.8, 5.0)  # cm: 一…四 / （三）… / 1.…
    number_width: float = 1.45  # cm per applicant column
    header_wrap: bool = False  # column headings broken inside (自然/人, 商业/企业)
    fee_digits: int | None = None  # print the fee with this many decimals (as published)
    repeat_header: bool = False
    borders: bool = True
    font_size: float = 10.5
    table4_widths: float = 1.0  # cm per 表四 column
    caption_tables: bool = False  # 「表二：主动公开政府信息情况」 above each table
    long_overview: int = 1  # paragraphs of 一、总体情况 before the tables (moves page breaks)
    title_lines: int = 1  # the title on one line, or the organ alone on the first
    extra: dict[str, bool] = field(default_factory=dict)


def printed(value: Number) -> str:
    return "" if value is None else str(value)


def fee_text(fee: Decimal | None, digits: int | None) -> str:
    if fee is None:
        return ""
    if digits is not None:
        return str(fee.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    text = format(fee.normalize(), "f")
    return "0" if fee == 0 else text


class Labels:
    """Labels as this report prints them (some misspelt, the same way every time)."""

    def __init__(self, rng: random.Random, share: float) -> None:
        self.typo = {k: v for k, v in TYPOS.items() if rng.random() < share}

    def __call__(self, label: str) -> str:
        return self.typo.get(label, label)


def _wrapped(text: str, wrap: bool) -> str:
    """A heading broken in two (a narrow column), marked by a line break."""
    if not wrap or len(text) < 3:
        return text
    half = (len(text) + 1) // 2
    return f"{text[:half]}\n{text[half:]}"


def table2(truth: Truth, ch: Choices, label: Labels) -> list[Block]:
    """表二: one table of four items, or four small tables."""
    blocks: list[list[list[Cell]]] = []
    for block in labels.TABLE2_BLOCKS:
        rows = [[Cell(block.item, colspan=4)]]
        if len(block.columns) == 3:
            rows.append([Cell(labels.TABLE2_CONTENT_HEADING),
                         *(Cell(_wrapped(c, ch.header_wrap)) for c in block.columns)])
        else:
            rows.append([Cell(labels.TABLE2_CONTENT_HEADING), Cell(block.columns[0], colspan=3)])
        for name, row_label in block.rows:
            if name in truth.t2_docs:
                rows.append([Cell(label(row_label)),
                             *(Cell(printed(v)) for v in truth.t2_docs[name])])
            elif name == "fees":
                rows.append([Cell(label(row_label)),
                             Cell(fee_text(truth.fee, ch.fee_digits), colspan=3)])
            else:
                rows.append([Cell(label(row_label)),
                             Cell(printed(truth.t2_single[name]), colspan=3)])
        blocks.append(rows)
    widths = [3.6, 3.4, 3.4, 3.4]
    make = lambda rows: Table(rows, widths, borders=ch.borders, font_size=ch.font_size)  # noqa: E731
    if ch.table2_split:
        return [make(rows) for rows in blocks]
    return [make([row for rows in blocks for row in rows])]


def _table3_header(ch: Choices) -> list[list[Cell]]:
    head = lambda text: Cell(_wrapped(text, ch.header_wrap))  # noqa: E731
    return [
        [Cell(labels.TABLE3_CORNER, rowspan=3, colspan=3),
         Cell(labels.TABLE3_APPLICANTS, colspan=7)],
        [Cell(_wrapped("自然人", ch.header_wrap), rowspan=2),
         Cell(labels.TABLE3_ORGANISATIONS, colspan=5), Cell(labels.TABLE3_TOTAL, rowspan=2)],
        [head(c) for c in labels.TABLE3_COLUMN_LABELS[1:]],
    ]


def table3(truth: Truth, ch: Choices, label: Labels) -> Table:
    """表三 in the national grid: three label columns, six applicant columns and 总计."""
    def numbers(values: tuple[Number, ...]) -> list[Cell]:
        return [Cell(printed(v)) for v in values]

    def row_of(row_id: str) -> tuple[Number, ...]:
        values = truth.t3[row_id]
        return (*values, truth.row_total(values))

    rows = _table3_header(ch)
    rows.append([Cell(label(labels.TABLE3_NEW), colspan=3), *numbers(row_of("new"))])
    rows.append([Cell(label(labels.TABLE3_CARRIED_IN), colspan=3),
                 *numbers(row_of("carried_in"))])
    result_rows = 2 + 8 + 3 + 5 + (1 if ch.six_one_row else 3) + 1
    vertical = ch.vertical_results
    rows.append([Cell(labels.TABLE3_RESULTS, rowspan=result_rows, vertical=vertical),
                 Cell(label(labels.TABLE3_ROW_BY_ID["granted"].label), colspan=2),
                 *numbers(row_of("granted"))])
    rows.append([Cell(label(labels.TABLE3_ROW_BY_ID["partial"].label), colspan=2),
                 *numbers(row_of("partial"))])
    for group in labels.TABLE3_GROUPS:
        members = [r for r in labels.TABLE3_RESULT_ROWS if r.group == group.label]
        if group.id == "other_handling" and ch.six_one_row:
            rows.append([Cell(group.label, colspan=2), *numbers(truth.other_handling())])
            continue
        for i, row in enumerate(members):
            first = [Cell(group.label, rowspan=len(members), vertical=vertical)] if i == 0 else []
            rows.append([*first, Cell(label(row.label)), *numbers(row_of(row.id))])
    rows.append([Cell(labels.TABLE3_RESULTS_TOTAL, colspan=2), *numbers(truth.results_total())])
    rows.append([Cell(label(labels.TABLE3_CARRIED_OUT), colspan=3),
                 *numbers(row_of("carried_out"))])
    widths = [*ch.label_widths, *([ch.number_width] * 7)]
    return Table(rows, widths, header_rows=3, repeat_header=ch.repeat_header,
                 borders=ch.borders, font_size=ch.font_size)


def table4(truth: Truth, ch: Choices) -> Table:
    """表四 as nationally printed: three header rows and one row of 15 numbers."""
    outcomes = [Cell(_wrapped(text, ch.header_wrap)) for _, text in labels.TABLE4_OUTCOMES]
    rows = [
        [Cell(labels.TABLE4_REVIEW, colspan=5), Cell(labels.TABLE4_LITIGATION, colspan=10)],
        [*(Cell(c.text, rowspan=2) for c in outcomes), Cell(labels.TABLE4_TOTAL, rowspan=2),
         Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
        [*outcomes, Cell(labels.TABLE4_TOTAL), *outcomes, Cell(labels.TABLE4_TOTAL)],
        [Cell(printed(v)) for b in truth.t4 for v in (*truth.t4[b], truth.row_total(truth.t4[b]))],
    ]
    return Table(rows, [ch.table4_widths] * 15, header_rows=3, borders=ch.borders,
                 font_size=ch.font_size)


OVERVIEW = (
    "本年度，{organ}认真贯彻落实《中华人民共和国政府信息公开条例》，按照上级关于政务公开工作的"
    "部署，扎实推进决策、执行、管理、服务、结果公开，不断提升政务公开质量和实效。",
    "全年通过门户网站主动公开政府信息{n}条，其中政策文件{m}件；办理政府信息公开申请，"
    "均在法定期限内答复。",
    "加强政府信息管理，及时更新政府信息公开指南，规范发布审查程序，做好政务公开专栏维护。",
)


def document_blocks(truth: Truth, ch: Choices, rng: random.Random) -> list[Block]:
    """The whole report: title, 一 … 六 with their tables."""
    label = Labels(rng, ch.typos)
    title = f"{truth.year}年{labels.TITLE_SUFFIX}"
    blocks: list[Block] = []
    if ch.title_lines == 2:
        blocks += [Para(truth.organ, "title"), Para(title, "title")]
    else:
        blocks.append(Para(f"{truth.organ}{title}", "title"))
    heading = [s.heading for s in labels.SECTIONS]
    blocks.append(Para(heading[0], "heading"))
    for i in range(ch.long_overview):
        text = OVERVIEW[i % len(OVERVIEW)]
        blocks.append(Para(text.format(organ=truth.organ, n=rng.randint(10, 900),
                                       m=rng.randint(0, 30))))
    blocks.append(Para(heading[1], "heading"))
    if ch.caption_tables:
        blocks.append(Para("表二：主动公开政府信息情况", "caption"))
    blocks += table2(truth, ch, label)
    blocks.append(Para(heading[2], "heading"))
    if ch.caption_tables:
        blocks.append(Para("表三：收到和处理政府信息公开申请情况", "caption"))
    blocks.append(table3(truth, ch, label))
    blocks.append(Para(heading[3], "heading"))
    blocks.append(table4(truth, ch))
    blocks.append(Para(heading[4], "heading"))
    blocks.append(Para("一是公开内容的全面性有待提高；二是政策解读形式较为单一。下一步将加强培训，"
                       "提升工作人员业务水平。"))
    blocks.append(Para(heading[5], "heading"))
    fee = truth.fee
    blocks.append(Para("本年度未收取信息处理费。" if not fee else
                       f"本年度收取信息处理费{fee_text(fee, None)}万元。"))
    return blocks
