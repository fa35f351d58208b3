"""The ``xxgk`` command: a thin click shell over the library.

Every command parses its arguments, makes one library call per input and prints. The one
exception type, ``XxgkError``, is turned into Chinese output and an exit code in one place
(``XxgkGroup.invoke``), without click's English ``Error:`` prefix.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from xxgk.errors import Finding, XxgkError

FILE = click.Path(dir_okay=False, path_type=Path)
F = TypeVar("F", bound=Callable[..., Any])


def _output_folder(default: Path, help_text: str) -> Callable[[F], F]:
    """The ``-o/--output`` folder option of the commands that write files."""
    return click.option(
        "-o",
        "--output",
        "outdir",
        default=default,
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


_USAGE_WORDS = (  # click's English usage errors, in the clerk's words
    (re.compile(r"Missing argument '(.+)'\."), "缺少参数 {0}"),
    (re.compile(r"Missing option '(.+)'\."), "缺少选项 {0}"),
    (re.compile(r"No such option: (\S+)(?: Did you mean (\S+)\?)?"), "没有选项 {0}"),
    (re.compile(r"No such option '(.+)'\.?"), "没有选项 {0}"),
    (re.compile(r"No such command '(.+)'\."), "没有命令 {0}"),
    (re.compile(r"Invalid value for (.+?): (.+)", re.DOTALL), "{0} 的取值无效：{1}"),
    (re.compile(r"Got unexpected extra arguments? \((.+)\)"), "多余的参数：{0}"),
)


def _usage_in_chinese(exc: click.UsageError) -> str:
    message = exc.format_message()
    for pattern, words in _USAGE_WORDS:
        match = pattern.match(message)
        if match:
            return words.format(*match.groups())
    return message


def _explain_usage(exc: click.UsageError) -> None:
    ctx = exc.ctx
    if ctx is not None:
        click.echo(ctx.get_usage().replace("Usage:", "用法："), err=True)
    path = ctx.command_path if ctx is not None else ""
    command = f" {path.split(' ', 1)[1]}" if " " in path else ""
    click.echo(f"错误：{_usage_in_chinese(exc)}（xxgk{command} --help 查看说明）", err=True)


class XxgkGroup(click.Group):
    """A click group that reports ``XxgkError`` in Chinese, once, for every command."""

    def main(  # one signature for both of click's overloads
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the CLI; usage errors are explained in Chinese with exit code 2."""
        standalone = standalone_mode
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            if not standalone:
                raise
            _explain_usage(exc)
            sys.exit(2)
        except click.ClickException as exc:
            if not standalone:
                raise
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            if not standalone:
                raise
            click.echo("已中止", err=True)
            sys.exit(1)
        if standalone:  # click returns the code of ``ctx.exit`` (e.g. --help) instead of exiting
            sys.exit(result if isinstance(result, int) else 0)
        return result

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except XxgkError as exc:
            _print_findings(exc.findings, "text", sys.stderr)
            sys.exit(exc.exit_code)


@click.group(cls=XxgkGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk", message="xxgk %(version)s")
def cli() -> None:
    """政府信息公开工作年度报告：填数据、查勾稽、出 Word 和 Excel、导入已发布的报告。"""


# ---------------------------------------------------------------- init


@cli.command()
@click.argument("path", type=FILE)
@click.option("--organ", help="机关名称，如「晋江市永和镇」")
@click.option("--year", type=int, help="报告年度，如 2025")
@click.option("--from", "last_year", type=FILE, help="上年度的数据文件：沿用正文，结转数字")
def init(path: Path, organ: str | None, year: int | None, last_year: Path | None) -> None:
    """新建数据文件（每个键都有说明，数字为 0）。"""
    from xxgk.api import load_source
    from xxgk.scaffold import empty_report, next_year_draft, scaffold_text
    from xxgk.writer import write_outputs

    if path.exists():
        raise XxgkError.single(
            "init/exists", "文件已存在，不会覆盖；请换一个文件名或先移走原文件", str(path)
        )
    if last_year is not None:
        last = load_source(last_year)[0]
        report = next_year_draft(last, organ, year)
        text = scaffold_text(report, seeded_from=last)
    else:
        if not organ or year is None:
            raise click.UsageError("没有 --from 时必须给出 --organ 和 --year")
        report = empty_report(organ, year)
        text = scaffold_text(report)
    write_outputs({path: text.encode("utf-8")})
    click.echo(f"已新建数据文件：{path}")


# ---------------------------------------------------------------- check


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=FILE)
@click.option(
    "--previous",
    type=FILE,
    multiple=True,
    help="上年度的报告，用于核对结转；可给多个，按机关名称和年度配对",
)
@click.option(
    "--previous-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="上年度报告所在的文件夹：每个报告按机关名称和年度配对上年报告",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text（默认）或 json（每行一个对象）",
)
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束")
def check(
    inputs: tuple[Path, ...],
    previous: tuple[Path, ...],
    previous_dir: Path | None,
    fmt: str,
    strict: bool,
) -> None:
    """检查数据文件：勾稽关系、结转、空白和格式、正文与表格是否一致。

    \b
    例：xxgk check 各单位/*.yaml --previous-dir 2023年/
    """
    from xxgk.api import load_source
    from xxgk.review import check_many, load_previous, sources_in

    explicit = None
    paired = None
    if len(inputs) == 1 and len(previous) == 1 and previous_dir is None:
        explicit = (previous[0], load_source(previous[0])[0])  # the one report named for it
    elif previous or previous_dir is not None:
        folder = sources_in(previous_dir) if previous_dir is not None else []
        paired = load_previous([*previous, *folder])
        _print_findings(paired.unreadable, fmt, sys.stderr)
    failing = 0
    unpaired = []
    for checked in check_many(inputs, paired, explicit):
        findings = checked.findings
        _print_findings(findings, fmt, sys.stdout)
        errors = sum(f.is_error for f in findings)
        warnings = len(findings) - errors
        failing += errors > 0 or (strict and warnings > 0)
        if paired is not None and checked.unpaired and checked.report is not None:
            unpaired.append(checked)
            if fmt == "json":
                _echo_json({
                    "file": str(checked.path), "code": "pairing/no-previous", "severity": "info",
                    "location": "", "organ": checked.report.organ, "year": checked.report.year,
                    "message": f"没有 {checked.report.year - 1} 年度的上年报告，未核对结转",
                })
        if fmt == "text":
            verdict = f"错误 {errors} 个" if errors else "没有错误"
            against = f"（对照上年：{checked.previous[0]}）" if paired and checked.previous else ""
            click.echo(f"{checked.path}：{verdict}，警告 {warnings} 个{against}")
    if fmt == "text" and unpaired:
        click.echo(f"以下 {len(unpaired)} 个报告没有上年报告，未核对结转：")
        for checked in unpaired:
            assert checked.report is not None
            report = checked.report
            click.echo(f"  {report.organ}（{report.year - 1} 年度）：{checked.path}")
    if fmt == "text" and len(inputs) > 1:
        passed = len(inputs) - failing
        click.echo(f"共检查 {len(inputs)} 个文件：{failing} 个未通过，{passed} 个通过")
    sys.exit(1 if failing else 0)


# ---------------------------------------------------------------- build


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=FILE)
@_output_folder(Path("out"), "输出文件夹")
@click.option("--template", type=FILE, help="自己的 docxtpl 模板（.docx）")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF")
@click.option("--html", is_flag=True, help="同时生成用于网站发布的 HTML 页面")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="并行进程数（默认：CPU 数）"
)
def build(
    inputs: tuple[Path, ...],
    outdir: Path,
    template: Path | None,
    pdf: bool,
    html: bool,
    jobs: int | None,
) -> None:
    """检查后生成 Word 报告和 Excel 工作簿（有错误的文件不生成）。"""
    from xxgk.build import DEFAULT_FORMATS, BuildResult, build_many, default_jobs

    formats = (*DEFAULT_FORMATS, *(["html"] if html else []), *(["pdf"] if pdf else []))
    if pdf:
        from xxgk.render.pdf.convert import require_pdf

        require_pdf()
    bar = _progress(len(inputs), "生成")

    def report(result: BuildResult) -> None:
        _print_findings(result.findings, "text", sys.stderr)
        if bar is not None:
            bar.update(1)
        elif not result.ok:
            click.echo(f"{result.source}：有错误，未生成", err=True)
        for output in result.outputs:
            if bar is None:
                state = "已生成" if output in result.written else "无变化"
                click.echo(f"{state}：{output}")

    if bar is not None:
        with bar:
            results = build_many(
                list(inputs), outdir, template, formats, jobs or default_jobs(), on_result=report
            )
    else:
        results = build_many(list(inputs), outdir, template, formats, 1, on_result=report)
    if pdf and bar is not None:  # the PDFs of a batch come after the bar: say what went wrong
        _print_findings(
            [f for r in results for f in r.findings if f.code.startswith("output/pdf")],
            "text",
            sys.stderr,
        )
    failed = [r for r in results if not r.ok]
    if len(inputs) > 1:
        _print_table(
            ["文件", "机关", "结果", "错误", "警告"],
            [
                [
                    r.source.name,
                    r.report.organ if r.report else "",
                    "已生成" if r.ok else "未生成",
                    sum(f.is_error for f in r.findings),
                    sum(not f.is_error for f in r.findings),
                ]
                for r in results
            ],
        )
        click.echo(
            f"共 {len(results)} 个：成功 {len(results) - len(failed)} 个，失败 {len(failed)} 个"
        )
    sys.exit(1 if failed else 0)


# ---------------------------------------------------------------- import


@cli.command(name="import")
@click.argument("sources", nargs=-1, required=True, type=FILE)
@_output_folder(Path("."), "数据文件的输出文件夹")
def import_(sources: tuple[Path, ...], outdir: Path) -> None:
    """把已发布的报告（.txt/.html/.docx）或本工具的 .xlsx 转为数据文件。"""
    from xxgk.bulk import import_many

    rows = import_many(
        sources,
        outdir,
        progress=_progress(len(sources), "导入"),
        on_findings=lambda fs: _print_findings(fs, "text", sys.stderr),
    )
    _print_table(
        ["文件", "机关", "年度", "格式", "错误", "警告", "数据文件"],
        [
            [r.source.name, r.organ, r.year, r.source_format, r.errors, r.warnings, r.output]
            for r in rows
        ],
    )
    sys.exit(1 if any(r.errors for r in rows) else 0)


# ---------------------------------------------------------------- diff


@cli.command()
@click.argument("old", type=FILE)
@click.argument("new", type=FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text（默认，可用于更正说明）或 json",
)
def diff(old: Path, new: Path, fmt: str) -> None:
    """比较两个版本（数据文件或生成的 .docx/.xlsx）：列出改动的数字和段落。

    退出码：0 相同，1 有差异，2 出错。
    """
    from xxgk.api import load_source
    from xxgk.diff import diff_reports

    try:
        changes = diff_reports(load_source(old)[0], load_source(new)[0])
    except XxgkError as exc:
        exc.exit_code = 2
        raise
    for change in changes:
        if fmt == "json":
            click.echo(json.dumps(change.as_dict(), ensure_ascii=False))
        else:
            click.echo(str(change))
    if fmt == "text":
        click.echo(f"共 {len(changes)} 处改动" if changes else "两个版本内容相同")
    sys.exit(1 if changes else 0)


# ---------------------------------------------------------------- sum


@cli.command(name="sum")
@click.argument("inputs", nargs=-1, required=True, type=FILE)
@click.option("--organ", required=True, help="汇总报告的机关名称，如「某县」")
@click.option("--year", type=int, help="报告年度（默认：各输入共同的年度）")
@click.option("-o", "--output", "target", type=FILE, required=True, help="汇总数据文件（.yaml）")
@click.option("--force", is_flag=True, help="有错误或年度不符的输入也一并汇总")
def sum_(inputs: tuple[Path, ...], organ: str, year: int | None, target: Path, force: bool) -> None:
    """汇总多个机关的报告：表二、表三、表四逐格相加，生成数据文件和各机关明细表。

    \b
    明细表写在数据文件旁（某县2025.明细.csv），生成报告时作为 Word 附件和 Excel 工作表。
    例：xxgk sum 各单位/*.yaml --organ 某县 -o 某县2025.yaml
    """
    from xxgk.api import load_source
    from xxgk.breakdown import breakdown_csv, breakdown_of, breakdown_path
    from xxgk.checks import check as check_report
    from xxgk.inputs import dump_report
    from xxgk.summary import common_year, refusals, sum_reports
    from xxgk.writer import write_outputs

    loaded = []
    unreadable: list[Finding] = []
    for path in inputs:
        try:
            report, notes = load_source(path)
        except XxgkError as exc:
            unreadable += [f if f.location.file else f.with_file(str(path)) for f in exc.findings]
            continue
        loaded.append((path, report, notes + check_report(report)))
    if year is None and loaded:
        year = common_year([report for _, report, _ in loaded])
    refused = refusals(loaded, year) if year is not None else []
    if unreadable or (refused and not force) or year is None:
        _print_findings(unreadable + refused, "text", sys.stderr)
        hint = "" if unreadable else "；确需汇总请加 --force"
        raise XxgkError.single(
            "sum/refused",
            f"{len({f.location.file for f in unreadable + refused})} 个输入不能汇总{hint}",
        )
    _print_findings(refused, "text", sys.stderr)
    total = sum_reports([report for _, report, _ in loaded], organ, year)
    organs = [report.organ for _, report, _ in loaded]
    included = [
        f"汇总自 {len(organs)} 个机关（明细见 {breakdown_path(target).name}）：",
        *[f"  {o}（{p.name}）" for (p, _, _), o in zip(loaded, organs, strict=True)],
    ]
    text = dump_report(total, notes=included)
    # The data file is written only if our own check accepts it (see issue 15, class 8).
    details = breakdown_of([(p.name, r) for p, r, _ in loaded], total)
    write_outputs({
        target: text.encode("utf-8"),
        breakdown_path(target): breakdown_csv(details),
    })
    click.echo(f"已汇总 {len(organs)} 个机关：{target}（明细表：{breakdown_path(target)}）")


# ---------------------------------------------------------------- audit

_AUDIT_FORMATS = {
    ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".jsonl": "json", ".json": "json"
}


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=FILE)
@click.option(
    "-o", "--output", "target", type=FILE,
    help="审核表：.xlsx、.html 或 .jsonl（json 格式可省略，输出到屏幕）",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "html", "json"]),
    help="审核表格式（默认按 -o 的扩展名）：xlsx 工作簿、html 网页、json（每份报告一行）",
)
@click.option(
    "--previous", type=FILE, multiple=True, help="上年度的报告，按机关名称和年度配对；可给多个"
)
@click.option(
    "--previous-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="上年度报告所在的文件夹，按机关名称和年度配对",
)
@click.option(
    "--organs", "roster", type=FILE, help="应报送的机关名单（.txt 每行一个，或 .xlsx 第一列）"
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="并行进程数（默认：CPU 数）"
)
def audit(
    inputs: tuple[Path, ...],
    target: Path | None,
    fmt: str | None,
    previous: tuple[Path, ...],
    previous_dir: Path | None,
    roster: Path | None,
    jobs: int | None,
) -> None:
    """批量审核多份报告：生成审核总表、按规则分列的问题清单和未报送名单。

    \b
    例：xxgk audit 各单位/*.yaml --previous-dir 2023年/ --organs 名单.txt -o 审核.xlsx
    退出码：0 审核表已生成（报告有错误也是 0，见总表），1 出错。
    """
    from xxgk.audit import audit_sheets, duplicates, missing_organs
    from xxgk.build import default_jobs
    from xxgk.review import audit_many, load_previous, read_roster, sources_in

    implied = _AUDIT_FORMATS.get(target.suffix.lower() if target else "", "")
    if fmt and implied and fmt != implied and target is not None:
        raise click.UsageError(f"--format {fmt} 与 -o 的扩展名「{target.suffix}」不符")
    fmt = fmt or implied
    if not fmt:
        raise click.UsageError(
            "请用 -o 给出审核表文件（.xlsx、.html 或 .jsonl），或用 --format 指定格式"
        )
    if fmt != "json" and target is None:
        raise click.UsageError(f"{fmt} 格式的审核表需要 -o 文件名")
    names = read_roster(roster) if roster is not None else None
    paired = None
    if previous or previous_dir is not None:
        folder = sources_in(previous_dir) if previous_dir is not None else []
        paired = load_previous([*previous, *folder], jobs or default_jobs())
        _print_findings(paired.unreadable, "text", sys.stderr)
    records = []
    json_lines: list[str] = []
    bar = _progress(len(inputs), "审核") if target is not None else None
    for record in audit_many(list(inputs), paired, jobs or default_jobs()):
        records.append(record)
        if fmt == "json":
            line = _json_line(record.as_dict())
            if target is None:
                click.echo(line)
            else:
                json_lines.append(line)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.render_finish()
    missing = missing_organs(names, records) if names is not None else None
    if fmt == "json":
        if missing:
            _echo_json_to(json_lines if target else None, {"missing": missing})
        if target is not None:
            _write_audit(target, ("\n".join(json_lines) + "\n").encode("utf-8"))
    else:
        sheets = audit_sheets(records, paired=paired is not None, missing=missing)
        if fmt == "html":
            from xxgk.render.audit.html import render_audit_html

            data = render_audit_html(sheets)
        else:
            from xxgk.render.audit.xlsx import render_audit_xlsx
            from xxgk.render.zipfix import document_time

            year = max((r.year for r in records if r.year is not None), default=2000)
            data = render_audit_xlsx(sheets, document_time(None, year))
        assert target is not None
        _write_audit(target, data)
    failing = sum(not r.ok for r in records)
    tail = f"；名单中未报送 {len(missing)} 个" if missing is not None else ""
    repeated = duplicates(records)
    tail += f"；{len(repeated)} 个机关同一年度报送了多份" if repeated else ""
    click.echo(f"共审核 {len(records)} 份报告：{failing} 份有错误，"
               f"{len(records) - failing} 份没有错误{tail}", err=target is None)


def _echo_json_to(lines: list[str] | None, data: dict[str, object]) -> None:
    line = _json_line(data)
    if lines is None:
        click.echo(line)
    else:
        lines.append(line)


def _write_audit(target: Path, data: bytes) -> None:
    from xxgk.writer import write_outputs

    write_outputs({target: data})
    click.echo(f"已生成审核表：{target}", err=True)


# ---------------------------------------------------------------- compare

_COMPARE_FORMATS = (".docx", ".xlsx", ".html", ".htm")


@cli.command()
@click.argument("last", type=FILE)
@click.argument("this", type=FILE)
@click.option(
    "-o", "--output", "target", type=FILE, required=True, help="对照表：.docx、.xlsx 或 .html"
)
def compare(last: Path, this: Path, target: Path) -> None:
    """同一机关两个年度的报告对照：数字增减、结转衔接、正文沿用和改写、检查结果。

    \b
    例：xxgk compare 2023年/永和镇.yaml 2024年/永和镇.yaml -o 同比.docx
    """
    from xxgk.review import compare_files
    from xxgk.writer import write_outputs

    suffix = target.suffix.lower()
    if suffix not in _COMPARE_FORMATS:
        raise click.UsageError(f"-o 的扩展名应为 .docx、.xlsx 或 .html，不是「{target.suffix}」")
    comparison = compare_files(last, this)
    if suffix == ".docx":
        from xxgk.render.compare.docx import render_compare_docx

        data = render_compare_docx(comparison)
    elif suffix == ".xlsx":
        from xxgk.render.compare.xlsx import render_compare_xlsx

        data = render_compare_xlsx(comparison)
    else:
        from xxgk.render.compare.html import render_compare_html

        data = render_compare_html(comparison)
    for line in comparison.summary():
        click.echo(line)
    write_outputs({target: data})
    click.echo(f"已生成对照表：{target}")


# ---------------------------------------------------------------- output helpers


def _progress(total: int, label: str) -> Any:
    """A progress bar on stderr for bulk work: count, rate and ETA (none for a single file)."""
    if total < 2:
        return None
    import time

    started = time.monotonic()

    def rate(_: object) -> str:
        done = bar.pos
        elapsed = time.monotonic() - started
        return f"{done / elapsed:.1f} 份/秒" if done and elapsed > 0 else ""

    bar = click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        show_eta=True,
        show_pos=True,
        item_show_func=rate,
    )
    return bar


def _print_findings(findings: Iterable[Finding], fmt: str, stream: TextIO) -> None:
    for finding in findings:
        if fmt == "json":
            stream.write(json.dumps(finding.as_dict(), ensure_ascii=False) + "\n")
        else:
            stream.write(f"{finding}\n")
    stream.flush()


_LINE_BREAKS_IN_JSON = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _json_line(data: dict[str, object]) -> str:
    """One JSON object on one line, whatever the data: the separators JSON leaves raw
    (U+2028, U+2029, U+0085) would split the line for readers of JSON lines."""
    return json.dumps(data, ensure_ascii=False).translate(_LINE_BREAKS_IN_JSON)


def _echo_json(data: dict[str, object]) -> None:
    click.echo(_json_line(data))


def _print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    cells = [[str(v) if v is not None else "" for v in row] for row in [header, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        click.echo(
            "  ".join(text + " " * (widths[i] - width(text)) for i, text in enumerate(row)).rstrip()
        )
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="xxgk")
