"""Compile click's Chinese catalogue: src/xxgk/locale/zh_CN/LC_MESSAGES/click.po → click.mo.

    python scripts/make_click_catalogue.py

Run after editing click.po (Babel is in the ``test`` extra) and commit both files;
tests/test_cli_help.py fails when click.mo does not match click.po.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[1] / "src/xxgk/locale/zh_CN/LC_MESSAGES"


def compiled(po: Path) -> bytes:
    """The .mo bytes of a .po file (Babel writes messages sorted, so the bytes are stable)."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main() -> None:
    po = CATALOGUE / "click.po"
    mo = po.with_suffix(".mo")
    mo.write_bytes(compiled(po))
    print(f"wrote {mo}")


if __name__ == "__main__":
    main()
