"""The YAML data file → Report, with every problem reported in Chinese at its file and line.

PyYAML's composer keeps a line mark on every node; the reader below walks the nodes along the
labels in :mod:`xxgk.labels`, so an unknown key, a missing key, a list of the wrong length or text
where a number belongs is named at the line where it stands. Every problem in the file is
collected before anything is raised, so the clerk sees them all at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xxgk import labels
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.inputs import numbers
from xxgk.inputs.compose import compose, is_null
from xxgk.inputs.dump import FIELD_NOTES, OLD_FIELD_NOTES
from xxgk.inputs.printable import shown, shown_path, unsafe
from xxgk.inputs.scalars import lost_comment, text_lines
from xxgk.inputs.source import decode, read_text
from xxgk.model import (
    ApplicantCounts,
    DocumentCounts,
    DocumentHeader,
    Overview,
    Report,
    ReviewOutcomes,
    Subsection,
    Table2,
    Table3,
    Table4,
)

T2, T3, T4 = "表二", "表三", "表四"
_SECTION = {s.number: s for s in labels.SECTIONS}
_T3_COLUMNS_HINT = "[" + ", ".join(labels.TABLE3_COLUMN_LABELS) + "]"
_T4_COLUMNS_HINT = "[" + ", ".join(label for _, label in labels.TABLE4_OUTCOMES) + "]"
_T2_COLUMNS_HINT = "[" + ", ".join(labels.TABLE2_DOCUMENT_COLUMNS) + "]"


_V = TypeVar("_V")
_PLAIN_COUNT = re.compile(r"(?:0|[1-9][0-9]{0,39})\Z")  # not 010 (read with a warning)
_LIST_SEPARATORS = re.compile(r"[,，、;；\s\u3000]+")
_LIST_BRACKETS = "[]［］【】"
# What the dumper itself writes after a value: not text lost to a comment.
_OWN_COMMENTS = frozenset([*FIELD_NOTES.values(), *OLD_FIELD_NOTES])


def load_with_findings(path: str | Path) -> tuple[Report, list[Finding]]:
    """The report in a data file and the warnings met reading it; XxgkError on any error."""
    text, notes = read_text(path)
    report, findings, _ = parse_report_with_lines(text, shown_path(path))
    return report, notes + findings


def load_with_lines(
    path: str | Path, data: bytes | None = None
) -> tuple[Report, list[Finding], LineIndex]:
    """The report, its warnings, and the line of each place in the file (to place findings).

    ``data`` is the file's bytes when the caller has read them already.
    """
    name = shown_path(path)
    text, notes = read_text(path) if data is None else decode(data, name)
    report, findings, lines = parse_report_with_lines(text, name)
    return report, notes + findings, lines


def load(path: str | Path) -> Report:
    """The report in a data file (warnings about the file itself are dropped)."""
    return load_with_findings(path)[0]


def load_bytes(data: bytes, name: str) -> tuple[Report, list[Finding]]:
    """The report in a data file's bytes (for callers that already hold them)."""
    text, notes = decode(data, name)
    report, findings = parse_report(text, name)
    return report, notes + findings


class LineIndex:
    """Where each place of the report (a location's parts) stands in the data file."""

    def __init__(self) -> None:
        self._lines: dict[tuple[str, ...], int] = {}

    def record(self, parts: tuple[str, ...], node: Node) -> None:
        self._lines.setdefault(parts, node.start_mark.line + 1)

    def line_of(self, parts: tuple[str, ...]) -> int | None:
        """The line of the place, or of the nearest enclosing place that has one."""
        for end in range(len(parts), 0, -1):
            line = self._lines.get(parts[:end])
            if line is not None:
                return line
        return None

    def place(self, finding: Finding) -> Finding:
        """The finding with its line filled in where the file shows the place."""
        if finding.location.line is not None:
            return finding
        line = self.line_of(finding.location.parts)
        if line is None:
            return finding
        loc = Location(finding.location.parts, finding.location.file, line)
        return Finding(finding.code, finding.severity, loc, finding.message)


def parse_report(text: str, file: str | None = None) -> tuple[Report, list[Finding]]:
    """The report in a data file's text, and its warnings; XxgkError with every error found."""
    report, findings, _ = parse_report_with_lines(text, file)
    return report, findings


def parse_report_with_lines(
    text: str, file: str | None = None
) -> tuple[Report, list[Finding], LineIndex]:
    """``parse_report`` and the line index of the file's places."""
    root, text, notes = compose(text, file)
    if root is None:
        raise XxgkError.single("input/empty", "文件里没有数据", file)
    reader = _Reader(file, text)
    reader.findings += notes
    report = reader.report(root)
    findings = sorted(reader.findings, key=lambda f: f.location.line or 0)
    if report is None or any(f.is_error for f in findings):
        raise XxgkError(findings)
    return report, findings, reader.lines


class _Reader:
    """Walks the composed YAML along the labels, building the model and collecting findings."""

    def __init__(self, file: str | None, source: str = "") -> None:
        self.file = file
        self.source = source
        self.findings: list[Finding] = []
        self.lines = LineIndex()

    # ------------------------------------------------------------ findings

    def _add(
        self, severity: Severity, code: str, parts: tuple[str, ...], node: Node | None, message: str
    ) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.findings.append(Finding(code, severity, Location(parts, self.file, line), message))

    def err(self, code: str, parts: tuple[str, ...], node: Node | None, message: str) -> None:
        self._add(Severity.ERROR, code, parts, node, message)

    def warn(self, code: str, parts: tuple[str, ...], node: Node | None, message: str) -> None:
        self._add(Severity.WARNING, code, parts, node, message)

    def value(self, read: numbers.Read[_V], parts: tuple[str, ...], node: Node) -> _V | None:
        """The value read from a number's text, its warning and error recorded."""
        if read.warning is not None:
            self.warn(read.warning[0], parts, node, read.warning[1])
        if read.error is not None:
            self.err(read.error[0], parts, node, read.error[1])
            return None
        return read.value

    # ------------------------------------------------------------ shapes

    def mapping(
        self,
        node: Node,
        parts: tuple[str, ...],
        allowed: list[str],
        required: list[str] | None = None,
    ) -> dict[str, Node] | None:
        """The mapping's values by key; unknown, duplicate and missing keys are findings."""
        if not isinstance(node, MappingNode):
            self.err(
                "input/wrong-type",
                parts,
                node,
                f"应为「键: 值」的映射，可用的键：{'、'.join(allowed)}",
            )
            return None
        result: dict[str, Node] = {}
        suggested: set[str] = set()  # a misspelt key is reported once, not also as missing
        for key_node, value_node in node.value:
            key = key_node.value.strip() if isinstance(key_node, ScalarNode) else "…"
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.3)
                suggested.update(close)
                hint = f"是否应为「{close[0]}」？" if close else f"可用的键：{'、'.join(allowed)}"
                self.err(
                    "input/unknown-key",
                    (*parts, shown(key)),
                    key_node,
                    f"未知的键「{shown(key)}」，{hint}",
                )
                continue
            if key in result:
                first = result[key].start_mark.line + 1
                self.err(
                    "input/duplicate-key",
                    (*parts, key),
                    key_node,
                    f"键「{key}」重复出现（第一次在第 {first} 行）；请删去或合并其中一处",
                )
                continue
            result[key] = value_node
            self.lines.record((*parts, key), key_node)
        for key in required if required is not None else allowed:
            if key not in result and key not in suggested:
                self.err("input/missing-key", (*parts, key), node, f"缺少「{key}」")
        return result

    def blank(self, node: Node | None) -> bool:
        """Whether a value was left empty (nothing, ``~`` or ``null``)."""
        return node is None or is_null(node)

    def lines_of(self, node: ScalarNode, parts: tuple[str, ...]) -> list[str]:
        """A text scalar's lines; a warning when a plain one lost words to a `` #`` comment."""
        comment = lost_comment(node, self.source)
        if comment and comment not in _OWN_COMMENTS:
            lost, _, note = comment.rpartition("#")
            comment = lost.rstrip() if note.strip() in _OWN_COMMENTS else comment
            self.warn(
                "input/comment-lost",
                parts,
                node,
                f"「#」之后的「{shown(comment, 20)}」被当作注释，没有读入；"
                "如果它是内容，请改用「|」换行书写（或给整个值加引号）",
            )
        return text_lines(node, self.source)

    def text(self, node: Node | None, parts: tuple[str, ...], breaks: bool = False) -> str | None:
        """A one-line text value (None when blank); ``breaks`` keeps its line breaks as typed."""
        if node is None or self.blank(node):
            if isinstance(node, ScalarNode):
                self.lines_of(node, parts)  # `标题: # 第一行` lost its text
            return None
        if not isinstance(node, ScalarNode):
            self.err(
                "input/wrong-type",
                parts,
                node,
                "应为一段文字；值以「[」「{」开头时，请给整个值加引号或改用「|」换行书写",
            )
            return None
        lines = self.lines_of(node, parts)
        if len(lines) > 1 and not breaks:
            self.err(
                "input/multi-line",
                parts,
                node,
                f"应为一行文字，这里有 {len(lines)} 行；请把它们并成一行",
            )
            return None
        bad = sorted({ch for line in lines for ch in line if unsafe(ch)})
        if bad:
            self.err(
                "input/control-character",
                parts,
                node,
                f"含有不可见的控制字符 {shown(''.join(bad))}，不能用在这里；请删除",
            )
            return None
        return "\n".join(lines) or None

    def paragraphs(self, node: Node | None, parts: tuple[str, ...]) -> list[str]:
        """Paragraphs: every line of a text (in any scalar form) or of each list item."""
        if node is None:
            return []
        if isinstance(node, SequenceNode):
            result: list[str] = []
            for item in node.value:
                if isinstance(item, ScalarNode):
                    result += [] if self.blank(item) else self.lines_of(item, parts)
                else:
                    self.err(
                        "input/wrong-type",
                        parts,
                        item,
                        "列表中的每一项应为一段文字；含「: 」或以「[」「{」开头时，"
                        "请给整段加引号或改用「|」换行书写",
                    )
            return result
        if not isinstance(node, ScalarNode):
            message = "应为文字（用「|」开头，下一行起缩进书写，每行一段）"
            self.err("input/wrong-type", parts, node, message)
            return []
        if self.blank(node):
            self.lines_of(node, parts)  # `概述: # 第一段` lost its text
            return []
        return self.lines_of(node, parts)

    def count(self, node: Node, parts: tuple[str, ...], record: bool = True) -> int | None:
        """A non-negative integer count; None for a blank cell (reported by the checks)."""
        if record:
            self.lines.record(parts, node)
        if not isinstance(node, ScalarNode):
            self.err("input/not-a-number", parts, node, "应为非负整数，实际为一个列表或映射")
            return None
        if _PLAIN_COUNT.match(node.value):
            return int(node.value)  # the common case
        if self.blank(node) or not node.value.strip():
            return None
        return self.value(numbers.read_count(node.value), parts, node)

    def plain_counts(
        self, node: SequenceNode, parts: tuple[str, ...], names: list[str]
    ) -> list[int | None] | None:
        """The row's counts when every cell is plain decimal digits (the common case, read
        without the general path's per-cell calls); None otherwise."""
        values: list[int | None] = []
        row_line = node.start_mark.line
        for i, item in enumerate(node.value):
            text = item.value
            if not isinstance(text, str) or not _PLAIN_COUNT.match(text):
                return None
            if item.start_mark.line != row_line:
                self.lines.record((*parts, names[i]), item)
            values.append(int(text))
        return values

    def row_items(self, node: Node, parts: tuple[str, ...], n: int) -> list[Node] | None:
        """A row's cells as nodes; a row typed with full-width commas or without brackets is
        split (with a warning); None (after an error) when it is not a row at all."""
        if isinstance(node, SequenceNode):
            items: list[Node] = []
            split = False
            for item in node.value:
                pieces = self.split_cells(item)
                split = split or len(pieces) > 1
                items += pieces
            if split:
                self.warn(
                    "input/full-width",
                    parts,
                    node,
                    "列表中的数之间用了全角逗号「，」或顿号「、」，已按英文逗号「,」分开读取",
                )
            return items
        if isinstance(node, ScalarNode) and not self.blank(node):
            text = node.value.strip()
            pieces = self.split_cells(node, strip_brackets=True)
            if len(pieces) in (n, n + 1) and any(ch in text for ch in "，、,;； \u3000［【"):
                self.warn(
                    "input/not-a-list",
                    parts,
                    node,
                    f"「{shown(text)}」已按列表 [{', '.join(p.value for p in pieces)}] 读取；"
                    "请写成用英文方括号和英文逗号的列表",
                )
                return pieces
        return None

    def split_cells(self, node: Node, strip_brackets: bool = False) -> list[Node]:
        if not isinstance(node, ScalarNode) or node.style not in (None, ""):
            return [node]
        text = node.value.strip()
        if strip_brackets:
            text = text.strip(_LIST_BRACKETS)
        pieces = [p for p in _LIST_SEPARATORS.split(text) if p]
        if len(pieces) <= 1 and not strip_brackets:
            return [node]
        return [
            ScalarNode(node.tag, p, node.start_mark, node.end_mark, style="'") for p in pieces
        ]

    def counts(
        self, node: Node, parts: tuple[str, ...], n: int, hint: str, total: bool
    ) -> tuple[list[int | None], int | None] | None:
        """A flow list of n counts, or n + 1 when the last is a stated 总计.

        A row may also be written as a mapping by column label (``{自然人: 1, 商业企业: 0, …}``).
        """
        names = [*hint.strip("[]").split(", "), labels.TABLE3_TOTAL]
        if isinstance(node, MappingNode):
            allowed = names if total else names[:n]
            found = self.mapping(node, parts, allowed, required=names[:n])
            if found is None:
                return None
            cells = [self.count(found[k], (*parts, k)) if k in found else None for k in names[:n]]
            stated = found.get(labels.TABLE3_TOTAL) if total else None
            return cells, (self.count(stated, (*parts, names[n])) if stated is not None else None)
        if isinstance(node, SequenceNode) and len(node.value) in (n, n + total):
            fast = self.plain_counts(node, parts, names)
            if fast is not None:
                return fast[:n], (fast[n] if len(fast) > n else None)
        items = self.row_items(node, parts, n)
        if items is None:
            self.err("input/wrong-type", parts, node, f"应为 {n} 个数的列表 {hint}")
            return None
        sizes = f"{n} 个数" + (f"（或 {n + 1} 个，第 {n + 1} 个为总计）" if total else "")
        if len(items) != n and not (total and len(items) == n + 1):
            self.err(
                "input/wrong-length",
                parts,
                node,
                f"应为 {sizes}，顺序为 {hint}，实际为 {len(items)} 个",
            )
            return None
        # A cell on its row's line needs no line of its own: the row's is found for it.
        row_line = node.start_mark.line
        values = [
            self.count(item, (*parts, names[i]), record=item.start_mark.line != row_line)
            for i, item in enumerate(items)
        ]
        return values[:n], (values[n] if len(values) > n else None)

    # ------------------------------------------------------------ the report

    def report(self, root: Node) -> Report | None:
        top_keys = [
            labels.KEY_FORMAT,
            labels.KEY_ORGAN,
            labels.KEY_YEAR,
            labels.KEY_PUBLISHED,
            labels.KEY_TITLE,
            labels.KEY_HEADER,
            *(s.key for s in labels.SECTIONS),
        ]
        required = [labels.KEY_ORGAN, labels.KEY_YEAR, *(_SECTION[n].key for n in "二三四")]
        top = self.mapping(root, (), top_keys, required)
        if top is None:
            return None
        fmt = self.format_version(top.get(labels.KEY_FORMAT))
        before = len(self.findings)
        organ = self.text(top.get(labels.KEY_ORGAN), (labels.KEY_ORGAN,))
        if organ is None and labels.KEY_ORGAN in top and len(self.findings) == before:
            self.err(
                "input/missing-value",
                (labels.KEY_ORGAN,),
                top[labels.KEY_ORGAN],
                "机关名称不能为空",
            )
        year = self.year(top.get(labels.KEY_YEAR))
        sec = {n: top.get(_SECTION[n].key) for n in "一二三四五六"}
        for n, table in zip("二三四", (T2, T3, T4), strict=True):
            node = sec[n]
            if node is not None:
                self.lines.record((table,), node)
        parts = {
            "format_version": fmt,
            "organ": organ,
            "year": year,
            "title": self.text(top.get(labels.KEY_TITLE), (labels.KEY_TITLE,), breaks=True),
            "published": self.published(top.get(labels.KEY_PUBLISHED)),
            "header": self.header(top.get(labels.KEY_HEADER)),
            "overview": self.overview(sec["一"]),
            "table2": self.table2(sec["二"]),
            "table3": self.table3(sec["三"]),
            "table4": self.table4(sec["四"]),
            "problems": self.paragraphs(sec["五"], (_SECTION["五"].heading,)),
            "other_matters": self.paragraphs(sec["六"], (_SECTION["六"].heading,)),
        }
        if any(f.is_error for f in self.findings) or None in (organ, year, fmt):
            return None
        if any(parts[k] is None for k in ("table2", "table3", "table4")):
            return None
        return Report.model_validate(
            {k: v for k, v in parts.items() if v is not None or k == "title"}
        )

    def format_version(self, node: Node | None) -> str | None:
        if node is None or self.blank(node):
            return labels.FORMAT_2021
        value = node.value.strip() if isinstance(node, ScalarNode) else "…"
        plain, _ = numbers.normalised(value)
        if plain not in labels.FORMAT_VERSIONS:
            self.err(
                "input/bad-format",
                (labels.KEY_FORMAT,),
                node,
                f"格式版本应为 2021（国办公开办函〔2021〕30号）或 2019，实际为「{shown(value)}」",
            )
            return None
        return plain

    def year(self, node: Node | None) -> int | None:
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self.err("input/bad-year", (labels.KEY_YEAR,), node, "年度应为四位数年份，如 2025")
            return None
        return self.value(numbers.read_year(node.value), (labels.KEY_YEAR,), node)

    def published(self, node: Node | None) -> dt.date | None:
        """发布日期: optional, written as 成文日期 is (YYYY-MM-DD)."""
        if node is None or self.blank(node):
            return None
        where = (labels.KEY_PUBLISHED,)
        if not isinstance(node, ScalarNode):
            self.err("input/bad-date", where, node, "发布日期应写为 YYYY-MM-DD")
            return None
        return self.value(numbers.read_date(node.value, labels.KEY_PUBLISHED), where, node)

    def header(self, node: Node | None) -> DocumentHeader:
        if node is None or self.blank(node):
            return DocumentHeader()
        keys = [labels.KEY_ISSUER_MARK, labels.KEY_DOC_NUMBER, labels.KEY_DATE, labels.KEY_SIGNER]
        found = self.mapping(node, (labels.KEY_HEADER,), keys, required=[]) or {}
        date_node = found.get(labels.KEY_DATE)
        date = None
        where = (labels.KEY_HEADER, labels.KEY_DATE)
        if date_node is not None and not self.blank(date_node):
            if isinstance(date_node, ScalarNode):
                date = self.value(numbers.read_date(date_node.value), where, date_node)
            else:
                self.err("input/bad-date", where, date_node, "成文日期应写为 YYYY-MM-DD")
        return DocumentHeader(
            issuer_mark=self.text(found.get(labels.KEY_ISSUER_MARK), (labels.KEY_ISSUER_MARK,)),
            doc_number=self.text(found.get(labels.KEY_DOC_NUMBER), (labels.KEY_DOC_NUMBER,)),
            date=date,
            signer=self.text(found.get(labels.KEY_SIGNER), (labels.KEY_SIGNER,)),
        )

    def overview(self, node: Node | None) -> Overview:
        head = (_SECTION["一"].heading,)
        if node is None or self.blank(node):
            return Overview()
        if isinstance(node, ScalarNode):  # the whole section as plain paragraphs
            return Overview(intro=self.paragraphs(node, head))
        found = self.mapping(node, head, [labels.KEY_INTRO, labels.KEY_SUBSECTIONS], required=[])
        if found is None:
            return Overview()
        subsections: list[Subsection] = []
        sub_node = found.get(labels.KEY_SUBSECTIONS)
        if sub_node is not None and not self.blank(sub_node):
            if not isinstance(sub_node, SequenceNode):
                self.err(
                    "input/wrong-type",
                    (*head, labels.KEY_SUBSECTIONS),
                    sub_node,
                    "分项应为列表，每项写「- 标题: …」和「正文: |」",
                )
            else:
                for i, item in enumerate(sub_node.value):
                    where = (*head, labels.subsection_marker(i))
                    sub = self.mapping(
                        item,
                        where,
                        [labels.KEY_SUB_TITLE, labels.KEY_SUB_TEXT],
                        required=[labels.KEY_SUB_TITLE],
                    )
                    if sub is None:
                        continue
                    title = self.text(sub.get(labels.KEY_SUB_TITLE), where) or ""
                    self.lines.record((*head, f"{labels.subsection_marker(i)}{title}"), item)
                    paragraphs = self.paragraphs(sub.get(labels.KEY_SUB_TEXT), where)
                    subsections.append(Subsection(title=title, paragraphs=paragraphs))
        return Overview(
            intro=self.paragraphs(found.get(labels.KEY_INTRO), head), subsections=subsections
        )

    def table2(self, node: Node | None) -> Table2 | None:
        if node is None:
            return None
        row_labels = [label for block in labels.TABLE2_BLOCKS for _, label in block.rows]
        found = self.mapping(node, (T2,), row_labels)
        if found is None:
            return None
        values: dict[str, object] = {}
        for field, label in labels.TABLE2_ROW_LABELS.items():
            row = found.get(label)
            if row is None:
                continue
            if field in ("regulations", "normative_documents"):
                got = self.counts(row, (T2, label), 3, _T2_COLUMNS_HINT, total=False)
                if got is not None:
                    values[field] = DocumentCounts(
                        **dict(zip(labels.TABLE2_DOCUMENT_FIELDS, got[0], strict=True))
                    )
            elif field == "fees":
                values[field] = self.fee(row, (T2, label))
            else:
                values[field] = self.count(row, (T2, label))
        return Table2.model_validate(values)

    def fee(self, node: Node, parts: tuple[str, ...]) -> Decimal | None:
        if self.blank(node):
            return None
        if not isinstance(node, ScalarNode):
            self.err("input/bad-fee", parts, node, "收费金额应为一个万元数")
            return None
        if not node.value.strip():
            return None
        return self.value(numbers.read_fee(node.value), parts, node)

    def table3(self, node: Node | None) -> Table3 | None:
        if node is None:
            return None
        top_rows = [r for r in labels.TABLE3_ROWS if r.part != "三"]
        found = self.mapping(
            node,
            (T3,),
            [r.key for r in top_rows[:2]]
            + [labels.TABLE3_RESULTS_KEY]
            + [r.key for r in top_rows[2:]],
        )
        if found is None:
            return None
        rows: dict[str, ApplicantCounts] = {}
        for row in top_rows:
            if row.key in found:
                rows[row.id] = self.applicant_row(found[row.key], (T3, *row.path))
        results = found.get(labels.TABLE3_RESULTS_KEY)
        stated_total = stated_six = None
        if results is not None:
            stated_total, stated_six = self.table3_results(results, rows)
        if len(rows) != len(labels.TABLE3_ROWS):
            return None
        return Table3(
            rows=rows, stated_results_total=stated_total, stated_other_handling=stated_six
        )

    def table3_results(
        self, node: Node, rows: dict[str, ApplicantCounts]
    ) -> tuple[ApplicantCounts | None, ApplicantCounts | None]:
        """The 办理结果 rows into ``rows``; the stated （七）总计 and （六） total, if given."""
        plain = [r for r in labels.TABLE3_RESULT_ROWS if r.group is None]
        keys = [r.key for r in plain] + [g.key for g in labels.TABLE3_GROUPS]
        found = self.mapping(
            node,
            (T3, labels.TABLE3_RESULTS),
            [*keys, labels.TABLE3_RESULTS_TOTAL_KEY],
            required=keys,
        )
        if found is None:
            return None, None
        stated_six = None
        for row in plain:
            if row.key in found:
                rows[row.id] = self.applicant_row(found[row.key], (T3, *row.path))
        for group in labels.TABLE3_GROUPS:
            if group.key not in found:
                continue
            members = [r for r in labels.TABLE3_RESULT_ROWS if r.id.startswith(group.id + ".")]
            keys = [r.key for r in members]
            six = group.id == labels.TABLE3_GROUPS[-1].id  # may carry its stated one-row total
            where = (T3, labels.TABLE3_RESULTS, group.label)
            allowed = [*keys, labels.TABLE3_OTHER_HANDLING_TOTAL_KEY] if six else keys
            sub = self.mapping(found[group.key], where, allowed, required=keys)
            for row in members:
                if sub is not None and row.key in sub:
                    rows[row.id] = self.applicant_row(sub[row.key], (T3, *row.path))
            stated = None if sub is None else sub.get(labels.TABLE3_OTHER_HANDLING_TOTAL_KEY)
            if stated is not None and not self.blank(stated):
                stated_place = (*where, labels.TABLE3_OTHER_HANDLING_TOTAL_KEY)
                stated_six = self.applicant_row(stated, stated_place)
        total = found.get(labels.TABLE3_RESULTS_TOTAL_KEY)
        if total is None or self.blank(total):
            return None, stated_six
        place = (T3, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
        return self.applicant_row(total, place), stated_six

    def applicant_row(self, node: Node, parts: tuple[str, ...]) -> ApplicantCounts:
        self.lines.record(parts, node)
        got = self.counts(node, parts, 6, _T3_COLUMNS_HINT, total=True)
        if got is None:
            return ApplicantCounts()
        cells, stated = got
        return ApplicantCounts(cells=tuple(cells), stated_total=stated)  # type: ignore[arg-type]

    def table4(self, node: Node | None) -> Table4 | None:
        if node is None:
            return None
        found = self.mapping(node, (T4,), [b.label for b in labels.TABLE4_BLOCKS])
        if found is None:
            return None
        blocks: dict[str, ReviewOutcomes] = {}
        for block in labels.TABLE4_BLOCKS:
            if block.label not in found:
                continue
            self.lines.record((T4, *block.path), found[block.label])
            got = self.counts(
                found[block.label], (T4, *block.path), 4, _T4_COLUMNS_HINT, total=True
            )
            if got is not None:
                (upheld, corrected, other, pending), stated = got
                blocks[block.id] = ReviewOutcomes(
                    upheld=upheld,
                    corrected=corrected,
                    other=other,
                    pending=pending,
                    stated_total=stated,
                )
        return Table4.model_validate(blocks)
