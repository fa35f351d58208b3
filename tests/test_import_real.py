"""The corpus of real published reports (tests/data/real/): no cell is ever imported wrong."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from xxgk import labels
from xxgk.checks import check
from xxgk.importers import import_source
from xxgk.render.pdf.convert import pdf_available

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "real"
ARITHMETIC = {"t3/balance", "t3/stated-results-total", "t3/stated-total", "t4/stated-total"}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_accuracy", ROOT / "scripts" / "import_accuracy.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_accuracy"] = module
    spec.loader.exec_module(module)
    return module


accuracy = _script()


@pytest.mark.skipif(not pdf_available(), reason="the .doc sources need LibreOffice")
def test_no_cell_of_a_real_report_is_ever_imported_wrong() -> None:
    tallies = accuracy.measure()
    total = tallies["合计"]
    assert total.wrong == []
    assert total.counts["wrong"] == 0
    assert total.counts["filled"] == 0
    assert total.failed == 0  # every file gives a report (blank cells with findings at worst)


def test_the_corpus_covers_every_kind_and_several_provinces() -> None:
    kinds = {accuracy.kind_of(p) for p in REAL.rglob("*") if p.is_file()} - {None}
    assert kinds == set(accuracy.KINDS.values()) - {".docx"}
    truths = [json.loads(p.read_text("utf-8")) for p in REAL.rglob("*.truth.json")]
    assert len({t["province"][:2] for t in truths}) >= 3
    assert len({t["level"] for t in truths}) >= 4


def _arithmetic_errors(truth: dict[str, object]) -> set[str]:
    """What the hand transcription itself says is inconsistent (row totals, 表四 totals)."""
    found = set()
    t3 = truth["t3"]
    assert isinstance(t3, dict)
    for key, values in t3.items():
        if key != "results_total" and None not in values and sum(values[:6]) != values[6]:
            found.add("t3/stated-total")
    t4 = truth["t4"]
    assert isinstance(t4, dict)
    for values in t4.values():
        if None not in values and sum(values[:4]) != values[4]:
            found.add("t4/stated-total")
    return found


@pytest.mark.parametrize(
    "source",
    sorted(p for p in REAL.glob("*.*") if p.suffix in (".md", ".html") and p.stem != "README"),
    ids=lambda p: p.name,
)
def test_check_finds_the_arithmetic_errors_the_report_has(source: Path) -> None:
    # None of the collected reports has a wrong 总计 (see README.md there); should one be added,
    # `xxgk check` of its import must name it, and must not invent one where the report has none.
    name = source.name.split(".")[0]
    truth = json.loads((REAL / f"{name}.truth.json").read_text("utf-8"))
    report = import_source(source).report
    found = {f.code for f in check(report) if f.code in ARITHMETIC and f.is_error}
    assert found == _arithmetic_errors(truth)
    assert report.year == truth["year"]
    if truth["organ"]:
        assert report.organ == truth["organ"]


def test_every_truth_file_has_every_cell() -> None:
    rows = {r.id for r in labels.TABLE3_ROWS} | {"results_total"}
    for path in REAL.glob("*.truth.json"):
        truth = json.loads(path.read_text("utf-8"))
        two_thousand_nineteen = truth.get("format") == "2019"
        missing = rows - set(truth["t3"])
        if two_thousand_nineteen:  # the 2019 （六）其他处理 is one row: counted in 3.其他
            missing -= {"other_handling.no_correction", "other_handling.fee_unpaid"}
        assert not missing, (path.name, missing)
        assert all(len(v) == 7 for v in truth["t3"].values())
        assert all(len(v) == 5 for v in truth["t4"].values())


PINGTAN = REAL / "pingtan"


def test_the_portal_crawl_covers_departments_years_and_both_formats() -> None:
    truths = {p: json.loads(p.read_text("utf-8")) for p in PINGTAN.rglob("*.truth.json")}
    assert len(truths) >= 30
    assert len({p.parent.name for p in truths}) >= 7  # departments
    assert {t["format"] for t in truths.values()} == {"2019", "2021"}
    years = {t["year"] for t in truths.values()}
    assert set(range(2020, 2026)) <= years  # consecutive years
    by_department: dict[str, set[int]] = {}
    for path, truth in truths.items():
        by_department.setdefault(path.parent.name, set()).add(truth["year"])
    runs = [d for d, ys in by_department.items() if any({y, y + 1, y + 2} <= ys for y in ys)]
    assert len(runs) >= 4  # departments with three consecutive years: last year's numbers to carry
    for path in truths:  # every report arrives as the crawler saved it
        assert path.with_name(path.name.replace(".truth.json", ".page.txt")).is_file()


@pytest.mark.parametrize(
    "page", sorted(PINGTAN.rglob("*.page.txt")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_a_crawler_page_is_read_as_a_page(page: Path) -> None:
    result = import_source(page)
    truth = json.loads(page.with_name(page.name.replace(".page.txt", ".truth.json")).read_text())
    # The header is metadata: the organ is the report's (never 发布机构 or the path line), the
    # publication date is the header's 发布时间, and the body run together on one line is cut.
    assert result.report.organ == truth["organ"]
    assert result.report.year == truth["year"]
    assert result.report.format_version == truth["format"]
    header = page.read_text("utf-8").split("\n")[1]
    assert result.report.published is not None
    assert header.startswith(f"发布时间: {result.report.published.isoformat()}")
    codes = {f.code for f in result.findings}
    assert "import/one-line-body" in codes
    assert "import/published-from" in codes
    assert not {"import/missing-table"} & codes
    counts = accuracy.compare(page, truth).counts
    assert counts["wrong"] == 0
    assert counts["filled"] == 0
    if counts["blank"]:  # a blank cell is never silent: the import says why
        assert {"import/run-together", "import/missing-row"} & codes
    if _sums_hold(truth):  # a report that does not add up may leave a whole row open
        assert counts["exact"] >= 0.95 * (counts["exact"] + counts["blank"])


def _sums_hold(truth: dict[str, Any]) -> bool:
    """Whether the report's own relations hold as printed: row totals, 表四 totals, the 办理结果
    columns against （七）总计 and 一 + 二 = （七）总计 + 四 in every column."""
    t3 = truth["t3"]
    rows = [v for v in t3.values() if None not in v]
    results = [t3[r.id] for r in labels.TABLE3_RESULT_ROWS if r.id in t3]
    if any(sum(v[:6]) != v[6] for v in rows):
        return False
    if any(None not in v and sum(v[:4]) != v[4] for v in truth["t4"].values()):
        return False
    for c in range(7):
        column = [v[c] for v in results]
        balance = [t3[k][c] for k in ("new", "carried_in", "results_total", "carried_out")]
        total = t3["results_total"][c]
        if None not in column and total is not None and sum(column) != total:
            return False
        if None not in balance and balance[0] + balance[1] != balance[2] + balance[3]:
            return False
    return True


@pytest.mark.parametrize(
    "fragment", sorted(PINGTAN.rglob("*.fragment.html")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_the_article_html_gives_every_cell_the_crawler_text_ran_together(fragment: Path) -> None:
    # The article element of the same page (a byte range of the crawl's page.html): its cells
    # are apart, so a 表二 row page.txt runs together (「6126」: 6、1、26, 6、12、6 or 61、2、6) is read.
    truth = json.loads(fragment.with_name(fragment.name.replace(".fragment.html", ".truth.json"))
                       .read_text("utf-8"))
    counts = accuracy.compare(fragment, truth).counts
    assert counts["wrong"] == counts["filled"] == counts["blank"] == 0
    page = fragment.with_name(fragment.name.replace(".fragment.html", ".page.txt"))
    assert accuracy.compare(page, truth).counts["blank"] > 0  # what the page's text could not settle
    assert import_source(fragment).report.year == truth["year"]


def test_the_portal_crawl_as_a_whole_is_imported_almost_entirely() -> None:
    counts: Counter[str] = Counter()
    for page in PINGTAN.rglob("*.page.txt"):
        truth = json.loads(page.with_name(page.name.replace(".page.txt", ".truth.json")).read_text())
        counts.update(accuracy.compare(page, truth).counts)
    assert counts["wrong"] == counts["filled"] == 0
    assert counts["exact"] >= 0.98 * (counts["exact"] + counts["blank"])
