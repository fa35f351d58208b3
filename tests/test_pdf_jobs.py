"""`build --pdf --jobs N`: the batch's PDFs come from N LibreOffice runs, each on its own share,
in input order, with the bytes one run gives; a share whose LibreOffice fails costs only it."""

from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import pytest

from xxgk.build import _converted, build_many
from xxgk.errors import XxgkError
from xxgk.inputs import dump_report, load

ROOT = Path(__file__).resolve().parents[1]


def test_shares_keep_the_input_order_and_run_side_by_side() -> None:
    files = [Path(f"r{i}.docx") for i in range(7)]
    threads: set[int] = set()
    barrier = threading.Barrier(3, timeout=10)

    def convert(chunk: list[Path]) -> list[bytes | XxgkError]:
        threads.add(threading.get_ident())
        barrier.wait()  # all three shares must be converting at once
        return [p.name.encode() for p in chunk]

    outcomes = _converted(files, 3, convert)
    assert outcomes == [p.name.encode() for p in files]
    assert len(threads) == 3


def test_a_failing_share_costs_only_its_own_reports() -> None:
    files = [Path(f"r{i}.docx") for i in range(4)]

    def convert(chunk: list[Path]) -> list[bytes | XxgkError]:
        if Path("r3.docx") in chunk:
            raise XxgkError.single("output/pdf-timeout", "LibreOffice 超时", str(chunk[0]))
        return [b"pdf"] * len(chunk)

    outcomes = _converted(files, 2, convert)
    assert outcomes[:2] == [b"pdf", b"pdf"]
    assert all(isinstance(o, XxgkError) for o in outcomes[2:])


def test_one_job_is_one_run() -> None:
    calls: list[int] = []

    def convert(chunk: list[Path]) -> list[bytes | XxgkError]:
        calls.append(len(chunk))
        return [b""] * len(chunk)

    _converted([Path("a.docx"), Path("b.docx")], 1, convert)
    assert calls == [2]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_two_jobs_give_the_bytes_of_one(tmp_path: Path) -> None:
    base = load(ROOT / "inputs" / "example.yaml")
    paths = []
    for i in range(3):
        path = tmp_path / f"r{i}.yaml"
        path.write_text(dump_report(base.model_copy(update={"organ": f"测试县第{i}镇"})),
                        encoding="utf-8")
        paths.append(path)

    def pdfs(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.pdf")}

    one = build_many(paths, tmp_path / "one", formats=("docx", "pdf"), jobs=1)
    two = build_many(paths, tmp_path / "two", formats=("docx", "pdf"), jobs=2)
    assert all(r.ok for r in one + two)
    assert len(pdfs(tmp_path / "one")) == 3
    assert pdfs(tmp_path / "one") == pdfs(tmp_path / "two")
    assert not list(tmp_path.glob("xxgk-lo-profile-*"))
