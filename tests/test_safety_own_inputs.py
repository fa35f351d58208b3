"""No command writes over its own inputs (issue 19 item 5): one guard for every ``-o``/``--notice``.

An output is refused when it is an input by any name the file system gives it: the same path, a
path that folds to it (case, full-width), a hard or symbolic link, a file inside a folder read as
input, or the .docx that ``--notice X.pdf`` writes beside the PDF. Exit 1, the input unchanged.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import EXAMPLE

Run = Callable[..., Result]


@pytest.fixture
def built(xxgk: Run, tmp_path: Path) -> dict[str, Path]:
    data = tmp_path / "2021.yaml"
    shutil.copy(EXAMPLE, data)
    out = tmp_path / "out"
    assert xxgk("build", data, "-o", out).exit_code == 0
    files = {p.suffix: p for p in out.iterdir() if p.is_file() and p.suffix != ".json"}
    return {"yaml": data, **{k.lstrip("."): v for k, v in files.items()}}


def aliases(path: Path, tmp_path: Path) -> dict[str, Path]:
    """Other names of ``path``: itself, a hard link, a symbolic link."""
    hard = tmp_path / f"hard{path.suffix}"
    os.link(path, hard)
    soft = tmp_path / f"soft{path.suffix}"
    soft.symlink_to(path)
    return {"same": path, "hard": hard, "soft": soft}


def assert_refused(result: Result, inputs: list[Path], before: list[bytes]) -> None:
    assert result.exit_code == 1, result.output
    assert "output/overwrites-input" in result.output
    assert [p.read_bytes() for p in inputs] == before


@pytest.mark.parametrize("alias", ["same", "hard", "soft"])
def test_compare_refuses_to_write_over_an_input(
    xxgk: Run, built: dict[str, Path], tmp_path: Path, alias: str
) -> None:
    docx = built["docx"]
    target = aliases(docx, tmp_path)[alias]
    before = [docx.read_bytes(), built["yaml"].read_bytes()]
    result = xxgk("compare", docx, built["yaml"], "-o", target)
    assert_refused(result, [docx, built["yaml"]], before)


@pytest.mark.parametrize("alias", ["same", "hard", "soft"])
def test_audit_refuses_to_write_over_an_input(
    xxgk: Run, built: dict[str, Path], tmp_path: Path, alias: str
) -> None:
    xlsx = built["xlsx"]
    target = aliases(xlsx, tmp_path)[alias]
    before = [xlsx.read_bytes()]
    assert_refused(xxgk("audit", xlsx, "-o", target), [xlsx], before)


def test_audit_refuses_to_write_over_last_years_report_or_roster(
    xxgk: Run, built: dict[str, Path], tmp_path: Path
) -> None:
    roster = tmp_path / "名单.txt"
    roster.write_text("晋江市永和镇\n", encoding="utf-8")
    before = [roster.read_bytes()]
    result = xxgk("audit", built["yaml"], "--organs", roster, "--format", "json", "-o", roster)
    assert_refused(result, [roster], before)
    last = built["xlsx"].parent
    into_folder = last / "审核.xlsx"
    result = xxgk("audit", built["yaml"], "--previous-dir", last, "-o", into_folder)
    assert result.exit_code == 1
    assert "output/overwrites-input" in result.output
    assert not into_folder.exists()


def test_diff_notice_pdf_never_writes_its_docx_over_an_input(
    xxgk: Run, built: dict[str, Path], tmp_path: Path
) -> None:
    old = built["docx"]
    changed = tmp_path / "new.yaml"
    changed.write_text(built["yaml"].read_text(encoding="utf-8").replace(
        "行政许可: 0", "行政许可: 1", 1), encoding="utf-8")
    before = [old.read_bytes()]
    # --notice 原报告.pdf writes 原报告.docx beside it: the old version itself.
    result = xxgk("diff", old, changed, "--notice", old.with_suffix(".pdf"))
    assert_refused(result, [old], before)
    assert not old.with_suffix(".pdf").exists() or old.with_suffix(".pdf") == built.get("pdf")


@pytest.mark.parametrize("alias", ["same", "hard", "soft"])
def test_diff_notice_refuses_an_input_by_any_name(
    xxgk: Run, built: dict[str, Path], tmp_path: Path, alias: str
) -> None:
    old = built["docx"]
    changed = tmp_path / "new.yaml"
    changed.write_text(built["yaml"].read_text(encoding="utf-8").replace(
        "行政许可: 0", "行政许可: 1", 1), encoding="utf-8")
    target = aliases(old, tmp_path)[alias]
    before = [old.read_bytes()]
    assert_refused(xxgk("diff", old, changed, "--notice", target), [old], before)


def test_sum_refuses_a_hard_link_to_an_input(xxgk: Run, built: dict[str, Path],
                                             tmp_path: Path) -> None:
    data = built["yaml"]
    hard = aliases(data, tmp_path)["hard"]
    before = [data.read_bytes()]
    result = xxgk("sum", data, "--organ", "某县", "--year", "2021", "-o", hard)
    assert_refused(result, [data], before)


def test_the_guard_lets_a_new_file_through(xxgk: Run, built: dict[str, Path],
                                           tmp_path: Path) -> None:
    target = tmp_path / "审核.xlsx"
    assert xxgk("audit", built["docx"], built["yaml"], "-o", target).exit_code == 0
    assert target.is_file()


def test_build_never_writes_over_its_template(xxgk: Run, built: dict[str, Path],
                                              tmp_path: Path) -> None:
    template = built["docx"]  # last build's report used as the template of the next
    before = [template.read_bytes()]
    result = xxgk("build", built["yaml"], "--template", template, "-o", template.parent)
    assert result.exit_code == 1
    assert "就是输入文件" in result.output
    assert [template.read_bytes()] == before


def test_a_batch_pdf_never_replaces_an_input_pdf(xxgk: Run, built: dict[str, Path],
                                                 tmp_path: Path) -> None:
    from xxgk.api import load_source
    from xxgk.build import BuildResult, refuse_collisions
    from xxgk.errors import XxgkError

    docx = built["docx"]
    published = docx.with_suffix(".pdf")
    published.write_bytes(b"%PDF-1.4 as published")
    results = [BuildResult(built["yaml"], outputs=[docx], report=None)]
    refuse_collisions(results, [published], pdfs_later=True)  # a failed report makes no PDF
    results = [BuildResult(built["yaml"], report=load_source(built["yaml"])[0], outputs=[docx])]
    with pytest.raises(XxgkError) as caught:
        refuse_collisions(results, [published], pdfs_later=True)
    assert "就是输入文件" in caught.value.findings[0].message


def test_audit_beside_the_reports_of_its_input_folder_never_over_one(
    xxgk: Run, built: dict[str, Path], tmp_path: Path
) -> None:
    # The audit may live beside the reports it audits (a later run skips it), never replace one.
    folder = built["yaml"].parent
    before = [built["yaml"].read_bytes()]
    refused = xxgk("audit", folder, "--format", "json", "-o", built["yaml"])
    assert_refused(refused, [built["yaml"]], before)
    beside = folder / "审核.xlsx"
    assert xxgk("audit", folder, "-o", beside).exit_code == 0
    assert beside.exists()
