"""Fuzzing: the loader, the checks and the importers take arbitrary documents and either succeed
or raise XxgkError — never anything else. The examples run are counted and reported at the end."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE
from xxgk import labels
from xxgk.checks import check
from xxgk.errors import XxgkError
from xxgk.importers import import_source
from xxgk.inputs import parse_report
from xxgk.model import ApplicantCounts, Report, ReviewOutcomes, Table3, Table4

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)
EXAMPLES_RUN: dict[str, int] = {}
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
LABEL_WORDS = [
    *(s.key for s in labels.SECTIONS),
    *(r.key for r in labels.TABLE3_ROWS),
    *(r.label for r in labels.TABLE3_ROWS),
    *(g.key for g in labels.TABLE3_GROUPS),
    *(b.label for b in labels.TABLE4_BLOCKS),
    labels.KEY_ORGAN,
    labels.KEY_YEAR,
    labels.KEY_HEADER,
    labels.KEY_DATE,
    "办理结果",
    "规章",
    "行政许可",
    "行政事业性收费",
]


def _count(name: str) -> None:
    EXAMPLES_RUN[name] = EXAMPLES_RUN.get(name, 0) + 1


def _either(call: object) -> None:
    """Run it: success or XxgkError; any other exception fails the test."""
    raised: XxgkError | None = None
    try:
        call()  # type: ignore[operator]
    except XxgkError as exc:
        raised = exc
    if raised is not None:
        assert raised.findings, "XxgkError without findings"
        assert all(f.message for f in raised.findings)
        said = "\n".join(str(f) for f in raised.findings)
        said.encode("utf-8")  # no lone surrogate reaches a message
        assert len(said) < 200_000  # nothing expanded into a message


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(LABEL_WORDS),
    st.dates(),
)
keys = st.one_of(st.sampled_from(LABEL_WORDS), st.text(max_size=8))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=8), st.dictionaries(keys, children, max_size=8)
    ),
    max_leaves=40,
)


@given(documents)
@settings(FUZZ, max_examples=500)
def test_loader_on_random_yaml_structures(document: object) -> None:
    _count("YAML 随机结构")
    text = yaml.safe_dump(document, allow_unicode=True)
    _either(lambda: parse_report(text, "fuzz.yaml"))


@given(st.text(max_size=300))
@settings(FUZZ, max_examples=300)
def test_loader_on_random_text(text: str) -> None:
    _count("YAML 随机文本")
    _either(lambda: parse_report(text, "fuzz.yaml"))


@given(st.data())
@settings(FUZZ, max_examples=400)
def test_loader_on_mutated_example(data: st.DataObject) -> None:
    _count("样例数据文件变异")
    lines = EXAMPLE_TEXT.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "dup", "insert", "replace", "indent"]))
        if action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " + lines[i]
        else:
            junk = data.draw(
                st.one_of(
                    st.text(max_size=10),
                    st.sampled_from(
                        ["[", "]", ":", "- ", "~", "三", "-1", "3.5", "2**70", "{", "|", "\t", "#"]
                    ),
                    st.sampled_from(GRAMMAR_TOKENS),
                )
            )
            j = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + junk + (lines[i][j:] if action == "insert" else "")
        if not lines:
            lines = [""]
    text = "\n".join(lines)

    def load_and_check() -> None:
        report, _ = parse_report(text, "fuzz.yaml")
        check(report)

    _either(load_and_check)


# What the data-file grammar refuses or mends, in every shape YAML allows.
GRAMMAR_TOKENS = [
    "!!bool maybe", "!!timestamp x", '!!int ""', "!!python/object/apply:os.system [x]", "!x ",
    "!!set {a}", "!!str ", "&a ", "*a", "&a [1, 2]", "<<: *a", "? ", "%YAML 1.1", "---", "...",
    "010", "0x1F", "1:30", "0b11", "1e3", "1_000", ".5", "+3", "12件", "1200元", "１２", "，",
    "：", "、", "［", "］", "\u3000", '"\\ud800"', '"\\x1b[31m"', "'", '"', ">", "|-", "|2",
    "[" * 300, "{a: " * 200, "- " * 200, "9" * 5000, "\r", "\x85", "\u2028", "\ufeff", "@", "`",
    " #", "\n  ", "\n    - ", "\n", "~", "null", "NaN", ".inf", "-0",
]
grammar_yaml = st.lists(
    st.one_of(
        st.sampled_from(GRAMMAR_TOKENS),
        st.sampled_from(LABEL_WORDS).map(lambda k: f"\n{k}: "),
        st.text(max_size=4),
        st.text(st.characters(blacklist_categories=()), max_size=3),  # lone surrogates too
    ),
    max_size=40,
).map("".join)


@given(grammar_yaml)
@settings(FUZZ, max_examples=400)
def test_loader_on_grammar_shaped_text(text: str) -> None:
    _count("YAML 语法片段")
    _either(lambda: parse_report(text, "fuzz.yaml"))


@given(st.data())
@settings(FUZZ, max_examples=200)
def test_loader_on_example_with_grammar_tokens_in_every_value(data: st.DataObject) -> None:
    _count("样例数据文件：值替换为语法片段")
    lines = EXAMPLE_TEXT.split("\n")
    values = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
    for i in data.draw(st.lists(st.sampled_from(values), min_size=1, max_size=5)):
        key = lines[i].split(": ", 1)[0]
        lines[i] = f"{key}: {data.draw(grammar_yaml)}"
    text = "\n".join(lines)

    def load_and_check() -> None:
        report, _ = parse_report(text, "fuzz.yaml")
        check(report)

    _either(load_and_check)


counts = st.one_of(st.none(), st.integers(-(2**70), 2**70))


@st.composite
def wild_reports(draw: st.DrawFn) -> Report:
    rows = {
        r.id: ApplicantCounts(
            cells=tuple(draw(counts) for _ in range(6)), stated_total=draw(counts)
        )
        for r in labels.TABLE3_ROWS
    }
    stated = draw(
        st.one_of(
            st.none(),
            st.builds(
                lambda c, t: ApplicantCounts(cells=c, stated_total=t),
                st.tuples(*(counts for _ in range(6))),
                counts,
            ),
        )
    )
    blocks = {
        b.id: ReviewOutcomes(
            upheld=draw(counts),
            corrected=draw(counts),
            other=draw(counts),
            pending=draw(counts),
            stated_total=draw(counts),
        )
        for b in labels.TABLE4_BLOCKS
    }
    text = st.lists(st.text(max_size=40), max_size=3)
    return Report(
        organ=draw(st.text(max_size=10)),
        year=draw(st.integers(1900, 2999)),
        format_version=draw(st.sampled_from(labels.FORMAT_VERSIONS)),
        table3=Table3(rows=rows, stated_results_total=stated),
        table4=Table4(**blocks),
        problems=draw(text),
        other_matters=draw(text),
    )


@given(wild_reports(), st.one_of(st.none(), wild_reports()))
@settings(FUZZ, max_examples=300)
def test_checks_on_wild_reports(report: Report, previous: Report | None) -> None:
    _count("检查：任意报告")
    findings = check(report, previous)
    assert all(f.code and f.message for f in findings)


@given(st.text(max_size=400))
@settings(FUZZ, max_examples=250)
def test_text_importer(text: str) -> None:
    _count("导入 .txt")
    from xxgk.importers.txt import parse_text

    _either(lambda: parse_text(text))


html_pieces = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "<td rowspan=3>",
        "<td colspan=99>",
        "</td>",
        "<th>",
        "<p>",
        "</p>",
        "<script>",
        "<br>",
        "&amp;",
        "一、总体情况",
        "三、本年度办理结果",
        "政府信息公开工作年度报告",
        "0",
    ]
)


@given(st.lists(st.one_of(html_pieces, st.text(max_size=10)), max_size=60))
@settings(FUZZ, max_examples=250)
def test_html_importer(pieces: list[str]) -> None:
    _count("导入 .html")
    path = Path(_scratch()) / "fuzz.html"
    path.write_text("".join(pieces), encoding="utf-8")
    _either(lambda: import_source(path))


def _scratch() -> str:
    import tempfile

    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = tempfile.mkdtemp(prefix="xxgk-fuzz-")
    return _SCRATCH


_SCRATCH: str | None = None


def _built(suffix: str) -> bytes:
    from xxgk.build import render_documents
    from xxgk.inputs import load

    return render_documents(load(EXAMPLE), "0" * 64, formats=(suffix,))[suffix]


BUILT = {s: _built(s) for s in ("docx", "xlsx")}


@given(st.sampled_from(["docx", "xlsx"]), st.data())
@settings(FUZZ, max_examples=200)
def test_office_importers_on_damaged_files(suffix: str, data: st.DataObject) -> None:
    _count(f"导入损坏的 .{suffix}")
    original = BUILT[suffix]
    how = data.draw(st.sampled_from(["truncate", "flip", "part", "garbage"]))
    if how == "truncate":
        damaged = original[: data.draw(st.integers(0, len(original) - 1))]
    elif how == "flip":
        damaged = bytearray(original)
        for _ in range(data.draw(st.integers(1, 20))):
            damaged[data.draw(st.integers(0, len(damaged) - 1))] ^= 0xFF
        damaged = bytes(damaged)
    elif how == "part":  # a valid zip whose one part is damaged XML
        source = zipfile.ZipFile(io.BytesIO(original))
        names = source.namelist()
        victim = data.draw(st.sampled_from(names))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for name in names:
                body = source.read(name)
                if name == victim:
                    cut = data.draw(st.integers(0, len(body)))
                    body = body[:cut] + data.draw(st.binary(max_size=20)) + body[cut:]
                target.writestr(name, body)
        damaged = buffer.getvalue()
    else:
        damaged = data.draw(st.binary(max_size=200))
    path = Path(_scratch()) / f"fuzz.{suffix}"
    path.write_bytes(damaged)
    _either(lambda: import_source(path))


# ---------------------------------------------------------------- HTML visibility (issue 19)

# Ways a page hides an element from its reader; {a} is where the hiding attributes go.
_HIDING = [
    ('style="display:none"', ""),
    ('style="visibility: hidden"', ""),
    ("hidden", ""),
    ('style="width:0;height:0;overflow:hidden"', ""),
    ('style="font-size:0"', ""),
    ('class="gone"', "<style>.gone{display:none}</style>"),
    ('id="copy"', "<style>#copy { visibility:hidden !important }</style>"),
    ('class="x gone"', "<style>div.gone, p.other {display: none}</style>"),
]


@st.composite
def _hidden_copies(draw: st.DrawFn) -> tuple[str, list[int]]:
    """A page whose visible 表二 rows carry some numbers, with hidden copies carrying others."""
    visible = draw(st.lists(st.integers(0, 999), min_size=4, max_size=4))
    hidden = draw(st.lists(st.integers(0, 999), min_size=4, max_size=4))
    attrs, style = draw(st.sampled_from(_HIDING))
    names = ["行政许可", "行政处罚", "行政强制", "行政事业性收费"]
    rows = lambda values: "".join(  # noqa: E731
        f"<tr><td>{n}</td><td>{v}</td></tr>" for n, v in zip(names, values, strict=True)
    )
    where = draw(st.sampled_from(["before", "after", "cell"]))
    visible_rows = rows(visible)
    if where == "cell":  # a hidden digit inside the visible cell: 5 → 57 must not happen
        visible_rows = visible_rows.replace(
            f"<td>{visible[0]}</td>", f"<td>{visible[0]}<div {attrs}>{hidden[0]}</div></td>", 1
        )
        copy = ""
    else:
        copy = f"<div {attrs}><table>{rows(hidden)}</table></div>"
    table = f"<table>{visible_rows}</table>"
    body = copy + table if where == "before" else table + copy
    page = (
        f"<html><head><meta charset='utf-8'>{style}</head><body>"
        "<h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>文字。</p>"
        f"<p>二、主动公开政府信息情况</p>{body}<p>三、收到和处理政府信息公开申请情况</p></body></html>"
    )
    return page, visible


@given(_hidden_copies())
@settings(FUZZ, max_examples=200)
def test_hidden_html_is_never_read(case: tuple[str, list[int]]) -> None:
    from xxgk.importers.html import parse_html

    _count("网页隐藏内容")
    page, visible = case
    result = parse_html(page)
    t2 = result.report.table2
    assert [t2.licensing, t2.punishment, t2.enforcement] == visible[:3]
    assert t2.fees == visible[3]
    assert not [f for f in result.findings if f.code == "import/duplicate-row"]


# ---------------------------------------------------------------- workbook formulas and formats


def _workbook_cells() -> list[tuple[str, str, str]]:
    """(sheet, cell, kind) for every cell the importer reads: entries, cover fields, 正文."""
    from xxgk import xlsx_layout as layout

    cells = [(g.sheet, layout.cell_ref(s.row, s.col), "entry") for g in layout.GRIDS
             for s in g.inputs]
    cells += [(layout.SHEET_COVER, f"B{r}", "text") for r in range(2, 12)]
    cells += [(layout.SHEET_TEXT, f"{c}{r}", "text") for c in "ABCD" for r in range(3, 30)]
    return cells


WORKBOOK_CELLS = _workbook_cells()
formula_sources = st.one_of(
    # (an empty <f/> is no formula to Excel or openpyxl: the cell shows its value)
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
            max_size=40).filter(str.strip),
    st.sampled_from(['HYPERLINK("http://x.invalid","某局")', "[1]Sheet1!A1", "1+1", "SUM(D5:D9)",
                     "'C:\\\\[a.xlsx]b'!A1", 'CONCAT("=","1")', "INDIRECT(\"A1\")", "#REF!"]),
)
cached_values = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20).map(lambda n: ("n", str(n))),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: ("n", repr(f))),
    st.text(max_size=20).map(lambda t: ("str", t)),
    st.sampled_from([("e", "#REF!"), ("e", "#DIV/0!"), ("b", "1")]),
)


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


@given(where=st.sampled_from(WORKBOOK_CELLS), source=formula_sources, cached=cached_values,
       array=st.booleans())
@settings(FUZZ, max_examples=60)
def test_workbook_formulas_are_never_read_as_entries_or_text(
    where: tuple[str, str, str], source: str, cached: tuple[str, str] | None, array: bool
) -> None:
    from tests.xlsx_support import with_cell_xml

    _count("工作簿中的公式")
    sheet, ref, _ = where
    path = Path(_scratch()) / "formula.xlsx"
    path.write_bytes(BUILT["xlsx"])
    kind_attr = f' t="{cached[0]}"' if cached is not None and cached[0] != "n" else ""
    value = "" if cached is None else f"<v>{_xml(cached[1])}</v>"
    shape = f' t="array" ref="{ref}"' if array else ""
    with_cell_xml(path, sheet, ref, f'<c r="{ref}"{kind_attr}><f{shape}>{_xml(source)}</f>{value}</c>')
    report: Report | None = None
    try:
        result = import_source(path)
    except XxgkError as exc:  # a formula as 机关名称 or 年度 stops the import: said at its cell
        findings = exc.findings
        damaged = {"import/unreadable-workbook", "import/damaged-file"}
        if {f.code for f in findings} & damaged:
            return  # a cached value XML cannot hold (a control character): a damaged file
    else:
        findings, report = result.findings, result.report
    formula_codes = {"import/formula-in-entry", "import/formula-in-text"}
    assert any(f.code in formula_codes and f.location.cell == f"{sheet}!{ref}"
               for f in findings)
    if report is None:
        return
    if source.strip() and len(source) > 3:
        texts = [report.organ, *(report.overview.intro), *report.problems, *report.other_matters,
                 *(p for s in report.overview.subsections for p in (s.title, *s.paragraphs))]
        assert not any(source in t for t in texts if t)


@given(where=st.sampled_from([c for c in WORKBOOK_CELLS if c[2] == "entry"]),
       fmt=st.one_of(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                             max_size=15), st.sampled_from(
           ["0%", '"7"', "0,", "yyyy-mm-dd", "0.0E+00", "[Red]0", "#,##0", "0.00", "@", ";;;"])))
@settings(FUZZ, max_examples=40)
def test_workbook_number_formats_show_the_number_or_are_an_error(
    where: tuple[str, str, str], fmt: str
) -> None:
    from openpyxl import load_workbook

    from xxgk.checks.cells import all_cells
    from xxgk.xlsx_layout import CELL_PLACES

    _count("工作簿数字格式")
    sheet, ref, _ = where
    path = Path(_scratch()) / "format.xlsx"
    path.write_bytes(BUILT["xlsx"])
    wb = load_workbook(path)
    wb[sheet][ref].number_format = fmt
    wb[sheet][ref].value = 3
    wb.save(path)
    result = import_source(path)
    places = {p for p, c in CELL_PLACES.items() if c == f"{sheet}!{ref}"}
    [value] = [c.value for c in all_cells(result.report) if c.parts in places]
    refused = [f for f in result.findings if f.code == "import/number-format"]
    assert (value is None and refused) or (value == 3 and not refused)


# ---------------------------------------------------------------- the form's JSON

json_documents = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats()
    | st.text(max_size=30) | st.sampled_from(["1e3", "0,5", "1,5", "9" * 5000, "<!--<script>"]),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.one_of(st.sampled_from(["fields", "subsections", "format", "version", "overwrite",
                                   "organ", "year", "date", "t2.fees", "t3.new.0", "title",
                                   "text", "intro"]), st.text(max_size=6)),
        children, max_size=6),
    max_leaves=40,
)


@given(document=json_documents)
@settings(FUZZ, max_examples=150)
def test_form_requests_of_any_json_are_answered(document: object) -> None:
    import json

    from xxgk.web.state import FormState

    _count("表单 JSON")
    folder = Path(_scratch()) / "form"
    folder.mkdir(exist_ok=True)
    datafile = folder / "r.yaml"
    datafile.write_text(EXAMPLE_TEXT, encoding="utf-8")
    posted = json.loads(json.dumps(document, allow_nan=True))  # as the server receives it
    if not isinstance(posted, dict):
        return  # the server answers 400 before any state sees it
    state = FormState.open(datafile, folder / "out", None)
    try:
        for action in (state.check, state.save):
            try:
                answer = action(posted)
            except ValueError:
                continue  # 「表单数据不完整」: a 400, never a 500
            json.dumps(answer.body)  # every answer is JSON
            assert "findings" in answer.body
    finally:
        state.close()


# ---------------------------------------------------------------- PDF content streams

# PDF content streams: operators a page draws with, in any order and with any operands (text in
# every render mode, clipping, fills over text, forms painting forms), on a page that also holds
# a report's title: the importer reads the page or says why not, never anything else.
_PDF_NUMBERS = st.one_of(
    st.integers(-2000, 2000).map(str),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).map(lambda f: f"{f:.3f}"),
    st.sampled_from(["0", "1", "1e9", "-0", "99999999999999999999", "nan", "."]),
)
_PDF_STRINGS = st.one_of(
    st.text(alphabet="0123456789 .行政许可总计", max_size=12).map(
        lambda t: "<" + t.encode("utf-16-be").hex() + ">"
    ),
    st.text(alphabet="0123456789.() \\", max_size=12).map(
        lambda t: "(" + t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    ),
)


@st.composite
def _pdf_operations(draw: st.DrawFn) -> str:
    vocabulary = [
        lambda: "BT", lambda: "ET", lambda: "q", lambda: "Q", lambda: "W n", lambda: "W* n",
        lambda: f"/F {draw(_PDF_NUMBERS)} Tf", lambda: f"{draw(st.integers(-1, 9))} Tr",
        lambda: f"{draw(_PDF_NUMBERS)} {draw(_PDF_NUMBERS)} Td",
        lambda: f"{draw(_PDF_STRINGS)} Tj", lambda: f"[{draw(_PDF_STRINGS)} -250 {draw(_PDF_STRINGS)}] TJ",
        lambda: " ".join(draw(_PDF_NUMBERS) for _ in range(4)) + " re",
        lambda: draw(st.sampled_from(["f", "S", "B", "f*", "n", "h", "s"])),
        lambda: " ".join(draw(_PDF_NUMBERS) for _ in range(6)) + " cm",
        lambda: " ".join(draw(_PDF_NUMBERS) for _ in range(3)) + " rg",
        lambda: f"{draw(_PDF_NUMBERS)} g", lambda: "/X Do",
        lambda: draw(st.text(alphabet="<>[](){}/%\\ 0123456789TfjdJBTEQq", max_size=8)),
    ]
    picks = draw(st.lists(st.integers(0, len(vocabulary) - 1), max_size=40))
    return "\n".join(vocabulary[i]() for i in picks)


@given(_pdf_operations(), _pdf_operations())
@settings(FUZZ, max_examples=150)
def test_pdf_importer_on_random_content_streams(page_ops: str, form_ops: str) -> None:
    import pikepdf

    _count("导入 PDF（随机内容流）")
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    form = pdf.make_stream(form_ops.encode("utf-8") + b"\n/X Do")  # a form painting itself
    form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    form.BBox = [0, 0, 595, 842]
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    page.add_resource(font, pikepdf.Name.Font, pikepdf.Name("/F"))
    form = pdf.make_indirect(form)
    page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/X"))
    form.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F=font), XObject=pikepdf.Dictionary(X=form)
    )
    title = "BT /F 12 Tf 72 780 Td (2023) Tj ET\n"
    page.contents_add(pdf.make_stream((title + page_ops).encode("utf-8")))
    path = Path(_scratch()) / "fuzz.pdf"
    pdf.save(path)
    _either(lambda: import_source(path))
