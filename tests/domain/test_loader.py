"""The validator: every kind of error, with its exact PATH:LINE: message."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assessor.domain.loading import LoadResult, parse_questionnaire
from tests.conftest import DATA

# Line numbers of BASE, for reading the expectations below:
#  7 first level, 8 second level, 13 theme t1, 18 question q1, 23-24 its options.
BASE = """\
format: 1
id: t
version: 1
language: en
title: T
levels:
  - {id: low, label: Low, min: 0}
  - {id: high, label: High, min: 50}
dimensions:
  - id: d
    label: D
    themes:
      - {id: t1, label: T1}
sections:
  - id: s
    title: S
    questions:
      - id: q1
        type: choice
        theme: t1
        text: Q1
        options:
          - {id: a, label: A, score: 0}
          - {id: b, label: B, score: 100}
"""

Load = Callable[[str], LoadResult]


def errors(load: Load, text: str) -> list[str]:
    return [str(e) for e in load(text).errors]


def test_base_is_valid(load_text: Load) -> None:
    result = load_text(BASE)
    assert result.errors == ()
    assert result.questionnaire is not None
    assert result.questionnaire.questions_by_id["q1"].required is True


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "      - {id: q1, type: text, text: Again}\n",
            ["q.yaml:25: duplicate question id 'q1' (first on line 18)"],
        ),
        (
            "      - {id: q2, type: scale, theme: nope, text: Q, min: 1, max: 5}\n",
            ["q.yaml:25: question q2: unknown theme 'nope'"],
        ),
        (
            "      - {id: q2, type: text, text: Q, visible_if: {question: q3, equals: a}}\n"
            "      - {id: q3, type: choice, text: Q, options: [{id: a, label: A}]}\n",
            [
                "q.yaml:25: question q2, visible_if: question 'q3' comes later in the file"
                " (conditions may only refer to earlier questions)"
            ],
        ),
        (
            "      - {id: q2, type: text, text: Q, visible_if: {question: q9, equals: a}}\n",
            ["q.yaml:25: question q2, visible_if: unknown question 'q9'"],
        ),
        (
            "      - {id: q2, type: text, text: Q, visible_if: {question: q2, equals: a}}\n",
            [
                "q.yaml:25: question q2, visible_if: question 'q2' comes later in the file"
                " (conditions may only refer to earlier questions)"
            ],
        ),
        (
            "      - {id: q2, type: text, text: Q, visible_if: {question: q1, includes: a}}\n",
            [
                "q.yaml:25: question q2, visible_if: 'includes' needs a multi question; 'q1' is choice"
            ],
        ),
        (
            "      - {id: q2, type: text, text: Q, visible_if: {question: q1, equals: c}}\n",
            ["q.yaml:25: question q2, visible_if: question 'q1' has no option 'c'"],
        ),
        (
            "      - {id: q2, type: text, text: Q, visible_if: {theme: t1, below: 50}}\n",
            [
                "q.yaml:25: question q2, visible_if: theme and dimension conditions are only"
                " allowed in an action's 'when'"
            ],
        ),
        (
            "      - {id: q2, type: text, text: Q, visible_if: {question: q1, equals: a, in: [b]}}\n",
            [
                "q.yaml:25: question q2, visible_if: a question condition needs exactly one of"
                " equals, in, includes, at_least, at_most"
            ],
        ),
        (
            "      - {id: q2, type: text, text: Q, vissible_if: {question: q1, equals: a}}\n",
            [
                "q.yaml:25: question q2: unknown key 'vissible_if' (expected: dma, help, id,"
                " max_length, profile, required, text, theme, type, visible_if, weight)"
            ],
        ),
        (
            "      - {id: q2, type: choice, text: Q}\n",
            ["q.yaml:25: question q2: missing required key 'options'"],
        ),
        (
            "      - {id: q2, type: radio, text: Q}\n",
            [
                "q.yaml:25: question q2: unknown type 'radio' (expected one of choice, multi,"
                " scale, number, text)"
            ],
        ),
        (
            "      - {id: q2, type: scale, text: Q, min: 5, max: 1}\n",
            ["q.yaml:25: question q2: 'max' (1) must be greater than 'min' (5)"],
        ),
        (
            "      - {id: q2, type: scale, text: Q, min: 1, max: 5, labels: {0: Zero}}\n",
            ["q.yaml:25: question q2: label key 0 is outside the scale 1..5"],
        ),
        (
            "      - {id: q2, type: text, text: Q, weight: 0}\n",
            ["q.yaml:25: question q2: 'weight' must be a number greater than 0, found 0"],
        ),
        (
            "      - {id: q2, type: text, text: Q, required: maybe}\n",
            ["q.yaml:25: question q2: 'required' must be true or false, found 'maybe'"],
        ),
        (
            "      - id: q2\n"
            "        type: multi\n"
            "        theme: t1\n"
            "        scoring: share\n"
            "        text: Q\n"
            "        options:\n"
            "          - {id: none, label: None, score: 0, exclusive: true}\n",
            [
                "q.yaml:28: question q2: share scoring needs at least one non-exclusive option"
                " with a score"
            ],
        ),
    ],
    ids=[
        "duplicate-question",
        "unknown-theme",
        "forward-reference",
        "unknown-reference",
        "self-reference",
        "operator-type",
        "unknown-option",
        "score-condition-in-visible-if",
        "two-operators",
        "unknown-key",
        "missing-options",
        "unknown-type",
        "scale-bounds",
        "scale-label",
        "zero-weight",
        "required-not-bool",
        "share-without-scores",
    ],
)
def test_question_errors(load_text: Load, extra: str, expected: list[str]) -> None:
    assert errors(load_text, BASE + extra) == expected


def test_option_errors(load_text: Load) -> None:
    text = BASE + (
        "          - {id: c, label: C, score: 120}\n"  # 25
        "          - {id: d, label: D}\n"  # 26: a themed question needs scores
        "          - {id: 10, label: Ten, score: 5}\n"  # 27: a number, not an id
        "          - {id: a, label: Again, score: 5}\n"  # 28
    )
    assert errors(load_text, text) == [
        "q.yaml:25: question q1, option c: 'score' must be a number from 0 to 100 or null,"
        " found 120",
        "q.yaml:26: question q1, option d: missing 'score' (every option of a question with a"
        " theme needs a score, or score: null)",
        "q.yaml:27: question q1, option 5: 'id' must be a text id, found 10 (quote it)",
        "q.yaml:28: duplicate option (in question q1) id 'a' (first on line 23)",
    ]


def test_level_errors(load_text: Load) -> None:
    text = BASE.replace("{id: low, label: Low, min: 0}", "{id: low, label: Low, min: 10}")
    text = text.replace("{id: high, label: High, min: 50}", "{id: high, label: High, min: 5}")
    assert errors(load_text, text) == [
        "q.yaml:7: level low: the first level's 'min' must be 0, found 10",
        "q.yaml:8: level high: 'min' 5 must be greater than the previous level's 10"
        " (levels ascend)",
    ]


def test_band_errors(load_text: Load) -> None:
    text = BASE + (
        "      - id: n\n"  # 25
        "        type: number\n"
        "        theme: t1\n"
        "        text: N\n"
        "        bands:\n"
        "          - {up_to: 10, score: 0}\n"  # 30
        "          - {up_to: 10, score: 50}\n"  # 31: not ascending
        "          - {up_to: 20, score: 101}\n"  # 32: score out of range
        "          - {up_to: 30, score: 100}\n"  # 33: the last band has an up_to
    )
    assert errors(load_text, text) == [
        "q.yaml:31: question n, band 2: 'up_to' 10 must be greater than the previous band's 10"
        " (bands ascend)",
        "q.yaml:32: question n, band 3: 'score' must be a number from 0 to 100 or null, found 101",
        "q.yaml:33: question n, band 4: the last band must have no 'up_to' (it takes every"
        " larger value)",
    ]


def test_top_level_errors_are_all_reported_in_line_order(load_text: Load) -> None:
    text = (
        BASE.replace("format: 1", "format: 2")
        .replace("id: t\n", "id: Bad_Id\n")
        .replace("version: 1", "version: 0")
        .replace("title: T\n", "")
    )
    assert errors(load_text, text) == [
        "q.yaml:1: questionnaire: missing required key 'title'",
        "q.yaml:1: questionnaire: unsupported format 2 (this assessor reads format 1)",
        "q.yaml:2: questionnaire: 'id' 'Bad_Id' must match ^[a-z0-9][a-z0-9-]*$",
        "q.yaml:3: questionnaire: 'version' must be a whole number at least 1, found 0",
    ]


def test_action_errors(load_text: Load) -> None:
    text = BASE + (
        "actions:\n"  # 25
        "  - id: a1\n"  # 26
        "    title: A1\n"
        "    when: {theme: nope, below: 50}\n"  # 28
        "    horizon: soon\n"  # 29
        "    topics: [ok, Not OK]\n"  # 30
        "    references: [efti]\n"  # 31
        "  - id: a2\n"  # 32
        "    title: A2\n"
        "    when: {dimension: d, below: 150}\n"  # 34
        "  - id: a3\n"  # 35
        "    title: A3\n"
        "    when: {all: [{question: q1, in: [a, z]}, {dimension: d}]}\n"  # 37
    )
    assert errors(load_text, text) == [
        "q.yaml:28: action a1, when: unknown theme 'nope'",
        "q.yaml:29: action a1: 'horizon' must be short, medium or long, found 'soon'",
        "q.yaml:30: action a1: 'topics' entries must be ids matching ^[A-Za-z0-9][A-Za-z0-9_-]*$,"
        " found 'Not OK'",
        "q.yaml:31: action a1: unknown reference 'efti'",
        "q.yaml:34: action a2, when: 'below' must be a number from 0 to 100, found 150",
        "q.yaml:37: action a3, when: question 'q1' has no option 'z'",
        "q.yaml:37: action a3, when: a dimension condition needs exactly one of below, at_least",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "format: 1\nid: [unclosed\n",
            "q.yaml:2: the [ ] started on line 2 is not closed where expected: close it, and put"
            " in quotes any text inside it that holds a comma, a colon or a bracket",
        ),
        ("format: 1\nformat: 2\n", "q.yaml:2: duplicate key 'format' (first on line 1)"),
        ("- a\n- b\n", "q.yaml:1: expected a questionnaire (a YAML mapping), found a list"),
        (
            "just text\n",
            "q.yaml:1: expected a questionnaire (a YAML mapping), found a single value",
        ),
        (
            "# only a comment\n",
            "q.yaml:1: the file is empty; expected a questionnaire (a YAML mapping)",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "q.yaml:2: line 2 starts a second YAML document ('---'): a file holds only one;"
            " remove the line, or move what follows it to a file of its own",
        ),
        (
            "a: !!python/object:os.system x\n",
            "q.yaml:1: unsupported YAML tag tag:yaml.org,2002:python/object:os.system",
        ),
    ],
    ids=["syntax", "duplicate-key", "list", "scalar", "empty", "two-documents", "python-tag"],
)
def test_files_that_are_not_questionnaires(load_text: Load, text: str, expected: str) -> None:
    assert errors(load_text, text) == [expected]


def test_unreadable_and_non_utf8_files(tmp_path) -> None:
    from assessor.domain.loading import load_questionnaire

    missing = load_questionnaire(tmp_path / "missing.yaml", "missing.yaml")
    assert [str(e) for e in missing.errors] == [
        "missing.yaml:1: cannot read the file: No such file or directory"
    ]
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"format: 1\ntitle: caf\xe9\n")
    assert [str(e) for e in load_questionnaire(latin1, "latin1.yaml").errors] == [
        "latin1.yaml:2: the file is not UTF-8 text"
    ]


def test_yaml_1_2_keeps_yes_and_no_as_strings(load_text: Load) -> None:
    text = BASE.replace("{id: a, label: A, score: 0}", "{id: no, label: No, score: 0}")
    text = text.replace("{id: b, label: B, score: 100}", "{id: yes, label: Yes, score: 100}")
    questionnaire = load_text(text).questionnaire
    assert questionnaire is not None
    assert [o.id for o in questionnaire.questions_by_id["q1"].options] == ["no", "yes"]


def test_parse_without_a_file_hashes_the_text() -> None:
    result = parse_questionnaire(BASE, "inline")
    assert result.questionnaire is not None
    assert len(result.questionnaire.source_sha256) == 64
    assert result.questionnaire.source_path == "inline"


def test_an_id_longer_than_its_column_is_refused(load_text: Load) -> None:
    """Ids are stored in columns of 100 characters (answers, results): a longer one would
    validate, then make every save of an answer fail on PostgreSQL."""
    source = (DATA / "every-type.yaml").read_text(encoding="utf-8")
    long_id = "c" * 101
    assert "      - id: company\n" in source
    lines = errors(load_text, source.replace("      - id: company\n", f"      - id: {long_id}\n"))
    assert any("'id' has 101 characters; at most 100 fit" in line for line in lines), lines
    assert (
        errors(load_text, source.replace("      - id: company\n", f"      - id: {'c' * 100}\n"))
        == []
    )
