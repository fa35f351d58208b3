"""表三 勾稽关系: 一 + 二 = 三（七）总计 + 四 per column and for 总计, and stated totals."""

from __future__ import annotations

from xxgk import labels
from xxgk.errors import Finding, error, warning
from xxgk.model import Count, Table3

T3 = "表三"
OTHER_HANDLING_ONE_ROW = "t3/other-handling-one-row"


def check_table3(table: Table3) -> list[Finding]:
    """Errors for every broken 表三 rule (blank cells are left to the value checks)."""
    return [
        *_stated_row_totals(table),
        *_stated_other_handling(table),
        *_stated_results_total(table),
        *_balance(table),
    ]


def _stated_row_totals(table: Table3) -> list[Finding]:
    # A source's 总计 column is checked against 自然人 + the five 法人或其他组织 columns.
    findings = []
    for row in labels.TABLE3_ROWS:
        counts = table.row(row.id)
        computed = counts.total
        if (
            counts.stated_total is not None
            and computed is not None
            and computed != counts.stated_total
        ):
            findings.append(
                error(
                    "t3/stated-total",
                    (T3, *row.path, labels.TABLE3_TOTAL),
                    f"所列总计为 {counts.stated_total}，但六类申请人之和为 {computed}（相差 "
                    f"{counts.stated_total - computed:+d}）",
                )
            )
    return findings


def _stated_other_handling(table: Table3) -> list[Finding]:
    """（六）其他处理 printed as one row: its 总计 is the sum of its six columns, and each column
    the sum of sub-rows 1–3 where all three are there (blank sub-rows are the value checks')."""
    stated = table.stated_other_handling
    if stated is None:
        return []
    six = labels.TABLE3_GROUPS[-1].label
    where = (T3, labels.TABLE3_RESULTS, six, labels.TABLE3_OTHER_HANDLING_TOTAL_KEY)
    findings = []
    if table.other_handling_as_one_row():
        printed = (*stated.cells, stated.stated_total)
        shown = "、".join("空" if v is None else str(v) for v in printed)
        findings.append(
            warning(
                OTHER_HANDLING_ONE_ROW,
                where,
                f"{six}只有来源印成一行的合计（{shown}），1–3 分项未分列（空白）；"
                "（七）总计和勾稽关系按这一行核对",
            )
        )
    said_total, total = stated.stated_total, stated.total
    if said_total is not None and total is not None and said_total != total:
        findings.append(
            error(
                "t3/stated-total",
                (*where, labels.TABLE3_TOTAL),
                f"所列{six}合计的总计为 {said_total}，但六类申请人之和为 {total}"
                f"（相差 {said_total - total:+d}）",
            )
        )
    subs = [table.row(r.id) for r in labels.TABLE3_RESULT_ROWS if r.group == six]
    for c, column in enumerate(labels.TABLE3_COLUMNS):
        parts = [row.cells[c] for row in subs]
        said = stated.cells[c]
        if said is None or any(p is None for p in parts):
            continue
        summed = sum(p for p in parts if p is not None)
        if said != summed:
            findings.append(
                error(
                    "t3/stated-other-handling",
                    (*where, column.label),
                    f"所列{six}合计为 {said}，但 1–3 分项之和为 {summed}"
                    f"（相差 {said - summed:+d}）",
                )
            )
    return findings


def _stated_results_total(table: Table3) -> list[Finding]:
    # 国办公开办函〔2021〕30号: （七）总计 = the sum of every line of （一）–（六）.
    stated = table.stated_results_total
    if stated is None:
        return []
    findings = []
    computed = table.results_total()
    where = (T3, labels.TABLE3_RESULTS, labels.TABLE3_RESULTS_TOTAL)
    for column, said, sum_ in zip(labels.TABLE3_COLUMNS, stated.cells, computed, strict=True):
        if said is not None and sum_ is not None and said != sum_:
            findings.append(
                error(
                    "t3/stated-results-total",
                    (*where, column.label),
                    f"所列（七）总计为 {said}，但（一）至（六）各项之和为 {sum_}"
                    f"（相差 {said - sum_:+d}）",
                )
            )
    grand, grand_sum = stated.stated_total, table.results_grand_total()
    if grand is not None and grand_sum is not None and grand != grand_sum:
        findings.append(
            error(
                "t3/stated-results-total",
                (*where, labels.TABLE3_TOTAL),
                f"所列（七）总计为 {grand}，但（一）至（六）各项之和为 {grand_sum}"
                f"（相差 {grand - grand_sum:+d}）",
            )
        )
    return findings


def _balance(table: Table3) -> list[Finding]:
    """一 + 二 = 三（七）总计 + 四, per applicant column and for 总计."""
    new, carried_in, carried_out = (table.row(i) for i in ("new", "carried_in", "carried_out"))
    results = table.results_total()
    findings = []
    for c, column in enumerate(labels.TABLE3_COLUMNS):
        message = _unbalanced(new.cells[c], carried_in.cells[c], results[c], carried_out.cells[c])
        if message:
            findings.append(error("t3/balance", (T3, column.label), message))
    # The 总计 column balances whenever every column does, unless a source stated other totals:
    # check it on the stated figures where there are any, and on the sums otherwise.
    stated_used = any(
        table.row(i).stated_total is not None for i in ("new", "carried_in", "carried_out")
    )
    stated_used = stated_used or (
        table.stated_results_total is not None
        and table.stated_results_total.stated_total is not None
    )
    if findings and not stated_used:
        return findings

    def total(row_id: str) -> Count:
        row = table.row(row_id)
        return row.stated_total if row.stated_total is not None else row.total

    stated_results = table.stated_results_total
    results_total = (
        stated_results.stated_total
        if stated_results is not None and stated_results.stated_total is not None
        else table.results_grand_total()
    )
    message = _unbalanced(total("new"), total("carried_in"), results_total, total("carried_out"))
    if message:
        findings.append(error("t3/balance", (T3, labels.TABLE3_TOTAL), message))
    return findings


def _unbalanced(new: Count, carried_in: Count, results: Count, carried_out: Count) -> str | None:
    if None in (new, carried_in, results, carried_out):
        return None  # a blank cell is reported on its own
    assert new is not None
    assert carried_in is not None
    assert results is not None
    assert carried_out is not None
    left, right = new + carried_in, results + carried_out
    if left == right:
        return None
    return (
        f"勾稽关系不成立：一（{new}）+ 二（{carried_in}）= {left}，与 三（七）总计（{results}）+ "
        f"四（{carried_out}）= {right} 不相等（相差 {left - right:+d}）"
    )
