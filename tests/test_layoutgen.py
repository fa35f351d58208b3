"""The layout generator's property: over 500 random consistent reports in seven table styles none
of them ours (tests/layoutgen/), every form an evaluator meets — .docx, a saved page, the markdown
a Word → markdown converter makes of the .docx, the PDF and pdftotext's three modes of it — imports with no wrong number: each cell is the number printed,
or blank with a finding. Blank is allowed, wrong never.

One seeded batch per module: 500 reports as .docx, .html and markdown, the first 70 (ten of each
style) also through one LibreOffice start to PDF and on to pdftotext's three modes: 1,780 imports.
"""

from __future__ import annotations

import pytest

from tests.layoutgen.batch import MARKDOWN, Generated, generate, tools_available
from tests.layoutgen.score import KIND_ORDER, Tally, measure, per_kind, table
from tests.layoutgen.styles import STYLES

SEED = 2026
REPORTS = 500
WITH_PDF = 70  # ten of each style: one LibreOffice start, most of the test's time


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[Generated]:
    folder = tmp_path_factory.mktemp("layoutgen")
    return generate(folder, SEED, REPORTS, WITH_PDF if tools_available() else 0)


@pytest.fixture(scope="module")
def tallies(batch: list[Generated]) -> dict[tuple[str, str], Tally]:
    return measure(batch)


def test_the_batch_holds_500_reports_in_every_style(batch: list[Generated]) -> None:
    assert len(batch) >= 500
    assert {g.style for g in batch} == set(STYLES)
    assert len({(g.truth.t3["new"], g.truth.t2_single["licensing"]) for g in batch}) > 450
    for generated in batch:
        assert {".docx", "网页", MARKDOWN} <= set(generated.forms)


def test_every_pdf_was_made_and_read_in_three_pdftotext_modes(batch: list[Generated]) -> None:
    if not tools_available():
        pytest.skip("LibreOffice or pdftotext is not installed")
    with_pdf = [g for g in batch if "PDF" in g.forms]
    assert len(with_pdf) == WITH_PDF
    assert all(len(g.forms) == 7 for g in with_pdf)


@pytest.mark.parametrize("kind", KIND_ORDER)
def test_no_generated_form_imports_a_wrong_number(
    tallies: dict[tuple[str, str], Tally], kind: str
) -> None:
    kinds = per_kind(tallies)
    if kind not in kinds:
        pytest.skip("LibreOffice or pdftotext is not installed")
    tally = kinds[kind]
    assert tally.files > 0
    shown = "\n".join(tally.wrong[:30])
    assert tally.wrong == [], f"{len(tally.wrong)} 个错误数字：\n{shown}\n\n{table(tallies)}"
    assert tally.silent == [], f"留空却没有提示：{tally.silent[:10]}"


def test_the_cheap_forms_read_nearly_every_number(tallies: dict[tuple[str, str], Tally]) -> None:
    # .docx, saved pages and the converter's markdown keep every cell in its place: what stays
    # blank is a misspelt label that could not be matched for certain, and the unprinted sub-rows
    # of a one-row （六）
    for kind in (".docx", "网页", MARKDOWN):
        tally = per_kind(tallies)[kind]
        assert tally.counts["exact"] >= 0.95 * tally.numbers, table(tallies)


def test_the_measurement_is_printed_per_kind_and_style(
    tallies: dict[tuple[str, str], Tally],
) -> None:
    text = table(tallies)
    for style in STYLES:
        assert f"| .docx | {style} |" in text
    assert "| **网页** | **合计** |" in text


# Two more seeds, every report through LibreOffice and pdftotext: seeds 7 and 99 once found
# wrong numbers (「30974 60180 91154」 cut by pdftotext -raw's run-together reading) that 2026 did
# not.
OTHER_SEEDS = (7, 99)


@pytest.fixture(scope="module", params=OTHER_SEEDS)
def other_seed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Tally]:
    if not tools_available():
        pytest.skip("LibreOffice or pdftotext is not installed")
    folder = tmp_path_factory.mktemp(f"layoutgen-{request.param}")
    return measure(generate(folder, request.param, WITH_PDF, WITH_PDF))


def test_other_seeds_import_no_wrong_number(other_seed: dict[tuple[str, str], Tally]) -> None:
    for kind, tally in per_kind(other_seed).items():
        shown = "\n".join(tally.wrong[:30])
        assert tally.wrong == [], f"{kind}：{len(tally.wrong)} 个错误数字：\n{shown}"
        assert tally.silent == [], f"{kind} 留空却没有提示：{tally.silent[:10]}"
