"""表四: each 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, where a source stated one."""

from __future__ import annotations

from xxgk import labels
from xxgk.errors import Finding, error
from xxgk.model import Table4


def check_table4(table: Table4) -> list[Finding]:
    """An error for each stated 表四 总计 that differs from the sum of its four outcomes."""
    findings = []
    for block in labels.TABLE4_BLOCKS:
        outcomes = table.block(block.id)
        computed, stated = outcomes.total, outcomes.stated_total
        if stated is not None and computed is not None and stated != computed:
            parts = " + ".join(
                f"{label}（{v}）"
                for (_, label), v in zip(labels.TABLE4_OUTCOMES, outcomes.cells(), strict=True)
            )
            findings.append(
                error(
                    "t4/stated-total",
                    ("表四", *block.path, labels.TABLE4_TOTAL),
                    f"所列总计为 {stated}，但 {parts} = {computed}（相差 {stated - computed:+d}）",
                )
            )
    return findings
