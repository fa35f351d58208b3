"""YAML parser errors in the clerk's words: what is wrong on which line, and how to fix it.

The parser's English (PyYAML's pure loader, whose messages are the most specific) is matched on
its problem and context; the message names the line and the fix. Anything unforeseen still gets a
Chinese message and the line, never the English.
"""

from __future__ import annotations

import re

import yaml

from xxgk.inputs.printable import shown

_QUOTE_IT = "；值以这个符号开头时，请给整个值加引号，如 「'{ch}…'」，或改用「|」换行书写"
_BRACKET = "方括号「[」没有配对的「]」，或列表中的数之间少了英文逗号「,」"
_BRACE = "花括号「{」没有配对的「}」，或其中的项之间少了英文逗号「,」"
_BLOCK_HEADER = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")
_UNDER_BLOCK = "「|」下面的文字要比它的键多缩进两个空格（每行都要）"
_VALUE_GOES_ON = (
    "值以「[」「{」或引号开头时，整个值都要放在一对引号里（或改用「|」换行书写），"
    "括号或引号之后不能再有文字"
)
_INDENT = "缩进不对齐：同一层的键应从同一列开始（只用空格缩进），下一层比上一层多缩进两个空格"


def yaml_message(exc: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """The Chinese message for a parser error, and the 1-based line it points at."""
    if isinstance(exc, yaml.reader.ReaderError):
        at_line = text.count("\n", 0, max(exc.position, 0)) + 1
        return (
            f"含有不可见的控制字符 {shown(chr(exc.character))}，YAML 不允许；请删除它"
            "（多见于从网页或其他软件复制的文字）",
            at_line,
        )
    if not isinstance(exc, yaml.MarkedYAMLError):
        return "文件格式无法识别；请对照 inputs/example.yaml 检查", None
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line: int | None = mark.line + 1 if mark is not None else None
    opened: int | None = exc.context_mark.line + 1 if exc.context_mark is not None else line
    lines = text.splitlines()

    def at(n: int | None) -> str:
        return lines[n - 1] if n is not None and 0 < n <= len(lines) else ""

    def after_block_header(n: int | None) -> bool:
        """Whether line n follows a 「key: |」 line (its text was meant to be indented)."""
        before = [s for s in lines[: (n or 1) - 1] if s.strip()]
        return bool(before) and _BLOCK_HEADER.search(before[-1]) is not None

    if (
        problem.startswith("expected <block end>")
        and "'<scalar>'" in problem
        and exc.problem_mark is not None
        and exc.problem_mark.column > len(at(line)) - len(at(line).lstrip())
    ):
        return _VALUE_GOES_ON, line

    if "\\t" in problem or "tab" in problem:
        return "用了 Tab 键缩进；YAML 只认空格，请把这一行开头的 Tab 换成空格", line
    if after_block_header(opened) or after_block_header(line):
        return _UNDER_BLOCK, opened if after_block_header(opened) else line
    found = re.search(r"found character '(.)' that cannot start any token", problem)
    if found:
        ch = found.group(1)
        return f"值不能以「{ch}」开头" + _QUOTE_IT.format(ch=ch), line
    if "while scanning an anchor" in context or "while scanning an alias" in context:
        ch = "&" if "anchor" in context else "*"
        return f"值不能以「{ch}」开头" + _QUOTE_IT.format(ch=ch), opened
    if problem.startswith("found undefined alias"):
        return "值不能以「*」开头" + _QUOTE_IT.format(ch="*"), line
    if "could not find expected ':'" in problem:
        key_line = at(opened)
        if "：" in key_line:
            return (
                "键后面用了中文冒号「：」；请改为英文冒号加空格「: 」", opened
            )
        return "这一行缺少「: 」（键和值之间要有英文冒号和一个空格）", opened
    if problem.startswith("mapping values are not allowed"):
        return (
            "这一行多了一个「:」：值里含有「: 」时，请给整个值加引号或改用「|」换行书写；"
            "如果这是下一层的键，请检查缩进",
            line,
        )
    if "while scanning a quoted scalar" in context or "quoted scalar" in context:
        if "escape" in problem:
            return (
                "双引号中的反斜杠「\\」后面不是有效的转义；请改用单引号，或改用「|」换行书写",
                opened,
            )
        return f"引号没有闭合（从第 {opened} 行开始）；请补上结尾的引号", opened
    if "sequence entries are not allowed" in problem:
        return "「- 」列表项不能跟在「键:」的同一行；请另起一行，并多缩进两个空格", line
    if "'<stream end>'" in problem and "flow" in context:
        return f"{_BRACKET}（文件在括号闭合前就结束了）", opened
    if "flow sequence" in context:
        return f"{_BRACKET}（从第 {opened} 行开始）", opened
    if "flow mapping" in context:
        return f"{_BRACE}（从第 {opened} 行开始）", opened
    if "block scalar" in context:
        return "「|」或「>」后面不能直接写文字；请换行，缩进后再写", opened
    if problem.startswith("expected <block end>") or "block mapping" in context:
        if "'-'" in problem:
            return "这里不能开始一个「- 」列表项：列表项应写在键的下一行并多缩进两个空格", line
        return _INDENT, line
    if "block collection" in context or "block sequence" in context:
        return _INDENT, line
    if "document start" in problem or "directive" in context:
        return "文件开头的写法无法识别：第一行应为「键: 值」或以「#」开头的说明", line
    if "expected the node content" in problem:
        return "此处缺少一个值；若值以符号开头，请加引号", line
    return "这一行的写法无法识别；请对照 inputs/example.yaml 检查缩进、冒号和引号", line
