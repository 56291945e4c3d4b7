"""Invariants of loading and scoring, on generated questionnaires and answers."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.domain.actions import triggered_actions
from assessor.domain.addresses import is_open
from assessor.domain.answers import check_answers
from assessor.domain.loading import parse_questionnaire
from assessor.domain.model import Questionnaire
from assessor.domain.scoring import Result, evaluate, score_answers
from assessor.domain.visibility import visibility
from tests.domain.strategies import answer_value, answers_for, questionnaire_documents

PROPERTY = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load(document: str) -> Questionnaire:
    result = parse_questionnaire(document, "generated.yaml")
    assert result.errors == (), [str(e) for e in result.errors]
    assert result.questionnaire is not None
    return result.questionnaire


def fingerprint(result: Result) -> tuple[Any, ...]:
    """Everything a result says, unrounded."""
    return (
        result.score,
        result.level,
        tuple(
            (d.score, d.level, tuple((t.score, t.level) for t in d.themes))
            for d in result.dimensions
        ),
        dict(result.question_scores),
        result.missing,
        tuple((t.action.id, t.urgency) for t in triggered_actions(result)),
    )


@st.composite
def questionnaire_and_answers(draw: st.DrawFn) -> tuple[Questionnaire, dict[str, Any]]:
    questionnaire = load(draw(questionnaire_documents()))
    return questionnaire, draw(answers_for(questionnaire))


@PROPERTY
@given(questionnaire_and_answers())
def test_every_score_is_within_0_and_100_or_none(
    case: tuple[Questionnaire, dict[str, Any]],
) -> None:
    questionnaire, answers = case
    result = score_answers(questionnaire, answers)
    found = (
        [result.score]
        + [d.score for d in result.dimensions]
        + [t.score for d in result.dimensions for t in d.themes]
        + list(result.question_scores.values())
    )
    for score in found:
        assert score is None or 0 <= score <= 100
    assert (result.score is None) == (result.level is None)
    for dimension in result.dimensions:
        assert (dimension.score is None) == (dimension.level is None)
        theme_scores = [t.score for t in dimension.themes if t.score is not None]
        if theme_scores:  # a weighted mean lies between its smallest and largest part
            assert min(theme_scores) - 1e-9 <= dimension.score <= max(theme_scores) + 1e-9


@PROPERTY
@given(questionnaire_and_answers(), st.data())
def test_answers_to_hidden_questions_never_change_a_result(
    case: tuple[Questionnaire, dict[str, Any]], data: st.DataObject
) -> None:
    questionnaire, answers = case
    result = score_answers(questionnaire, answers)
    hidden = [q for q in questionnaire.questions if q.id not in result.visible]
    without_hidden = {k: v for k, v in answers.items() if k in result.visible}
    assert fingerprint(score_answers(questionnaire, without_hidden)) == fingerprint(result)
    with_other_hidden = dict(without_hidden)
    for question in hidden:
        with_other_hidden[question.id] = data.draw(answer_value(question))
    assert fingerprint(score_answers(questionnaire, with_other_hidden)) == fingerprint(result)


@PROPERTY
@given(questionnaire_and_answers(), st.randoms(use_true_random=False))
def test_the_order_of_answers_never_matters(
    case: tuple[Questionnaire, dict[str, Any]], rng: random.Random
) -> None:
    questionnaire, answers = case
    items = list(answers.items())
    rng.shuffle(items)
    shuffled = {k: (list(reversed(v)) if isinstance(v, list) else v) for k, v in items}
    assert fingerprint(score_answers(questionnaire, shuffled)) == fingerprint(
        score_answers(questionnaire, answers)
    )


@st.composite
def v3_questionnaire_and_answers(draw: st.DrawFn) -> tuple[Questionnaire, dict[str, Any]]:
    """A questionnaire with conditional options and addressing actions, and answers that
    may name options hidden for them (as stored answers may)."""
    questionnaire = load(draw(questionnaire_documents(v3=True)))
    return questionnaire, draw(answers_for(questionnaire))


@PROPERTY
@given(v3_questionnaire_and_answers())
def test_a_hidden_option_never_changes_a_result(
    case: tuple[Questionnaire, dict[str, Any]],
) -> None:
    questionnaire, raw = case
    stored, problems = check_answers(questionnaire, raw, allow_hidden_options=True)
    assert problems == []
    result = evaluate(questionnaire, stored)
    applying = visibility(questionnaire, stored).answers
    # The answers as they apply pass the strict checker and give the very same result.
    assert check_answers(questionnaire, dict(applying))[1] == []
    assert fingerprint(score_answers(questionnaire, dict(applying))) == fingerprint(result)
    for question_id, hidden in result.hidden_options.items():
        value = result.answers.get(question_id)
        named = {value} if isinstance(value, str) else set(value or ())
        assert not named & hidden


@PROPERTY
@given(v3_questionnaire_and_answers())
def test_a_triggered_action_always_addresses_something_open(
    case: tuple[Questionnaire, dict[str, Any]],
) -> None:
    questionnaire, raw = case
    result = evaluate(
        questionnaire, check_answers(questionnaire, raw, allow_hidden_options=True)[0]
    )
    triggered = {t.action.id for t in triggered_actions(result)}
    for action in questionnaire.actions:
        expected = action.when.holds(result) and (
            not action.addresses or any(is_open(item, result) for item in action.addresses)
        )
        assert (action.id in triggered) == expected
        for item in action.addresses:  # nothing hidden is ever open
            if item.question not in result.visible:
                assert not is_open(item, result)
