"""Template rendering is bounded: loops, value sizes, output and time have limits, and nothing is
evaluated while a template is merely compiled (issue 15, class 4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.safety_support import EXAMPLE
from tests.test_fuzz import FUZZ, _count, _either
from xxgk.errors import XxgkError
from xxgk.inputs import load
from xxgk.render.docx import limits
from xxgk.render.docx.context import build_context
from xxgk.render.docx.template import _compile_source, _render

Run = Callable[..., Result]
CONTEXT: dict[str, Any] = build_context(load(EXAMPLE))


def _rendered(source: str) -> str:
    return _render(_compile_source(source, "模板.docx"), CONTEXT, "模板.docx")


def _refusal(source: str) -> str:
    with pytest.raises(XxgkError) as caught:
        _rendered(source)
    finding = caught.value.findings[0]
    assert finding.location.file == "模板.docx"
    return f"{finding.code} {finding.message}"


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% for i in range(10) recursive %}{{ loop(range(100000)) }}{% endfor %}",
        "{% macro m(n) %}{% for i in range(100000) %}{% endfor %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
    ],
    ids=["nested-range", "recursive-loop", "macro"],
)
def test_loops_are_bounded(source: str) -> None:
    message = _refusal(source)
    assert "template/too-much" in message
    assert "循环次数超过" in message or "调用层数过多" in message


@pytest.mark.parametrize(
    "expression",
    [
        "lipsum(1000000)",
        "[1] * 10**8",
        "'x' * 10**9",
        "10**8 * 'x'",
        "2 ** (10**8)",
        "'x' | center(10**9)",
        "'%999999999s' | format(1)",
        "'%999999999s' % 1",
        "'{:>999999999}'.format(1)",
        "'x'.ljust(10**9)",
        "('x' * 4000000) | replace('x', 'yy')",
        "('x' * 4000000) ~ ('y' * 4000000)",
        "[1] | batch(10**9, 0) | list",
        # many references to one big value: small as a list, huge once printed or joined
        "['x' * 4000000] * 100000",
        "([1] | batch(4000000, 'x' * 4000000) | first)",
        "(range(100000) | map('center', 4000000) | list)",
        "['x' * 4000000, 'y' * 4000000] | join",
        "''.join(['x' * 4000000, 'y' * 4000000])",
    ],
)
def test_values_are_bounded(expression: str) -> None:
    message = _refusal("{{ " + expression + " }}")
    assert "template/too-much" in message, message


def test_compiling_evaluates_nothing() -> None:
    # Constant folding would build the value while the template loads: it must not.
    compiled = _compile_source("{{ 'x' * 10**9 }}{{ [1] * 10**8 }}{{ 'x' | center(10**9) }}", "t")
    assert compiled is not None


def test_a_string_doubled_in_a_loop_is_stopped() -> None:
    source = (
        "{% set ns = namespace(a='x') %}"
        "{% for i in range(64) %}{% set ns.a = ns.a ~ ns.a %}{% endfor %}{{ ns.a | length }}"
    )
    assert "too-much" in _refusal(source)


def test_lists_cannot_grow_behind_the_limits() -> None:
    assert "template/unsafe" in _refusal("{% set l = [1] %}{{ l.extend(l) }}")


def test_output_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_OUTPUT", 10_000)
    # literal text, nothing allocated by an operator: only the output count can stop it
    assert "渲染结果超过" in _refusal("{% for i in range(1000) %}0123456789AB{% endfor %}")


def test_time_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_SECONDS", -1.0)  # every check finds the time spent
    assert "秒仍未完成" in _refusal("{% for i in range(5000) %}{{ i }}{% endfor %}")


@pytest.mark.parametrize(
    "source",
    ["{{ " + "(" * 100_000 + "1" + ")" * 100_000 + " }}", "{{ " + "7" * 5000 + " }}"],
    ids=["deep-nesting", "huge-literal"],
)
def test_hostile_sources_fail_to_compile_with_a_message(source: str) -> None:
    with pytest.raises(XxgkError) as caught:
        _compile_source(source, "模板.docx")
    assert caught.value.findings[0].code.startswith("template/")


def test_the_usual_template_features_still_work() -> None:
    source = (
        "{% set ns = namespace(n=0) %}{% for row in range(3) %}{% set ns.n = ns.n + row %}"
        "{% endfor %}{{ ns.n }}|{{ organ ~ '·' }}|{{ '%05d' | format(7) }}|{{ 'ab' * 2 }}"
        "|{{ '{:>4}'.format(1) }}|{{ [1, 2] + [3] }}|{{ lipsum(1, false, 3, 5) | length > 0 }}"
    )
    assert _rendered(source) == "3|晋江市永和镇·|00007|abab|   1|[1, 2, 3]|True"


def test_build_with_a_looping_template_stops_with_a_message(xxgk: Run, tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}"
                      "{% endfor %}{% endfor %}")
    template = tmp_path / "loop.docx"
    doc.save(str(template))
    out = tmp_path / "out"
    result = xxgk("build", EXAMPLE, "--template", template, "-o", out)
    assert result.exit_code == 1
    assert "template/too-much" in result.output
    assert not out.exists() or not list(out.glob("*.docx"))


# ---------------------------------------------------------------- fuzz

NUMBERS = st.sampled_from(["0", "3", "10**6", "10**9", "-1", "100000", "2**64"])
ATOMS = st.one_of(NUMBERS, st.sampled_from(["'x'", "[1]", "organ", "lipsum(2)", "range(5)"]))


def _expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        ATOMS,
        lambda inner: st.one_of(
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner,
                      st.sampled_from(["*", "**", "+", "~", "%", "//"]), inner),
            st.builds(lambda a, f, n: f"({a} | {f}({n}))", inner,
                      st.sampled_from(["center", "indent", "batch", "slice", "truncate"]), NUMBERS),
            st.builds(lambda a, n: f"lipsum({n}, false, 1, {n})", inner, NUMBERS),
            st.builds(lambda a, n: f"(range({n}) | list)", inner, NUMBERS),
        ),
        max_leaves=6,
    )


@settings(FUZZ, max_examples=150)
@given(expression=_expressions(), loops=st.integers(0, 3), count=NUMBERS)
def test_fuzz_template_expressions(expression: str, loops: int, count: str) -> None:
    _count("template expressions")
    source = "{% for i in range(" + count + ") %}" * loops + "{{ " + expression + " }}"
    source += "{% endfor %}" * loops
    saved = (limits.MAX_ITERATIONS, limits.MAX_VALUE, limits.MAX_OUTPUT)
    limits.MAX_ITERATIONS, limits.MAX_VALUE, limits.MAX_OUTPUT = 20_000, 200_000, 2_000_000
    try:
        _either(lambda: _rendered(source))
    finally:
        limits.MAX_ITERATIONS, limits.MAX_VALUE, limits.MAX_OUTPUT = saved
