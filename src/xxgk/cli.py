"""The ``xxgk`` command: a thin click shell over the library.

Every command parses its arguments, makes one library call per input and prints. The one
exception type, ``XxgkError``, is turned into Chinese output and an exit code in one place
(``XxgkGroup.invoke``), without click's English ``Error:`` prefix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from xxgk.errors import Finding, Severity, XxgkError
from xxgk.safe_text import console_safe, json_line

# ---------------------------------------------------------------- click in Chinese


def _install_click_catalogue() -> None:
    """Make click's own words (usage, headings, defaults, bad values) Chinese in any locale.

    click translates through ``gettext``, but binds ``_``/``ngettext`` at import and so looks the
    catalogue up by LANG/LANGUAGE, which a Windows console never sets. Those names are rebound
    to our compiled catalogue (``locale/zh_CN/LC_MESSAGES/click.po``). It must run before any
    click type is made: ``click.Path`` translates its name (文件/文件夹) when constructed.
    """
    import gettext
    import importlib
    from importlib.resources import files

    for lazy in ("click.shell_completion", "click._termui_impl"):  # imported later by click
        importlib.import_module(lazy)
    mo = files("xxgk").joinpath("locale/zh_CN/LC_MESSAGES/click.mo")
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = catalogue.gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = catalogue.ngettext  # type: ignore[attr-defined]


_install_click_catalogue()


class _Integer(click.types.IntParamType):
    name = "整数"  # shown as the metavar and in 「“x”不是有效的整数」


class _Number(click.types.FloatParamType):
    name = "数"


class _Text(click.types.StringParamType):
    name = "文本"


class _IntegerRange(click.IntRange):
    name = "整数"

    def _describe_range(self) -> str:  # click's 「x>=1」, in words
        low = None if self.min is None else f"{'大于' if self.min_open else '至少'} {self.min}"
        high = None if self.max is None else f"{'小于' if self.max_open else '至多'} {self.max}"
        return "，".join(part for part in (low, high) if part)


def _chinese_type(kind: click.ParamType[Any]) -> click.ParamType[Any]:
    """click's built-in types under Chinese names (metavars and messages name the type)."""
    if isinstance(kind, click.Choice):
        return _chinese_choice(kind)
    if isinstance(kind, click.IntRange):
        return _IntegerRange(kind.min, kind.max, kind.min_open, kind.max_open, kind.clamp)
    plain: dict[click.ParamType[Any], click.ParamType[Any]] = {
        click.INT: _Integer(), click.FLOAT: _Number(), click.STRING: _Text()}
    return plain.get(kind, kind)


def _argument_metavar(param: click.Parameter) -> str:
    kind = param.type
    word = kind.name if isinstance(kind, (click.Path, _Integer, _Text)) else "值"
    return word if param.nargs == 1 else f"{word}…"


if TYPE_CHECKING:  # generic for the type checker; click before 8.2 cannot be subscripted
    from xxgk.audit.evaluation import BatchOptions
    from xxgk.audit.present import Presented

    _ChoiceBase = click.Choice[Any]
else:
    _ChoiceBase = click.Choice


class _Choice(_ChoiceBase):
    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        return f"“{value}”不可用，可选：{'、'.join(map(str, self.choices))}"


def _chinese_choice(kind: click.Choice[Any]) -> click.Choice[Any]:
    return _Choice(kind.choices, kind.case_sensitive)


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns; ASCII runs (options, file names) are never split."""
    import re

    lines = [""]
    for token in re.findall(r"[!-~]+|\s+|.", text):
        if lines[-1] and _display_width(lines[-1] + token) > width:
            lines.append("" if token.isspace() else token)
        else:
            lines[-1] += token
    return lines


@contextlib.contextmanager
def _dependency_warnings_silenced() -> Iterator[None]:
    """A library's DeprecationWarning or UserWarning is for its programmer, not for the clerk:
    printed in English, or raised where warnings are errors, it would read as our failure. xxgk
    reports everything a user must know as findings, so no warning is shown by the command line.
    (Tests of the library itself still see every warning: pytest turns them into errors.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


class XxgkHelpFormatter(click.HelpFormatter):
    """click's formatter, measuring Chinese as two columns; 「选项：」 with a full-width colon."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((_display_width(r[0]) for r in rows), default=0), col_max)
        first_col += col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if _display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = _wrap(second, max(self.width - first_col - 2, 10))
            pad = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(pad + line for line in lines[1:])]) + "\n")


class XxgkContext(click.Context):
    formatter_class = XxgkHelpFormatter


class XxgkCommand(click.Command):
    """A command whose help is all Chinese and ends with one example.

    ``@cli.command(example="xxgk check 2025.yaml")`` — every command needs one (tests/
    test_cli_help.py fails without; it is optional here only so that a command merged without
    one still runs). Metavars of options and arguments without an explicit ``metavar=`` are
    named in Chinese from the type.
    """

    context_class = XxgkContext

    def __init__(self, *args: Any, example: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        if example is not None:
            kwargs["epilog"] = f"\b\n示例：\n  {example}"
        super().__init__(*args, **kwargs)
        self.example = example
        for param in self.params:
            param.type = _chinese_type(param.type)
            if isinstance(param, click.Argument) and param.metavar is None:
                param.metavar = _argument_metavar(param)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's option parser raises some usage errors without the command's context."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.ctx = exc.ctx or ctx
            raise


FILE = click.Path(dir_okay=False, path_type=Path)
# Reports to check, audit or sum: files, or folders standing for every report inside them.
REPORTS = click.Path(path_type=Path)
F = TypeVar("F", bound=Callable[..., Any])
# --format values as the help names them, in Chinese as well as the file kinds.
_FORMAT_WORDS = {"工作簿": "xlsx", "表格": "xlsx", "网页": "html", "文本": "text", "JSON": "json"}


def _format_value(value: str | None) -> str | None:
    return None if value is None else _FORMAT_WORDS.get(value, value)


def _output_folder(default: Path, help_text: str) -> Callable[[F], F]:
    """The ``-o/--output`` folder option of the commands that write files."""
    return click.option(
        "-o",
        "--output",
        "outdir",
        default=default,
        show_default=True,
        metavar="文件夹",
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


def _did_you_mean(message: str, possibilities: Iterable[str]) -> str:
    options = list(possibilities)
    return f"{message}，是否应为 {' 或 '.join(options)}？" if options else message


def _param_hint(param: click.Parameter) -> str:
    if isinstance(param, click.Option):
        return " / ".join(param.opts)
    return param.human_readable_name


def _usage_message(exc: click.UsageError) -> str:
    """The message of a usage error; click's own words come through the catalogue already.

    Unknown options, missing and bad values are worded from the exception's fields, since
    click's composed text quotes names with ASCII quotes and ends with an ASCII period.
    """
    if isinstance(exc, click.NoSuchOption):
        return _did_you_mean(f"没有选项 {exc.option_name}", exc.possibilities or ())
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        kind = "选项" if isinstance(exc.param, click.Option) else "参数"
        return f"缺少{kind} {_param_hint(exc.param)}"
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        return f"{_param_hint(exc.param)} 的取值无效：{exc.message}"
    return exc.format_message()


def _explain_usage(exc: click.UsageError) -> None:
    ctx = exc.ctx
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
    path = ctx.command_path if ctx is not None else ""
    command = f" {path.split(' ', 1)[1]}" if " " in path else ""
    _say(f"错误：{_usage_message(exc)}（xxgk{command} --help 查看说明）", err=True)


class XxgkGroup(click.Group):
    """A click group that reports ``XxgkError`` in Chinese, once, for every command."""

    command_class = XxgkCommand
    context_class = XxgkContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]…")
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Bare ``xxgk`` shows the help and succeeds (click would call it a usage error)."""
        if not args and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown command gets the nearest known one as a suggestion."""
        import difflib

        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            near = difflib.get_close_matches(name, self.list_commands(ctx), n=2)
            raise click.UsageError(_did_you_mean(f"没有命令 {name}", near), ctx)
        return super().resolve_command(ctx, args)

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
        _tolerate_any_console_encoding()
        try:
            with _dependency_warnings_silenced():
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


@click.group("xxgk", cls=XxgkGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk", message="xxgk %(version)s")
def cli() -> None:
    """政府信息公开工作年度报告：填数据、查勾稽、出 Word 和 Excel、导入已发布的报告。"""


# ---------------------------------------------------------------- init


@cli.command(example="xxgk init 2025.xlsx --organ 晋江市永和镇 --year 2025")
@click.argument("path", type=FILE, metavar="新文件")
@click.option("--organ", metavar="名称", help="机关名称，如「晋江市永和镇」")
@click.option("--year", type=int, metavar="年度", help="报告年度，如 2025")
@click.option(
    "--from", "last_year", type=FILE, metavar="文件",
    help="上年度的数据文件、工作簿或已发布的报告：沿用正文，结转数字",
)
@click.option(
    "--draft", is_flag=True,
    help="上年的已发布报告缺少表格或章节时，仍生成草稿（文件开头注明缺少的内容）",
)
def init(
    path: Path, organ: str | None, year: int | None, last_year: Path | None, draft: bool
) -> None:
    """新建数据文件（.yaml，每个键都有说明，数字为 0）或填写用工作簿（.xlsx，黄色单元格为填写处）。

    没有给出 --organ、--year 时，在终端中逐项询问。
    """
    from xxgk.api import load_source
    from xxgk.writer import write_outputs

    if path.exists():
        raise XxgkError.single(
            "init/exists", "文件已存在，不会覆盖；请换一个文件名或先移走原文件", str(path)
        )
    if path.suffix.lower() not in (".yaml", ".yml", ".xlsx"):
        # Any other name would be read back as something else (.txt as a published report).
        raise XxgkError.single(
            "init/unknown-type",
            f"不能新建「{path.suffix or '无扩展名'}」文件：数据文件请用 .yaml，"
            "填写用工作簿请用 .xlsx（如 xxgk init 2025.xlsx）",
            str(path),
        )
    last, seed_notes = load_source(last_year) if last_year is not None else (None, [])
    gaps: list[str] = []
    if last is not None and last_year is not None:
        from xxgk.review import is_published
        from xxgk.scaffold import seed_gaps

        if is_published(last_year):
            _print_findings(seed_notes, "text", sys.stderr, reading=True)
            gaps = seed_gaps(last, seed_notes)
        if gaps and not draft:
            raise XxgkError.single(
                "init/incomplete-source",
                f"上年报告导入不完整（{'；'.join(gaps)}），据此生成的草稿会缺少这些内容；"
                "请改用上年的数据文件（.yaml）或工作簿，或加 --draft 仍然生成草稿",
                str(last_year),
            )
    if last is None:
        organ = organ or _ask_organ(path)
        year = year if year is not None else _ask_year(path)
    if path.suffix.lower() == ".xlsx":
        from xxgk.render.xlsx.blank import init_workbook

        write_outputs({path: init_workbook(organ, year, last)}, inputs=[*filter(None, [last_year])])
        _say(f"已新建填写用工作簿：{path}（黄色单元格为填写处）")
    else:
        from xxgk.scaffold import empty_report, next_year_draft, scaffold_text

        if last is not None:
            text = scaffold_text(next_year_draft(last, organ, year), seeded_from=last, gaps=gaps)
        else:
            assert organ is not None
            assert year is not None
            text = scaffold_text(empty_report(organ, year))
        write_outputs({path: text.encode("utf-8")}, inputs=[*filter(None, [last_year])])
        _say(f"已新建数据文件：{path}")
    if last is not None:
        click.echo(f"正文沿用 {last.year} 年度，请逐段改写；"
                   "“上年结转”和“现行有效件数”已按上年填入。")
    if gaps:
        _say("【注意：这是草稿】上年报告导入不完整，以下内容没有读出，请对照原文补全：", err=True)
        for gap in gaps:
            _say(f"  {gap}", err=True)
    _say(f"下一步：填好后运行 xxgk check {_shell_word(str(path))}")


def _interactive() -> bool:
    """True when a person can answer questions (stdin is a terminal)."""
    # sys.stdin, not click.get_text_stream (deprecated in click 8.5): CliRunner swaps sys.stdin too.
    stdin = sys.stdin
    return stdin is not None and stdin.isatty()


def _missing(path: Path, what: str, option: str) -> XxgkError:
    return XxgkError.single(
        "init/missing-value",
        f"没有给出{what}：请加 {option}"
        f"（如 xxgk init {path.name} --organ 晋江市永和镇 --year 2025），"
        "或用 --from 指定上年度的数据文件；在终端中运行时会逐项询问",
        str(path),
    )


def _ask_organ(path: Path) -> str:
    if not _interactive():
        raise _missing(path, "机关名称", "--organ 机关名称")
    while True:
        organ = str(click.prompt("机关名称（如 晋江市永和镇）")).strip()
        if organ:
            return organ


def _ask_year(path: Path) -> int:
    if not _interactive():
        raise _missing(path, "报告年度", "--year 年度")
    while True:
        text = str(click.prompt("报告年度（如 2025）")).strip()
        if re.fullmatch(r"\d{4}", text):
            return int(text)
        click.echo("年度应为四位数字，如 2025", err=True)


def _shell_word(text: str) -> str:
    """A path as the clerk would type it back: quoted when it has spaces."""
    return f'"{text}"' if re.search(r"\s", text) else text


# ---------------------------------------------------------------- check


def _evaluation_options(command: Callable[..., None]) -> Callable[..., None]:
    """--published and the deadlines, shared by check and audit."""
    command = click.option(
        "--deadline-government", metavar="月-日",
        help="本级人民政府报告的公开期限（默认 3-31，《条例》第四十九条）",
    )(command)
    command = click.option(
        "--deadline", metavar="月-日",
        help="部门（及乡镇）报告的公开期限，本地规定更早时给出（默认 1-31）",
    )(command)
    return click.option(
        "--published", "published_list", type=FILE, metavar="清单",
        help="各机关报告的发布日期清单（逗号分隔文本，每行：机关名称,发布日期；Excel、WPS "
        "另存的各种编码均可），用于核对是否按时公开",
    )(command)


def _batch_options(
    published_list: Path | None, deadline: str | None, deadline_government: str | None
) -> BatchOptions:
    from xxgk.audit.evaluation import BatchOptions
    from xxgk.checks.published import Deadlines, parse_month_day
    from xxgk.inputs.datelist import read_published

    given = {}
    for option, text in (("--deadline", deadline), ("--deadline-government", deadline_government)):
        if text is None:
            continue
        parsed = parse_month_day(text)
        if parsed is None:
            raise click.UsageError(f"{option} 应为月-日，如 1-20 或 1月20日，不是「{text}」")
        given[option] = parsed
    deadlines = Deadlines(
        department=given.get("--deadline", (1, 31)),
        government=given.get("--deadline-government", (3, 31)),
    )
    dates = read_published(published_list) if published_list is not None else {}
    return BatchOptions(published=dates, deadlines=deadlines)


@cli.command(example="xxgk check 各单位/ --previous-dir 上年")
@click.argument("inputs", nargs=-1, required=True, type=REPORTS, metavar="报告文件或文件夹…")
@click.option(
    "--previous",
    type=FILE,
    multiple=True,
    metavar="文件",
    help="上年度的报告，用于核对结转；可给多个，按机关名称和年度配对",
)
@click.option(
    "--previous-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="文件夹",
    help="上年度报告所在的文件夹：每个报告按机关名称和年度配对上年报告",
)
@click.option(
    "--year", type=int, metavar="年度",
    help="本批次的报告年度（默认：多数报告的年度）；其他年度或格式不符的报告为错误",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "文本"]),
    default="text",
    metavar="格式",
    help="输出格式：text（文本，默认）或 json（每行一个对象）",
)
@click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束")
@_evaluation_options
def check(
    inputs: tuple[Path, ...],
    previous: tuple[Path, ...],
    previous_dir: Path | None,
    year: int | None,
    fmt: str,
    strict: bool,
    published_list: Path | None,
    deadline: str | None,
    deadline_government: str | None,
) -> None:
    """检查报告：勾稽关系、结转、空白和格式、正文与表格是否一致，是否按时公开。

    给出文件夹时检查其中的每一份报告（含子文件夹）。已发布报告导入时未能读出的内容单列为「读取问题」，
    不计为报告的错误。
    """
    from xxgk.api import load_source
    from xxgk.audit.batch import against_batch, batch_findings, batch_year
    from xxgk.audit.present import present
    from xxgk.checks.published import check_published
    from xxgk.pairing import organ_key
    from xxgk.review import check_many, expand_inputs, is_published, load_previous, sources_in

    fmt = _format_value(fmt) or "text"
    files = expand_inputs(inputs, besides=(published_list,))
    if not files:
        raise XxgkError.single("check/no-inputs", "给出的文件夹中没有报告文件",
                               "、".join(str(p) for p in inputs))
    options = _batch_options(published_list, deadline, deadline_government)
    dates = {organ_key(name): date for name, date in options.published.items()}
    timely = published_list is not None or deadline is not None or deadline_government is not None
    explicit = None
    paired = None
    if len(files) == 1 and len(previous) == 1 and previous_dir is None:
        explicit = (previous[0], load_source(previous[0])[0])  # the one report named for it
    elif previous or previous_dir is not None:
        folder = sources_in(previous_dir) if previous_dir is not None else []
        paired = load_previous([*previous, *folder])
        _print_findings(paired.unreadable, fmt, sys.stderr)
    # Every report is checked first (only its findings kept), then held against the batch's year.
    results = []
    for checked in check_many(files, paired, explicit):
        report = checked.report
        findings = checked.findings
        if report is not None and (timely or report.published is not None):
            date = dates.get(organ_key(report.organ), report.published)
            findings = findings + [f.with_file(str(checked.path))
                                   for f in check_published(report, date, options.deadlines)]
        said = present(findings, published=is_published(checked.path))
        meta = (report.organ, report.year, report.format_version) if report else None
        results.append((checked.path, meta, said, checked.unpaired, checked.previous))
    batch = year if year is not None else batch_year(r[1][1] for r in results if r[1])
    failing = 0
    unpaired: list[tuple[Path, tuple[str, int, str]]] = []
    for path, meta, said, no_previous, last in results:
        own = list(said.own)
        if meta is not None:
            own = against_batch(own, batch_findings(meta[1], meta[2], batch, str(path)))
        _print_findings(own, fmt, sys.stdout)
        _print_findings(said.reading, fmt, sys.stdout, reading=True)
        errors = sum(f.is_error for f in own)
        warnings = sum(f.severity is Severity.WARNING for f in own)  # information is neither
        # A report that could not be read at all was not checked: it never passes.
        failing += errors > 0 or (strict and warnings > 0) or meta is None
        if paired is not None and no_previous and meta is not None:
            unpaired.append((path, meta))
            if fmt == "json":
                _echo_json({
                    "file": str(path), "code": "pairing/no-previous", "severity": "info",
                    "location": "", "organ": meta[0], "year": meta[1],
                    "message": f"没有 {meta[1] - 1} 年度的上年报告，未核对结转",
                })
        if fmt == "text":
            verdict = f"错误 {errors} 个" if errors else "没有错误"
            if meta is None and not errors:
                verdict = "无法读取，未检查"
            against = f"（对照上年：{last[0]}）" if paired and last else ""
            reading = (f"，读取问题 {len(said.reading)} 个（不计为报告的错误）"
                       if said.reading else "")
            _say(f"{path}：{verdict}，警告 {warnings} 个{reading}{against}")
    if fmt == "text" and unpaired:
        click.echo(f"以下 {len(unpaired)} 个报告没有上年报告，未核对结转：")
        for path, (organ, year_of, _) in unpaired:
            _say(f"  {organ}（{year_of - 1} 年度）：{path}")
    if fmt == "text" and len(files) > 1:
        passed = len(files) - failing
        of_year = f"（本批次为 {batch} 年度）" if batch is not None else ""
        click.echo(f"共检查 {len(files)} 个文件{of_year}：{failing} 个未通过，{passed} 个通过")
    sys.exit(1 if failing else 0)


# ---------------------------------------------------------------- build


@cli.command(example="xxgk build 2025.yaml -o out --pdf")
@click.argument("inputs", nargs=-1, required=True, type=FILE, metavar="数据文件…")
@_output_folder(Path("out"), "输出文件夹")
@click.option("--template", type=FILE, metavar="模板", help="自己的 Word 模板（.docx）")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF（长期保存格式）")
@click.option(
    "--pdfa", is_flag=True,
    help="同 --pdf：生成的 PDF 都是长期保存的归档格式（嵌入全部字体，带归档标识和输出意图）",
)
@click.option(
    "--soffice",
    type=click.Path(path_type=Path),
    metavar="路径",
    help="LibreOffice 的 soffice 程序（或其安装文件夹），不在常用位置时指定；"
    "也可设环境变量 XXGK_SOFFICE",
)
@click.option("--html", is_flag=True, help="同时生成用于网站发布的 HTML 页面")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="进程数",
    help="并行进程数（默认：处理器核数）",
)
@click.option(
    "--draft", is_flag=True,
    help="生成草稿：每页标明「草稿」；空白报告（没有数字和正文）只能这样生成",
)
def build(
    inputs: tuple[Path, ...],
    outdir: Path,
    template: Path | None,
    pdf: bool,
    pdfa: bool,
    soffice: Path | None,
    html: bool,
    jobs: int | None,
    draft: bool,
) -> None:
    """检查后生成 Word 报告和 Excel 工作簿（有错误的文件不生成）。

    输出文件夹中已有的同一报告的其他文件（网页、PDF）一并重新生成，各文件始终一致。
    """
    pdf = pdf or pdfa  # every PDF xxgk makes is PDF/A-2b
    from xxgk.build import DEFAULT_FORMATS, BuildResult, build_many, capped_jobs

    formats = (*DEFAULT_FORMATS, *(["html"] if html else []), *(["pdf"] if pdf else []))
    if pdf:
        from xxgk.office import ENV
        from xxgk.render.pdf.convert import require_pdf

        if soffice is not None:  # through the environment, so every worker process sees it
            os.environ[ENV] = str(soffice)
        require_pdf()
    bar = _progress(len(inputs), "生成")
    workers, too_many = capped_jobs(jobs) if len(inputs) > 1 else (1, None)
    if too_many:
        _say(f"警告：{too_many}", err=True)

    def report(result: BuildResult) -> None:
        _print_findings(result.findings, "text", sys.stderr)
        if bar is not None:
            bar.update(1)
        elif not result.ok:
            _say(f"{result.source}：有错误，未生成", err=True)

    if bar is not None:
        with bar:
            results = build_many(
                list(inputs), outdir, template, formats, workers, on_result=report, draft=draft
            )
    else:
        results = build_many(
            list(inputs), outdir, template, formats, 1, on_result=report, draft=draft
        )
        for output in results[0].outputs:  # said once they are in place, not before
            _say(f"{'已生成' if output in results[0].written else '无变化'}：{output}")
    if pdf and bar is not None:  # the PDFs of a batch come after the bar: say what went wrong
        _print_findings(
            [f for r in results for f in r.findings if f.code.startswith("output/pdf")],
            "text",
            sys.stderr,
        )
    for r in (r for r in results if r.ok and r.held):
        kinds = "、".join(_KIND_NAMES[k] for k in r.held)
        click.echo(f"输出文件夹中已有{kinds}，已一并重新生成（同一报告的各个文件始终一致）："
                   f"{r.source}")
    for kept in (k for r in results for k in r.history):  # nothing filed is ever lost: say where
        _say(f"原有版本已移至：{kept}")
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


_KIND_NAMES = {"docx": "Word", "xlsx": "Excel", "html": "网页", "pdf": "PDF"}


# ---------------------------------------------------------------- import


@cli.command(name="import", example="xxgk import 2024年报告.docx -o 数据")
@click.argument("sources", nargs=-1, required=True, type=FILE, metavar="报告文件…")
@_output_folder(Path("."), "数据文件的输出文件夹")
@click.option("--organ", default=None, help="机关名称（报告没有标题时使用；给出时优先）")
@click.option(
    "--year", type=click.IntRange(1990, 2100), default=None, help="报告年度（同上）"
)
def import_(
    sources: tuple[Path, ...], outdir: Path, organ: str | None, year: int | None
) -> None:
    """把已发布的报告（.pdf/.doc/.wps/.docx/.html/.md/.txt）或本工具的 .xlsx 转为数据文件。

    汇总表：「导入错误/导入警告」是读取时的问题（读不准的数字一律留空并说明）。

    「检查错误/检查警告」是导入后 xxgk check 发现的报告本身的问题；「其中勾稽」：总计、勾稽不成立。
    """
    from xxgk.bulk import import_many
    from xxgk.importers.hints import Hints

    rows = import_many(
        sources,
        outdir,
        progress=_progress(len(sources), "导入"),
        on_findings=_print_import_findings,
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


def _print_import_findings(said: Presented) -> None:
    """One source's findings as `check` says them: a table's many blanks once, what the import
    could not read apart (读取问题)."""
    _print_findings(said.own, "text", sys.stderr)
    _print_findings(said.reading, "text", sys.stderr, reading=True)


# ---------------------------------------------------------------- diff


@cli.command(example="xxgk diff 已发布.docx 2025.yaml --notice 更正说明.docx")
@click.argument("old", type=FILE, metavar="旧版本")
@click.argument("new", type=FILE, metavar="新版本")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="输出格式：text（默认，可用于更正说明）或 json",
)
@click.option(
    "--notice",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="文件",
    help="同时生成更正说明（公文格式与年度报告相同）：.docx；给 .pdf 时另在旁边写同名 .docx",
)
@click.option(
    "--date",
    "notice_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="年-月-日",
    help="更正说明落款的日期（默认今天），如 2026-03-05",
)
def diff(
    old: Path, new: Path, fmt: str, notice: Path | None, notice_date: dt.datetime | None
) -> None:
    """比较同一份报告的两个版本：列出改动的数字和段落，可生成更正说明。

    两个版本可以是数据文件或已发布的 .docx/.xlsx/.html。退出码：0 相同，1 有差异，2 出错。
    """
    from xxgk.api import load_source
    from xxgk.diff import diff_reports, require_same_year
    from xxgk.review import is_published

    imported = is_published(old) or is_published(new)  # its spacing is no change
    from xxgk.writer import refuse_overwriting

    if notice is not None:  # before any work: --notice X.pdf also writes X.docx beside it
        refuse_overwriting(_notice_targets(notice), (old, new))
    try:
        before, after = load_source(old)[0], load_source(new)[0]
        require_same_year(before, after)
        changes = diff_reports(before, after, imported=imported)
    except XxgkError as exc:
        exc.exit_code = 2
        raise
    for change in changes:
        if fmt == "json":
            _say(json_line(change.as_dict()))
        else:
            _say(str(change))
    if fmt == "text":
        click.echo(f"共 {len(changes)} 处改动" if changes else "两个版本内容相同")
    if notice is not None and changes:
        from xxgk.correction import correction_notice
        from xxgk.render.docx.notice import render_notice
        from xxgk.writer import write_outputs

        day = notice_date.date() if notice_date else dt.date.today()
        written = correction_notice(before, after, day, imported=imported)
        document = render_notice(written)
        files = {notice: document}
        if notice.suffix.lower() == ".pdf":  # the PDF for the portal, and the Word file to file
            from xxgk.render.pdf.convert import pdf_of, require_pdf

            require_pdf()
            when = dt.datetime(day.year, day.month, day.day)
            pdf = pdf_of(document, when, str(notice))
            files = {notice.with_suffix(".docx"): document, notice: pdf}
        write_outputs(files, inputs=(old, new))
        _say(f"已生成更正说明（{len(written.items)} 项）：{notice}", err=fmt == "json")
    elif notice is not None:
        click.echo("两个版本内容相同，未生成更正说明", err=True)
    sys.exit(1 if changes else 0)


def _notice_targets(notice: Path) -> list[Path]:
    """The files ``--notice`` writes: the .docx, and for a .pdf the .docx beside it too."""
    return [notice.with_suffix(".docx"), notice] if notice.suffix.lower() == ".pdf" else [notice]


# ---------------------------------------------------------------- sum


@cli.command(name="sum", example="xxgk sum 各镇/ --organ 某县 -o 某县2025.yaml --previous-dir 上年")
@click.argument("inputs", nargs=-1, required=True, type=REPORTS, metavar="报告文件或文件夹…")
@click.option("--organ", required=True, metavar="名称", help="汇总报告的机关名称，如「某县」")
@click.option("--year", type=int, metavar="年度", help="报告年度（默认：各输入共同的年度）")
@click.option(
    "-o", "--output", "target", type=FILE, required=True, metavar="文件",
    help="汇总数据文件（.yaml）；各机关明细表另存在它旁边",
)
@click.option(
    "--previous-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="文件夹",
    help="上年度报告所在的文件夹：各输入先与本机关上年报告核对结转，结转不符的不汇总",
)
@click.option(
    "--organs", "roster", type=FILE, metavar="名单",
    help="机关名单（.txt 每行一个，或表格的第一列）：明细表按名单的顺序，并列出未报送的机关",
)
@click.option("--force", is_flag=True, help="有错误或年度不符的输入也一并汇总")
def sum_(
    inputs: tuple[Path, ...], organ: str, year: int | None, target: Path,
    previous_dir: Path | None, roster: Path | None, force: bool,
) -> None:
    """汇总多个机关的报告：表二、表三、表四逐格相加，生成数据文件和各机关明细表。

    明细表在生成报告时成为 Word 的附件和 Excel 的一张工作表。给出文件夹时汇总其中的每一份报告。
    """
    from xxgk.api import load_source
    from xxgk.audit.present import present
    from xxgk.breakdown import breakdown_csv, breakdown_of, breakdown_path
    from xxgk.checks import check as check_report
    from xxgk.pairing import NameIndex
    from xxgk.review import expand_inputs, is_published, load_previous, read_roster, sources_in
    from xxgk.scaffold import data_file_text
    from xxgk.summary import common_year, refusals, sum_reports, unread_refusal
    from xxgk.writer import refuse_overwriting, write_outputs

    files = expand_inputs(inputs, besides=(target, roster))
    if not files:
        raise XxgkError.single("sum/no-inputs", "给出的文件夹中没有报告文件",
                               "、".join(str(p) for p in inputs))
    names = read_roster(roster) if roster is not None else None
    paired = load_previous(sources_in(previous_dir)) if previous_dir is not None else None
    if paired is not None:
        _print_findings(paired.unreadable, "text", sys.stderr)
    loaded = []
    unreadable: list[Finding] = []
    unread_inputs: list[Finding] = []  # published reports with numbers their import left unread
    for path in files:
        try:
            report, notes = load_source(path)
        except XxgkError as exc:
            unreadable += [f if f.location.file else f.with_file(str(path)) for f in exc.findings]
            continue
        last = paired.pair(report)[0] if paired is not None else None
        found = [f.with_file(str(path)) for f in check_report(report, last[1] if last else None)]
        said = present(notes + found, published=is_published(path))
        unread = unread_refusal(path, list(said.reading))
        unread_inputs += [unread] if unread else []
        loaded.append((path, report, list(said.own)))
    if names is not None:  # the 明细表 follows the roster
        listed = NameIndex(names)

        def roster_place(item: tuple[Path, Any, list[Finding]]) -> int:
            found = listed.position(item[1].organ)
            return len(listed.names) if found is None else found

        loaded.sort(key=roster_place)
    if year is None and loaded:
        year = common_year([report for _, report, _ in loaded])
    refused = (refusals(loaded, year) if year is not None else []) + unread_inputs
    carried = [f for _, _, found in loaded for f in found if f.code.startswith("carryover/")
               and f.is_error]
    if unreadable or (refused and not force) or year is None:
        _print_findings(unreadable + carried + refused, "text", sys.stderr)
        hint = "" if unreadable else "；确需汇总请加 --force"
        raise XxgkError.single(
            "sum/refused",
            f"{len({f.location.file for f in unreadable + refused})} 个输入不能汇总{hint}",
        )
    _print_findings(refused, "text", sys.stderr)
    if names is not None:
        submitted = {listed.position(r.organ) for _, r, _ in loaded}
        absent = [n for i, n in enumerate(names) if i not in submitted]
        if absent:
            _say(f"名单中 {len(absent)} 个机关没有报告，未汇总：{'、'.join(absent)}", err=True)
    total = sum_reports([report for _, report, _ in loaded], organ, year)
    organs = [report.organ for _, report, _ in loaded]
    included = [
        f"汇总自 {len(organs)} 个机关（明细见 {breakdown_path(target).name}）：",
        *[f"  {o}（{p.name}）" for (p, _, _), o in zip(loaded, organs, strict=True)],
    ]
    refuse_overwriting([target, breakdown_path(target)], [*inputs, *files])
    text = data_file_text(total, notes=included)  # refuses what our own check would
    details = breakdown_of([(p.name, r) for p, r, _ in loaded], total)
    write_outputs({
        target: text.encode("utf-8"),
        breakdown_path(target): breakdown_csv(details),
    }, inputs=inputs)
    _say(f"已汇总 {len(organs)} 个机关：{target}（明细表：{breakdown_path(target)}）")


# ---------------------------------------------------------------- audit

_AUDIT_FORMATS = {
    ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".jsonl": "json", ".json": "json"
}


@cli.command(example="xxgk audit 各单位/ --previous-dir 上年 --organs 名单.txt -o 审核.xlsx")
@click.argument("inputs", nargs=-1, required=True, type=REPORTS, metavar="报告文件或文件夹…")
@click.option(
    "-o", "--output", "target", type=FILE, metavar="文件",
    help="审核表：.xlsx 工作簿、.html 网页或 .json（每份报告一行；不给 -o 时输出到屏幕）",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "html", "json", "工作簿", "网页"]),
    metavar="格式",
    help="审核表格式：工作簿、网页或 json，默认按 -o 的扩展名",
)
@click.option(
    "--previous", type=FILE, multiple=True, metavar="文件",
    help="上年度的报告，按机关名称和年度配对；可给多个",
)
@click.option(
    "--previous-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="文件夹",
    help="上年度报告所在的文件夹，按机关名称和年度配对",
)
@click.option(
    "--year", type=int, metavar="年度",
    help="本批次的报告年度（默认：多数报告的年度）；其他年度或格式不符的报告为错误",
)
@click.option(
    "--organs", "roster", type=FILE, metavar="名单",
    help="应报送的机关名单（.txt 每行一个，或 .xlsx 等表格的第一列）；总表按名单的顺序",
)
@click.option(
    "--review", "reviewed", type=FILE, metavar="上次审核表",
    help="上次的审核表（.xlsx）：其中填写的复核和整改带到本次同一问题上",
)
@click.option(
    "--parent", type=FILE, metavar="本级报告",
    help="已公开的本级（汇总）报告：逐格核对它是否等于各单位报告之和，并列出没有报告的单位",
)
@_evaluation_options
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="进程数",
    help="并行进程数（默认：处理器核数）",
)
def audit(
    inputs: tuple[Path, ...],
    target: Path | None,
    fmt: str | None,
    previous: tuple[Path, ...],
    previous_dir: Path | None,
    year: int | None,
    roster: Path | None,
    reviewed: Path | None,
    parent: Path | None,
    published_list: Path | None,
    deadline: str | None,
    deadline_government: str | None,
    jobs: int | None,
) -> None:
    """批量审核多份报告：审核总表、按规则分列的问题清单、读取问题和未报送名单。

    给出文件夹时审核其中的每一份报告（含子文件夹）。问题清单有「复核」和「整改」栏；
    下次审核用 --review 给出填写过的审核表，填写的内容按问题的编号带到本次。
    审核表生成后退出码为 0（报告的错误见总表），不能生成时为 1。
    """
    from dataclasses import replace

    from xxgk.audit import audit_sheets, duplicates, missing_organs
    from xxgk.audit.batch import batch_year
    from xxgk.audit.evaluation import copied_sheet, evaluate_batch
    from xxgk.audit.marks import unmatched
    from xxgk.audit.parent import parent_sheets
    from xxgk.audit.record import in_roster_order, with_batch
    from xxgk.audit.table import all_fingerprints
    from xxgk.build import default_jobs
    from xxgk.review import (
        audit_many,
        expand_inputs,
        load_previous,
        parent_comparison,
        read_marks,
        read_roster,
        sources_in,
    )

    fmt = _format_value(fmt)
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
    if target is not None and reviewed is not None and target.resolve() == reviewed.resolve():
        raise XxgkError.single(
            "output/overwrites-input", "-o 与 --review 是同一个文件：上次的审核表会被覆盖；"
            "请给新的审核表另起文件名（如「审核-第二次.xlsx」）", str(target),
        )
    given = (roster, reviewed, parent, published_list)  # the command's own files besides reports
    # A folder of reports stands for the reports in it: the audit may be written beside them (a
    # later run skips it), never over one. Last year's folder is only read: nothing goes in it.
    reports = expand_inputs(inputs, besides=given)
    read = [*reports, *previous, *([previous_dir] if previous_dir else []),
            *(p for p in given if p is not None)]
    if target is not None:
        from xxgk.writer import refuse_overwriting

        refuse_overwriting(target, read)  # before any report is read: nothing lost, no time
    files = reports  # the target is none of them, or it was refused
    if not files:
        raise XxgkError.single("audit/no-inputs", "给出的文件夹中没有报告文件",
                               "、".join(str(p) for p in inputs))
    names = read_roster(roster) if roster is not None else None
    marks = read_marks(reviewed) if reviewed is not None else []
    options = _batch_options(published_list, deadline, deadline_government)
    paired = None
    if previous or previous_dir is not None:
        folder = sources_in(previous_dir) if previous_dir is not None else []
        paired = load_previous([*previous, *folder], jobs or default_jobs())
        _print_findings(paired.unreadable, "text", sys.stderr)
    records = []
    bar = _progress(len(files), "审核") if target is not None else None
    for record in audit_many(files, paired, jobs or default_jobs()):
        records.append(record)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.render_finish()
    batch = year if year is not None else batch_year(r.year for r in records)
    records = [with_batch(r, batch) for r in records]
    # The batch's own rules need every record: copying between organs, the publication dates.
    evaluation = evaluate_batch(records, options)
    records = evaluation.records
    if names is not None:
        records = in_roster_order(records, names)
    missing = missing_organs(names, records) if names is not None else None
    family = parent_comparison(parent, records, missing or ()) if parent is not None else None
    if fmt == "json":
        json_lines = [json_line(r.as_dict()) for r in records]
        if family is not None:
            json_lines.append(json_line({"parent": {
                "organ": family.organ, "differences": len(family.differences),
                "unknown": len(family.unknown), "without_report": family.without_report}}))
        if missing:
            json_lines.append(json_line({"missing": missing}))
        if target is None:
            for line in json_lines:
                click.echo(line)
        else:
            _write_audit(target, ("\n".join(json_lines) + "\n").encode("utf-8"), read)
    else:
        by_key = {m.fingerprint: m for m in marks}
        lost = list(unmatched(marks, all_fingerprints(records)))
        sheets = audit_sheets(records, paired=paired is not None, missing=missing,
                              marks=by_key, lost=lost)
        if batch is not None:
            sheets[0] = replace(sheets[0], title=f"{batch} 年度{sheets[0].title}")
        sheets.insert(1, copied_sheet(evaluation.pairs))
        if family is not None:
            sheets[1:1] = parent_sheets(family)
        if fmt == "html":
            from xxgk.render.audit.dashboard import batch_figures
            from xxgk.render.audit.html import render_audit_html

            data = render_audit_html(sheets, dashboard=batch_figures(evaluation, missing))
        else:
            from xxgk.render.audit.xlsx import render_audit_xlsx
            from xxgk.render.zipfix import document_time

            last_year = max((r.year for r in records if r.year is not None), default=2000)
            data = render_audit_xlsx(sheets, document_time(None, last_year))
        assert target is not None
        _write_audit(target, data, read)
        if marks:
            kept = sum(1 for m in marks if not m.empty) - len(lost)
            click.echo(f"上次的复核和整改：{kept} 条带到本次的同一问题上"
                       + (f"，{len(lost)} 条的问题本次已不再出现（见「复核未对应」表）"
                          if lost else ""), err=True)
    failing = sum(r.errors > 0 for r in records)
    unread = sum(1 for r in records if not r.read and not r.errors)  # our import failed
    reading = sum(1 for r in records if r.reading)
    tail = f"；名单中未报送 {len(missing)} 个" if missing is not None else ""
    repeated = duplicates(records)
    tail += f"；{len(repeated)} 个机关同一年度报送了多份" if repeated else ""
    tail += f"；{reading} 份有读取问题（不计为报告的错误）" if reading else ""
    of_year = f"（{batch} 年度）" if batch is not None else ""
    unread_part = f"，{unread} 份无法读取" if unread else ""
    click.echo(f"共审核 {len(records)} 份报告{of_year}：{failing} 份有错误{unread_part}，"
               f"{len(records) - failing - unread} 份没有错误{tail}", err=target is None)


def _echo_json_to(lines: list[str] | None, data: dict[str, object]) -> None:
    line = json_line(data)
    if lines is None:
        click.echo(line)
    else:
        lines.append(line)


def _write_audit(target: Path, data: bytes, inputs: list[Path]) -> None:
    from xxgk.writer import write_outputs

    write_outputs({target: data}, inputs=inputs)
    _say(f"已生成审核表：{target}", err=True)


# ---------------------------------------------------------------- compare

_COMPARE_FORMATS = (".docx", ".xlsx", ".html", ".htm")


@cli.command(example="xxgk compare 上年/永和镇.yaml 本年/永和镇.yaml -o 同比.docx")
@click.argument("last", type=FILE, metavar="上年报告")
@click.argument("this", type=FILE, metavar="本年报告")
@click.option(
    "-o", "--output", "target", type=FILE, required=True, metavar="文件",
    help="对照表：.docx、.xlsx 或 .html",
)
def compare(last: Path, this: Path, target: Path) -> None:
    """同一机关两个年度的报告对照：数字增减、结转衔接、正文沿用和改写、检查结果。"""
    from xxgk.review import compare_files
    from xxgk.writer import refuse_overwriting, write_outputs

    suffix = target.suffix.lower()
    if suffix not in _COMPARE_FORMATS:
        raise click.UsageError(f"-o 的扩展名应为 .docx、.xlsx 或 .html，不是「{target.suffix}」")
    refuse_overwriting(target, (last, this))
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
        _say(line)  # organ names and quoted text: ESC and bidi characters shown, not obeyed
    write_outputs({target: data}, inputs=(last, this))
    _say(f"已生成对照表：{target}")


# ---------------------------------------------------------------- archive


@cli.command(example="xxgk archive 2025.yaml -o 归档/2025")
@click.argument("source", required=False, type=FILE, metavar="数据文件")
@click.option(
    "-o", "--output", "target", type=click.Path(path_type=Path), metavar="文件夹",
    help="归档包：一个新的文件夹，或以 .zip 结尾的压缩包",
)
@click.option("--template", type=FILE, metavar="模板", help="自己的 Word 模板（.docx）")
@click.option(
    "--verify", "verify", type=click.Path(path_type=Path), metavar="归档包",
    help="核对已有的归档包：文件齐全，大小、哈希值和页数与移交清单一致",
)
def archive(
    source: Path | None, target: Path | None, template: Path | None, verify: Path | None
) -> None:
    """生成移交档案部门的归档包：长期保存版 PDF、Word、Excel、数据文件和移交清单。"""
    if verify is not None:
        if source is not None or target is not None:
            raise click.UsageError("--verify 只核对已有的归档包，不能同时给出数据文件或 -o")
        from xxgk.archive import verify_archive

        rows, findings = verify_archive(verify)
        _print_findings(findings, "text", sys.stderr)
        if findings:
            _say(f"{verify}：{len(findings)} 处与移交清单不符", err=True)
            sys.exit(1)
        _say(f"{verify}：{len(rows)} 个文件与移交清单一致")
        return
    if source is None or target is None:
        raise click.UsageError("请给出数据文件和 -o 归档文件夹（或用 --verify 核对已有的归档包）")
    from xxgk.archive import make_archive
    from xxgk.render.pdf.convert import require_pdf

    require_pdf()
    made = make_archive(source, target, template)
    _print_findings(made.findings, "text", sys.stderr)
    for item in made.items:
        _say(f"{item.number}. {item.name}（{item.kind}，{item.size} 字节）")
    _say(f"已生成归档包：{made.target}（移交清单.xlsx、移交清单.csv）")


# ---------------------------------------------------------------- tujie


@cli.command(example="xxgk tujie 2025.yaml --previous 2024.yaml -o out")
@click.argument("source", type=FILE, metavar="数据文件")
@_output_folder(Path("out"), "输出文件夹")
@click.option("--previous", type=FILE, metavar="上年报告",
              help="上年度的报告（数据文件、工作簿或已发布的报告）：图解中标出比上年的增减")
def tujie(source: Path, outdir: Path, previous: Path | None) -> None:
    """绘制一页图解（一图读懂）：主动公开、依申请公开、复议诉讼的主要数字，图片和 PDF 各一份。"""
    from xxgk.tujie import tujie_file

    result = tujie_file(source, outdir, previous)
    _print_findings(result.findings, "text", sys.stderr)
    for output in result.outputs:
        _say(f"{'已生成' if output in result.written else '无变化'}：{output}")


# ---------------------------------------------------------------- serve


@cli.command(example="xxgk serve 2025.xlsx --previous 2024.xlsx")
@click.argument(
    "datafile", required=False, metavar="[报告文件或文件夹]",
    type=click.Path(exists=False, file_okay=True, dir_okay=True, path_type=Path),
)
@click.option("--port", type=click.IntRange(1, 65535), help="端口（默认 8765，被占用时自动换一个）")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器")
@click.option("--previous", type=FILE, help="上年度的数据文件，用于核对结转")
@click.option(
    "-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path), default=None,
    metavar="文件夹", help="「生成」的输出文件夹（默认 out；打开文件夹时为其中的 out）",
)
def serve(
    datafile: Path | None,
    port: int | None,
    no_browser: bool,
    previous: Path | None,
    outdir: Path | None,
) -> None:
    """在浏览器中填写报告：表格即填即查，一键保存和生成（仅本机可访问）。

    报告文件是数据文件（.yaml）或填写用工作簿（.xlsx），保存时写回这个文件；给出文件夹时，
    打开其中的报告，没有报告则在其中新建。同一文件同时只能在一个表单中编辑。
    """
    from xxgk.web import prepare

    server = prepare(datafile, outdir, previous, port)
    click.echo(server.url)  # the first line: scripts and the clerk both read it
    click.echo("在浏览器中打开上面的地址；按 Ctrl+C 停止。")
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    server.run()


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


def _print_findings(
    findings: Iterable[Finding], fmt: str, stream: TextIO, reading: bool = False
) -> None:
    """Each finding on a line (text) or as a JSON object; ``reading``: the import's reading
    problems, said as such (读取问题) and marked ``"reading": true`` in JSON."""
    from xxgk.rules import rule_name

    for finding in findings:
        if fmt == "json":
            data = finding.as_dict() | {"rule": rule_name(finding.code)}
            if reading:
                data["reading"] = True
            stream.write(json_line(data) + "\n")
        else:
            stream.write(f"{console_safe(_finding_line(finding, reading))}\n")
    stream.flush()


def _finding_line(finding: Finding, reading: bool = False) -> str:
    """「文件:行: 错误 表三勾稽不平 [t3/balance] 位置：说明」: the rule by its Chinese name,
    the code kept for searching; an import's reading problem says 读取问题, not 错误/警告."""
    from xxgk.rules import RULES, rule_name

    where = finding.location.where()
    place = finding.location.named()
    kind = "读取问题" if reading else finding.severity.chinese
    # The rule's name says what a finding about the report's content is; a whole file's refusal
    # (no place: 文件不存在, 无法打开) says it in its message, and a command's codes have no rule.
    named = finding.code in RULES and finding.location.parts
    name = f" {rule_name(finding.code)}" if named else ""
    body = f"{place}：{finding.message}" if place else finding.message
    head = f"{where}: " if where else ""
    return f"{head}{kind}{name} [{finding.code}] {body}"


def _echo_json(data: dict[str, object]) -> None:
    click.echo(json_line(data))


def _say(text: str, err: bool = False) -> None:
    """Print a line that may carry data or file names: control, ESC and bidi characters are
    shown as escapes, never obeyed by the terminal."""
    click.echo(console_safe(text), err=err)


def _tolerate_any_console_encoding() -> None:
    # A GBK console (Windows, or PYTHONIOENCODING=gbk behind a redirect) cannot encode every
    # character of a report: print a replacement instead of failing with a traceback.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            # A closed or detached stream has nothing to print to.
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    cells = [[console_safe(v) if v is not None else "" for v in row] for row in [header, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        click.echo(
            "  ".join(text + " " * (widths[i] - width(text)) for i, text in enumerate(row)).rstrip()
        )
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


# Collect cycles after this many new objects rather than Python's 700: a command's start-up makes
# hundreds of thousands of objects that live for the whole run (modules, classes, pydantic's
# schemas), and at 700 the collector walks them again and again (≈ 10 % of one `xxgk build`).
# Cycles are still collected, every 10 000 allocations, so a long batch or `serve` stays bounded.
GC_THRESHOLD = 10_000


def main() -> None:
    """Console-script entry point."""
    import gc

    _, *older = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *older)
    cli(prog_name="xxgk")
