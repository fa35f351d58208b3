"""Bounded template rendering: a user's template cannot make a build run or grow without end.

Jinja's sandbox stops a template from reaching Python's internals but not from asking for
unbounded work: ``range`` in nested loops, ``'x' * 10**9``, ``lipsum(10**6)``, a string doubled
in a loop through a namespace, ``'x'|center(10**9)``. Here every such road has a limit:

* loop iterations, counted by wrapping every ``{% for %}`` iterable (a rewrite of the parsed
  template, so nested loops, recursive loops and macros are all counted);
* the size of every value made by an operator (``*``, ``**``, ``+``, ``%``, ``~``), a call or a
  filter, checked before the allocation wherever its size can be known from the operands;
* the rendered text, counted chunk by chunk while it is produced;
* the wall-clock time, checked at every loop step, call and filter.

Compile-time constant folding (which would evaluate ``'x' * 10**9`` while the template is merely
loaded) is off, and the intercepted operators could not be folded anyway. Lists, dicts and sets
are immutable to the template (``ImmutableSandboxedEnvironment``), so ``x.extend(x)`` cannot grow
a list behind the limits' back; ``namespace()`` remains for templates that need a counter.
"""

from __future__ import annotations

import contextvars
import functools
import math
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

MAX_ITERATIONS = 1_000_000  # loop steps in one render; the national report needs a few hundred
MAX_VALUE = 5_000_000  # characters (or items) in any one value a template makes
MAX_OUTPUT = 50_000_000  # characters of rendered XML (the default template renders ~0.3 M)
MAX_SECONDS = 30.0  # one render of the default template takes ~0.05 s
MAX_INT_BITS = 100_000  # about 30 000 digits; ** beyond this is refused before it is computed
MAX_LIPSUM = 20  # paragraphs
MAX_ALLOCATED = 50_000_000  # characters/items made by operators, calls and filters in one render


class TemplateLimitError(Exception):
    """A template asked for more work than a report can need; the message is in Chinese."""


@dataclass
class Budget:
    """What one render has used so far."""

    # Looked up at each call, so a patched clock (freezegun in tests) is used consistently.
    started: float = field(default_factory=lambda: time.monotonic())
    iterations: int = 0
    output: int = 0
    allocated: int = 0  # many values each under MAX_VALUE must not add up without end

    def tick(self) -> None:
        if time.monotonic() - self.started > MAX_SECONDS:
            raise TemplateLimitError(f"渲染超过 {MAX_SECONDS:g} 秒仍未完成")


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


def _budget() -> Budget:
    return _BUDGET.get() or Budget()


def _too_big(size: float) -> TemplateLimitError:
    return TemplateLimitError(
        f"生成的文字或列表过大（约 {size:,.0f} 个字符/元素，上限 {MAX_VALUE:,}）"
    )


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        if len(value) > MAX_VALUE:
            raise _too_big(len(value))
        budget = _budget()
        budget.allocated += len(value)
        if budget.allocated > MAX_ALLOCATED:
            raise TemplateLimitError(f"生成的文字和列表合计超过 {MAX_ALLOCATED:,} 个字符/元素")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError(f"数值过大（超过 {MAX_INT_BITS:,} 位二进制）")
    return value


def _length(value: Any) -> int | None:
    return weight(value) if isinstance(value, (str, bytes, list, tuple)) else None


def weight(value: Any, cap: int = MAX_VALUE + 1, depth: int = 0) -> int:
    """The characters and items a value holds, its members counted in (a list holding one big
    string many times is as big as its printout); counting stops past ``cap``."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, (list, tuple, set, frozenset, dict)) or depth > 4:
        return 1
    total = len(value)
    for item in value.items() if isinstance(value, dict) else value:
        total += weight(item, cap, depth + 1)
        if total > cap:
            break
    return total


def _finalize(value: Any) -> Any:
    # Every {{ … }} passes here before it becomes text: a container whose printout would be
    # too big is refused before str() builds it.
    if isinstance(value, (list, tuple, set, frozenset, dict)) and weight(value) > MAX_VALUE:
        raise _too_big(weight(value))
    return value


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            size = _length(seq)
            if size is not None and isinstance(times, int) and size * times > MAX_VALUE:
                raise _too_big(size * times)
        both_ints = isinstance(left, int) and isinstance(right, int)
        if both_ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise TemplateLimitError(f"数值过大（超过 {MAX_INT_BITS:,} 位二进制）")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int):
        if abs(left) > 1 and right > 0 and right * math.log2(abs(left)) > MAX_INT_BITS:
            raise TemplateLimitError(f"乘方结果过大（超过 {MAX_INT_BITS:,} 位二进制）")
    elif operator == "+":
        a, b = _length(left), _length(right)
        if a is not None and b is not None and a + b > MAX_VALUE:
            raise _too_big(a + b)
    elif operator == "%" and isinstance(left, str):
        _check_printf_widths(left)


_PRINTF_WIDTH = re.compile(r"%[-+ #0]*(\d*)(?:\.(\d+))?")


def _check_printf_widths(text: str) -> None:
    for match in _PRINTF_WIDTH.finditer(text):
        for number in match.groups():
            if number and (len(number) > 7 or int(number) > MAX_VALUE):
                raise _too_big(float(number) if len(number) < 300 else math.inf)


def _check_format_widths(text: str) -> None:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format will raise its own error
    for _, _, spec, _ in parsed:
        for number in re.findall(r"\d+", spec or ""):
            if len(number) > 7 or int(number) > MAX_VALUE:
                raise _too_big(float(number) if len(number) < 300 else math.inf)


_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill"}


def _check_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    owner = getattr(obj, "__self__", None)
    method = getattr(obj, "__name__", "")
    if isinstance(owner, str):
        if method in _WIDTH_METHODS and args and isinstance(args[0], int) and args[0] > MAX_VALUE:
            raise _too_big(args[0])
        if method in ("format", "format_map"):
            _check_format_widths(owner)
        if method == "expandtabs":
            size = kwargs.get("tabsize", args[0] if args else 8)
            if isinstance(size, int) and size * (owner.count("\t") + 1) > MAX_VALUE:
                raise _too_big(size * (owner.count("\t") + 1))
        if method == "join" and args:
            _check_join(args[0])
        if method == "replace" and len(args) >= 2 and isinstance(args[0], str):
            old, new = args[0], args[1]
            if isinstance(new, str):
                hits = owner.count(old) if old else len(owner) + 1
                if len(owner) + hits * len(new) > MAX_VALUE:
                    raise _too_big(len(owner) + hits * len(new))


def _check_join(items: Any) -> None:
    if isinstance(items, (list, tuple)) and weight(items) > MAX_VALUE:
        raise _too_big(weight(items))


def _count_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _budget()
    for item in iterable:
        budget.iterations += 1
        if budget.iterations > MAX_ITERATIONS:
            raise TemplateLimitError(f"循环次数超过 {MAX_ITERATIONS:,} 次")
        if budget.iterations % 1024 == 0:
            budget.tick()
        yield item


def _guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _budget().tick()
        passed = (Context, jinja2.Environment, EvalContext)
        values = [a for a in args if not isinstance(a, passed)]
        numbers = [v for v in [*values[1:], *kwargs.values()] if isinstance(v, int)]
        # Filters whose number arguments set the size of what they make (center's width,
        # indent's width, batch's and slice's counts): a number past the limit is refused first.
        if name in ("center", "indent", "batch", "slice") and any(n > MAX_VALUE for n in numbers):
            raise _too_big(max(numbers))
        if name == "format" and values and isinstance(values[0], str):
            _check_printf_widths(values[0])
        if name == "replace" and len(values) >= 3:
            _check_call(str(values[0]).replace, tuple(values[1:3]), {})
        fill = values[2] if len(values) >= 3 else kwargs.get("fill_with")
        if name in ("batch", "slice") and numbers and numbers[0] * weight(fill) > MAX_VALUE:
            raise _too_big(numbers[0] * weight(fill))  # the fill value, repeated count times
        if name == "join" and values:
            _check_join(values[0])
        return _check_size(function(*args, **kwargs))

    return guarded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n > MAX_LIPSUM or min > max or max > 1000:
        raise TemplateLimitError(f"lipsum 段落或字数过多（最多 {MAX_LIPSUM} 段、每段 1000 词）")
    from jinja2.utils import generate_lorem_ipsum

    return str(generate_lorem_ipsum(n, html, min, max))


class _CountLoops(NodeTransformer):
    """Every ``{% for %}`` iterates through ``environment.xxgk_loop``, every ``~`` result
    through ``environment.xxgk_sized``."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _call("xxgk_loop", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _call("xxgk_sized", node)


def _call(attribute: str, argument: nodes.Node) -> nodes.Call:
    call = nodes.Call(nodes.EnvironmentAttribute(attribute), [argument], [], None, None)
    call.set_lineno(argument.lineno)
    return call


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with limits on loops, value sizes, output and time (see the module)."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, **options: Any) -> None:
        super().__init__(optimized=False, finalize=_finalize, **options)
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}
        self.globals["lipsum"] = _lipsum
        self.xxgk_loop = _count_loop
        self.xxgk_sized = _check_size

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None,
        defer_init: bool = False,
    ) -> str:
        _CountLoops().visit(source)
        return super()._generate(source, name, filename, defer_init)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget().tick()
        _check_call(__obj, args, kwargs)
        return _check_size(super().call(__context, __obj, *args, **kwargs))


def render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The rendered text, stopped with TemplateLimitError at any limit."""
    budget = Budget()
    token = _BUDGET.set(budget)
    try:
        chunks = []
        for chunk in template.generate(context):
            budget.output += len(chunk)
            if budget.output > MAX_OUTPUT:
                raise TemplateLimitError(f"渲染结果超过 {MAX_OUTPUT:,} 个字符")
            chunks.append(chunk)
        return "".join(chunks)
    except RecursionError:  # a macro or recursive loop calling itself without end
        raise TemplateLimitError("宏或递归循环的调用层数过多") from None
    finally:
        _BUDGET.reset(token)


# What compiling a hostile template source raises besides a syntax error: nesting past the
# parser's recursion, an integer literal past Python's digit limit, memory.
COMPILE_FAILURES = (RecursionError, ValueError, MemoryError, OverflowError)
