"""Drive LibreOffice Calc through UNO, as a clerk at the keyboard would: type, recalculate, save.

Run by the Python that has LibreOffice's ``uno`` module (Debian's python3-uno), not by the test
runner's: ``python3 lo_calc.py PLAN.json RESULT.json``. The plan is a list of steps, each
``{"open": path}`` or ``{"type": [[sheet, cell, value], ...]}`` (a number or a text),
``{"insert_rows": [sheet, row, count]}``, ``{"read": [[sheet, cell], ...]}`` (after recalculating)
or ``{"save": path}`` (as .xlsx). The result holds every read, in order, and what went wrong.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _props(**values: object) -> tuple[object, ...]:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def _connect(pipe: str) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(
                f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:  # NoConnectException until soffice listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _cell(doc: object, sheet: str, ref: str) -> object:
    return doc.Sheets.getByName(sheet).getCellRangeByName(ref)  # type: ignore[attr-defined]


def _value(cell: object) -> object:
    from com.sun.star.table.CellContentType import FORMULA, TEXT  # type: ignore[import-not-found]

    kind = cell.Type  # type: ignore[attr-defined]
    if kind == TEXT or (kind == FORMULA and cell.FormulaResultType2 == TEXT):  # type: ignore[attr-defined]
        return cell.String  # type: ignore[attr-defined]
    if cell.String in ("TRUE", "FALSE"):  # type: ignore[attr-defined]
        return cell.String == "TRUE"  # type: ignore[attr-defined]
    return cell.Value  # type: ignore[attr-defined]


def run(plan: list[dict[str, object]], soffice: str) -> dict[str, object]:
    pipe = f"xxgk-{uuid.uuid4().hex}"
    profile = Path(tempfile.mkdtemp(prefix="xxgk-lo-"))
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
         "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    reads: list[object] = []
    doc = None
    try:
        ctx = _connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
            "com.sun.star.frame.Desktop", ctx)
        for step in plan:
            if "open" in step:
                if doc is not None:
                    doc.close(True)
                url = uno.systemPathToFileUrl(os.path.abspath(str(step["open"])))
                doc = desktop.loadComponentFromURL(url, "_blank", 0, _props(Hidden=True))
            elif "type" in step:
                for sheet, ref, value in step["type"]:  # type: ignore[union-attr]
                    cell = _cell(doc, sheet, ref)
                    if isinstance(value, str):
                        cell.setString(value)  # type: ignore[attr-defined]
                    else:
                        cell.setValue(value)  # type: ignore[attr-defined]
            elif "insert_rows" in step:
                sheet, row, count = step["insert_rows"]  # type: ignore[misc]
                doc.Sheets.getByName(sheet).Rows.insertByIndex(row - 1, count)  # type: ignore[union-attr]
            elif "read" in step:
                doc.calculateAll()  # type: ignore[union-attr]
                reads.append([_value(_cell(doc, s, r)) for s, r in step["read"]])  # type: ignore[union-attr]
            elif "save" in step:
                doc.calculateAll()  # type: ignore[union-attr]
                url = uno.systemPathToFileUrl(os.path.abspath(str(step["save"])))
                doc.storeToURL(url, _props(FilterName="Calc MS Excel 2007 XML"))  # type: ignore[union-attr]
        if doc is not None:
            doc.close(True)
        with contextlib.suppress(Exception):
            desktop.terminate()
        return {"reads": reads}
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    plan_path, result_path, soffice = sys.argv[1], sys.argv[2], sys.argv[3]
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    result = run(plan, soffice)
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
