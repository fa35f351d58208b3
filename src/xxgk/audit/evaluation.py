"""The batch's own rules, run once every report of an audit has its record: text shared with other
organs, and on-time publication against a list of dates or the dates the sources carry."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xxgk.audit.crossorgan import CopiedPair, copied_pairs, copy_findings
from xxgk.audit.record import AuditRecord
from xxgk.audit.table import Column, Sheet, Value
from xxgk.checks.published import Deadlines, check_publication
from xxgk.pairing import organ_key

COPIED_SHEET = "与其他机关雷同"


@dataclass(frozen=True)
class BatchOptions:
    """What the caller knows beyond the reports: dates from a list, local deadlines."""

    published: Mapping[str, dt.date] = field(default_factory=dict)  # organ name → date
    deadlines: Deadlines = field(default_factory=Deadlines)


@dataclass(frozen=True)
class Evaluation:
    """The records with the batch's findings added, and the pairs of organs sharing text."""

    records: list[AuditRecord]
    pairs: list[CopiedPair]


def evaluate_batch(records: Sequence[AuditRecord], options: BatchOptions) -> Evaluation:
    """Every record with its copying and publication findings, in input order."""
    pairs = copied_pairs(records)
    copying = copy_findings(pairs)
    dates = {organ_key(name): date for name, date in options.published.items()}
    out = []
    for record in records:
        extra = list(copying.get(id(record), []))
        if record.organ and record.year is not None:
            date = dates.get(organ_key(record.organ), record.published)
            extra += check_publication(record.organ, record.year, date, options.deadlines)
        found = tuple(f.with_file(record.source) for f in extra)
        out.append(dataclasses.replace(record, findings=record.findings + found,
                                       published=dates.get(organ_key(record.organ),
                                                           record.published)))
    return Evaluation(out, pairs)


COPIED_COLUMNS = (
    Column("机关名称"),
    Column("雷同机关"),
    Column("雷同段落数", numeric=True),
    Column("占本机关正文", numeric=True, percent=True),
    Column("占对方正文", numeric=True, percent=True),
    Column("本机关段落位置"),
    Column("段落", wide=True),
    Column("对方段落位置"),
    Column("相同程度", numeric=True, percent=True),
)


def copied_sheet(pairs: Sequence[CopiedPair]) -> Sheet:
    """与其他机关雷同: one row per shared paragraph, pairs with the most shared first."""
    rows: list[list[Value]] = []
    for pair in pairs:
        for p in pair.paragraphs:
            rows.append([pair.a.organ, pair.b.organ, len(pair.paragraphs), pair.share_a,
                         pair.share_b, p.place_a, p.text_a, p.place_b, p.share])
    title = (f"与其他机关雷同的段落（{len(pairs)} 对机关，{len(rows)} 段；"
             "套话和全国格式的固定语句不计）")
    return Sheet(COPIED_SHEET, title, COPIED_COLUMNS, rows, [False] * len(rows), mark="note")
