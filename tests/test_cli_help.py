"""The CLI speaks Chinese: help, usage errors and click's own words, in any locale.

click's strings come through the gettext catalogue src/xxgk/locale/zh_CN/LC_MESSAGES/click.po
(compiled to click.mo by scripts/make_click_catalogue.py).
"""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from xxgk.cli import XxgkCommand, cli

Run = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "src/xxgk/locale/zh_CN/LC_MESSAGES"
COMMANDS = sorted(cli.commands)

# Words that are not English prose: the command and its subcommands, product names a clerk
# knows, and values typed as they are.
PROPER_NAMES = {"xxgk", *COMMANDS, "Word", "Excel", "WPS", "LibreOffice", "PDF", "HTML", "text", "json", "soffice"}
_OPTION = re.compile(r"(?<![\w-])--?[a-z][a-z-]*|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")  # and env vars
_FILE_NAME = re.compile(r"[^\s“”「」（），、：]*\.(?:yaml|docx|xlsx|txt|html|htm|pdf|zip|bat)\b")


def english_words(text: str) -> set[str]:
    """ASCII words left once option names, file names and known names are taken out."""
    text = _FILE_NAME.sub(" ", _OPTION.sub(" ", text))
    return set(re.findall(r"[A-Za-z]+", text)) - PROPER_NAMES


def test_the_word_check_catches_english() -> None:
    assert english_words("Usage: xxgk build [OPTIONS] FILE") == {"Usage", "OPTIONS", "FILE"}
    assert english_words("Error: Invalid value for '-j'") == {"Error", "Invalid", "value", "for"}
    assert english_words("用法： xxgk build --jobs 2 某县.yaml [默认：out]") == {"out"}


def test_bare_xxgk_shows_the_help(xxgk: Run) -> None:
    result = xxgk()
    assert result.exit_code == 0
    assert result.output.startswith("用法： xxgk [选项] 命令 [参数]…")
    assert all(f"  {name} " in result.output for name in COMMANDS)


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_help_is_chinese_with_one_example(xxgk: Run, name: str | None) -> None:
    result = xxgk(*([name] if name else []), "--help")
    assert result.exit_code == 0
    text = result.output
    for english in ("Usage:", "Options:", "Show this message", "[default:", "[required]"):
        assert english not in text
    assert english_words(text) <= {"out"}  # `-o out`: the default folder's own name
    if name is not None:
        assert text.count("示例：") == 1
        example = text.split("示例：")[1].strip()
        assert example.startswith(f"xxgk {name}")
        assert example == cli.commands[name].example  # type: ignore[attr-defined]


def test_every_command_is_an_xxgk_command() -> None:
    """New commands get the Chinese metavars and the example through ``@cli.command(example=…)``."""
    assert all(isinstance(cli.commands[name], XxgkCommand) for name in COMMANDS)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["build", "--jbos", "2", "a.yaml"], "错误：没有选项 --jbos，是否应为 --jobs？（xxgk build --help 查看说明）"),
        (["biuld", "a.yaml"], "错误：没有命令 biuld，是否应为 build？（xxgk --help 查看说明）"),
        (["chek"], "没有命令 chek，是否应为 check？"),
        (["check", "--nope", "a.yaml"], "错误：没有选项 --nope（xxgk check --help 查看说明）"),
        (["frobnicate"], "错误：没有命令 frobnicate（xxgk --help 查看说明）"),
        (["check"], "错误：缺少参数 报告文件或文件夹…（xxgk check --help 查看说明）"),
        (["sum", "a.yaml"], "错误：缺少选项 --organ（"),
        (["build", "--jobs", "0", "a.yaml"], "错误：--jobs / -j 的取值无效：0 不在允许的范围（至少 1）内。"),
        (["init", "x.yaml", "--year", "二〇二五"], "错误：--year 的取值无效：“二〇二五”不是有效的整数。"),
        (["check", "--format", "xml", "a.yaml"], "错误：--format 的取值无效：“xml”不可用，可选：text、json"),
        (["build", "--jobs"], "错误：选项 --jobs 后面需要给出取值。"),
        (["diff", "a.yaml", "b.yaml", "c.yaml"], "错误：多余的参数：c.yaml"),
    ],
)
def test_usage_errors(xxgk: Run, args: list[str], words: str) -> None:
    result = xxgk(*args)
    assert result.exit_code == 2
    assert words in result.output
    assert result.output.startswith("用法： xxgk")
    assert english_words(result.output) <= english_words(" ".join(args))  # what was typed


def test_chinese_whatever_the_locale(tmp_path: Path) -> None:
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "LANGUAGE": "en", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "xxgk", "build", "--jbos", "2", "a.yaml"],
                            capture_output=True, text=True, encoding="utf-8", env=env, check=False)
    assert result.returncode == 2
    assert "没有选项 --jbos，是否应为 --jobs？" in result.stderr
    helped = subprocess.run([sys.executable, "-m", "xxgk", "check", "--help"],
                            capture_output=True, text=True, encoding="utf-8", env=env, check=False)
    assert "显示本说明后退出。" in helped.stdout


# ---------------------------------------------------------------- the catalogue


def _compiled_catalogue() -> dict[object, str]:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from make_click_catalogue import compiled
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    import io

    return gettext.GNUTranslations(io.BytesIO(compiled(CATALOGUE / "click.po")))._catalog  # type: ignore[attr-defined,no-any-return]


def test_the_committed_mo_matches_the_po() -> None:
    with (CATALOGUE / "click.mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    compiled = _compiled_catalogue()
    committed.pop("")  # the header: Babel stamps the date
    compiled.pop("")
    assert committed == compiled, "run: python scripts/make_click_catalogue.py"


def test_the_catalogue_covers_every_string_of_click() -> None:
    """A click upgrade that adds a string fails here instead of printing English."""
    import click
    from babel.messages.extract import extract_from_dir

    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            os.path.dirname(click.__file__),
            keywords={"_": None, "ngettext": (1, 2)},
        )
    }
    catalogue = _compiled_catalogue()
    translated = {k if isinstance(k, str) else k[0] for k, v in catalogue.items() if v}
    trivial = {"d"}  # click's progress bar passes a format letter through _()
    assert found - trivial - translated == set()


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["diff", "--help"], ["biuld"]])
def test_a_gbk_console(args: list[str]) -> None:
    """A Chinese Windows console is GBK: every character of the help and errors must fit."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    result = subprocess.run([sys.executable, "-m", "xxgk", *args], capture_output=True, env=env,
                            check=False)
    text = (result.stdout + result.stderr).decode("gbk")
    assert "用法： xxgk" in text
    assert "Traceback" not in text
