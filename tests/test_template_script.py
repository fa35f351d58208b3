"""scripts/make_template.py: the committed template is what the script makes; settings apply."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.docx_dump import NS, part, w, xml_parts

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_template.py"
COMMITTED = ROOT / "templates" / "report-2021.docx"
PACKAGE_COPY = ROOT / "src" / "xxgk" / "data" / "report-2021.docx"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_template", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_template"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh(script: ModuleType) -> bytes:
    return script.build()


def test_committed_template_is_current(fresh: bytes) -> None:
    committed, now = xml_parts(COMMITTED.read_bytes()), xml_parts(fresh)
    assert sorted(committed) == sorted(now)
    changed = [name for name in now if committed[name] != now[name]]
    assert changed == [], "run: python scripts/make_template.py"


def test_package_copy_is_identical() -> None:
    assert PACKAGE_COPY.read_bytes() == COMMITTED.read_bytes()


def test_build_is_stable(script: ModuleType, fresh: bytes) -> None:
    assert script.build() == fresh


def test_no_leftovers_and_tags_in_one_run(fresh: bytes) -> None:
    names = xml_parts(fresh)
    assert not any(name.startswith("docProps/thumbnail") for name in names)
    assert "word/stylesWithEffects.xml" not in names
    body = part(fresh, "word/document.xml").find(w("body"))
    for paragraph in body.iter(w("p")):
        texts = [t.text or "" for t in paragraph.iter(w("t"))]
        if any("{" in t for t in texts):
            assert len(texts) == 1, texts  # every tag in a single run: never split


def test_settings_are_arguments(script: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "t.docx"
    assert script.main(["--line-pitch", "600", "--chars-per-line", "27", "--top-mm", "30",
                        "--out", str(out)]) == 0
    sect = part(out.read_bytes(), "word/document.xml").find(".//w:sectPr", NS)
    assert sect.find("w:docGrid", NS).get(w("linePitch")) == "600"
    assert sect.find("w:docGrid", NS).get(w("type")) == "lines"
    assert sect.find("w:pgMar", NS).get(w("top")) == "1701"
    normal = part(out.read_bytes(), "word/styles.xml").find(
        f"{w('style')}[@{w('styleId')}='Normal']")
    assert normal.find("w:pPr/w:spacing", NS).get(w("line")) == "600"
    # 27 a line: floor((442.25 pt / 27 − 16 pt) × 20) = 7 twentieths wider than the letters.
    assert normal.find("w:rPr/w:spacing", NS).get(w("val")) == "7"
