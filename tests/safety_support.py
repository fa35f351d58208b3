"""Helpers of the safety tests: data variants and the manifest checked against the disk."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from xxgk.manifest import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example.yaml"
ORGAN_LINE = "机关名称: 晋江市永和镇"


def variant(folder: Path, name: str, organ: str = "晋江市永和镇", count: int = 74) -> Path:
    """A copy of the example with another organ name and another number in its text."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace(ORGAN_LINE, f"机关名称: {organ}").replace("74条", f"{count}条")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def manifest_entries(out: Path) -> dict[str, dict[str, str]]:
    path = out / MANIFEST
    if not path.exists():
        return {}
    return {e["file"]: e for e in json.loads(path.read_text(encoding="utf-8"))["files"]}


def manifest_lies(out: Path) -> list[str]:
    """The manifest's entries whose SHA-256 is not that of the file on disk (empty when true)."""
    wrong = []
    for name, entry in manifest_entries(out).items():
        path = out / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            wrong.append(name)
    return wrong


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.glob("*.*x")}
