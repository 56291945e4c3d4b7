"""Read YAML 1.2 into plain Python values that remember their line numbers.

libyaml composes the node tree quickly and keeps a mark on every node, but
its resolver follows YAML 1.1 (where ``no`` is ``False``). We therefore let it
resolve nothing implicitly and type plain scalars ourselves with the YAML 1.2
core schema: ``no``, ``yes``, ``on`` and ``off`` stay strings.

Mappings come back as :class:`YamlMap` (a ``dict``) and sequences as
:class:`YamlList` (a ``list``); both carry the 1-based line of the node and of
each key, value and item, which the validator uses for ``PATH:LINE:`` errors.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from assessor.domain.loading.yaml_errors import ParserReport, explain

try:  # libyaml is bundled with PyYAML's wheels; the pure parser is a fallback.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]  # the fallback of the same name
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class _Composer(_Parser, BaseResolver):
    """Composes nodes without implicit typing (BaseResolver has no rules)."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)


_TAG = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT_DEC = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
# What an explicitly tagged scalar (`!!int 3`) must resolve to.
_CORE_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int,
    "float": (int, float),
    "bool": bool,
    "null": type(None),
}


class YamlError(Exception):
    """The text is not YAML that we can read; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class YamlMap(dict[Any, Any]):
    """A mapping with the lines of itself, its keys and its values."""

    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]

    def line_of_key(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)

    def line_of_value(self, key: Any) -> int:
        return self.value_lines.get(key, self.line)


class YamlList(list[Any]):
    """A sequence with the lines of itself and of each item."""

    line: int
    item_lines: list[int]

    def line_of_item(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class Document:
    root: Any
    line: int


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def resolve_plain_scalar(text: str) -> Any:
    """Type a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT_DEC.match(text):
        return int(text)
    if _INT_OCT.match(text):
        return int(text[2:], 8)
    if _INT_HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _scalar(node: ScalarNode) -> Any:
    text = node.value
    if node.style:  # quoted or block scalars are always strings
        return text
    tag = node.tag
    if tag == _TAG + "str":  # implicit (our resolver tags every plain scalar str)
        return resolve_plain_scalar(text)
    if tag in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
        value: Any = resolve_plain_scalar(text)
        expected = _CORE_TYPES[tag.removeprefix(_TAG)]
        valid = isinstance(value, expected)  # (kept apart: narrowing would make value an object)
        if not valid:
            raise YamlError(_line(node), f"{text!r} is not a valid {tag.removeprefix(_TAG)}")
        return float(value) if tag == _TAG + "float" else value
    raise YamlError(_line(node), f"unsupported YAML tag {tag}")


def _build(node: Node, seen: dict[int, Any]) -> Any:
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if id(node) in seen:  # an alias: reuse what the anchor built
        return seen[id(node)]
    if isinstance(node, SequenceNode):
        items = YamlList()
        items.line = _line(node)
        items.item_lines = []
        seen[id(node)] = items
        for child in node.value:
            items.append(_build(child, seen))
            items.item_lines.append(_line(child))
        return items
    if isinstance(node, MappingNode):
        mapping = YamlMap()
        mapping.line = _line(node)
        mapping.key_lines = {}
        mapping.value_lines = {}
        seen[id(node)] = mapping
        for key_node, value_node in node.value:
            key = _build(key_node, seen)
            if isinstance(key, (dict, list)):
                raise YamlError(_line(key_node), "a mapping key must be a plain value")
            if key in mapping:
                raise YamlError(
                    _line(key_node),
                    f"duplicate key {key!r} (first on line {mapping.key_lines[key]})",
                )
            mapping[key] = _build(value_node, seen)
            mapping.key_lines[key] = _line(key_node)
            mapping.value_lines[key] = _line(value_node)
        return mapping
    raise YamlError(_line(node), "unsupported YAML node")  # pragma: no cover


def line_annotated(value: Any, line: int = 1) -> Any:
    """Plain values (dicts, lists, scalars) as the tree :func:`parse_yaml` gives, every
    node on ``line``: what comes from elsewhere than a file (a form) is then checked by
    the same readers, without being written out as YAML and parsed back."""
    if isinstance(value, dict):
        mapping = YamlMap()
        mapping.line = line
        mapping.key_lines = {}
        mapping.value_lines = {}
        for key, item in value.items():
            mapping[key] = line_annotated(item, line)
            mapping.key_lines[key] = mapping.value_lines[key] = line
        return mapping
    if isinstance(value, (list, tuple)):
        items = YamlList(line_annotated(item, line) for item in value)
        items.line = line
        items.item_lines = [line] * len(items)
        return items
    return value


def parse_yaml(text: str) -> Document | None:
    """Parse one YAML document; None when the text holds no document.

    Raises :class:`YamlError` with a 1-based line for anything unreadable.
    """
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        report = ParserReport(
            problem=exc.problem or exc.context or "invalid YAML",
            problem_line=mark.line + 1 if mark is not None else 1,
            context=exc.context if exc.problem else None,
            context_line=exc.context_mark.line + 1 if exc.context_mark is not None else None,
        )
        line, message = explain(text, report)
        raise YamlError(line, message) from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"invalid YAML: {exc}") from None
    finally:
        dispose = getattr(composer, "dispose", None)
        if dispose is not None:
            dispose()
    if node is None:
        return None
    return Document(root=_build(node, {}), line=_line(node))
