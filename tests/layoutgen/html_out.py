"""A layout as a saved web page: the same cells, merged by rowspan/colspan."""

from __future__ import annotations

from html import escape

from tests.layoutgen.layout import Document, Table


def _cell_html(text: str, vertical: bool) -> str:
    lines = list(text) if vertical else text.split("\n")
    return "<br>".join(escape(line) for line in lines)


def _table(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            cells.append(f"<td{spans}>{_cell_html(cell.text, cell.vertical)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    border = ' border="1" cellspacing="0"' if table.borders else ""
    return f"<table{border}><tbody>{''.join(rows)}</tbody></table>"


def render(doc: Document, title: str) -> bytes:
    """The page's bytes (UTF-8, declared)."""
    parts = []
    for block in doc.blocks:
        if isinstance(block, Table):
            parts.append(_table(block))
        elif block.kind == "title":
            parts.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "heading":
            parts.append(f"<p><strong>{escape(block.text)}</strong></p>")
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'</head><body><div class="article">{"".join(parts)}</div></body></html>'
            ).encode()
