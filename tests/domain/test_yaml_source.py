"""YAML 1.2 typing of plain scalars, and line numbers on every node."""

from __future__ import annotations

import math

import pytest

from assessor.domain.loading.yaml_source import YamlError, parse_yaml, resolve_plain_scalar


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("12", 12),
        ("-3", -3),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("1-9", "1-9"),
        ("010", 10),
        ("1_000", "1_000"),
        ("2024-01-01", "2024-01-01"),
    ],
)
def test_plain_scalars_follow_the_core_schema(text: str, value: object) -> None:
    resolved = resolve_plain_scalar(text)
    assert resolved == value
    assert type(resolved) is type(value)


def test_special_floats() -> None:
    assert resolve_plain_scalar(".inf") == math.inf
    assert resolve_plain_scalar("-.Inf") == -math.inf
    assert math.isnan(resolve_plain_scalar(".nan"))


def test_quoted_and_block_scalars_are_strings_and_tags_are_honoured() -> None:
    document = parse_yaml("a: '12'\nb: \"true\"\nc: |\n  text\nd: !!str 5\ne: !!float 3\n")
    assert document is not None
    root = document.root
    assert root["a"] == "12"
    assert root["b"] == "true"
    assert root["c"] == "text\n"
    assert root["e"] == 3.0
    assert isinstance(root["e"], float)


def test_lines_of_keys_values_and_items() -> None:
    document = parse_yaml("top:\n  - x\n  - {k: v}\nother:\n  7\n")
    assert document is not None
    root = document.root
    assert root.line == 1
    assert root.line_of_key("other") == 4
    assert root.line_of_value("other") == 5
    assert root["top"].line_of_item(1) == 3
    assert root["top"][1].line == 3


def test_aliases_are_shared_and_bad_tags_are_errors() -> None:
    document = parse_yaml("a: &x {k: 1}\nb: *x\n")
    assert document is not None
    assert document.root["b"] == {"k": 1}
    with pytest.raises(YamlError) as caught:
        parse_yaml("a: !!int abc\n")
    assert (caught.value.line, caught.value.message) == (1, "'abc' is not a valid int")
