"""Proof, once per template, that every rendering of its body is well-formed XML.

The rendered body used to be parsed strictly for every report (≈ 2.5 ms of ≈ 8 ms), so that a
template whose loops or conditions cut an element in two can never produce a broken file. That
parse is redundant when the template itself shows it cannot happen:

- every ``{% … %}`` statement stands between whole elements, and the statements of one block
  (``if``/``elif``/``else``/``endif``, ``for``/``else``/``endfor``) are siblings of one parent:
  then whichever branch is taken, and however often a loop repeats, the output is a sequence of
  whole elements where the template had one;
- every ``{{ … }}`` stands in text or in an attribute value, and is autoescaped: no ``|safe``, no
  ``{% autoescape false %}``, no macros or includes that could bring markup (the context holds
  only plain values, cleaned of characters XML cannot hold — render/docx/context.py).

The template source is checked by turning each statement into a processing instruction and each
expression into ``&amp;`` (legal only in text and attribute values) and parsing that once with
lxml; the Jinja tree is checked node by node against a list of the harmless kinds. Anything
unusual answers ``False``, and such a template keeps the strict parse of every rendering.
"""

from __future__ import annotations

import re

from jinja2 import nodes
from lxml import etree

_JINJA = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)
_PI_TARGET = "xxgk-statement"
_OPENERS = {"if": "endif", "for": "endfor"}
_MIDDLES = {"if": ("elif", "else"), "for": ("else",)}
# The Jinja nodes that cannot carry unescaped markup into the output.
_HARMLESS = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Getattr, nodes.Getitem,
    nodes.Slice, nodes.Const, nodes.List, nodes.Tuple, nodes.Dict, nodes.Pair, nodes.If,
    nodes.For, nodes.Assign, nodes.Filter, nodes.Test, nodes.Compare, nodes.Operand, nodes.And,
    nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.Add, nodes.Sub, nodes.Mul, nodes.Div,
    nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.Concat, nodes.CondExpr, nodes.Call,
    nodes.Keyword, nodes.Continue, nodes.Break,
)
_UNSAFE_FILTERS = {"safe"}


def always_wellformed(source: str, parsed: nodes.Template) -> bool:
    """True when every rendering of ``source`` (compiled from ``parsed``) is well-formed XML."""
    return _autoescaped(parsed) and _statements_between_elements(source)


def _autoescaped(parsed: nodes.Template) -> bool:
    for node in parsed.find_all(nodes.Node):
        if not isinstance(node, _HARMLESS):
            return False
        if isinstance(node, nodes.Filter) and node.name in _UNSAFE_FILTERS:
            return False
    return True


def _statements_between_elements(source: str) -> bool:
    pieces = _JINJA.split(source)
    kinds: list[str] = []
    shown: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            if "<!--" in piece or "<![CDATA[" in piece:
                return False  # an expression in a comment or CDATA could end it
            shown.append(piece)
        elif piece.startswith("{{"):
            shown.append("&amp;")
        elif piece.startswith("{%"):
            words = piece[2:-2].strip("-+ \t\r\n").split()
            kind = words[0] if words else ""
            if kind == "set" and "=" not in piece:
                return False  # a block set captures output
            if kind not in ("if", "elif", "else", "endif", "for", "endfor", "set"):
                return False
            shown.append(f"<?{_PI_TARGET} {len(kinds)}?>")
            kinds.append(kind)
    try:
        root = etree.fromstring("".join(shown), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return False  # a statement or an expression inside a tag
    found = [pi for pi in root.iter(etree.PI) if pi.target == _PI_TARGET]
    if len(found) != len(kinds):
        return False
    return _blocks_are_siblings([(kinds[int(pi.text)], pi) for pi in found])


def _blocks_are_siblings(statements: list[tuple[str, etree._Element]]) -> bool:
    stack: list[tuple[str, etree._Element]] = []
    for kind, pi in statements:
        if kind == "set":
            continue
        if kind in _OPENERS:
            stack.append((kind, pi))
            continue
        if not stack:
            return False
        opener, first = stack[-1]
        if first.getparent() is not pi.getparent():
            return False
        if kind == _OPENERS[opener]:
            stack.pop()
        elif kind not in _MIDDLES[opener]:
            return False
    return not stack
