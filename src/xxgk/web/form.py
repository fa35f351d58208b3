"""The web form as data: every input's key and its place in the report's own words.

The page posts the form as ``{"fields": {key: text}, "subsections": [{"title", "text"}]}``; this
module turns it into a :class:`Report` (numbers parsed, nothing guessed) and back, and says at
which input each finding of the library's checks belongs. The places are the ones the checks use
(``表三/一、本年新收政府信息公开申请数量/自然人``), so a finding lands on its cell by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from xxgk import labels
from xxgk.errors import Finding, error, warning
from xxgk.inputs import numbers
from xxgk.model import (
    ApplicantCounts,
    Count,
    DocumentCounts,
    DocumentHeader,
    Overview,
    Report,
    ReviewOutcomes,
    Subsection,
    Table2,
    Table3,
    Table4,
)

T2, T3, T4 = "表二", "表三", "表四"
_S = labels.SECTION_BY_NUMBER
FORMAT_KEY = "format"


@dataclass(frozen=True)
class Field:
    """One input of the form: its key (also the element id) and its place in the report."""

    key: str
    place: tuple[str, ...]
    kind: str = "text"  # text, count, amount, year, date, paragraphs

    @property
    def label(self) -> str:
        """The accessible name: the place in the report's words."""
        return "/".join(self.place)


def cover_fields() -> list[Field]:
    """封面: organ, year, title and the 公文 header."""
    header = labels.KEY_HEADER
    return [
        Field("organ", (labels.KEY_ORGAN,)),
        Field("year", (labels.KEY_YEAR,), "year"),
        Field("published", (labels.KEY_PUBLISHED,), "date"),
        Field("title", (labels.KEY_TITLE,)),
        Field("issuer_mark", (header, labels.KEY_ISSUER_MARK)),
        Field("doc_number", (header, labels.KEY_DOC_NUMBER)),
        Field("date", (header, labels.KEY_DATE), "date"),
        Field("signer", (header, labels.KEY_SIGNER)),
    ]


def text_fields() -> list[Field]:
    """The free-text parts: 一's introduction, 五 and 六."""
    return [
        Field("intro", (_S["一"].heading,), "paragraphs"),
        Field("problems", (_S["五"].heading,), "paragraphs"),
        Field("other_matters", (_S["六"].heading,), "paragraphs"),
    ]


def table2_fields() -> list[Field]:
    """表二's entered cells, in table order (the same places as ``checks.cells``)."""
    out = []
    for field in ("regulations", "normative_documents"):
        row = labels.TABLE2_ROW_LABELS[field]
        out += [
            Field(f"t2.{field}.{i}", (T2, row, column), "count")
            for i, column in enumerate(labels.TABLE2_DOCUMENT_COLUMNS)
        ]
    for field in ("licensing", "punishment", "enforcement"):
        out.append(Field(f"t2.{field}", (T2, labels.TABLE2_ROW_LABELS[field]), "count"))
    out.append(Field("t2.fees", (T2, labels.TABLE2_ROW_LABELS["fees"]), "amount"))
    return out


def table3_field(row: labels.Table3Row, column: int) -> Field:
    """The input of one 表三 cell."""
    label = labels.TABLE3_COLUMNS[column].label
    return Field(f"t3.{row.id}.{column}", (T3, *row.path, label), "count")


def table4_field(block: labels.Table4Block, outcome: int) -> Field:
    """The input of one 表四 cell."""
    label = labels.TABLE4_OUTCOMES[outcome][1]
    return Field(f"t4.{block.id}.{outcome}", (T4, *block.path, label), "count")


def number_fields() -> list[Field]:
    """Every number input of the three tables."""
    return [
        *table2_fields(),
        *(
            table3_field(r, c)
            for r in labels.TABLE3_ROWS
            for c in range(len(labels.TABLE3_COLUMNS))
        ),
        *(
            table4_field(b, o)
            for b in labels.TABLE4_BLOCKS
            for o in range(len(labels.TABLE4_OUTCOMES))
        ),
    ]


def all_fields() -> list[Field]:
    """Every fixed input of the form (the subsections come and go, see ``subsection_place``)."""
    return [*cover_fields(), *text_fields(), *number_fields()]


def subsection_place(index: int, title: str) -> tuple[str, ...]:
    """A subsection's place as the checks name it: 一、总体情况/（一）主动公开."""
    return (_S["一"].heading, f"{labels.subsection_marker(index)}{title}")


# ---------------------------------------------------------------- computed cells (totals)


def computed_places() -> dict[str, tuple[str, ...]]:
    """The computed cells and column heads a finding may name, by element id."""
    places: dict[str, tuple[str, ...]] = {}
    for c, column in enumerate(labels.TABLE3_COLUMNS):
        places[f"t3-col-{c}"] = (T3, column.label)
        places[f"t3-total-{c}"] = (
            T3,
            labels.TABLE3_RESULTS,
            labels.TABLE3_RESULTS_TOTAL,
            column.label,
        )
    places["t3-col-total"] = (T3, labels.TABLE3_TOTAL)
    places["t3-total-total"] = (
        T3,
        labels.TABLE3_RESULTS,
        labels.TABLE3_RESULTS_TOTAL,
        labels.TABLE3_TOTAL,
    )
    for row in labels.TABLE3_ROWS:
        places[f"t3-{row.id}-total"] = (T3, *row.path, labels.TABLE3_TOTAL)
    for block in labels.TABLE4_BLOCKS:
        places[f"t4-{block.id}-total"] = (T4, *block.path, labels.TABLE4_TOTAL)
    return places


# ---------------------------------------------------------------- form → report


def parse_count(text: str) -> tuple[Count, str | None]:
    """A count typed in a cell: blank → None; otherwise read exactly as the data file reads it."""
    read = parse_count_read(text)
    return read.value, read.error[1] if read.error else None


def parse_amount(text: str) -> tuple[Decimal | None, str | None]:
    """The fee in 万元: blank → None; otherwise read exactly as the data file reads it."""
    read = parse_amount_read(text)
    return read.value, read.error[1] if read.error else None


def parse_count_read(text: str) -> numbers.Read[int]:
    """A count by the data file's grammar (``numbers.read_count``); blank reads as nothing."""
    return numbers.Read() if not text.strip() else numbers.read_count(text)


def parse_amount_read(text: str) -> numbers.Read[Decimal]:
    """The fee by the data file's grammar (``numbers.read_fee``); blank reads as nothing."""
    return numbers.Read() if not text.strip() else numbers.read_fee(text)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text box: each non-blank line is one paragraph."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class FormProblems:
    """Inputs that cannot become a report value, each an error finding at its place."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, field: Field, message: str, code: str = "web/input") -> None:
        """An input error at this field."""
        self.findings.append(error(code, field.place, message))

    def read(self, field: Field, read: numbers.Read[Any]) -> Any:
        """The value read, with its error or warning (by the data file's codes) at this field."""
        if read.error is not None:
            self.add(field, read.error[1], read.error[0])
        if read.warning is not None:
            self.findings.append(warning(read.warning[0], field.place, read.warning[1]))
        return read.value


def _text(fields: dict[str, str], key: str) -> str:
    value = fields.get(key, "")
    return value if isinstance(value, str) else ""


def form_to_report(form: dict[str, Any], year_default: int) -> tuple[Report, list[Finding]]:
    """The report the form describes, and the inputs that could not be read (as errors).

    An unreadable cell stays blank in the report (and is an error), so the checks still run on
    everything else.
    """
    raw = form.get("fields")
    fields: dict[str, str] = raw if isinstance(raw, dict) else {}
    problems = FormProblems()
    by_key = {f.key: f for f in all_fields()}
    values: dict[str, Any] = {}
    for field in number_fields():
        parse = parse_amount_read if field.kind == "amount" else parse_count_read
        values[field.key] = problems.read(field, parse(_text(fields, field.key)))

    # The year and the date by the data file's own rules, so the form says what check would.
    year_read = problems.read(by_key["year"], numbers.read_year(_text(fields, "year")))
    year: int = year_default if year_read is None else year_read
    date: dt.date | None = None
    if _text(fields, "date").strip():
        date = problems.read(by_key["date"], numbers.read_date(_text(fields, "date")))
    published: dt.date | None = None
    if _text(fields, "published").strip():
        published = problems.read(by_key["published"],
                                  numbers.read_date(_text(fields, "published"),
                                                    labels.KEY_PUBLISHED))

    def opt(key: str) -> str | None:
        return _text(fields, key).strip() or None

    subsections = []
    raw_subs = form.get("subsections")
    for sub in raw_subs if isinstance(raw_subs, list) else []:
        if isinstance(sub, dict):  # the page sends text; anything else (a forged post) is blank
            title, text = sub.get("title"), sub.get("text")
            subsections.append(
                Subsection(
                    title=title.strip() if isinstance(title, str) else "",
                    paragraphs=paragraphs(text if isinstance(text, str) else ""),
                )
            )
    version = form.get(FORMAT_KEY)
    t3 = Table3(
        rows={
            row.id: ApplicantCounts(
                cells=tuple(values[f"t3.{row.id}.{c}"] for c in range(len(labels.TABLE3_COLUMNS)))
            )
            for row in labels.TABLE3_ROWS
        }
    )
    t4 = Table4(
        **{
            block.id: ReviewOutcomes(
                **{
                    name: values[f"t4.{block.id}.{o}"]
                    for o, (name, _) in enumerate(labels.TABLE4_OUTCOMES)
                }
            )
            for block in labels.TABLE4_BLOCKS
        }
    )

    def documents(field: str) -> DocumentCounts:
        return DocumentCounts(
            **{
                name: values[f"t2.{field}.{i}"]
                for i, name in enumerate(labels.TABLE2_DOCUMENT_FIELDS)
            }
        )

    t2 = Table2(
        regulations=documents("regulations"),
        normative_documents=documents("normative_documents"),
        licensing=values["t2.licensing"],
        punishment=values["t2.punishment"],
        enforcement=values["t2.enforcement"],
        fees=values["t2.fees"],
    )
    try:
        report = Report(
            format_version=version if version in labels.FORMAT_VERSIONS else labels.FORMAT_2021,
            organ=_text(fields, "organ").strip(),
            year=year,
            published=published,
            title=opt("title"),
            header=DocumentHeader(
                issuer_mark=opt("issuer_mark"),
                doc_number=opt("doc_number"),
                date=date,
                signer=opt("signer"),
            ),
            overview=Overview(intro=paragraphs(_text(fields, "intro")), subsections=subsections),
            table2=t2,
            table3=t3,
            table4=t4,
            problems=paragraphs(_text(fields, "problems")),
            other_matters=paragraphs(_text(fields, "other_matters")),
        )
    except ValidationError as exc:  # the form's own shapes are fixed: only a forged post gets here
        raise ValueError(str(exc)) from exc
    return report, problems.findings


# ---------------------------------------------------------------- report → form


def _count_text(value: Count) -> str:
    return "" if value is None else str(value)


def _paragraph_text(items: list[str]) -> str:
    # One line per paragraph; a line break inside a paragraph (rare, from imports) is dropped.
    return "\n".join(p.replace("\n", "") for p in items)


def report_to_form(report: Report) -> dict[str, Any]:
    """The form's values for a report (the inverse of :func:`form_to_report`)."""
    h = report.header
    fields: dict[str, str] = {
        "organ": report.organ,
        "year": str(report.year),
        "published": report.published.isoformat() if report.published else "",
        "title": report.title or "",
        "issuer_mark": h.issuer_mark or "",
        "doc_number": h.doc_number or "",
        "date": h.date.isoformat() if h.date else "",
        "signer": h.signer or "",
        "intro": _paragraph_text(report.overview.intro),
        "problems": _paragraph_text(report.problems),
        "other_matters": _paragraph_text(report.other_matters),
    }
    t2 = report.table2
    for field in ("regulations", "normative_documents"):
        for i, value in enumerate(getattr(t2, field).cells()):
            fields[f"t2.{field}.{i}"] = _count_text(value)
    for field in ("licensing", "punishment", "enforcement"):
        fields[f"t2.{field}"] = _count_text(getattr(t2, field))
    fields["t2.fees"] = "" if t2.fees is None else format(t2.fees, "f")
    for row in labels.TABLE3_ROWS:
        for c, value in enumerate(report.table3.row(row.id).cells):
            fields[f"t3.{row.id}.{c}"] = _count_text(value)
    for block in labels.TABLE4_BLOCKS:
        for o, value in enumerate(report.table4.block(block.id).cells()):
            fields[f"t4.{block.id}.{o}"] = _count_text(value)
    return {
        FORMAT_KEY: report.format_version,
        "fields": fields,
        "subsections": [
            {"title": s.title, "text": _paragraph_text(s.paragraphs)}
            for s in report.overview.subsections
        ],
    }


# ---------------------------------------------------------------- findings → inputs


def _targets(subsection_titles: list[str]) -> dict[str, str]:
    """Element id by place string, for every input and computed cell of the form."""
    targets = {f.label: f.key for f in all_fields()}
    for element, place in computed_places().items():
        targets["/".join(place)] = element
    for i, title in enumerate(subsection_titles):
        targets["/".join(subsection_place(i, title))] = f"sub-{i}"
    return targets


def _candidates(parts: tuple[str, ...]) -> Iterator[str]:
    # The place itself, then each shorter prefix: a finding about a row lands on the row's place.
    for n in range(len(parts), 0, -1):
        yield "/".join(parts[:n])


def placed(findings: list[Finding], report: Report) -> list[dict[str, str | None]]:
    """The findings as the page shows them: each with the id of its input (``None``: general)."""
    targets = _targets([s.title for s in report.overview.subsections])
    out = []
    for finding in findings:
        target = next(
            (targets[c] for c in _candidates(finding.location.parts) if c in targets), None
        )
        out.append(
            {
                "target": target,
                # A column's 勾稽 error also shows on its （七）总计, the sum that does not balance.
                "also": target.replace("-col-", "-total-")
                if target and target.startswith("t3-col-")
                else None,
                "place": str(finding.location),
                "code": finding.code,
                "severity": finding.severity.value,
                "message": finding.message,
            }
        )
    return out
