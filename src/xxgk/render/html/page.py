"""Report → a standalone, accessible HTML5 page for the organ's website (no external assets)."""

from __future__ import annotations

from xxgk import labels
from xxgk.model import Report
from xxgk.render.html import tables as html_tables
from xxgk.render.html.tables import text
from xxgk.render.printed import chinese_date

_S = labels.SECTION_BY_NUMBER

# Inline so the page is one file; tables scroll inside their region on phones, print in full.
_CSS = """
body { margin: 0; padding: 1rem; color: #000; background: #fff;
  font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "Noto Serif CJK SC",
  "Source Han Serif SC", serif; font-size: 1.0625rem; line-height: 1.8; }
main { max-width: 52rem; margin: 0 auto; }
h1, h2, h3, .issuer-mark { font-family: "SimHei", "黑体", "Noto Sans CJK SC",
  "Source Han Sans SC", sans-serif; }
h1 { font-size: 1.5rem; text-align: center; margin: 1.5rem 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .75rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .5rem; }
p { margin: .5rem 0; text-indent: 2em; overflow-wrap: anywhere; }
.issuer-mark { color: #c00; font-size: clamp(1.25rem, 6vw, 2rem); text-align: center;
  text-indent: 0;
  letter-spacing: .1em; margin: 1rem 0 .5rem; }
.doc-number { text-align: center; text-indent: 0; }
.document-header { border-bottom: 2px solid #c00; margin-bottom: 1rem; padding-bottom: .5rem; }
.signature { text-align: right; text-indent: 0; margin: 2rem 2em 0 0; }
.signature p { text-align: right; text-indent: 0; margin: 0; }
.table-wrap { overflow-x: auto; margin: .75rem 0 1.25rem; }
.table-wrap:focus { outline: 2px solid #1a5fb4; }
table { border-collapse: collapse; margin: 0 auto; font-size: .875rem; line-height: 1.4; }
caption { font-weight: bold; padding: .25rem; }
th, td { border: 1px solid #000; padding: .25rem .4rem; vertical-align: middle; }
th { font-weight: normal; text-align: center; }
tbody th[scope="row"] { text-align: left; }
td.num { text-align: center; min-width: 2.5em; font-variant-numeric: tabular-nums; }
#table3 { min-width: 40rem; }
#table4 { min-width: 44rem; }
#table3 tbody th { min-width: 4.5em; }
@media print {
  body { padding: 0; font-size: 12pt; }
  .table-wrap { overflow: visible; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
""".strip()


def _paragraphs(paragraphs: list[str]) -> list[str]:
    # A line break inside a paragraph (as some sources carry) stays a line break.
    return ["<p>" + "<br>".join(text(line) for line in p.split("\n")) + "</p>"
            for p in paragraphs]


def _header(report: Report) -> list[str]:
    header = report.header
    if not header.issuer_mark and not header.doc_number:
        return []
    out = ['<header class="document-header">']
    if header.issuer_mark:
        out.append(f'<p class="issuer-mark">{text(header.issuer_mark)}</p>')
    if header.doc_number:
        out.append(f'<p class="doc-number">{text(header.doc_number)}</p>')
    return [*out, "</header>"]


def _overview(report: Report) -> list[str]:
    out = _paragraphs(report.overview.intro)
    for index, sub in enumerate(report.overview.subsections):
        out.append(f"<h3>{text(labels.subsection_marker(index) + sub.title)}</h3>")
        out += _paragraphs(sub.paragraphs)
    return out


def _section(number: str, body: list[str]) -> list[str]:
    section = _S[number]
    anchor = f"section-{labels.SECTIONS.index(section) + 1}"
    return [
        f'<section aria-labelledby="{anchor}">',
        f'<h2 id="{anchor}">{text(section.heading)}</h2>',
        *body,
        "</section>",
    ]


def _signature(report: Report) -> list[str]:
    header = report.header
    if header.date is None:
        return []
    return [
        '<footer class="signature">',
        f"<p>{text(header.signer or report.organ)}</p>",
        f"<p>{text(chinese_date(header.date))}</p>",
        "</footer>",
    ]


def render_html(report: Report) -> bytes:
    """The report as one UTF-8 HTML5 page: 红头, title, six sections, the three tables."""
    title = text(report.display_title)
    body = [
        *_header(report),
        f"<h1>{title}</h1>",
        *_section("一", _overview(report)),
        *_section("二", [html_tables.table2(report, _S["二"].title)]),
        *_section("三", [html_tables.table3(report, _S["三"].title)]),
        *_section("四", [html_tables.table4(report, _S["四"].title)]),
        *_section("五", _paragraphs(report.problems)),
        *_section("六", _paragraphs(report.other_matters)),
        *_signature(report),
    ]
    page = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="xxgk">',
        f"<title>{title}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(page) + "\n").encode("utf-8")
