"""Which scores two versions of a questionnaire share (issue 16, follow-ups)."""

from __future__ import annotations

import pytest

from assessor.domain.comparability import compare
from assessor.domain.loading import parse_questionnaire
from assessor.domain.model import Questionnaire

V1 = """\
format: 1
id: t
version: 1
language: en
title: T
levels:
  - {id: low, label: Low, min: 0}
  - {id: high, label: High, min: 50}
dimensions:
  - id: d1
    label: D1
    themes:
      - {id: t1, label: T1}
      - {id: t2, label: T2}
  - id: d2
    label: D2
    themes:
      - {id: t3, label: T3}
sections:
  - id: s1
    title: S1
    questions:
      - id: fleet
        type: choice
        text: Do you run vehicles?
        profile: activity
        options:
          - {id: yes, label: Yes}
          - {id: no, label: No}
      - id: q1
        type: choice
        theme: t1
        text: Q1
        options:
          - {id: a, label: A, score: 0}
          - {id: b, label: B, score: 100}
      - id: q2
        type: multi
        theme: t2
        text: Q2
        scoring: share
        options:
          - {id: x, label: X, score: 100}
          - {id: y, label: Y, score: 100}
  - id: s2
    title: S2
    questions:
      - id: q3
        type: scale
        theme: t3
        text: Q3
        min: 1
        max: 5
      - id: q4
        type: choice
        theme: t3
        text: Q4
        visible_if: {question: fleet, equals: yes}
        options:
          - {id: a, label: A, score: 0}
          - {id: b, label: B, score: 100}
  - id: s3
    title: S3
    visible_if: {question: fleet, equals: no}
    questions:
      - {id: why, type: text, text: Why not?}
"""

ALL = {"overall", "dimension:d1", "dimension:d2", "theme:t1", "theme:t2", "theme:t3"}


def load(text: str) -> Questionnaire:
    result = parse_questionnaire(text, "q.yaml")
    assert result.errors == (), result.errors
    assert result.questionnaire is not None
    return result.questionnaire


def changed(text: str, old: str, new: str) -> Questionnaire:
    assert text.count(old) == 1, old
    return load(text.replace(old, new).replace("version: 1", "version: 2"))


def incomparable(later: Questionnaire) -> set[str]:
    comparison = compare(load(V1), later)
    return ALL - comparison.comparable


@pytest.fixture(scope="module")
def v1() -> Questionnaire:
    return load(V1)


def test_the_same_content_compares_everything(v1: Questionnaire) -> None:
    comparison = compare(v1, load(V1))
    assert comparison.comparable == ALL
    assert comparison.everything
    assert (comparison.changed_dimensions, comparison.changed_themes) == ((), ())


def test_a_score_change_in_one_option_stops_its_theme_dimension_and_overall() -> None:
    later = changed(
        V1,
        "{id: b, label: B, score: 100}\n      - id: q2",
        "{id: b, label: B, score: 60}\n      - id: q2",
    )
    comparison = compare(load(V1), later)
    assert ALL - comparison.comparable == {"overall", "dimension:d1", "theme:t1"}
    assert comparison.changed_themes == ("t1",)
    assert comparison.changed_dimensions == ("d1",)
    assert (comparison.earlier_version, comparison.later_version) == (1, 2)
    assert not comparison.everything


def test_wording_never_matters() -> None:
    reworded = (
        V1.replace("text: Q1", "text: Which of these best describes you?")
        .replace("label: T2", "label: Second theme")
        .replace("title: S2", "title: Page two")
        .replace("{id: x, label: X, score: 100}", "{id: x, label: Ex, score: 100, help: Why}")
        .replace("title: T\n", "title: Renamed\n")
    )
    later = load(reworded.replace("version: 1", "version: 2"))
    assert later.source_sha256 != load(V1).source_sha256
    assert incomparable(later) == set()


def test_a_question_moved_to_another_page_still_compares() -> None:
    q2 = V1[V1.index("      - id: q2") : V1.index("  - id: s2")]
    moved = V1.replace(q2, "")
    moved = moved.replace(
        "    questions:\n      - id: q3", "    questions:\n" + q2 + "      - id: q3"
    )
    later = load(moved.replace("version: 1", "version: 2"))
    assert later.questions_by_id["q2"].section_id == "s2"
    assert incomparable(later) == set()


def test_a_question_moved_under_a_condition_does_not() -> None:
    q3 = V1[V1.index("      - id: q3") : V1.index("      - id: q4")]
    moved = V1.replace(q3, "").replace("      - {id: why", q3 + "      - {id: why")
    later = load(moved.replace("version: 1", "version: 2"))
    assert later.questions_by_id["q3"].section_id == "s3"
    assert incomparable(later) == {"overall", "dimension:d2", "theme:t3"}


def test_a_new_scored_question_stops_only_its_theme() -> None:
    later = changed(
        V1,
        "  - id: s3\n",
        "      - {id: q5, type: scale, theme: t2, text: Q5, min: 0, max: 10}\n  - id: s3\n",
    )
    assert incomparable(later) == {"overall", "dimension:d1", "theme:t2"}


def test_a_new_question_that_scores_nothing_stops_nothing() -> None:
    later = changed(
        V1, "  - id: s3\n", "      - {id: note, type: text, text: Anything else?}\n  - id: s3\n"
    )
    assert incomparable(later) == set()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A question's weight weighs it against its theme's other questions.
        (
            "        text: Q4\n",
            "        text: Q4\n        weight: 2\n",
            {"theme:t3", "dimension:d2", "overall"},
        ),
        # A theme's weight only weighs it within its dimension.
        ("{id: t2, label: T2}", "{id: t2, label: T2, weight: 3}", {"dimension:d1", "overall"}),
        # A dimension's only in the overall score.
        ("    label: D2\n", "    label: D2\n    weight: 2\n", {"overall"}),
    ],
    ids=["question", "theme", "dimension"],
)
def test_a_weight_change_stops_what_it_weighs(old: str, new: str, expected: set[str]) -> None:
    assert incomparable(changed(V1, old, new)) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A multi question scored otherwise.
        ("scoring: share", "scoring: sum", {"theme:t2"}),
        # A scale's range.
        ("max: 5", "max: 7", {"theme:t3"}),
        # Whether the question must be answered.
        ("        text: Q3\n", "        text: Q3\n        required: false\n", {"theme:t3"}),
        # When it is asked.
        ("{question: fleet, equals: yes}", "{question: fleet, equals: no}", {"theme:t3"}),
        # The question its condition looks at offers other answers now.
        (
            "{id: no, label: No}",
            "{id: no, label: No}\n          - {id: some, label: Some}",
            {"theme:t3"},
        ),
    ],
    ids=["scoring", "range", "required", "condition", "condition-question"],
)
def test_what_feeds_a_score_counts(old: str, new: str, expected: set[str]) -> None:
    found = incomparable(changed(V1, old, new))
    dimension = {"theme:t2": "dimension:d1", "theme:t3": "dimension:d2"}
    assert found == expected | {dimension[k] for k in expected} | {"overall"}


def test_a_theme_removed_or_added_changes_its_dimension() -> None:
    later = changed(V1, "{id: t2, label: T2}", "{id: t2, label: T2}\n      - {id: t9, label: T9}")
    comparison = compare(load(V1), later)
    # An empty new theme has no score, but the dimension's set of themes changed.
    assert "theme:t9" not in comparison.comparable
    assert ALL - comparison.comparable == {"dimension:d1", "overall"}


def test_another_questionnaire_compares_nothing(v1: Questionnaire) -> None:
    other = load(V1.replace("id: t\n", "id: other\n", 1))
    comparison = compare(v1, other)
    assert comparison.comparable == frozenset()
    assert comparison.changed_themes == ("t1", "t2", "t3")
