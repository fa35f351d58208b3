"""Report → template context: the only module naming template variables (see docs/TEMPLATE.md)."""

from __future__ import annotations

import unicodedata
from typing import Any

from xxgk import labels
from xxgk.model import ApplicantCounts, Count, Report, ReviewOutcomes
from xxgk.render.clean import clean_text
from xxgk.render.printed import amount, chinese_date, number
from xxgk.render.title_lines import title_lines

# The context's top-level names; a template using any other name is refused before rendering.
CONTEXT_KEYS = frozenset(
    {
        "title",
        "title_lines",
        "organ",
        "year",
        "header",
        "signature",
        "sections",
        "overview",
        "table2",
        "table3",
        "table4",
        "problems",
        "other_matters",
    }
)

TOTAL = "total"

# ---------------------------------------------------------------- tags, for the template script


def tag(*path: str) -> str:
    """A Jinja output tag for a context path, e.g. ``tag("table4", "review", "total")``."""
    return "{{ " + ".".join(path) + " }}"


# The title's lines joined by line breaks (docxtpl turns "\n" into w:br).
TITLE_TAG = '{{ title_lines|join("\\n") }}'
ISSUER_MARK_TAG = tag("header", "issuer_mark")


def if_issuer_fits(half_points: int, first: bool) -> str:
    """The tag opening the 发文机关标志 variant set at this size (w:sz, half-points): sizes are
    tried largest first, so that a long organ name is set smaller rather than wrapped. Each
    variant is a whole paragraph: attribute values stay valid, and Word opens the template."""
    keyword = "if" if first else "elif"
    return "{%p " + keyword + " header.issuer_fit >= " + str(half_points) + " %}"


ELSE = "{%p else %}"
DOC_NUMBER_TAG = tag("header", "doc_number")
SIGNER_TAG = tag("signature", "signer")
DATE_TAG = tag("signature", "date")
# The style the renderer gives the 署名 and 成文日期 their right indents by (template.py).
SIGNATURE_STYLE = "ReportSignature"
IF_ISSUER_MARK = "{%p if header.issuer_mark %}"
IF_DOC_NUMBER = "{%p if header.doc_number %}"
IF_SIGNATURE = "{%p if signature.date %}"
END_IF = "{%p endif %}"
END_FOR = "{%p endfor %}"
PARAGRAPH_TAG = tag("paragraph")
SUBSECTION_HEADING_TAG = tag("sub", "heading")
FOR_SUBSECTION = "{%p for sub in overview.subsections %}"
IF_LAST = "{%p if loop.last %}"  # a loop's last item (e.g. kept with the 落款 after it)


def for_paragraphs(*path: str) -> str:
    """The loop tag over a list of paragraphs; its body prints ``PARAGRAPH_TAG``."""
    return "{%p for paragraph in " + ".".join(path) + " %}"


FOR_INTRO = for_paragraphs("overview", "intro")
FOR_SUBSECTION_PARAGRAPHS = for_paragraphs("sub", "paragraphs")
FOR_PROBLEMS = for_paragraphs("problems")
FOR_OTHER_MATTERS = for_paragraphs("other_matters")


def table3_row_key(row_id: str) -> str:
    """The context key of an entered 表三 row (its labels id with '_' for '.')."""
    return row_id.replace(".", "_")


TABLE3_RESULTS_TOTAL_KEY = "results_total"


def table2_tag(field: str, column: str | None = None) -> str:
    """The tag of a 表二 value: a document-count cell (field, column) or a single value."""
    return tag("table2", field) if column is None else tag("table2", field, column)


def table3_tag(row_key: str, column: str) -> str:
    """The tag of a 表三 cell: row key (or ``results_total``) and column key (or ``total``)."""
    return tag("table3", row_key, column)


def table4_tag(block: str, column: str) -> str:
    """The tag of a 表四 cell: block id and outcome key (or ``total``)."""
    return tag("table4", block, column)


# ---------------------------------------------------------------- values


def _text(value: str) -> str:
    # The build cleans the report first; cleaning again here keeps render_docx safe on its own.
    return clean_text(value)[0]


def _texts(values: list[str]) -> list[str]:
    return [_text(v) for v in values]


def _applicants(row: ApplicantCounts | tuple[Count, ...], total: Count) -> dict[str, str]:
    cells = row.cells if isinstance(row, ApplicantCounts) else row
    values = {col.key: number(v) for col, v in zip(labels.TABLE3_COLUMNS, cells, strict=True)}
    values[TOTAL] = number(total)
    return values


def _outcomes(block: ReviewOutcomes) -> dict[str, str]:
    values = {
        key: number(v) for (key, _), v in zip(labels.TABLE4_OUTCOMES, block.cells(), strict=True)
    }
    values[TOTAL] = number(block.total)
    return values


def _table2(report: Report) -> dict[str, Any]:
    t2 = report.table2
    documents = {
        field: {
            col: number(v)
            for col, v in zip(
                labels.TABLE2_DOCUMENT_FIELDS, getattr(t2, field).cells(), strict=True
            )
        }
        for field in ("regulations", "normative_documents")
    }
    return {
        **documents,
        "licensing": number(t2.licensing),
        "punishment": number(t2.punishment),
        "enforcement": number(t2.enforcement),
        "fees": amount(t2.fees),
    }


def _table3(report: Report) -> dict[str, dict[str, str]]:
    t3 = report.table3
    rows = {
        table3_row_key(r.id): _applicants(t3.row(r.id), t3.row(r.id).total)
        for r in labels.TABLE3_ROWS
    }
    rows[TABLE3_RESULTS_TOTAL_KEY] = _applicants(t3.results_total(), t3.results_grand_total())
    return rows


def _overview(report: Report) -> dict[str, Any]:
    subsections = []
    for index, sub in enumerate(report.overview.subsections):
        marker = labels.subsection_marker(index)
        title = _text(sub.title)
        subsections.append(
            {
                "marker": marker,
                "title": title,
                "heading": marker + title,
                "paragraphs": _texts(sub.paragraphs),
            }
        )
    return {"intro": _texts(report.overview.intro), "subsections": subsections}


# GB/T 9704-2012 7.3.5.2: 发文机关署名右空二字；成文日期在署名之下，以署名为准居中；日期更长时
# 日期右空二字，署名相应右移. Indents are in twips of the 3号 body character (16 pt = 320 twips).
SIGNATURE_RIGHT_CHARS = 2
BODY_CHAR_TWIPS = 320


def _width_in_chars(text: str) -> float:
    """Printed width in body characters: a CJK or full-width character is 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


# GB/T 9704-2012 7.2.3: 发文机关标志 on one line of the 156 mm text block (442 pt).
TEXT_WIDTH_PT = 442


def _issuer_fit(mark: str) -> int:
    """The largest size, in half-points, at which the 发文机关标志 fits one line."""
    return int(TEXT_WIDTH_PT * 2 // max(_width_in_chars(mark), 1.0))


def _signature(report: Report) -> dict[str, str]:
    header = report.header
    if header.date is None:
        return {"signer": "", "date": "", "signer_right": "0", "date_right": "0"}
    signer, date = _text(header.signer or report.organ), chinese_date(header.date)
    wide = max(_width_in_chars(signer), _width_in_chars(date))

    def right(text: str) -> str:
        chars = SIGNATURE_RIGHT_CHARS + (wide - _width_in_chars(text)) / 2
        return str(round(chars * BODY_CHAR_TWIPS))

    return {
        "signer": signer,
        "date": date,
        "signer_right": right(signer),
        "date_right": right(date),
    }


def build_context(report: Report) -> dict[str, Any]:
    """The template context of a report: plain strings, lists and dicts (see TEMPLATE.md)."""
    header = report.header
    return {
        "title": _text(report.display_title),
        # Broken where the words allow (GB/T 9704 7.3.3), for the 二号 title on A4.
        # report.title keeps the clerk's own line breaks, if any.
        "title_lines": title_lines(
            _text(report.title or report.display_title), _text(report.organ)
        ),
        "organ": _text(report.organ),
        "year": report.year,
        "header": {
            "issuer_mark": _text(header.issuer_mark or ""),
            "issuer_fit": _issuer_fit(_text(header.issuer_mark or "")),
            "doc_number": _text(header.doc_number or ""),
        },
        "signature": _signature(report),
        "sections": [
            {"number": s.number, "heading": s.heading, "title": s.title} for s in labels.SECTIONS
        ],
        "overview": _overview(report),
        "table2": _table2(report),
        "table3": _table3(report),
        "table4": {b.id: _outcomes(report.table4.block(b.id)) for b in labels.TABLE4_BLOCKS},
        "problems": _texts(report.problems),
        "other_matters": _texts(report.other_matters),
    }
