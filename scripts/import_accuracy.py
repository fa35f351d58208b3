"""Cell accuracy of the importers on the real reports under tests/data/real/, per kind of source.

    PYTHONPATH=src python3 scripts/import_accuracy.py [--verbose] [--generated N] [--seed S]

Each ``NAME.truth.json`` holds every number of 表二/表三/表四 as the report printed it,
transcribed by hand (null: the report left the cell blank, or printed nothing one can read for
certain). Every file ``NAME.*`` beside it is one way the report reached us (a saved page, a PDF,
text a tool produced …) and is imported and compared cell by cell:

- exact: the number the report printed;
- blank: imported blank (None), with a finding saying so — allowed, never a guess;
- wrong: any other number — the one outcome an importer must never produce.

Cells the report left blank are counted apart: kept blank, or filled (a wrong number too).

Then the same per kind and per table style for the layout generator's reports (版式生成器,
tests/layoutgen/): --generated N reports, the first --generated-pdf of them through LibreOffice.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from xxgk import labels
from xxgk.errors import XxgkError
from xxgk.importers import import_source, oldword

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)  # tests/layoutgen is a test helper package of this repository

from tests.layoutgen.cells import T2_DOCS, T2_SINGLE, T4_BLOCKS, report_cells  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "real"
# Reports kept apart to measure the importer on what it was not built on (never tuned on).
HELDOUT = CORPUS.parent / "heldout"
# How a file name ends → the kind of source it is (the longest match wins).
KINDS = {
    ".html": "网页（整页/片段）",
    ".md": "markdown 管道表",
    ".txt": "粘贴文本",
    ".pdftotext.txt": "pdftotext 默认",
    ".pdftotext-layout.txt": "pdftotext -layout",
    ".pdftotext-raw.txt": "pdftotext -raw",
    ".crawler.txt": "爬虫文本（单元格连写）",
    ".page.txt": "爬虫整页文本（文件头 + 一行正文）",
    ".pdf": "PDF",
    ".doc": ".doc（LibreOffice）",
    ".docx": ".docx",
}
# Kinds made from a real report through our own template (scripts/make_real_variants.py): the
# template prints each 总计 as the sum of its cells, so that is what these documents hold.
DERIVED = frozenset(
    KINDS[s]
    for s in (
        ".pdftotext.txt",
        ".pdftotext-layout.txt",
        ".pdftotext-raw.txt",
        ".crawler.txt",
        ".pdf",
        ".doc",
        ".docx",
    )
)


def kind_of(path: Path) -> str | None:
    """The kind of a corpus file by its name, or None when it is not a source (a truth file)."""
    name = path.name
    matches = [suffix for suffix in KINDS if name.endswith(suffix)]
    return KINDS[max(matches, key=len)] if matches else None


def _sum(values: list[Any]) -> Any:
    return None if any(v is None for v in values) else sum(values)


def as_printed(truth: dict[str, Any]) -> dict[str, Any]:
    """The truth as our template prints it: every 总计 the sum of its cells (blank if one is)."""
    t3 = {k: [*v[:6], _sum(v[:6])] for k, v in truth["t3"].items() if k != "results_total"}
    results = [r.id for r in labels.TABLE3_RESULT_ROWS]
    columns = [_sum([t3[r][c] for r in results]) for c in range(6)]
    t3["results_total"] = [*columns, _sum(columns)]
    t4 = {b: [*v[:4], _sum(v[:4])] for b, v in truth["t4"].items()}
    return {**truth, "t3": t3, "t4": t4}


def truth_cells(truth: dict[str, Any]) -> dict[str, Any]:
    """The truth file's cells by key (t2.regulations.0, t3.new.6, t4.review.4 …)."""
    cells: dict[str, Any] = {}
    t2 = truth["t2"]
    for name in T2_DOCS:
        for i, value in enumerate(t2[name]):
            cells[f"t2.{name}.{i}"] = value
    for name in T2_SINGLE:
        value = t2[name]
        cells[f"t2.{name}"] = Decimal(value) if name == "fees" and value is not None else value
    for row, values in truth["t3"].items():
        for i, value in enumerate(values):
            cells[f"t3.{row}.{i}"] = value
    for block in T4_BLOCKS:
        for i, value in enumerate(truth["t4"][block]):
            cells[f"t4.{block}.{i}"] = value
    return cells


@dataclass
class Tally:
    """Outcomes of one kind of source."""

    files: int = 0
    failed: int = 0  # refused outright (a message, no report)
    counts: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.files += other.files
        self.failed += other.failed
        self.counts.update(other.counts)
        self.wrong += other.wrong


def compare(source: Path, truth: dict[str, Any]) -> Tally:
    """The outcome of every cell of one source against its truth."""
    tally = Tally(files=1)
    expected = truth_cells(truth)
    try:
        report = import_source(source).report
    except XxgkError:  # refused as a whole: every number counts as blank
        tally.failed = 1
        numbers = sum(v is not None for v in expected.values())
        tally.counts["blank"] += numbers
        tally.counts["kept-blank"] += len(expected) - numbers
        return tally
    got = report_cells(report)
    for key, want in expected.items():
        have = got.get(key)
        if want is None:
            tally.counts["kept-blank" if have is None else "filled"] += 1
            if have is not None:
                tally.wrong.append(f"{source.name}: {key} 报告未填，导入为 {have}")
        elif have is None:
            tally.counts["blank"] += 1
        elif have == want:
            tally.counts["exact"] += 1
        else:
            tally.counts["wrong"] += 1
            tally.wrong.append(f"{source.name}: {key} 应为 {want}，导入为 {have}")
    return tally


Case = tuple[Path, str, dict[str, Any]]
# Where a case comes from, as the table groups them.
OWN_TEMPLATE = "本项目模板生成"
REAL = "真实报告"
# More sources of cases by name: the layout generator (other table styles through LibreOffice and
# pdftotext) registers its cases here, e.g. ``EXTRA_SOURCES["版式生成器"] = generated_cases``.
EXTRA_SOURCES: dict[str, Callable[[], Iterator[Case]]] = {}


def sources(corpus: Path = CORPUS) -> Iterator[Case]:
    """Every source of the corpus with its kind and its truth (sub-folders included: the portal
    crawl under pingtan/ keeps each department's reports in its own folder)."""
    for truth_path in sorted(corpus.rglob("*.truth.json")):
        name = truth_path.name.removesuffix(".truth.json")
        truth = json.loads(truth_path.read_text("utf-8"))
        for path in sorted(truth_path.parent.glob(f"{name}.*")):
            kind = kind_of(path)
            if kind is not None and path != truth_path:
                yield path, kind, truth


def derived(path: Path, kind: str, truth: dict[str, Any]) -> bool:
    """Whether a file was made through our own template (a file in ``printed_as_is`` is the
    organ's own published bytes, not made by us)."""
    return kind in DERIVED and path.name not in truth.get("printed_as_is", ())


def source_of(path: Path, kind: str, truth: dict[str, Any]) -> str:
    """Whether a file was made through our own template or is as the organ made it."""
    return OWN_TEMPLATE if derived(path, kind, truth) else REAL


def measure(corpus: Path = CORPUS) -> dict[str, Tally]:
    """Tallies per source and kind (「来源 · 形式」), per source, and 「合计」 over all."""
    tallies: dict[str, Tally] = {}
    total = Tally()
    cases = [(source_of(path, kind, truth), path, kind, truth)
             for path, kind, truth in sources(corpus)]
    for name, extra in EXTRA_SOURCES.items():
        cases += [(name, path, kind, truth) for path, kind, truth in extra()]
    by_source: dict[str, Tally] = {}
    with oldword.batch([path for _, path, _, _ in cases]):  # one LibreOffice start for every .doc
        for origin, path, kind, truth in sorted(cases, key=lambda c: (c[0], c[2], str(c[1]))):
            tally = compare(path, as_printed(truth) if derived(path, kind, truth) else truth)
            tallies.setdefault(f"{origin} · {kind}", Tally()).add(tally)
            by_source.setdefault(f"{origin} 小计", Tally()).add(tally)
            total.add(tally)
    tallies.update(by_source)
    tallies["合计"] = total
    return tallies


def table(tallies: dict[str, Tally]) -> str:
    """The accuracy table in markdown."""
    heads = "来源 文件 拒绝 数字单元格 准确 留空并提示 错误 准确率 报告未填：保持空 报告未填：被填"
    lines = ["| " + " | ".join(heads.split()) + " |", "|---" * len(heads.split()) + "|"]
    for kind, t in tallies.items():
        c = t.counts
        numbers = c["exact"] + c["blank"] + c["wrong"]
        rate = f"{100 * c['exact'] / numbers:.1f} %" if numbers else "—"
        lines.append(
            f"| {kind} | {t.files} | {t.failed} | {numbers} | {c['exact']} | {c['blank']} | "
            f"{c['wrong']} | {rate} | {c['kept-blank']} | {c['filled']} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every wrong cell")
    parser.add_argument("--heldout", action="store_true", help="measure the held-out reports")
    add_generated_options(parser)
    args = parser.parse_args()
    tallies = measure(HELDOUT if args.heldout else CORPUS)
    print(table(tallies))
    wrong = tallies["合计"].wrong
    if wrong and args.verbose:
        print("\n".join(wrong))
    generated_wrong = report_generated(args)
    return 1 if wrong or generated_wrong else 0


# ---------------------------------------------------------------- 版式生成器 (layout generator)
# Random consistent reports in table styles none of them our template's (tests/layoutgen/, the
# same generator tests/test_layoutgen.py asserts over), per kind of form and per style.


def add_generated_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--generated", type=int, default=140, metavar="N",
                        help="版式生成器的报告数（0：不测）")
    parser.add_argument("--generated-pdf", type=int, default=70, metavar="N",
                        help="其中经 LibreOffice 转为 PDF 和 pdftotext 三种模式的报告数")
    parser.add_argument("--seed", type=int, default=2026, help="版式生成器的随机种子")


def measure_generated(count: int, with_pdf: int, seed: int) -> dict[tuple[str, str], Any]:
    """The generator's tallies per (kind, style)."""
    import tempfile

    from tests.layoutgen import batch, score

    with tempfile.TemporaryDirectory(prefix="xxgk-layoutgen-") as folder:
        pdfs = with_pdf if batch.tools_available() else 0
        return score.measure(batch.generate(Path(folder), seed, count, pdfs))


def report_generated(args: argparse.Namespace) -> bool:
    """Print the generator's table; True when a number was wrong."""
    if args.generated <= 0:
        return False
    from tests.layoutgen import score

    tallies = measure_generated(args.generated, min(args.generated_pdf, args.generated), args.seed)
    print(f"\n版式生成器（{args.generated} 份报告，种子 {args.seed}）：各版式的准确率\n")
    print(score.matrix(tallies))
    if args.verbose:
        print("\n" + score.table(tallies))
    wrong = [w for t in tallies.values() for w in t.wrong]
    if wrong and args.verbose:
        print("\n".join(wrong))
    return bool(wrong)


if __name__ == "__main__":
    sys.exit(main())
