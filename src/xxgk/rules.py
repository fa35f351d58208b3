"""Every rule a finding can break, by its code: the Chinese name people read, and whether it is a
reading problem (our importer could not read something of a published report) rather than
something the organ got wrong.

One dict, ``RULES``: add a rule by adding a line ``"code": Rule("中文名")`` (``reading=True`` for
an import's reading problem). A code missing here still gets a name from its family (``FAMILIES``)
so nothing shows a bare code, and ``tests/test_rules.py`` fails for any code in checks/ or
importers/ that has no line of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET_NAME_LIMIT = 31  # Excel's limit on a sheet name


@dataclass(frozen=True)
class Rule:
    """A rule's Chinese name and whether breaking it is a reading problem of an import."""

    name: str
    reading: bool = False


RULES: dict[str, Rule] = {
    # 表三、表四 勾稽 and stated totals
    "t3/balance": Rule("表三勾稽不平"),
    "t3/stated-total": Rule("表三总计与各栏之和不符"),
    "t3/stated-results-total": Rule("表三办理结果总计与各项之和不符"),
    "t3/stated-other-handling": Rule("表三其他处理合计与分项之和不符"),
    "t3/other-handling-one-row": Rule("表三其他处理只印一行合计"),
    "t4/stated-total": Rule("表四总计与各项之和不符"),
    # values
    "value/missing": Rule("数字空白"),
    "value/negative": Rule("数字为负"),
    "value/too-large": Rule("数字过大"),
    "value/bad-fee": Rule("收费金额格式不对"),
    # the organ, the year, the format
    "meta/organ-missing": Rule("机关名称空白"),
    "meta/future-year": Rule("年度晚于今年"),
    "meta/format-year": Rule("格式与年度不符"),
    "batch/other-year": Rule("不是本批次的年度"),
    "batch/other-format": Rule("未使用本年度应使用的格式"),
    # on-time publication (checks/published.py; 提示 when the date is unknown)
    "meta/published-late": Rule("未按时公开"),
    "meta/published-early": Rule("发布日期早于年度结束"),
    "meta/published-unknown": Rule("发布日期不详"),
    # text
    "text/empty-section": Rule("正文部分空白"),
    "text/fee-not-reported": Rule("第六部分未说明信息处理费"),
    "text/contradicts-table": Rule("正文数字与表格不符"),
    "text/copied-from-last-year": Rule("正文沿用上年"),
    "text/stale-year": Rule("正文年份未更新"),
    # the six headings and the preamble as printed (checks/outline.py)
    "structure/section-title": Rule("标题与格式不符"),
    "structure/section-order": Rule("部分编号与格式不符"),
    "structure/preamble-old-names": Rule("前言沿用旧格式部分名称"),
    "structure/preamble-parts": Rule("前言所列部分数不符"),
    # the batch's own rules (audit/crossorgan.py, audit/parent.py)
    "copy/other-organ": Rule("与其他机关的报告雷同"),
    "parent/no-children": Rule("本级报告没有同年度的单位报告可核对"),
    # carry-over against last year
    "carryover/mismatch": Rule("上年结转与上年结转下年度不符"),
    "carryover/in-force-drift": Rule("现行有效件数与上年不衔接"),
    "carryover/not-last-year": Rule("对照的不是上一年度报告"),
    "carryover/other-organ": Rule("对照的是另一机关的报告"),
    # plausibility
    "plausibility/appeals-above-applications": Rule("复议诉讼远多于申请"),
    "plausibility/issued-above-stock": Rule("本年制发多于现行有效与废止之和"),
    "plausibility/fee-against-text": Rule("收费与正文说法不符"),
    "plausibility/short-section": Rule("正文部分过短"),
    "plausibility/same-as-last-year": Rule("数字与上年完全相同"),
    # pairing
    "pairing/no-previous": Rule("没有上年报告"),
    "pairing/ambiguous-previous": Rule("上年报告不止一份"),
    "pairing/previous-unreadable": Rule("上年报告无法读取"),
    "pairing/by-prefix": Rule("按省市县前缀配对上年报告"),
    # what a published report's import could not read: the reader's problem, not the organ's
    "import/blank-cell": Rule("数字空白"),  # the report printed nothing: the organ's blank
    # our workbook as the clerk left it (issue 19): the clerk's to fix, not a reading problem
    "import/formula-in-entry": Rule("填写格中是公式"),
    "import/formula-in-text": Rule("文字格中是公式"),
    "import/hidden-sheet": Rule("工作表被隐藏"),
    "import/unseen-cell": Rule("填写格读者看不见（隐藏行列、白字）"),
    "import/number-format": Rule("数字格式显示的不是该数"),
    "import/too-many-rows": Rule("正文行数超出上限"),
    # how a published report was read (notes about our reading)
    "import/one-line-body": Rule("正文连成一行，已按标题拆分", reading=True),
    "import/read-as": Rule("按实际内容识别文件类型", reading=True),
    "import/published-from": Rule("发布日期的来源", reading=True),
    # the report prints （六）其他处理 as one row: its form, not our reading
    "import/single-other-handling": Rule("（六）其他处理只印一行"),
    "value/fee-precision": Rule("收费金额小数位过多"),
    "import/unreadable-cell": Rule("数字无法识别", reading=True),
    "import/no-counterpart": Rule("2019 格式栏目无对应项", reading=True),
    "import/missing-row": Rule("未找到表格行", reading=True),
    "import/missing-table": Rule("未找到表格", reading=True),
    "import/missing-section": Rule("未找到正文部分", reading=True),
    "import/unknown-section": Rule("无法归入的正文部分", reading=True),
    "import/unknown-row": Rule("无法识别的表格行", reading=True),
    "import/extra-cells": Rule("表格行的格数多于栏目", reading=True),
    "import/fuzzy-label": Rule("栏目名称有出入", reading=True),
    "import/duplicate-row": Rule("表格行重复", reading=True),
    "import/unit": Rule("数字带单位", reading=True),
    "import/group-subtotal": Rule("分组小计", reading=True),
    "import/cell-count": Rule("表格格数不对", reading=True),
    "import/run-together": Rule("表格数字连在一起", reading=True),
    "import/column-order": Rule("表格栏目顺序不同", reading=True),
    "import/detached-label": Rule("表格行标签与数字分开", reading=True),
    "import/no-organ": Rule("未读出机关名称", reading=True),
    "import/no-title": Rule("未找到报告标题", reading=True),
    "import/organ-from-page": Rule("机关名称取自网页", reading=True),
    "import/year-from-page": Rule("年度取自网页", reading=True),
    "import/year-from-text": Rule("年度取自正文", reading=True),
    "import/year-from-name": Rule("年度取自文件名", reading=True),
    "import/bad-date": Rule("日期无法识别", reading=True),
    "import/number-as-text": Rule("数字存为文本", reading=True),
    "import/not-a-number": Rule("不是数字", reading=True),
    "import/not-integer": Rule("不是整数", reading=True),
    "import/not-an-amount": Rule("不是金额", reading=True),
    "import/negative": Rule("数字为负", reading=True),
    "import/missing-value": Rule("必填项空白", reading=True),
    "import/unknown-format": Rule("格式版本无法识别", reading=True),
    "import/formula-without-value": Rule("公式没有计算结果", reading=True),
    "import/orphan-continuation": Rule("续行没有上一段", reading=True),
    "import/scanned-pdf": Rule("扫描件没有文字层", reading=True),
    "import/pdf-overprint": Rule("PDF 中两个字符印在同一位置", reading=True),
    "import/pdf-too-large": Rule("PDF 页数或绘制内容超过上限", reading=True),
    # what a reader does not see is no part of the report, and a file date is only a fallback:
    # neither leaves a number of the report unread
    "import/pdf-hidden-text": Rule("PDF 中有读者看不见的文字"),
    "import/published-from-file-date": Rule("发布日期取自 PDF 文件属性"),
    # a file that could not be opened at all
    "import/bad-doc": Rule("Word 97 文件无法打开", reading=True),
    "import/bad-docx": Rule("Word 文件无法打开", reading=True),
    "import/bad-html": Rule("网页无法读取", reading=True),
    "import/bad-pdf": Rule("PDF 文件无法打开", reading=True),
    "import/binary": Rule("不是文本文件", reading=True),
    "import/damaged-file": Rule("文件已损坏", reading=True),
    "import/unknown-type": Rule("不支持的文件类型", reading=True),
    "import/no-libreoffice": Rule("缺少 LibreOffice，无法转换", reading=True),
    "import/libreoffice-timeout": Rule("LibreOffice 转换超时", reading=True),
    "import/not-our-workbook": Rule("不是本工具的工作簿", reading=True),
    "import/unreadable-workbook": Rule("工作簿无法读取", reading=True),
    "import/changed-layout": Rule("工作簿结构被改动", reading=True),
    "import/invalid": Rule("工作簿内容无效", reading=True),
    "input/empty": Rule("文件是空的"),
    "input/missing-file": Rule("文件不存在"),
    "input/not-a-file": Rule("不是普通文件"),
    # what stops a command rather than marks a report
    "audit/published-row": Rule("发布日期清单有误"),
    "audit/published-encoding": Rule("发布日期清单编码无法识别"),
}

# A family's name for a code not (yet) in RULES: the part before the slash.
FAMILIES: dict[str, Rule] = {
    "t3": Rule("表三问题"),
    "t4": Rule("表四问题"),
    "value": Rule("数字问题"),
    "meta": Rule("机关、年度或格式问题"),
    "batch": Rule("与本批次不符"),
    "text": Rule("正文问题"),
    "carryover": Rule("与上年衔接问题"),
    "plausibility": Rule("数字存疑"),
    "pairing": Rule("上年报告配对问题"),
    "copy": Rule("与其他机关雷同"),
    "structure": Rule("标题或前言与格式不符"),
    "parent": Rule("本级报告与各单位合计不符"),
    "import": Rule("读取问题", reading=True),
    "input": Rule("数据文件问题"),
    "datafile": Rule("数据文件问题"),
}
_UNKNOWN = Rule("其他问题")


def rule(code: str) -> Rule:
    """The rule of a finding code: its own line in RULES, else its family's."""
    found = RULES.get(code)
    if found is not None:
        return found
    return FAMILIES.get(code.split("/", 1)[0], _UNKNOWN)


def rule_name(code: str) -> str:
    """The Chinese name of the rule a finding code stands for."""
    return rule(code).name


def is_reading(code: str, published: bool) -> bool:
    """True when a finding says our importer could not read something of a published report
    (never for a data file or our own workbook, whose findings are the clerk's to fix)."""
    if not published:
        return False
    # An organ name missing after an import is the importer's failure to find it.
    return rule(code).reading or code == "meta/organ-missing"
