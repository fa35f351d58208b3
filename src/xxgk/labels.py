"""The national report format (国办公开办函〔2021〕30号, and the 2019 differences) as data.

Every label of the three statistics tables lives here once, verbatim, with its short YAML key and
its place in the official grid. The model, the YAML loader, the checks' locations and messages,
the renderers and the importers all read labels from this module: none of them spells a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FORMAT_VERSIONS = (FORMAT_2021, FORMAT_2019)
FORMAT_DOCUMENTS = {
    FORMAT_2021: "国办公开办函〔2021〕30号",
    FORMAT_2019: "国办公开办函〔2019〕60号",
}

TITLE_SUFFIX = "政府信息公开工作年度报告"

# ---------------------------------------------------------------- the six sections


@dataclass(frozen=True)
class Section:
    """One of the report's six sections: its number, heading and the data file's key."""

    number: str  # 一 … 六
    heading: str  # verbatim, e.g. 一、总体情况
    key: str  # the data file's key (the heading itself)

    @property
    def title(self) -> str:
        """The heading without its 「一、」 numbering."""
        return self.heading.split("、", 1)[1]


SECTIONS = (
    Section("一", "一、总体情况", "一、总体情况"),
    Section("二", "二、主动公开政府信息情况", "二、主动公开政府信息情况"),
    Section("三", "三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请情况"),
    Section(
        "四", "四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况"
    ),
    Section("五", "五、存在的主要问题及改进情况", "五、存在的主要问题及改进情况"),
    Section("六", "六、其他需要报告的事项", "六、其他需要报告的事项"),
)
SECTION_BY_NUMBER = {s.number: s for s in SECTIONS}

# The usual five subsections of 一、总体情况 (titles are editable in the data).
OVERVIEW_SUBSECTIONS = ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障")
CHINESE_ORDINALS = "一二三四五六七八九十"


def subsection_marker(index: int) -> str:
    """（一）（二）…（十一）…（一百） for the index-th (0-based) subsection of 一、总体情况."""
    return f"（{chinese_number(index + 1)}）"


_DIGITS = "零一二三四五六七八九"
_UNITS = ("", "十", "百", "千")


def chinese_number(n: int) -> str:
    """A positive whole number as it is read in Chinese: 十一, 二十, 一百, 一百零一, 一百一十,
    一千零一十, 一万零五 … (up to 九千九百九十九万…, far beyond any list of subsections)."""
    if n <= 0:
        raise ValueError(n)
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + _below_10000(low)
        return chinese_number(high) + "万" + rest
    text = _below_10000(n)
    return text[1:] if 10 <= n < 20 else text  # 十一, not 一十一, at the start


def _below_10000(n: int) -> str:
    parts: list[str] = []
    zero = False
    for place in range(3, -1, -1):
        digit = n // 10**place % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(_DIGITS[digit] + _UNITS[place])
    return "".join(parts)


# ---------------------------------------------------------------- 表二


@dataclass(frozen=True)
class Table2Block:
    """A 第二十条 block of 表二: its item heading, the value column headings and its rows."""

    item: str  # 第二十条第（一）项
    columns: tuple[str, ...]  # value column headings (after 信息内容)
    rows: tuple[tuple[str, str], ...]  # (field name in the model, verbatim row label)


TABLE2_CONTENT_HEADING = "信息内容"
TABLE2_DOCUMENT_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
TABLE2_DECISION_COLUMN = "本年处理决定数量"
TABLE2_FEE_COLUMN = "本年收费金额（单位：万元）"
TABLE2_BLOCKS = (
    Table2Block(
        "第二十条第（一）项",
        TABLE2_DOCUMENT_COLUMNS,
        (("regulations", "规章"), ("normative_documents", "行政规范性文件")),
    ),
    Table2Block("第二十条第（五）项", (TABLE2_DECISION_COLUMN,), (("licensing", "行政许可"),)),
    Table2Block(
        "第二十条第（六）项",
        (TABLE2_DECISION_COLUMN,),
        (("punishment", "行政处罚"), ("enforcement", "行政强制")),
    ),
    Table2Block("第二十条第（八）项", (TABLE2_FEE_COLUMN,), (("fees", "行政事业性收费"),)),
)
# Field names of the document-count rows and their columns, in column order.
TABLE2_DOCUMENT_FIELDS = ("issued", "repealed", "in_force")
TABLE2_ROW_LABELS = {field: label for block in TABLE2_BLOCKS for field, label in block.rows}
FEE_DECIMALS = 4  # 万元 with up to 4 decimals (to the yuan)

# ---------------------------------------------------------------- 表三


@dataclass(frozen=True)
class Column:
    """An applicant column of 表三."""

    key: str  # English id
    label: str  # verbatim
    group: str | None  # 法人或其他组织 for the five organisation columns


TABLE3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_APPLICANTS = "申请人情况"
TABLE3_ORGANISATIONS = "法人或其他组织"
TABLE3_TOTAL = "总计"
TABLE3_COLUMNS = (
    Column("natural_person", "自然人", None),
    Column("commercial", "商业企业", TABLE3_ORGANISATIONS),
    Column("research", "科研机构", TABLE3_ORGANISATIONS),
    Column("public_interest", "社会公益组织", TABLE3_ORGANISATIONS),
    Column("legal_service", "法律服务机构", TABLE3_ORGANISATIONS),
    Column("other", "其他", TABLE3_ORGANISATIONS),
)
TABLE3_COLUMN_LABELS = tuple(c.label for c in TABLE3_COLUMNS)


@dataclass(frozen=True)
class Table3Row:
    """An entered row of 表三 (the 24 rows a clerk fills in)."""

    id: str  # stable English id, e.g. "refused.state_secret"
    key: str  # the data file's key within its group
    label: str  # verbatim row label
    part: str  # 一 / 二 / 三 / 四: which top-level item it belongs to
    group: str | None  # the （三）… group label for sub-items, None otherwise
    grid_row: int  # 0-based row in the official grid

    @cached_property
    def path(self) -> tuple[str, ...]:
        """The row's place in the report's own words, for finding locations."""
        if self.part == "三":
            return (TABLE3_RESULTS, *(() if self.group is None else (self.group,)), self.label)
        return (self.label,)


TABLE3_NEW = "一、本年新收政府信息公开申请数量"
TABLE3_CARRIED_IN = "二、上年结转政府信息公开申请数量"
TABLE3_RESULTS = "三、本年度办理结果"
TABLE3_RESULTS_TOTAL = "（七）总计"
TABLE3_CARRIED_OUT = "四、结转下年度继续办理"


@dataclass(frozen=True)
class Table3Group:
    """A （三）…（六） group of 表三 with sub-items: its label, data key and group id."""

    id: str
    key: str
    label: str


TABLE3_GROUPS = (
    Table3Group("refused", "不予公开", "（三）不予公开"),
    Table3Group("unavailable", "无法提供", "（四）无法提供"),
    Table3Group("not_processed", "不予处理", "（五）不予处理"),
    Table3Group("other_handling", "其他处理", "（六）其他处理"),
)
_GROUP = {g.id: g for g in TABLE3_GROUPS}


def _sub(group: str, items: tuple[tuple[str, str, str], ...], first_row: int) -> list[Table3Row]:
    return [
        Table3Row(f"{group}.{rid}", key, label, "三", _GROUP[group].label, first_row + i)
        for i, (rid, key, label) in enumerate(items)
    ]


TABLE3_ROWS: tuple[Table3Row, ...] = (
    Table3Row("new", "本年新收", TABLE3_NEW, "一", None, 3),
    Table3Row("carried_in", "上年结转", TABLE3_CARRIED_IN, "二", None, 4),
    Table3Row("granted", "予以公开", "（一）予以公开", "三", None, 5),
    Table3Row(
        "partial",
        "部分公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "三",
        None,
        6,
    ),
    *_sub(
        "refused",
        (
            ("state_secret", "属于国家秘密", "1.属于国家秘密"),
            ("prohibited_by_law", "其他法律行政法规禁止公开", "2.其他法律行政法规禁止公开"),
            ("three_securities", "危及“三安全一稳定”", "3.危及“三安全一稳定”"),
            ("third_party", "保护第三方合法权益", "4.保护第三方合法权益"),
            ("internal_affairs", "属于三类内部事务信息", "5.属于三类内部事务信息"),
            ("process_info", "属于四类过程性信息", "6.属于四类过程性信息"),
            ("enforcement_files", "属于行政执法案卷", "7.属于行政执法案卷"),
            ("inquiry_matters", "属于行政查询事项", "8.属于行政查询事项"),
        ),
        7,
    ),
    *_sub(
        "unavailable",
        (
            ("not_held", "本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息"),
            ("needs_creation", "没有现成信息需要另行制作", "2.没有现成信息需要另行制作"),
            ("still_unclear", "补正后申请内容仍不明确", "3.补正后申请内容仍不明确"),
        ),
        15,
    ),
    *_sub(
        "not_processed",
        (
            ("petition", "信访举报投诉类申请", "1.信访举报投诉类申请"),
            ("repeated", "重复申请", "2.重复申请"),
            ("publications", "要求提供公开出版物", "3.要求提供公开出版物"),
            ("abusive", "无正当理由大量反复申请", "4.无正当理由大量反复申请"),
            (
                "confirmation",
                "要求行政机关确认或重新出具已获取信息",
                "5.要求行政机关确认或重新出具已获取信息",
            ),
        ),
        18,
    ),
    *_sub(
        "other_handling",
        (
            (
                "no_correction",
                "逾期不补正",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ),
            (
                "fee_unpaid",
                "逾期未缴费",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ),
            ("other", "其他", "3.其他"),
        ),
        23,
    ),
    Table3Row("carried_out", "结转下年度", TABLE3_CARRIED_OUT, "四", None, 27),
)
TABLE3_ROW_BY_ID = {r.id: r for r in TABLE3_ROWS}
TABLE3_RESULT_ROWS = tuple(r for r in TABLE3_ROWS if r.part == "三")
TABLE3_RESULTS_TOTAL_GRID_ROW = 26
TABLE3_RESULTS_KEY = "办理结果"  # the data file's key grouping the 三 rows
TABLE3_RESULTS_TOTAL_KEY = "总计"  # an optional stated （七）总计 inside 办理结果
# （六）其他处理 printed as one row (its sub-rows not split): its stated total inside 其他处理.
TABLE3_OTHER_HANDLING_TOTAL_KEY = "合计"
TABLE3_GRID_ROWS = 28
TABLE3_GRID_COLUMNS = 10

# ---------------------------------------------------------------- 表四

TABLE4_REVIEW = "行政复议"
TABLE4_LITIGATION = "行政诉讼"


@dataclass(frozen=True)
class Table4Block:
    """A block of 表四: 行政复议, 未经复议直接起诉 or 复议后起诉."""

    id: str
    label: str
    parent: str  # 行政复议 or 行政诉讼

    @property
    def path(self) -> tuple[str, ...]:
        """The block's place in the report's own words."""
        return (self.label,) if self.parent == self.label else (self.parent, self.label)


TABLE4_BLOCKS = (
    Table4Block("review", TABLE4_REVIEW, TABLE4_REVIEW),
    Table4Block("direct_suit", "未经复议直接起诉", TABLE4_LITIGATION),
    Table4Block("suit_after_review", "复议后起诉", TABLE4_LITIGATION),
)
TABLE4_OUTCOMES = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
TABLE4_TOTAL = "总计"

# ---------------------------------------------------------------- the 2019 format

# 表三 in the 2019 format: （六）其他处理 is one row, so 三 spans 20 rows and the grid has 26.
TABLE3_2019_OTHER_HANDLING = "（六）其他处理"
TABLE3_2019_PARTIAL_LABELS = (
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（二）部分公开",
)
TABLE2_2019_BLOCKS = (
    Table2Block(
        "第二十条第（一）项",
        ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        (("regulations", "规章"), ("normative_documents", "规范性文件")),
    ),
    Table2Block(
        "第二十条第（五）项",
        ("上一年项目数量", "本年增/减", "处理决定数量"),
        (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
    ),
    Table2Block(
        "第二十条第（六）项",
        ("上一年项目数量", "本年增/减", "处理决定数量"),
        (("punishment", "行政处罚"), ("enforcement", "行政强制")),
    ),
    Table2Block(
        "第二十条第（八）项", ("上一年项目数量", "本年增/减"), (("fees", "行政事业性收费"),)
    ),
    Table2Block(
        "第二十条第（九）项", ("采购项目数量", "采购总金额"), (("procurement", "政府集中采购"),)
    ),
)

# ---------------------------------------------------------------- the data file's other keys

KEY_FORMAT = "格式版本"
KEY_ORGAN = "机关名称"
KEY_YEAR = "年度"
KEY_HEADER = "文头"
KEY_ISSUER_MARK = "发文机关标志"
KEY_DOC_NUMBER = "发文字号"
KEY_DATE = "成文日期"
KEY_PUBLISHED = "发布日期"  # the day the report went online (imported pages, optional)
KEY_SIGNER = "署名"
KEY_TITLE = "标题"
KEY_INTRO = "概述"
KEY_SUBSECTIONS = "分项"
KEY_SUB_TITLE = "标题"
KEY_SUB_TEXT = "正文"
