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
@click.option("--previous", type=FILE, help="上年度的数据文件，用于核对结转")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text（默认）或 json（每行一个对象）",
)
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束")
def check(inputs: tuple[Path, ...], previous: Path | None, fmt: str, strict: bool) -> None:
    """检查数据文件：勾稽关系、结转、空白和格式、正文与表格是否一致。"""
    from xxgk.api import check_file

    failing = 0
    for path in inputs:
        findings = check_file(path, previous)
        _print_findings(findings, fmt, sys.stdout)
        errors = sum(f.is_error for f in findings)
        warnings = len(findings) - errors
        failing += errors > 0 or (strict and warnings > 0)
        if fmt == "text":
            verdict = f"错误 {errors} 个" if errors else "没有错误"
            click.echo(f"{path}：{verdict}，警告 {warnings} 个")
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
@click.option("--organ", default=None, help="机关名称（报告没有标题时使用；给出时优先）")
@click.option(
    "--year", type=click.IntRange(1990, 2100), default=None, help="报告年度（同上）"
)
def import_(
    sources: tuple[Path, ...], outdir: Path, organ: str | None, year: int | None
) -> None:
    """把已发布的报告（.pdf/.doc/.wps/.docx/.html/.md/.txt）或本工具的 .xlsx 转为数据文件。

    汇总表中「导入错误/导入警告」是读取时发现的问题（未能可靠读出的数字一律留空并说明）；
    「检查错误/检查警告」是导入后按 xxgk check 检查报告本身发现的问题，「其中勾稽」是其中
    总计、勾稽关系不成立的个数。
    """
    from xxgk.bulk import import_many
    from xxgk.importers.hints import Hints

    rows = import_many(
        sources,
        outdir,
        progress=_progress(len(sources), "导入"),
        on_findings=lambda fs: _print_findings(fs, "text", sys.stderr),
        hints=Hints(organ=organ, year=year),
    )
    _print_table(
        [
            "文件",
            "机关",
            "年度",
            "格式",
            "导入错误",
            "导入警告",
            "检查错误",
            "其中勾稽",
            "检查警告",
            "数据文件",
        ],
        [
            [
                r.source.name,
                r.organ,
                r.year,
                r.source_format,
                r.errors,
                r.warnings,
                r.check_errors,
                r.arithmetic_errors,
                r.check_warnings,
                r.output,
            ]
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
@click.option("--year", type=int, required=True, help="报告年度")
@click.option("-o", "--output", "target", type=FILE, required=True, help="汇总数据文件（.yaml）")
@click.option("--force", is_flag=True, help="有错误或年度不符的输入也一并汇总")
def sum_(inputs: tuple[Path, ...], organ: str, year: int, target: Path, force: bool) -> None:
    """汇总多个机关的报告：表二、表三、表四逐格相加，生成一个数据文件。"""
    from xxgk.api import load_source
    from xxgk.checks import check as check_report
    from xxgk.inputs import dump_report
    from xxgk.summary import refusals, sum_reports
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
    refused = refusals(loaded, year)
    if unreadable or (refused and not force):
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
        f"汇总自 {len(organs)} 个机关：",
        *[f"  {o}（{p.name}）" for (p, _, _), o in zip(loaded, organs, strict=True)],
    ]
    write_outputs({target: dump_report(total, notes=included).encode("utf-8")})
    click.echo(f"已汇总 {len(organs)} 个机关：{target}")


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
