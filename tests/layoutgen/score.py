"""Every cell of an imported report against the generated truth: exact, blank or wrong."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.layoutgen.batch import Generated
from tests.layoutgen.cells import report_cells
from xxgk.errors import XxgkError
from xxgk.importers import import_source


@dataclass
class Tally:
    """Outcomes of the cells of some imports."""

    files: int = 0
    refused: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)  # blank cells without any finding

    def add(self, other: Tally) -> None:
        self.files += other.files
        self.refused += other.refused
        self.counts.update(other.counts)
        self.wrong += other.wrong
        self.silent += other.silent

    @property
    def numbers(self) -> int:
        return self.counts["exact"] + self.counts["blank"] + self.counts["wrong"]

    def rate(self) -> str:
        return f"{100 * self.counts['exact'] / self.numbers:.1f} %" if self.numbers else "—"


def score(path: Path, expected: dict[str, object]) -> Tally:
    """One import against its truth: a number where the truth holds another number, or any
    number where the truth is blank, is wrong."""
    tally = Tally(files=1)
    try:
        result = import_source(path)
    except XxgkError:
        tally.refused = 1
        tally.counts["blank"] += sum(v is not None for v in expected.values())
        tally.counts["kept-blank"] += sum(v is None for v in expected.values())
        return tally
    got = report_cells(result.report)
    for key, want in expected.items():
        have = got.get(key)
        if want is None:
            tally.counts["kept-blank" if have is None else "filled"] += 1
            if have is not None:
                tally.counts["wrong"] += 1
                tally.wrong.append(f"{path.name}: {key} 应为空，导入为 {have}")
        elif have is None:
            tally.counts["blank"] += 1
        elif have == want:
            tally.counts["exact"] += 1
        else:
            tally.counts["wrong"] += 1
            tally.wrong.append(f"{path.name}: {key} 应为 {want}，导入为 {have}")
    if tally.counts["blank"] and not result.findings:
        tally.silent.append(path.name)  # a number left blank must come with a finding
    return tally


def measure(batch: list[Generated]) -> dict[tuple[str, str], Tally]:
    """Tallies per (kind, style)."""
    tallies: dict[tuple[str, str], Tally] = {}
    for generated in batch:
        expected = generated.expected()
        for kind, path in generated.forms.items():
            tallies.setdefault((kind, generated.style), Tally()).add(score(path, expected))
    return tallies


KIND_ORDER = (
    ".docx",
    "网页",
    "markdown（由 .docx 转换）",
    "PDF",
    "pdftotext 默认",
    "pdftotext -layout",
    "pdftotext -raw",
)


def per_kind(tallies: dict[tuple[str, str], Tally]) -> dict[str, Tally]:
    """The tallies of every style added up per kind."""
    kinds: dict[str, Tally] = {}
    for (kind, _), tally in tallies.items():
        kinds.setdefault(kind, Tally()).add(tally)
    return {k: kinds[k] for k in sorted(kinds, key=KIND_ORDER.index)}


def table(tallies: dict[tuple[str, str], Tally]) -> str:
    """Markdown: per kind, every style and the kind's total."""
    heads = "来源 版式 文件 拒绝 数字单元格 准确 留空并提示 错误 准确率 报告未填：保持空 报告未填：被填"
    lines = ["| " + " | ".join(heads.split()) + " |", "|---" * len(heads.split()) + "|"]

    def line(kind: str, style: str, t: Tally) -> str:
        c = t.counts
        return (f"| {kind} | {style} | {t.files} | {t.refused} | {t.numbers} | {c['exact']} | "
                f"{c['blank']} | {c['wrong']} | {t.rate()} | {c['kept-blank']} | {c['filled']} |")

    for kind, total in per_kind(tallies).items():
        for (k, style), tally in sorted(tallies.items()):
            if k == kind:
                lines.append(line(kind, style, tally))
        lines.append(line(f"**{kind}**", "**合计**", total))
    return "\n".join(lines)


def matrix(tallies: dict[tuple[str, str], Tally]) -> str:
    """Markdown: exact % per kind (rows) and style (columns), with the kind's cells and wrong."""
    styles = sorted({style for _, style in tallies})
    lines = ["| 来源 | " + " | ".join(styles) + " | 数字单元格 | 准确率 | 错误 |",
             "|---" * (len(styles) + 4) + "|"]
    for kind, total in per_kind(tallies).items():
        cells = [tallies[(kind, s)].rate() if (kind, s) in tallies else "—" for s in styles]
        lines.append(f"| {kind} | " + " | ".join(cells)
                     + f" | {total.numbers} | {total.rate()} | {total.counts['wrong']} |")
    return "\n".join(lines)
