"""What a web page hides from its reader, so that the importer does not read it either.

A copy of a table with ``display:none``, ``visibility:hidden``, the ``hidden`` attribute, zero
size or no font, or moved far off the page, is not what the reader of the report sees: the
importer skips it. Styles count inline and in the page's <style> rules whose selectors are
simple (``tag``, ``.class``, ``#id``, ``tag.class``, comma lists of these); rules with combinators
or pseudo-classes, and external style sheets (never fetched), are not followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE = re.compile(r"(?P<tag>[a-zA-Z][\w-]*)?(?P<rest>(?:[.#][\w-]+)*)")
_DECLARATION = re.compile(r"([\w-]+)\s*:\s*([^;]+)")
_ZERO = re.compile(r"0(?:\.0+)?(?:px|pt|em|rem|%|cm|mm|in)?")
_FAR = re.compile(r"-\d{4,}(?:\.\d+)?(?:px|pt)?")


def _declarations(style: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in _DECLARATION.findall(_COMMENT.sub("", style)):
        found[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return found


def hides_by_style(style: str) -> bool:
    """True when a style declaration block keeps its element from being seen."""
    d = _declarations(style)
    if d.get("display") == "none" or d.get("visibility") in ("hidden", "collapse"):
        return True
    if _ZERO.fullmatch(d.get("font-size", "x")) or _ZERO.fullmatch(d.get("opacity", "x")):
        return True
    clipped = d.get("overflow") in ("hidden", "clip")
    sizes = ("width", "height", "max-width", "max-height")
    flat = any(_ZERO.fullmatch(d.get(k, "x")) for k in sizes)
    if clipped and flat:
        return True
    zero_box = all(_ZERO.fullmatch(d.get(k, "x")) for k in ("width", "height"))
    if zero_box and clipped:
        return True
    return any(_FAR.fullmatch(d.get(k, "x")) for k in ("left", "top", "text-indent"))


@dataclass(frozen=True)
class _Selector:
    tag: str | None
    ids: frozenset[str]
    classes: frozenset[str]


@dataclass
class HiddenRules:
    """The page's <style> rules that hide what they select (simple selectors only)."""

    selectors: list[_Selector] = field(default_factory=list)

    def hides(self, element: etree._Element) -> bool:
        """True when the element itself is hidden (its ancestors are judged on their own)."""
        if not isinstance(element.tag, str):
            return False
        if element.get("hidden") is not None:
            return True
        inline = element.get("style") or ""
        if inline and hides_by_style(inline):
            return True
        if not self.selectors or "display" in _declarations(inline):
            return False
        tag = element.tag.lower()
        own_id = element.get("id")
        classes = frozenset((element.get("class") or "").split())
        return any(
            (s.tag is None or s.tag == tag)
            and (not s.ids or s.ids == {own_id})
            and s.classes <= classes
            for s in self.selectors
        )


def hidden_rules(root: etree._Element) -> HiddenRules:
    """The hiding rules of every <style> element of a page."""
    selectors: list[_Selector] = []
    for style in root.iter("style"):
        text = _COMMENT.sub("", style.text_content() or "")
        for head, body in _RULE.findall(text):
            if not hides_by_style(body):
                continue
            for raw in head.split(","):
                selector = _simple(raw.strip())
                if selector is not None:
                    selectors.append(selector)
    return HiddenRules(selectors)


def _simple(text: str) -> _Selector | None:
    match = _SIMPLE.fullmatch(text)
    if not text or match is None or text.startswith("@"):
        return None
    parts = re.findall(r"([.#])([\w-]+)", match["rest"] or "")
    ids = frozenset(name for mark, name in parts if mark == "#")
    classes = frozenset(name for mark, name in parts if mark == ".")
    tag = match["tag"].lower() if match["tag"] else None
    return _Selector(tag, ids, classes)


def visible_text(element: etree._Element, rules: HiddenRules) -> str:
    """The text a reader sees in an element, its runs of white space made single spaces."""
    pieces: list[str] = []
    _collect(element, rules, pieces)
    return " ".join("".join(pieces).split())


def _collect(element: etree._Element, rules: HiddenRules, pieces: list[str]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in ("script", "style", "template") or not isinstance(element.tag, str):
        return
    if element.text:
        pieces.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and not rules.hides(child):
            _collect(child, rules, pieces)
        if child.tail:
            pieces.append(child.tail)
