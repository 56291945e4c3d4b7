"""YAML syntax errors in plain words, on the line to change (author-review.md §1, mistakes
2a-2e): each mistake is made in the shipped quick check, as an author would make it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assessor.domain.loading import parse_questionnaire
from assessor.domain.loading.yaml_source import YamlError, parse_yaml

# The shipped quick check, its line numbers as the cases below name them (written before the
# file declared its languages: that line is left out).
QUICK_CHECK = "".join(
    line
    for line in (Path(__file__).parents[2] / "questionnaires" / "quick-check.yaml")
    .read_text(encoding="utf-8")
    .splitlines(keepends=True)
    if not line.startswith("languages:")
)
HINT = "(YAML reads structure from indentation)"


def with_line(number: int, change: Callable[[str], str]) -> str:
    lines = QUICK_CHECK.split("\n")
    lines[number - 1] = change(lines[number - 1])
    return "\n".join(lines)


def only_error(text: str) -> str:
    result = parse_questionnaire(text, "quick-check.yaml")
    assert len(result.errors) == 1, result.errors
    return str(result.errors[0])


def test_the_quick_check_lines_the_cases_rely_on() -> None:
    lines = QUICK_CHECK.split("\n")
    assert lines[88].strip() == "- id: per-trip"
    assert lines[92].strip() == "- id: per-use"
    assert lines[101:105] == [
        "        type: choice",
        "        theme: measurement",
        "        text: Has your company calculated its greenhouse-gas footprint?",
        "        help: >-",
    ]
    assert lines[107].startswith("          Once CountEmissionsEU")


@pytest.mark.parametrize(
    ("line", "change", "expected"),
    [
        pytest.param(
            93,
            lambda s: s[1:],
            "quick-check.yaml:93: line 93 is indented less than the item of its list above it "
            f"(line 89): give it the same indentation as line 89 {HINT}",
            id="option-one-space-too-few",  # parser: did not find expected key
        ),
        pytest.param(
            103,
            lambda s: s[2:],
            "quick-check.yaml:103: line 103 is indented less than the other keys of its list "
            f"item (line 102): give it the same indentation as line 102, or start a new item "
            f"with '- ' {HINT}",
            id="key-dedented",  # parser: did not find expected '-' indicator
        ),
        pytest.param(
            105,
            lambda s: "  " + s,
            "quick-check.yaml:105: line 105 is indented more than line 104, which already has "
            f"its value: give it the same indentation as line 104 {HINT}",
            id="key-indented-too-far",  # parser: mapping values are not allowed in this context
        ),
        pytest.param(
            103,
            lambda s: "      \t  " + s.lstrip(),
            "quick-check.yaml:103: line 103 is indented with a tab: indent with spaces only "
            "(YAML does not accept tabs in indentation)",
            id="tab",
        ),
        pytest.param(
            108,
            lambda s: s[2:],
            "quick-check.yaml:108: line 108 seems to continue the folded text of 'help' (line "
            "105) but is indented less than its first line (line 106): indent every line of a "
            f"folded text (>-) as its first line, more than its key {HINT}",
            # the parser said "could not find expected ':'" on line 111
            id="folded-text-line-at-the-key",
        ),
        pytest.param(
            108,
            lambda s: s[1:],
            "quick-check.yaml:108: line 108 seems to continue the folded text of 'help' (line "
            "105) but is indented less than its first line (line 106): indent every line of a "
            f"folded text (>-) as its first line, more than its key {HINT}",
            id="folded-text-line-one-space-short",  # parser: did not find expected key
        ),
        pytest.param(
            104,
            lambda s: s.replace("footprint?", "footprint: scope 1?"),
            "quick-check.yaml:104: line 104 holds ': ' inside a text, which YAML reads as a "
            'key: put the text in quotes ("..."), or write it after >- on the lines below',
            id="colon-in-text",
        ),
    ],
)
def test_a_mistake_is_named_on_its_own_line(
    line: int, change: Callable[[str], str], expected: str
) -> None:
    message = only_error(with_line(line, change))
    assert message == expected
    assert "expected" not in message.split(":", 2)[2]  # no parser grammar in the sentence


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "a:\n  text: One long text\n    that goes on: here\n",
            3,
            "line 3 continues the text of line 2 and holds ': ', which YAML reads as a key: "
            'put that text in quotes ("..."), or write it after >- on the lines below',
        ),
        (
            "a:\n  text: One long text\n  that goes on\n  help: x\n",
            3,
            "line 3 is neither 'key: value' nor a list item ('- '): if it continues the text "
            "of line 2, indent it more than that line's key or write the text after >- ; if "
            "it is a key, add the ':' after it",
        ),
        (
            "a:\n  b:\n    c: 1\n   d: 2\n",
            4,
            "line 4 is indented 3 spaces, which lines up with no line above it: give it the "
            f"same indentation as the line it belongs with (line 3 or line 2) {HINT}",
        ),
        (
            "a:\n  b: 1\n  - c\n",
            3,
            "line 3 starts a list item ('- ') among the keys of a mapping (line 2): a list goes "
            f"under a key of its own ('key:' above it), indented more than that key {HINT}",
        ),
        (
            "a:\n   - {k: 1}\n  - {k: 2}\n  - {k: 3}\n",
            2,
            "line 2, the first item of its list, is indented differently from the items after "
            f"it (line 3): give every item of the list the same indentation {HINT}",
        ),
        (
            "a:\n   - {k: 1}\n  - {k: 2}\nb: 1\n",
            3,
            "line 3 and line 2, the first item of its list, are not indented the same: give "
            f"every item of the list the same indentation {HINT}",
        ),
        (
            'a: 1\nb: "open\nc: 3\n',
            2,
            "the quoted text that starts on line 2 is not closed: end it with the same quote "
            'mark it starts with (a quote inside it is written twice in single quotes, or as \\" '
            "in double quotes)",
        ),
        (
            "a: {x: 1, y: 2\nb: 3\n",
            1,
            "the { } started on line 1 is not closed where expected: close it, and put in quotes "
            "any text inside it that holds a comma, a colon or a bracket",
        ),
        (
            "a: 1\nunit: %\n",
            2,
            "on line 2 a value starts with a character YAML keeps for itself (such as %, @ or "
            '`): put the value in quotes, for example unit: "%"',
        ),
        (
            "a: 1\n---\nb: 2\n",
            2,
            "line 2 starts a second YAML document ('---'): a file holds only one; remove the "
            "line, or move what follows it to a file of its own",
        ),
        (
            "a: *nothing\n",
            1,
            "on line 1 a value starts with '*', which YAML reads as a reference to an anchor "
            "('&name') defined above: put the value in quotes",
        ),
    ],
    ids=[
        "colon-in-a-text-going-on",
        "text-going-on-at-the-key",
        "between-two-levels",
        "item-among-keys",
        "first-item-out-of-line",
        "one-of-two-items-out-of-line",
        "open-quote",
        "open-brace",
        "reserved-character",
        "second-document",
        "undefined-alias",
    ],
)
def test_other_syntax_mistakes_in_plain_words(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml(text)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_what_is_not_recognised_keeps_the_parser_words_at_the_end() -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml("a: [1, 2]]\n")
    assert caught.value.message.startswith("line 1 is not valid YAML: check its indentation")
    assert caught.value.message.endswith("]")
    assert "[YAML parser: " in caught.value.message


def test_a_block_text_of_its_own_right_is_not_taken_for_a_mistake() -> None:
    text = "a:\n  help: >-\n    One\n\n    two\n  text: |\n    kept\n  b: 1\n"
    document = parse_yaml(text)
    assert document is not None
    assert document.root["a"] == {"help": "One\ntwo", "text": "kept\n", "b": 1}
