"""The wording of a 更正说明: what a correction changed in a published report, in the words an
office publishes.

Numbers are compared as printed in the published tables, totals included (a corrected cell
changes its row's 总计 and the （七）总计 row too, and readers see those numbers), each named by
table, row and column in the national labels: 表三“三、本年度办理结果（一）予以公开”“自然人”栏由
“3”更正为“4”. Fields and text come from ``diff``: 将“…”更正为“…”. It is worded from what was
printed, so it uses ``render.printed`` and sits at the render stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from xxgk import labels
from xxgk.diff import Change, diff_reports, require_same_year
from xxgk.model import Count, Report
from xxgk.render.printed import amount, chinese_date, number

CLOSING = "特此说明。"

# The organ's name is printed only inside the title and the 署名, which have their own entries.
_FIELD_NAMES = {
    labels.KEY_TITLE: "标题",
    f"{labels.KEY_HEADER}/{labels.KEY_ISSUER_MARK}": "发文机关标志",
    f"{labels.KEY_HEADER}/{labels.KEY_DOC_NUMBER}": "发文字号",
    f"{labels.KEY_HEADER}/{labels.KEY_DATE}": "成文日期",
    f"{labels.KEY_HEADER}/{labels.KEY_SIGNER}": "署名",
}


@dataclass(frozen=True)
class Notice:
    """A 更正说明: title, opening, one sentence per change, closing, 署名 and date."""

    report_title: str  # the corrected report's title, without 《》
    opening: str
    items: tuple[str, ...]
    signer: str
    date: dt.date
    organ: str = ""  # where the title may break
    closing: str = CLOSING

    @property
    def title(self) -> str:
        """关于《…年度报告》的更正说明."""
        return f"关于《{self.report_title}》的更正说明"

    def paragraphs(self) -> list[str]:
        """The body as text: opening, numbered items, closing (署名 and date not included)."""
        return [self.opening, *self.items, self.closing]

    def as_text(self) -> str:
        """The whole notice as plain text (for the terminal and tests)."""
        lines = [self.title, "", *self.paragraphs(), "", self.signer, chinese_date(self.date)]
        return "\n".join(lines)


def correction_notice(
    old: Report, new: Report, date: dt.date, *, imported: bool = False
) -> Notice:
    """The 更正说明 for correcting ``old`` (as published) into ``new``; ``imported`` when either
    was imported from a published file (its spacing beside CJK and digits is no correction).

    Two different years are not a correction: XxgkError pointing to ``xxgk compare``.
    """
    require_same_year(old, new)
    changes = diff_reports(old, new, imported=imported)
    sentences = [
        *(_field(c) for c in changes if c.kind == "field"),
        *_numbers(old, new),
        *(_paragraph(c) for c in changes if c.kind == "paragraph"),
    ]
    # A quote that ends its own sentence (…。”) ends the item too: no second 。 after it.
    items = tuple(
        f"{i}.{s}" + ("" if s.endswith(("。”", "！”", "？”")) else "。")
        for i, s in enumerate((s for s in sentences if s), start=1)
    )
    title = new.display_title
    opening = (
        f"经核查，我单位已公开发布的《{old.display_title}》部分内容有误，现更正如下："
        if items
        else f"经核查，我单位已公开发布的《{old.display_title}》内容无误，无需更正。"
    )
    return Notice(title, opening, items, new.header.signer or new.organ, date, new.organ)


# ---------------------------------------------------------------- numbers, as printed


@dataclass(frozen=True)
class PrintedCell:
    """A cell of a published table: its table, row and column labels and its printed text."""

    table: str
    row: str
    column: str
    text: str

    def sentence(self, before: str) -> str:
        """表三“…”“…”栏由“3”更正为“4” (a blank is 空白)."""
        old = f"“{before}”" if before else "空白"
        new = f"“{self.text}”" if self.text else "空白"
        return f"{self.table}“{self.row}”“{self.column}”栏由{old}更正为{new}"


def printed_cells(report: Report) -> Iterator[PrintedCell]:
    """Every number cell of the three published tables, totals included, in reading order."""
    yield from _table2(report)
    yield from _table3(report)
    yield from _table4(report)


def _numbers(old: Report, new: Report) -> Iterator[str]:
    for before, after in zip(printed_cells(old), printed_cells(new), strict=True):
        if before.text != after.text:
            yield after.sentence(before.text)


def _table2(report: Report) -> Iterator[PrintedCell]:
    t2 = report.table2
    for block in labels.TABLE2_BLOCKS:
        for field, row in block.rows:
            value = getattr(t2, field)
            if field in ("regulations", "normative_documents"):
                for column, count in zip(block.columns, value.cells(), strict=True):
                    yield PrintedCell("表二", row, column, number(count))
            else:
                text = amount(value) if field == "fees" else number(value)
                yield PrintedCell("表二", row, block.columns[0], text)


def _shown(stated: Count, computed: Count) -> str:
    """What a total cell shows: the total a source printed, else the sum."""
    return number(stated if stated is not None else computed)


def _table3(report: Report) -> Iterator[PrintedCell]:
    t3 = report.table3
    columns = (*labels.TABLE3_COLUMN_LABELS, labels.TABLE3_TOTAL)
    for row in labels.TABLE3_ROWS:
        if row.part == "四":  # （七）总计 is printed after the last result row
            stated = t3.stated_results_total
            sums = t3.results_total()
            shown = [
                _shown(stated.cells[i] if stated else None, sums[i]) for i in range(len(sums))
            ]
            grand = _shown(stated.stated_total if stated else None, t3.results_grand_total())
            name = labels.TABLE3_RESULTS + labels.TABLE3_RESULTS_TOTAL
            for column, text in zip(columns, [*shown, grand], strict=True):
                yield PrintedCell("表三", name, column, text)
        counts = t3.row(row.id)
        texts = [*map(number, counts.cells), _shown(counts.stated_total, counts.total)]
        for column, text in zip(columns, texts, strict=True):
            yield PrintedCell("表三", "".join(row.path), column, text)


def _table4(report: Report) -> Iterator[PrintedCell]:
    columns = (*(label for _, label in labels.TABLE4_OUTCOMES), labels.TABLE4_TOTAL)
    for block in labels.TABLE4_BLOCKS:
        outcomes = report.table4.block(block.id)
        texts = [*map(number, outcomes.cells()), _shown(outcomes.stated_total, outcomes.total)]
        for column, text in zip(columns, texts, strict=True):
            yield PrintedCell("表四", "".join(block.path), column, text)


# ---------------------------------------------------------------- fields and text


def _field(change: Change) -> str:
    name = _FIELD_NAMES.get(change.location)
    if name is None:  # 格式版本, 年度, 机关名称: not printed as such
        return ""
    old, new = change.old or "", change.new or ""
    if change.location.endswith(labels.KEY_DATE):
        old, new = (chinese_date(dt.date.fromisoformat(v)) if v else "" for v in (old, new))
    if not old:
        return f"增加{name}“{new}”"
    if not new:
        return f"删除{name}“{old}”"
    return f"{name}由“{old}”更正为“{new}”"


def _paragraph(change: Change) -> str:
    place = "".join(f"“{p}”" for p in change.parts) or f"“{change.location}”"
    if change.paragraph is None:  # a subsection's title
        return f"{place}的标题由“{change.old}”更正为“{change.new}”"
    where = f"{place}第{change.paragraph}段"
    if change.old is None:
        return f"{where}增加：“{change.new}”"
    if change.new is None:
        return f"{where}删除：“{change.old}”"
    return f"{where}中，将“{change.old}”更正为“{change.new}”"
