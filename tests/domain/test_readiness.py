"""Questions about EU rules: a question's ``rule``, an option's ``readiness``, the state an
answer tells, the validator's messages, and why tagging a questionnaire is no new version."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from assessor.domain.loading import LoadResult, content_sha256, parse_questionnaire
from assessor.domain.model import ReadinessState
from assessor.domain.readiness import readiness_of
from tests.conftest import SHIPPED

# Line numbers: 18 question q1, 20 its rule, 24-28 its options (26: pilot).
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
        rule: efti
        theme: t1
        text: Q1
        options:
          - {id: no, label: No, score: 0}
          - {id: asked, label: Asked, score: 40}
          - {id: pilot, label: Pilot, score: 70}
          - {id: yes, label: Yes, score: 100}
          - {id: na, label: Not applicable, score: null}
references:
  - {id: efti, title: eFTI, text: Electronic freight information.}
  - {id: ets2, title: ETS2, text: A carbon price on fuels.}
"""

Load = Callable[[str], LoadResult]
READY, PREPARING, UNAWARE, UNKNOWN = (
    ReadinessState.READY,
    ReadinessState.PREPARING,
    ReadinessState.UNAWARE,
    ReadinessState.UNKNOWN,
)


def errors(load: Load, text: str) -> list[str]:
    return [str(e) for e in load(text).errors]


def states(text: str) -> dict[str, ReadinessState | None]:
    questionnaire = parse_questionnaire(text).questionnaire
    assert questionnaire is not None
    question = questionnaire.questions_by_id["q1"]
    return {option.id: readiness_of(question, option.id) for option in question.options}


def test_by_default_the_scores_decide() -> None:
    """Highest scoring ready, lowest unaware, in between preparing, no score not counted."""
    assert states(BASE) == {
        "no": UNAWARE,
        "asked": PREPARING,
        "pilot": PREPARING,
        "yes": READY,
        "na": None,
    }


def test_an_options_readiness_says_it_instead() -> None:
    text = (
        BASE.replace("score: 70}", "score: 70, readiness: ready}")
        .replace("score: 40}", "score: 40, readiness: none}")
        .replace("score: null}", "score: null, readiness: unknown}")
    )
    assert states(text) == {
        "no": UNAWARE,
        "asked": None,
        "pilot": READY,
        "yes": READY,
        "na": UNKNOWN,
    }


def test_ties_share_the_state_and_other_questions_tell_none() -> None:
    questionnaire = parse_questionnaire(BASE.replace("score: 70}", "score: 100}")).questionnaire
    assert questionnaire is not None
    question = questionnaire.questions_by_id["q1"]
    assert readiness_of(question, "pilot") is READY
    assert readiness_of(question, "yes") is READY
    assert readiness_of(question, "gone") is None  # not an option of the question
    untagged = parse_questionnaire(BASE.replace("        rule: efti\n", "")).questionnaire
    assert untagged is not None
    assert untagged.questions_by_id["q1"].rule is None
    assert readiness_of(untagged.questions_by_id["q1"], "yes") is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("rule: efti", "rule: eftii"),
            "q.yaml:20: question q1: 'rule' 'eftii' is not a reference of this questionnaire;"
            " did you mean 'efti'?",
        ),
        (
            ("rule: efti", "rule: vida"),
            "q.yaml:20: question q1: 'rule' 'vida' is not a reference of this questionnaire"
            " (its references: efti, ets2)",
        ),
        (
            ("rule: efti", "rule: [efti]"),
            "q.yaml:20: question q1: 'rule' must be a text id, found a list",
        ),
        (
            ("type: choice", "type: multi"),
            "q.yaml:20: question q1: 'rule' is only for choice questions (one answer, one"
            " readiness state), not for a multi question",
        ),
        (
            ("score: 70}", "score: 70, readiness: redy}"),
            "q.yaml:26: question q1, option pilot: 'readiness' 'redy' is not a readiness"
            " state; did you mean 'ready'?",
        ),
        (
            ("score: 70}", "score: 70, readiness: null}"),
            "q.yaml:26: question q1, option pilot: 'readiness' null is not a readiness state"
            " (expected one of ready, preparing, unaware, unknown, none)",
        ),
        (
            ("        rule: efti\n", ""),
            "q.yaml:25: question q1, option pilot: 'readiness' needs a 'rule' on its question"
            " (the reference whose readiness the answer tells)",
        ),
        (
            # Every scored option alike: nobody is told apart.
            ("score: 0}", "score: 100}"),
            "q.yaml:20: question q1: 'rule' needs options in at least two of the states ready,"
            " preparing and unaware, or it tells no company apart: give the options different"
            " scores, or each a 'readiness'",
        ),
    ],
)
def test_validator_messages(load_text: Load, change: tuple[str, str], expected: str) -> None:
    text = BASE.replace(*change)
    if "needs a 'rule'" in expected:
        text = text.replace("score: 70}", "score: 70, readiness: ready}")
    if "at least two" in expected:
        text = text.replace("score: 40}", "score: 100}").replace("score: 70}", "score: 100}")
    assert text != BASE
    assert errors(load_text, text) == [expected]


def test_without_references_the_message_says_so(load_text: Load) -> None:
    text = BASE[: BASE.index("references:")]
    assert errors(load_text, text) == [
        "q.yaml:20: question q1: 'rule' 'efti' is not a reference of this questionnaire"
        " (it has no `references`)"
    ]


def test_explicit_states_make_an_unscored_question_count(load_text: Load) -> None:
    """A question without a theme has no scores: its options say their states."""
    text = (
        BASE.replace("        theme: t1\n", "")
        .replace(", score: 0}", ", readiness: unaware}")
        .replace(", score: 40}", ", readiness: preparing}")
        .replace(", score: 70}", ", readiness: preparing}")
        .replace(", score: 100}", ", readiness: ready}")
        .replace(", score: null}", "}")
    )
    assert errors(load_text, text) == []
    assert states(text) == {
        "no": UNAWARE,
        "asked": PREPARING,
        "pilot": PREPARING,
        "yes": READY,
        "na": None,
    }
    untagged_options = BASE.replace("        theme: t1\n", "").replace(", score: null}", "}")
    assert (
        "at least two of the states"
        in errors(load_text, re.sub(r", score: \d+}", "}", untagged_options))[0]
    )


def _untagged(text: str) -> str:
    """The text without any ``rule`` or ``readiness``."""
    text = re.sub(r"^ *rule: \S+\n", "", text, flags=re.MULTILINE)
    return re.sub(r", readiness: [a-z]+\}", "}", text)


def test_tags_are_not_content() -> None:
    """No score, condition or text depends on them: adding them is not a new version."""
    tagged = BASE.replace("score: 70}", "score: 70, readiness: ready}")
    assert content_sha256(tagged) == content_sha256(_untagged(tagged))
    assert content_sha256(tagged) != content_sha256(tagged.replace("score: 70", "score: 75"))
    parsed = parse_questionnaire(tagged).questionnaire
    assert parsed is not None
    assert parsed.source_sha256 == content_sha256(_untagged(tagged))


def test_the_tagged_flagship_says_what_version_3_said() -> None:
    text = (SHIPPED / "logistics-maturity.yaml").read_text(encoding="utf-8")
    untagged = _untagged(text)
    tagged = parse_questionnaire(text).questionnaire
    plain = parse_questionnaire(untagged).questionnaire
    assert tagged is not None
    assert plain is not None
    assert [q.id for q in plain.questions if q.rule] == []
    assert all(o.readiness is None for q in plain.questions for o in q.options)
    assert [q.id for q in tagged.questions if q.rule]  # the tags were there to remove
    assert tagged.version == plain.version == 3
    assert content_sha256(text) == content_sha256(untagged)
