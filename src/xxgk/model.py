"""The typed report: one pydantic model every other module speaks.

Field names are English; the Chinese labels live in :mod:`xxgk.labels`. Numbers are ``int`` (counts)
or ``Decimal`` (万元), and ``None`` where a source left a cell blank: the checks report a blank, the
model never turns it into 0. Totals are computed properties; a total stated by a source (an import,
or a clerk's optional 7th number) is carried in ``stated_total`` and checked, never trusted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xxgk import labels

Count = int | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def sum_or_none(values: Iterable[Count]) -> Count:
    """The sum, or None when any value is blank (a total of blanks is unknown, not 0)."""
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


# Characters Windows (the clerks' machines) refuses in file names, and path separators.
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def file_safe(name: str) -> str:
    """The name with what no file system accepts replaced by 「_」 (and no leading dot)."""
    cleaned = _UNSAFE_IN_NAMES.sub("_", name).strip().rstrip(".")
    return cleaned.lstrip(".") or "_"


# ---------------------------------------------------------------- narrative


class Subsection(_Strict):
    """A （一）… subsection of 一、总体情况: editable title and its paragraphs."""

    title: str
    paragraphs: list[str] = Field(default_factory=list)


class Overview(_Strict):
    """一、总体情况: an introduction and the usual subsections."""

    intro: list[str] = Field(default_factory=list)
    subsections: list[Subsection] = Field(default_factory=list)


class DocumentHeader(_Strict):
    """The optional 公文 parts around the report: 红头, 文号, 成文日期 and the signing organ."""

    issuer_mark: str | None = None  # 发文机关标志, e.g. 晋江市永和镇人民政府文件
    doc_number: str | None = None  # 发文字号, e.g. 永政〔2022〕1号
    date: dt.date | None = None  # 成文日期
    signer: str | None = None  # 署名 at the end; defaults to the organ


# ---------------------------------------------------------------- 表二


class DocumentCounts(_Strict):
    """A 第二十条第（一）项 row: 本年制发件数, 本年废止件数, 现行有效件数."""

    issued: Count = 0
    repealed: Count = 0
    in_force: Count = 0

    def cells(self) -> tuple[Count, Count, Count]:
        """The three numbers in column order."""
        return (self.issued, self.repealed, self.in_force)


class Table2(_Strict):
    """表二 主动公开政府信息情况."""

    regulations: DocumentCounts = Field(default_factory=DocumentCounts)  # 规章
    normative_documents: DocumentCounts = Field(default_factory=DocumentCounts)  # 行政规范性文件
    licensing: Count = 0  # 行政许可 本年处理决定数量
    punishment: Count = 0  # 行政处罚
    enforcement: Count = 0  # 行政强制
    fees: Decimal | None = Decimal(0)  # 行政事业性收费 本年收费金额（万元）


# ---------------------------------------------------------------- 表三


class ApplicantCounts(_Strict):
    """One row of 表三: the six applicant columns in label order, and an optional stated 总计."""

    cells: tuple[Count, Count, Count, Count, Count, Count] = (0, 0, 0, 0, 0, 0)
    stated_total: Count = None

    @property
    def total(self) -> Count:
        """总计 = 自然人 + the five 法人或其他组织 columns (None when a cell is blank)."""
        return sum_or_none(self.cells)


def _zero_rows() -> dict[str, ApplicantCounts]:
    return {row.id: ApplicantCounts() for row in labels.TABLE3_ROWS}


class Table3(_Strict):
    """表三 收到和处理政府信息公开申请情况: the 24 entered rows, keyed by label row ids."""

    rows: dict[str, ApplicantCounts] = Field(default_factory=_zero_rows)
    stated_results_total: ApplicantCounts | None = None  # （七）总计 as a source stated it
    # （六）其他处理 as a source printed it in one row (2021 format, sub-rows 1–3 not printed):
    # checked against the sub-rows where they are there, and standing for them where all are blank.
    stated_other_handling: ApplicantCounts | None = None

    @field_validator("rows")
    @classmethod
    def _every_row(cls, rows: dict[str, ApplicantCounts]) -> dict[str, ApplicantCounts]:
        expected = [r.id for r in labels.TABLE3_ROWS]
        missing = [i for i in expected if i not in rows]
        unknown = [i for i in rows if i not in labels.TABLE3_ROW_BY_ID]
        if missing or unknown:
            raise ValueError(f"表三 rows: missing {missing}, unknown {unknown}")
        return {i: rows[i] for i in expected}

    def row(self, row_id: str) -> ApplicantCounts:
        """The entered row with this id (see ``labels.TABLE3_ROWS``)."""
        return self.rows[row_id]

    def other_handling_as_one_row(self) -> bool:
        """True when （六）其他处理 is known only as the one row a source printed: a stated
        （六） total, and its three sub-rows wholly blank."""
        if self.stated_other_handling is None:
            return False
        six = labels.TABLE3_GROUPS[-1].label
        subs = [self.rows[r.id] for r in labels.TABLE3_RESULT_ROWS if r.group == six]
        return all(v is None for row in subs for v in (*row.cells, row.stated_total))

    def results_total(self) -> tuple[Count, ...]:
        """（七）总计 per applicant column: the sum of every line of （一）–（六）; where （六）
        was printed as one row and its sub-rows are blank, that row stands for them."""
        result_rows = [self.rows[r.id] for r in labels.TABLE3_RESULT_ROWS]
        if self.stated_other_handling is not None and self.other_handling_as_one_row():
            six = labels.TABLE3_GROUPS[-1].label
            result_rows = [self.rows[r.id] for r in labels.TABLE3_RESULT_ROWS if r.group != six]
            result_rows.append(self.stated_other_handling)
        return tuple(
            sum_or_none([row.cells[c] for row in result_rows])
            for c in range(len(labels.TABLE3_COLUMNS))
        )

    def results_grand_total(self) -> Count:
        """（七）总计 of the 总计 column."""
        return sum_or_none(self.results_total())


# ---------------------------------------------------------------- 表四


class ReviewOutcomes(_Strict):
    """A block of 表四: 结果维持, 结果纠正, 其他结果, 尚未审结, and an optional stated 总计."""

    upheld: Count = 0
    corrected: Count = 0
    other: Count = 0
    pending: Count = 0
    stated_total: Count = None

    def cells(self) -> tuple[Count, Count, Count, Count]:
        """The four outcome numbers in column order."""
        return (self.upheld, self.corrected, self.other, self.pending)

    @property
    def total(self) -> Count:
        """总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
        return sum_or_none(self.cells())


class Table4(_Strict):
    """表四 政府信息公开行政复议、行政诉讼情况."""

    review: ReviewOutcomes = Field(default_factory=ReviewOutcomes)  # 行政复议
    direct_suit: ReviewOutcomes = Field(default_factory=ReviewOutcomes)  # 未经复议直接起诉
    suit_after_review: ReviewOutcomes = Field(default_factory=ReviewOutcomes)  # 复议后起诉

    def block(self, block_id: str) -> ReviewOutcomes:
        """The block with this id (see ``labels.TABLE4_BLOCKS``)."""
        result: ReviewOutcomes = getattr(self, block_id)
        return result


# ---------------------------------------------------------------- the report


class Report(_Strict):
    """One organ's annual report on government information disclosure for one year."""

    format_version: str = labels.FORMAT_2021
    organ: str
    year: int
    title: str | None = None  # overrides the usual 「{organ}{year}年政府信息公开工作年度报告」
    published: dt.date | None = None  # 发布日期
    header: DocumentHeader = Field(default_factory=DocumentHeader)
    overview: Overview = Field(default_factory=Overview)
    table2: Table2 = Field(default_factory=Table2)
    table3: Table3 = Field(default_factory=Table3)
    table4: Table4 = Field(default_factory=Table4)
    problems: list[str] = Field(default_factory=list)  # 五、存在的主要问题及改进情况
    other_matters: list[str] = Field(default_factory=list)  # 六、其他需要报告的事项

    @model_validator(mode="after")
    def _known_format(self) -> Report:
        if self.format_version not in labels.FORMAT_VERSIONS:
            raise ValueError(f"format_version must be one of {labels.FORMAT_VERSIONS}")
        return self

    @property
    def display_title(self) -> str:
        """The report's title as printed, on one line: a line break inside 标题 is the clerk's
        choice of where the Word title breaks (render/title_lines.py), not part of its text."""
        if self.title:
            return "".join(line.strip() for line in self.title.splitlines())
        return f"{self.organ}{self.year}年{labels.TITLE_SUFFIX}"

    @property
    def file_stem(self) -> str:
        """Output file name without extension: 「{organ}{year}年政府信息公开工作年度报告」."""
        return file_safe(f"{self.organ}{self.year}年{labels.TITLE_SUFFIX}")

    @property
    def data_file_stem(self) -> str:
        """An imported report's data file name without extension: 「{organ}{year}」."""
        return file_safe(f"{self.organ}{self.year}")

    def section_paragraphs(self) -> dict[str, list[str]]:
        """Every narrative paragraph by section number (一, 五, 六), in order."""
        overview = list(self.overview.intro)
        for sub in self.overview.subsections:
            overview.append(sub.title)
            overview.extend(sub.paragraphs)
        return {"一": overview, "五": list(self.problems), "六": list(self.other_matters)}
