"""``out/manifest.json``: each current output with the hashes of what it was built from.

The archive bureau verifies what it received against it: the output's SHA-256, the SHA-256 of the
data file and of the template it came from, and the xxgk version. No clock in it, so an identical
rebuild leaves it byte-identical.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from xxgk.errors import XxgkError
from xxgk.writer import write_outputs

MANIFEST = "manifest.json"


def xxgk_version() -> str:
    """The installed xxgk version."""
    try:
        return version("xxgk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


@dataclass(frozen=True)
class ManifestEntry:
    """One output file and what it was built from."""

    file: str
    sha256: str
    source: str
    source_sha256: str
    template_sha256: str
    xxgk_version: str

    @classmethod
    def of(
        cls, target: Path, data: bytes, source: Path, source_sha256: str, template_sha256: str
    ) -> ManifestEntry:
        """The entry for ``data`` about to be written at ``target``."""
        return cls(
            target.name,
            hashlib.sha256(data).hexdigest(),
            source.name,
            source_sha256,
            template_sha256,
            xxgk_version(),
        )


def read_manifest(outdir: Path) -> dict[str, ManifestEntry]:
    """The manifest's entries by file name (empty when there is none yet)."""
    path = outdir / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {e["file"]: ManifestEntry(**e) for e in data["files"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise XxgkError.single(
            "output/bad-manifest", "清单文件已损坏，请移走后重新生成", str(path)
        ) from exc


def update_manifest(outdir: Path, entries: list[ManifestEntry]) -> None:
    """Add or replace these entries; drop entries whose file no longer exists."""
    current = read_manifest(outdir)
    current.update({e.file: e for e in entries})
    kept = [current[name] for name in sorted(current) if (outdir / name).exists()]
    text = json.dumps({"files": [asdict(e) for e in kept]}, ensure_ascii=False, indent=2)
    write_outputs({outdir / MANIFEST: (text + "\n").encode("utf-8")}, keep_history=False)
