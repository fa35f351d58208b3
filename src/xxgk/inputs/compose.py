"""Data file text → YAML nodes, refusing what the data-file grammar does not have.

The grammar is YAML's shape (mappings, sequences, scalars, comments) without YAML 1.1's value
guessing: every scalar is kept as the text written (``010``, ``0x1F``, ``1:30``, ``yes`` stay text)
and :mod:`xxgk.inputs.numbers` reads numbers by our own rules. Refused, each with a finding:
explicit tags other than str/seq/map (``!!bool``, ``!!python/…``), anchors and aliases (so nothing
can multiply), nesting deeper than any data file needs (checked before libyaml, whose composer
recurses in C and whose scanner is quadratic in flow depth).
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xxgk import labels
from xxgk.errors import Finding, Location, Severity, XxgkError
from xxgk.inputs.messages import yaml_message
from xxgk.inputs.printable import shown

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
ALLOWED_TAGS = frozenset({STR_TAG, SEQ_TAG, MAP_TAG})
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

# A data file nests five levels (表三/办理结果/不予公开/行/数); 100 is far beyond any real one
# and far below what the composers can take (the C one recurses, the pure one hits Python's limit).
MAX_DEPTH = 100
# Each nesting level needs one of these characters; fewer of them than this bounds the depth
# without a scan (libyaml's C composer takes several thousand levels).
_NESTERS = "[{-?:"
_NESTERS_WITHOUT_SCAN = 1000
_NOT_YAML_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


class _Resolver:
    """Every untagged scalar is text; collections are sequences and mappings."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return STR_TAG
        return SEQ_TAG if kind is SequenceNode else MAP_TAG

    # No path-dependent resolution: the composer's per-node bookkeeping for it can go.
    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastLoader(_Resolver, _Base):  # type: ignore[misc,valid-type]
    """libyaml's composer (line marks, ten times faster than the pure one), no value guessing."""


class _PureLoader(_Resolver, yaml.SafeLoader):
    """The pure loader: reads what libyaml refuses (a ``"\\uD800"`` escape), words errors best."""


class _DepthScanner(yaml.SafeLoader):
    """Tokens only, stopping as soon as the nesting passes MAX_DEPTH."""

    def fetch_flow_collection_start(self, TokenClass: type) -> None:
        if self.flow_level >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        if len(self.indents) >= MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        return bool(super().add_indent(column))


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__()
        self.mark = mark


def compose(text: str, file: str | None) -> tuple[Node | None, str, list[Finding]]:
    """The root node, the text it was read from (input-method colons mended) and warnings;
    XxgkError with a Chinese message for anything refused."""
    _refuse_deep_nesting(text, file)
    notes: list[Finding] = []
    while True:
        try:
            root = yaml.compose(text, Loader=_FastLoader)
            break
        except (yaml.YAMLError, UnicodeEncodeError):  # libyaml takes UTF-8: no lone surrogate
            pass
        try:
            root = _compose_pure(text, file)
            break
        except yaml.YAMLError as exc:
            mended = _full_width_colon_mended(exc, text)
            if mended is None or len(notes) >= _MAX_MENDED:
                message, line = yaml_message(exc, text)
                message = f"YAML 格式错误：{message}"
                raise XxgkError.single("input/yaml-syntax", message, file, line) from exc
            text, line = mended
            notes.append(
                Finding(
                    "input/full-width",
                    Severity.WARNING,
                    Location((), file, line),
                    "键后面的中文冒号「：」已按英文冒号「: 」读取；请改为英文冒号加空格",
                )
            )
    if root is not None and ("&" in text or "!" in text):  # no anchor, no tag: nothing to see
        findings = refused_nodes(root, file) or _anchors(text, file)
        if findings:
            raise XxgkError(findings)
    return root, text, notes


def _anchors(text: str, file: str | None) -> list[Finding]:
    """A finding for the first anchor: even unused, ``&名称`` silently takes the place of the
    value (``发文字号: &永政1号`` reads as empty)."""
    for loader in (_FastLoader, _PureLoader):
        try:
            for token in yaml.scan(text, Loader=loader):
                if isinstance(token, yaml.AnchorToken):
                    where = Location((), file, token.start_mark.line + 1)
                    return [Finding("input/alias", Severity.ERROR, where, _ALIAS)]
            return []
        except (yaml.YAMLError, UnicodeEncodeError):
            continue
    return []


_MAX_MENDED = 50
_KEY_WITH_WIDE_COLON = re.compile(r"(\s*(?:-\s+)?)([^\s：#'\"\[\]{}|>][^：#]*?)\s*：[ \t\u3000]*")
# Only a key of the data file is mended: a paragraph line with a 「：」 at the wrong indentation
# must not become a key.
KEYS = frozenset(
    [
        *(s.key for s in labels.SECTIONS),
        *(r.key for r in labels.TABLE3_ROWS),
        *(g.key for g in labels.TABLE3_GROUPS),
        *(b.label for b in labels.TABLE4_BLOCKS),
        *labels.TABLE2_ROW_LABELS.values(),
        *labels.TABLE3_COLUMN_LABELS,
        *(label for _, label in labels.TABLE4_OUTCOMES),
        labels.TABLE3_RESULTS_KEY,
        labels.TABLE3_RESULTS_TOTAL_KEY,
        labels.TABLE3_OTHER_HANDLING_TOTAL_KEY,
        labels.TABLE3_TOTAL,
        labels.KEY_FORMAT,
        labels.KEY_ORGAN,
        labels.KEY_YEAR,
        labels.KEY_HEADER,
        labels.KEY_ISSUER_MARK,
        labels.KEY_DOC_NUMBER,
        labels.KEY_DATE,
        labels.KEY_PUBLISHED,
        labels.KEY_SIGNER,
        labels.KEY_TITLE,
        labels.KEY_INTRO,
        labels.KEY_SUBSECTIONS,
        labels.KEY_SUB_TITLE,
        labels.KEY_SUB_TEXT,
    ]
)


def _full_width_colon_mended(exc: yaml.YAMLError, text: str) -> tuple[str, int] | None:
    """The text with a key's full-width colon (「行政处罚：3」) made 「: 」, when that is what the
    parser stumbled on; and the line mended."""
    if not isinstance(exc, yaml.MarkedYAMLError) or exc.context_mark is None:
        return None
    if "could not find expected ':'" not in (exc.problem or ""):
        return None
    index = exc.context_mark.line
    lines = text.split("\n")
    if index >= len(lines):
        return None
    match = _KEY_WITH_WIDE_COLON.match(lines[index])
    if match is None or match.group(2).strip() not in KEYS:
        return None
    mended = _KEY_WITH_WIDE_COLON.sub(r"\1\2: ", lines[index], count=1)
    lines[index] = mended
    return "\n".join(lines), index + 1


def _compose_pure(text: str, file: str | None) -> Node | None:
    """The pure loader's reading; YAMLError as it raises it."""
    try:
        return yaml.compose(text, Loader=_PureLoader)
    except RecursionError as exc:
        raise _too_deep(file, None) from exc


def _refuse_deep_nesting(text: str, file: str | None) -> None:
    if sum(text.count(ch) for ch in _NESTERS) <= _NESTERS_WITHOUT_SCAN:
        return
    # The pure reader refuses a control character before scanning anything, libyaml only on
    # reaching it (after composing what comes before): scan with such characters blanked.
    scanner = _DepthScanner(_NOT_YAML_PRINTABLE.sub(" ", text))
    try:
        while scanner.check_token():
            scanner.get_token()  # type: ignore[no-untyped-call]
    except _TooDeep as exc:
        raise _too_deep(file, exc.mark.line + 1) from None
    except yaml.YAMLError:
        return  # a syntax error: the composer stops there too, and says where
    finally:
        scanner.dispose()


def _too_deep(file: str | None, line: int | None) -> XxgkError:
    return XxgkError.single(
        "input/too-deep",
        f"嵌套超过 {MAX_DEPTH} 层，数据文件不会有这么多层；"
        "请检查是否多写了「[」「{」或「- 」",
        file,
        line,
    )


def refused_nodes(root: Node, file: str | None) -> list[Finding]:
    """A finding for each explicit tag the grammar does not have, and for the first alias."""
    findings: list[Finding] = []
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            findings.append(_finding("input/alias", node, file, _ALIAS))
            break  # one is enough, and the graph may be built to be walked forever
        seen.add(id(node))
        if node.tag not in ALLOWED_TAGS:
            findings.append(_finding("input/tag", node, file, _tag_message(node)))
        if isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
    return findings


_ALIAS = (
    "数据文件不能使用锚点和别名（「&名称」与「*名称」）；请把内容直接写出；"
    "值本身以「&」或「*」开头时请加引号"
)


def _tag_message(node: Node) -> str:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return (
        f"数据文件不能使用类型标记「{shown(tag)}」；请删除它，直接写值"
        "（值本身以「!」开头时请加引号）"
    )


def _finding(code: str, node: Node, file: str | None, message: str) -> Finding:
    return Finding(code, Severity.ERROR, Location((), file, node.start_mark.line + 1), message)


def is_null(node: Node) -> bool:
    """Whether a node is YAML's null as typed: nothing, ``~`` or ``null`` (not quoted)."""
    return isinstance(node, ScalarNode) and not node.style and node.value in NULL_WORDS
