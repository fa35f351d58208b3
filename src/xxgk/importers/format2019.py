"""The 2019 format (国办公开办函〔2019〕60号): recognising it and mapping it onto the 2021 model.

FORMAT.md:
本年新制作数量 ≈ 本年制发件数, 对外公开总数量 ≈ 现行有效件数, 处理决定数量 = 本年处理决定数量;
everything else of the 2019 表二 has no 2021 counterpart, nor have 本年废止件数 and the 2021 fee
amount. 表三's one-row （六）其他处理 goes to 3.其他. Each item without a counterpart is a finding.
"""

from __future__ import annotations

from collections.abc import Callable

from xxgk import labels
from xxgk.importers import findings as codes
from xxgk.importers.cells import label_core, normalize
from xxgk.importers.findings import Collector
from xxgk.model import DocumentCounts, Table2

# A printed count of 表二 by (row label, column heading); the 表二 reader's, passed in so that this
# module does not depend on the reader that calls it.
CountOf = Callable[[str, str], "int | None"]

T2, T3 = "表二", "表三"
_DOCS, _SERVICES, _SANCTIONS, _FEES, _PROCUREMENT = labels.TABLE2_2019_BLOCKS
# Column index in the 2019 block → field of the 2021 DocumentCounts (FORMAT.md's mapping).
_DOCUMENT_MAP = {0: "issued", 2: "in_force"}
_DECISION_INDEX = 2  # 处理决定数量 in the （五） and （六） blocks
_MODEL_FIELDS = set(Table2.model_fields)

_2021_ROWS = {normalize(label) for b in labels.TABLE2_BLOCKS for _, label in b.rows}
_2021_COLUMNS = {label_core(c) for b in labels.TABLE2_BLOCKS for c in b.columns}
ONLY_2019_ROWS = (
    frozenset(normalize(label) for b in labels.TABLE2_2019_BLOCKS for _, label in b.rows)
    - _2021_ROWS
)
ONLY_2021_ROWS = _2021_ROWS - frozenset(
    normalize(label) for b in labels.TABLE2_2019_BLOCKS for _, label in b.rows
)
ONLY_2019_COLUMNS = (
    frozenset(label_core(c) for b in labels.TABLE2_2019_BLOCKS for c in b.columns) - _2021_COLUMNS
)


def table2_is_2019(rows: set[str], columns: set[str]) -> bool:
    """True when 表二's row labels or column headings are those of the 2019 format.

    Under the 2021 headings (本年制发件数 …) a row 「规范性文件」 is the organ's short name for
    行政规范性文件, not a sign of the 2019 format.
    """
    if columns & ONLY_2019_COLUMNS:
        return True
    if columns & _2021_COLUMNS or rows & ONLY_2021_ROWS:
        return False
    return bool(rows & ONLY_2019_ROWS)


def table2(count: CountOf, out: Collector) -> Table2:
    """The 2021 表二 from a 2019 one: mapped values, None where 2019 had no such column."""
    fields: dict[str, object] = {}
    for name, label in _DOCS.rows:
        got = {key: count(label, _DOCS.columns[i]) for i, key in _DOCUMENT_MAP.items()}
        fields[name] = DocumentCounts(**got, repealed=None)
    for block in (_SERVICES, _SANCTIONS):
        for name, label in block.rows:
            if name in _MODEL_FIELDS:
                fields[name] = count(label, block.columns[_DECISION_INDEX])
    fields["fees"] = None
    _report_2019_table2(out)
    return Table2.model_validate(fields)


def _report_2019_table2(out: Collector) -> None:
    """What the 2019 表二 holds and the 2021 one has no place for, said once; and each 2021 cell
    the 2019 format never had, at the cell's own place, so that it is not taken for the organ's
    blank."""
    mapped = {(0, i) for i in _DOCUMENT_MAP} | {(1, _DECISION_INDEX), (2, _DECISION_INDEX)}
    dropped = []
    for b, block in enumerate(labels.TABLE2_2019_BLOCKS):
        short = block.item.removeprefix("第二十条")
        dropped += [f"{short}「{column}」" for i, column in enumerate(block.columns)
                    if (b, i) not in mapped]
        dropped += [f"{short}「{label}」行" for name, label in block.rows
                    if name not in _MODEL_FIELDS]
    out.warn(
        codes.NO_COUNTERPART,
        (T2,),
        f"这是 2019 年格式的表二，其中 {len(dropped)} 个栏目在 2021 年格式中没有对应项，"
        f"未导入：{'、'.join(dropped)}",
    )
    repealed = labels.TABLE2_DOCUMENT_COLUMNS[1]
    for field in ("regulations", "normative_documents"):
        out.warn(
            codes.NO_COUNTERPART,
            (T2, labels.TABLE2_ROW_LABELS[field], repealed),
            f"2019 年格式的表二没有「{repealed}」一栏，导入为空值（不是报告漏填）",
        )
    out.warn(
        codes.NO_COUNTERPART,
        (T2, labels.TABLE2_ROW_LABELS["fees"]),
        f"2019 年格式的表二没有「{labels.TABLE2_FEE_COLUMN}」，导入为空值（不是报告漏填）",
    )


def report_single_other_handling(out: Collector) -> None:
    """Findings for 表三's one-row （六）其他处理: its numbers went to 3.其他."""
    group = labels.TABLE3_GROUPS[-1]
    items = [r for r in labels.TABLE3_RESULT_ROWS if r.group == group.label]
    target = items[-1].label
    for row in items[:-1]:
        out.warn(
            codes.NO_COUNTERPART,
            (T3, labels.TABLE3_RESULTS, group.label, row.label),
            f"2019 年格式的「{labels.TABLE3_2019_OTHER_HANDLING}」没有分项，"
            f"其数字已全部计入「{target}」，这一项导入为 0",
        )
