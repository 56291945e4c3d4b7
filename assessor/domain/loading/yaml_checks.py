"""Typed readers over line-annotated YAML that collect ``PATH:LINE: message`` errors.

Shared by every validator of YAML files (questionnaires, cluster catalogues):
each reader reports its own error and returns None, so a validator can go on
and report every problem of a file at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from assessor.domain.loading.yaml_source import YamlList, YamlMap
from assessor.domain.numbers import is_number

ITEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# Ids are stored in columns of this size (answers, results, services).
ID_MAX_LENGTH = 100


class NodeKeys(NamedTuple):
    """The keys a kind of mapping must have and may have (a grammar's one list of them)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class LoadError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, YamlMap):
        return "a mapping"
    if isinstance(value, YamlList):
        return "a list"
    return repr(value)


class YamlChecker:
    """Collects errors while typed readers walk a YAML tree."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[LoadError] = []

    # -- small typed readers; each reports its own error and returns None --

    def error(self, line: int, message: str) -> None:
        self.errors.append(LoadError(self.path, line, message))

    def check_keys(
        self, node: YamlMap, where: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> None:
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in node:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.error(
                    node.line_of_key(key), f"{where}: unknown key {key!r} (expected: {expected})"
                )
        for key in required:
            if key not in node:
                self.error(node.line, f"{where}: missing required key {key!r}")

    def mapping(self, value: Any, line: int, where: str) -> YamlMap | None:
        if isinstance(value, YamlMap):
            return value
        self.error(line, f"{where}: expected a mapping, found {describe(value)}")
        return None

    def entries(self, items: YamlList, kind: str) -> Iterator[tuple[int, int, YamlMap]]:
        """Each mapping of a list, with its index and line. Any other item gets an error
        (``KIND N: expected a mapping``) and is skipped."""
        for index, item in enumerate(items):
            line = items.line_of_item(index)
            node = self.mapping(item, line, f"{kind} {index + 1}")
            if node is not None:
                yield index, line, node

    def sequence(self, node: YamlMap, key: str, where: str, *, non_empty: bool = True) -> YamlList:
        value = node.get(key)
        if key not in node:
            return YamlList()
        if not isinstance(value, YamlList):
            self.error(
                node.line_of_value(key),
                f"{where}: {key!r} must be a list, found {describe(value)}",
            )
            return YamlList()
        if non_empty and not value:
            self.error(node.line_of_value(key), f"{where}: {key!r} must not be empty")
        return value

    def text(self, node: YamlMap, key: str, where: str) -> str | None:
        if key not in node:
            return None
        value = node[key]
        if not isinstance(value, str) or not value.strip():
            self.error(
                node.line_of_value(key),
                f"{where}: {key!r} must be a non-empty text, found {describe(value)}",
            )
            return None
        return value.strip()

    def web_address(self, node: YamlMap, key: str, where: str) -> str | None:
        """A text that must be an https:// address (a web site, a service's page)."""
        value = self.text(node, key, where)
        if value is not None and not value.startswith("https://"):
            self.error(node.line_of_value(key), f"{where}: {key!r} must start with https://")
        return value

    def identifier(
        self, node: YamlMap, key: str, where: str, pattern: re.Pattern[str] = ITEM_ID
    ) -> str | None:
        if key not in node:
            return None
        value = node[key]
        if not isinstance(value, str):
            hint = " (quote it)" if isinstance(value, (int, float, bool)) else ""
            self.error(
                node.line_of_value(key),
                f"{where}: {key!r} must be a text id, found {describe(value)}{hint}",
            )
            return None
        if not pattern.match(value):
            self.error(
                node.line_of_value(key), f"{where}: {key!r} {value!r} must match {pattern.pattern}"
            )
            return None
        if len(value) > ID_MAX_LENGTH:
            self.error(
                node.line_of_value(key),
                f"{where}: {key!r} has {len(value)} characters; at most {ID_MAX_LENGTH} fit",
            )
            return None
        return value

    def number(
        self,
        node: YamlMap,
        key: str,
        where: str,
        *,
        low: float | None = None,
        high: float | None = None,
        positive: bool = False,
        integer: bool = False,
        nullable: bool = False,
    ) -> float | None:
        value = node.get(key)
        if value is None and nullable:
            return None
        kind = "a whole number" if integer else "a number"
        number = value if is_number(value) and (not integer or isinstance(value, int)) else None
        ok = (
            number is not None
            and not (positive and number <= 0)
            and not (low is not None and number < low)
            and not (high is not None and number > high)
        )
        if not ok:
            bounds = []
            if positive:
                bounds.append("greater than 0")
            if low is not None and high is not None:
                bounds.append(f"from {low:g} to {high:g}")
            elif low is not None:
                bounds.append(f"at least {low:g}")
            elif high is not None:
                bounds.append(f"at most {high:g}")
            null = " or null" if nullable else ""
            detail = " " + " ".join(bounds) if bounds else ""
            self.error(
                node.line_of_value(key),
                f"{where}: {key!r} must be {kind}{detail}{null}, found {describe(value)}",
            )
            return None
        return number

    def boolean(self, node: YamlMap, key: str, where: str, default: bool) -> bool:
        if key not in node:
            return default
        value = node[key]
        if not isinstance(value, bool):
            self.error(
                node.line_of_value(key),
                f"{where}: {key!r} must be true or false, found {describe(value)}",
            )
            return default
        return value

    def unique(self, seen: dict[str, int], item_id: str | None, line: int, kind: str) -> None:
        if item_id is None:
            return
        if item_id in seen:
            self.error(line, f"duplicate {kind} id {item_id!r} (first on line {seen[item_id]})")
        else:
            seen[item_id] = line

    def id_list(
        self, node: YamlMap, key: str, where: str, *, required: bool = False
    ) -> tuple[str, ...]:
        """A list of ids (an action's or a service's topics, ...); ``required``: not empty."""
        items = self.sequence(node, key, where, non_empty=required)
        values: list[str] = []
        for index, value in enumerate(items):
            if isinstance(value, str) and ITEM_ID.match(value):
                values.append(value)
            else:
                self.error(
                    items.line_of_item(index),
                    f"{where}: {key!r} entries must be ids matching {ITEM_ID.pattern}, found {describe(value)}",
                )
        return tuple(values)
