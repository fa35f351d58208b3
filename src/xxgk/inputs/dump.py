"""Report → the YAML data file, laid out for a clerk: every key, in report order, with comments.

Written by hand rather than by ``yaml.dump`` so that the file reads like the report (all text as
literal block scalars, one line per paragraph, so that 「#」「:」, brackets and quotes typed
later stay text; each table row a flow list on one line with its label as key) and so that the
same report always gives the same text. ``parse_report(dump_report(r)) == r`` for every report
whose paragraphs are single stripped lines (a line break in a paragraph reads back as a break
between paragraphs).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import yaml

from xxgk import labels
from xxgk.model import ApplicantCounts, Count, Report

_S = {s.number: s for s in labels.SECTIONS}

# The note written after each one-line field (the reader knows them: not text lost to a 「#」).
FIELD_NOTES = {
    labels.KEY_ORGAN: "标题中的机关名称",
    labels.KEY_YEAR: "报告年度",
    labels.KEY_TITLE: (
        "标题（不填则为 机关名称+年度+年政府信息公开工作年度报告）；分两行写即在该处回行"
    ),
    labels.KEY_ISSUER_MARK: "红头，如「××县人民政府文件」",
    labels.KEY_DOC_NUMBER: "如「×政〔2026〕1号」",
    labels.KEY_DATE: "YYYY-MM-DD；填写后文末加署名和日期",
    labels.KEY_PUBLISHED: "YYYY-MM-DD；报告在网上发布的日期，可不填（用于检查是否按时公开）",
    labels.KEY_SIGNER: "落款机关，不填则用机关名称",
}
# Notes earlier versions wrote, still met in data files.
OLD_FIELD_NOTES = ("标题（不填则为 机关名称+年度+年政府信息公开工作年度报告）",)


def dump_report(report: Report, *, notes: list[str] | None = None) -> str:
    """The data file text of a report; ``notes`` become comment lines at the top."""
    out: list[str] = [
        f"# {_comment(report.display_title)} · 数据文件（xxgk）",
        "# 填写说明：数字直接填写；“|” 下面的文字原样读入，每行一段；"
        "其他地方 “#” 之后是说明，不影响数据。",
        "# 检查：xxgk check 本文件    生成：xxgk build 本文件",
    ]
    out += [f"# {_comment(line)}" for line in notes or []]
    out += [
        "",
        f"{labels.KEY_FORMAT}: {report.format_version}  # 2021 = 国办公开办函〔2021〕30号 格式",
        *_field(labels.KEY_ORGAN, report.organ, 0),
        f"{labels.KEY_YEAR}: {report.year}  # {FIELD_NOTES[labels.KEY_YEAR]}",
    ]
    if report.published:  # only an import knows it; a clerk's own file goes without
        note = FIELD_NOTES[labels.KEY_PUBLISHED]
        out.append(f"{labels.KEY_PUBLISHED}: {report.published.isoformat()}  # {note}")
    if report.title:
        out += _field(labels.KEY_TITLE, report.title, 0)
    else:  # how to give the title, or only where it breaks (GB/T 9704 7.3.3: 词意完整)
        out += [
            f"# {labels.KEY_TITLE}: |  ← 要改标题或指定回行处时，去掉这三行开头的「# 」，"
            "在「|」下面分行写，每行一行标题",
            f"#   {_comment(report.organ)}{report.year}年",
            f"#   {labels.TITLE_SUFFIX}",
        ]
    out += _header(report)
    out += _overview(report)
    out += _table2(report)
    out += _table3(report)
    out += _table4(report)
    out += ["", f"{_S['五'].key}: " + _block(report.problems, 2).lstrip(" ")]
    out += [
        "",
        f"{_S['六'].key}:"
        "  # 应报告信息处理费收取情况（未收取也应说明）、年度政务公开工作要点落实情况",
    ]
    out += [_block(report.other_matters, 2)]
    return "\n".join(out).rstrip("\n") + "\n"


def _header(report: Report) -> list[str]:
    h = report.header
    date = h.date.isoformat() if h.date else ""
    return [
        "",
        f"{labels.KEY_HEADER}:  # 公文版头与落款，可不填",
        *_field(labels.KEY_ISSUER_MARK, h.issuer_mark, 2),
        *_field(labels.KEY_DOC_NUMBER, h.doc_number, 2),
        f"  {labels.KEY_DATE}: {date}  # {FIELD_NOTES[labels.KEY_DATE]}",
        *_field(labels.KEY_SIGNER, h.signer, 2),
    ]


def _overview(report: Report) -> list[str]:
    ov = report.overview
    out = ["", f"{_S['一'].key}:", f"  {labels.KEY_INTRO}: " + _block(ov.intro, 4).lstrip(" ")]
    out.append(f"  {labels.KEY_SUBSECTIONS}:  # （一）（二）…… 每项一个「- 标题」，标题可改")
    if not ov.subsections:
        out[-1] = f"  {labels.KEY_SUBSECTIONS}: []  # （一）（二）…… 每项一个「- 标题」，标题可改"
    for sub in ov.subsections:
        out += _field(labels.KEY_SUB_TITLE, sub.title, 6, first="    - ", note=False)
        out.append(f"      {labels.KEY_SUB_TEXT}: " + _block(sub.paragraphs, 8).lstrip(" "))
    return out


def _table2(report: Report) -> list[str]:
    t = report.table2
    cols = "、".join(labels.TABLE2_DOCUMENT_COLUMNS)
    return [
        "",
        f"{_S['二'].key}:  # 表二",
        f"  # 第二十条第（一）项：[{cols}]",
        f"  规章: {_flow(t.regulations.cells())}",
        f"  行政规范性文件: {_flow(t.normative_documents.cells())}",
        "  # 第二十条第（五）（六）项：本年处理决定数量",
        f"  行政许可: {_num(t.licensing)}",
        f"  行政处罚: {_num(t.punishment)}",
        f"  行政强制: {_num(t.enforcement)}",
        "  # 第二十条第（八）项：本年收费金额（单位：万元，最多 4 位小数）",
        f"  行政事业性收费: {_fee(t.fees)}",
    ]


def _table3(report: Report) -> list[str]:
    t = report.table3
    cols = ", ".join(labels.TABLE3_COLUMN_LABELS)
    out = [
        "",
        f"{_S['三'].key}:  # 表三",
        f"  # 每行六个数：[{cols}]；总计由程序计算",
    ]
    by_part = {r.id: r for r in labels.TABLE3_ROWS}
    out.append(f"  {by_part['new'].key}: {_row(t.row('new'))}  # {by_part['new'].label}")
    out.append(
        f"  {by_part['carried_in'].key}: {_row(t.row('carried_in'))}"
        f"  # {by_part['carried_in'].label}"
        "（应等于上年报告的“结转下年度继续办理”）"
    )
    out.append(f"  {labels.TABLE3_RESULTS_KEY}:  # {labels.TABLE3_RESULTS}")
    group_of: dict[str | None, labels.Table3Group] = {g.label: g for g in labels.TABLE3_GROUPS}
    current: str | None = None
    for row in labels.TABLE3_RESULT_ROWS:
        if row.group is None:
            out.append(f"    {row.key}: {_row(t.row(row.id))}  # {row.label}")
            continue
        if row.group != current:
            current = row.group
            out.append(f"    {group_of[row.group].key}:  # {row.group}")
        out.append(f"      {_key(row.key)}: {_row(t.row(row.id))}  # {row.label}")
        if row.id == labels.TABLE3_RESULT_ROWS[-1].id and t.stated_other_handling is not None:
            out.append(
                f"      {labels.TABLE3_OTHER_HANDLING_TOTAL_KEY}: {_row(t.stated_other_handling)}"
                f"  # {row.group}（来源印成一行的合计，仅供核对）"
            )
    if t.stated_results_total is not None:
        out.append(
            f"    {labels.TABLE3_RESULTS_TOTAL_KEY}: {_row(t.stated_results_total)}"
            f"  # {labels.TABLE3_RESULTS_TOTAL}（来源所列，仅供核对）"
        )
    out.append(
        f"  {by_part['carried_out'].key}: {_row(t.row('carried_out'))}"
        f"  # {by_part['carried_out'].label}"
    )
    return out


def _table4(report: Report) -> list[str]:
    outcomes = ", ".join(label for _, label in labels.TABLE4_OUTCOMES)
    out = ["", f"{_S['四'].key}:  # 表四", f"  # 每项四个数：[{outcomes}]；总计由程序计算"]
    for block in labels.TABLE4_BLOCKS:
        b = report.table4.block(block.id)
        values = [*b.cells(), *([b.stated_total] if b.stated_total is not None else [])]
        out.append(f"  {block.label}: {_flow(values)}  # {'/'.join(block.path)}")
    return out


def _field(
    key: str, text: str | None, indent: int, first: str | None = None, note: bool = True
) -> list[str]:
    """A one-line text field: a literal block, so that 「#」「:」 quotes and brackets are kept.

    Empty, it is left blank for the clerk to fill in after the colon. A line break (only a title
    has one) is kept as a line of the block.
    """
    head = (first if first is not None else " " * indent) + f"{key}:"
    said = FIELD_NOTES.get(key) if note else None
    comment = f"  # {said}" if said else ""
    if not text:
        return [head + comment]
    lines = text.split("\n")
    if all(_block_safe(line) for line in lines):
        pad = " " * (indent + 2)
        return [f"{head} |{comment}", *(pad + line.strip() for line in lines if line.strip())]
    return [f"{head} {_scalar(text)}{comment}"]


def _comment(text: str) -> str:
    """Text safe inside a YAML comment: one line, printable characters only."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _row(row: ApplicantCounts) -> str:
    values = [*row.cells, *([row.stated_total] if row.stated_total is not None else [])]
    return _flow(values)


def _flow(values: list[Count] | tuple[Count, ...]) -> str:
    return "[" + ", ".join(_num(v) for v in values) + "]"


def _num(value: Count) -> str:
    return "~" if value is None else str(value)


def _fee(value: Decimal | None) -> str:
    return "~" if value is None else format(value, "f")


@cache  # the keys are the national labels: the same few dozen in every data file
def _key(key: str) -> str:
    # 危及“三安全一稳定” needs no quoting; keys are plain unless YAML would misread them.
    return key if yaml.safe_load(f"{key}: 0") == {key: 0} else _scalar(key)


def _scalar(text: str | None) -> str:
    """A one-line double-quoted YAML scalar: what a literal block cannot hold (control
    characters, U+2028 …) survives only escaped."""
    if text is None or text == "":
        return ""
    dumped: str = yaml.safe_dump(
        text, allow_unicode=True, default_flow_style=True, width=10**9, default_style='"'
    )
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _block(paragraphs: list[str], indent: int) -> str:
    """Paragraphs as a literal block scalar, or quoted strings when a block cannot hold them."""
    pad = " " * indent
    if not paragraphs:
        return f"{pad}|"
    if all(_block_safe(p) for p in paragraphs):
        # Every line is a paragraph; the blank line between them is for the eye only.
        body = "\n\n".join(
            f"{pad}{line.strip()}" for p in paragraphs for line in p.splitlines() if line.strip()
        )
        return f"{pad}|\n{body}"
    items = "\n".join(f"{pad}- {_scalar(p)}" for p in paragraphs)
    return f"{pad}\n{items}"


def _block_safe(paragraph: str) -> bool:
    """Whether a paragraph's characters can stand in a literal block: YAML's printable ones, no
    line breaks of its own kind (U+0085, U+2028, U+2029) and no BOM."""
    return bool(paragraph.strip()) and _UNBLOCKABLE.search(paragraph) is None


# Control characters but tab and line feed, C1 controls (U+0085 among them), surrogates, the
# line and paragraph separators, the BOM and the two non-characters YAML refuses.
_UNBLOCKABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                          "\ufeff\ufffe\uffff]")
