"""Conditions at their boundaries, the urgency of each form of condition, and the level an
action's services must suit: each figure computed by hand from docs/questionnaire-format.md
(sections 6 and 8) and docs/action-plans.md ("Matching")."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from assessor.domain.actions import deadline_bonus, triggered_actions
from assessor.domain.answers import AnswerValue
from assessor.domain.conditions import (
    QuestionCondition,
    QuestionOperator,
    ScoreCondition,
    ScoreOperator,
    ScoreTarget,
    to_mapping,
)
from assessor.domain.loading import parse_questionnaire
from assessor.domain.model import Deadline, Month, Questionnaire
from assessor.domain.planning import ServiceSource, build_plan
from assessor.domain.scoring import Result, score_answers
from assessor.domain.summary import result_summary
from tests.domain.test_planning import service


class Facts:
    """Answers and scores as a condition sees them."""

    def __init__(
        self, answers: dict[str, AnswerValue] | None = None, score: float | None = None
    ) -> None:
        self.answers = answers or {}
        self.score = score

    def visible_answer(self, question_id: str) -> AnswerValue | None:
        return self.answers.get(question_id)

    def score_of(self, kind: ScoreTarget, target_id: str) -> float | None:
        return self.score


@pytest.mark.parametrize(
    ("operator", "answer", "holds"),
    [
        (QuestionOperator.AT_LEAST, 3, True),  # "an answer ≥ N": N itself counts
        (QuestionOperator.AT_LEAST, 2.5, False),
        (QuestionOperator.AT_LEAST, 4, True),
        (QuestionOperator.AT_MOST, 3, True),  # "an answer ≤ N"
        (QuestionOperator.AT_MOST, 3.5, False),
        (QuestionOperator.AT_MOST, 1, True),
        # Only numbers compare: anything else never holds (and never raises).
        (QuestionOperator.AT_LEAST, "7", False),
        (QuestionOperator.AT_MOST, "1", False),
        (QuestionOperator.AT_LEAST, True, False),
        (QuestionOperator.AT_MOST, ("1",), False),
    ],
)
def test_number_conditions_include_their_bound(
    operator: QuestionOperator, answer: AnswerValue, holds: bool
) -> None:
    condition = QuestionCondition("q", operator, 3)
    assert condition.holds(Facts({"q": answer})) is holds
    assert condition.holds(Facts({})) is False  # unanswered: false


@pytest.mark.parametrize(
    ("operator", "score", "holds"),
    [
        (ScoreOperator.BELOW, 60, False),  # "Below is strict"
        (ScoreOperator.BELOW, 59.5, True),
        (ScoreOperator.AT_LEAST, 60, True),  # "N or more"
        (ScoreOperator.AT_LEAST, 59.5, False),
        # A computed mean a rounding error away from N counts as N.
        (ScoreOperator.BELOW, 60 - 1e-12, False),
        (ScoreOperator.AT_LEAST, 60 - 1e-12, True),
        (ScoreOperator.BELOW, None, False),  # no score triggers neither
        (ScoreOperator.AT_LEAST, None, False),
    ],
)
def test_score_conditions_at_their_threshold(
    operator: ScoreOperator, score: float | None, holds: bool
) -> None:
    condition = ScoreCondition(ScoreTarget.THEME, "t", operator, 60)
    assert condition.holds(Facts(score=score)) is holds


def load(document: dict[str, Any]) -> Questionnaire:
    result = parse_questionnaire(json.dumps(document), "test.yaml")
    assert result.errors == (), [str(e) for e in result.errors]
    assert result.questionnaire is not None
    return result.questionnaire


def choice(qid: str, theme: str | None = None, **extra: Any) -> dict[str, Any]:
    """A choice question whose option "sN" scores N."""
    question: dict[str, Any] = {
        "id": qid,
        "type": "choice",
        "text": qid,
        "options": [{"id": f"s{n}", "label": str(n), "score": n} for n in (0, 10, 20, 40, 100)],
        **extra,
    }
    if theme:
        question["theme"] = theme
    return question


def document(actions: list[dict[str, Any]], questions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": 1,
        "id": "priority",
        "version": 1,
        "language": "en",
        "title": "Priority",
        "levels": [
            {"id": "beginner", "label": "Beginner", "min": 0},
            {"id": "developing", "label": "Developing", "min": 25},
            {"id": "established", "label": "Established", "min": 50},
            {"id": "advanced", "label": "Advanced", "min": 75},
        ],
        "dimensions": [
            {
                "id": "green",
                "label": "Green",
                "weight": 2,
                "themes": [
                    {"id": "a", "label": "A", "weight": 3},
                    {"id": "b", "label": "B"},
                ],
            },
            {
                "id": "digital",
                "label": "Digital",
                "weight": 4,
                "themes": [{"id": "c", "label": "C"}],
            },
        ],
        "sections": [{"id": "only", "title": "Only", "questions": questions}],
        "actions": [{"title": a["id"], "horizon": "short", "topics": ["t"], **a} for a in actions],
    }


# Theme a: 20, theme b: 40, theme c: 10. Dimension green: (20 × 3 + 40 × 1) / 4 = 25;
# digital: 10. Overall: (25 × 2 + 10 × 4) / 6 = 15 (beginner).
ANSWERS = {"qa": "s20", "qb": "s40", "qc": "s10"}
ACTIONS = [
    # (N − theme score) × theme weight × its dimension's weight: (50 − 20) × 3 × 2
    {"id": "theme-gap", "when": {"theme": "a", "below": 50}},
    # (N − dimension score) × dimension weight: (30 − 10) × 4
    {"id": "dimension-gap", "when": {"dimension": "digital", "below": 30}},
    # all: the largest of its parts, not their sum: (50 − 40) × 1 × 2 = 20, 80 and 0
    {
        "id": "all-largest",
        "when": {
            "all": [
                {"theme": "b", "below": 50},
                {"dimension": "digital", "below": 30},
                {"question": "qa", "equals": "s20"},
            ]
        },
    },
    # any: the largest of the parts that hold, (45 − 40) × 2 or (30 − 20) × 6; c is not
    # below 5, so its negative gap, (5 − 10) × 4, does not count
    {
        "id": "any-largest",
        "when": {
            "any": [
                {"theme": "b", "below": 45},
                {"theme": "a", "below": 30},
                {"theme": "c", "below": 5},
            ]
        },
    },
    # question conditions, at_least and not add nothing
    {"id": "answers-only", "when": {"question": "qa", "equals": "s20"}},
    {"id": "at-least", "when": {"theme": "b", "at_least": 30}},
    {"id": "not", "when": {"not": {"theme": "b", "at_least": 50}}},
]
QUESTIONS = [choice("qa", "a"), choice("qb", "b"), choice("qc", "c")]


@pytest.fixture(scope="module")
def result() -> Result:
    return score_answers(load(document(ACTIONS, QUESTIONS)), ANSWERS)


def test_each_form_of_condition_has_its_urgency(result: Result) -> None:
    assert (result.theme("a").score, result.theme("b").score, result.theme("c").score) == (
        20,
        40,
        10,
    )
    assert result.dimension("green").score == 25
    urgencies = {t.action.id: t.urgency for t in triggered_actions(result)}
    assert urgencies == {
        "theme-gap": 180,
        "dimension-gap": 80,
        "all-largest": 80,
        "any-largest": 60,
        "answers-only": 0,
        "at-least": 0,
        "not": 0,
    }
    # Highest urgency first; the same horizon, so file order among equals.
    assert [t.action.id for t in triggered_actions(result)] == [
        "theme-gap",
        "dimension-gap",
        "all-largest",
        "any-largest",
        "answers-only",
        "at-least",
        "not",
    ]


def test_services_suit_the_level_of_the_first_theme_or_dimension_named(result: Result) -> None:
    """Theme b is developing (40), the overall level beginner (15)."""
    levels = {planned.action_id: planned.level.id for planned in build_plan(result).actions}
    assert levels == {
        "theme-gap": "beginner",  # a: 20
        "dimension-gap": "beginner",  # digital: 10
        "all-largest": "developing",  # b, first inside all
        "any-largest": "developing",  # b, first inside any, even though a gives the urgency
        "answers-only": "beginner",  # no score named: the overall level
        "at-least": "developing",
        "not": "developing",  # b, inside not
    }


def test_network_services_must_suit_the_level_too(result: Result) -> None:
    for_developing = service("for-developing", ("t",), levels=("developing",))
    plan = build_plan(result, cluster_services=(), network_services=[for_developing])
    sources = {planned.action_id: planned.source for planned in plan.actions}
    assert sources["all-largest"] is ServiceSource.NETWORK  # developing
    assert sources["theme-gap"] is ServiceSource.NONE  # beginner: nothing suits


def test_a_question_hidden_by_a_hidden_question_stays_hidden() -> None:
    """'Hidden questions therefore hide everything that depends on them', even when the
    hidden question kept an answer from before."""
    questionnaire = load(
        document(
            # An action's condition on a hidden question is false too.
            [{"id": "on-hidden", "when": {"question": "second", "equals": "s100"}}],
            [
                choice("first"),
                choice("second", visible_if={"question": "first", "equals": "s100"}),
                choice("third", visible_if={"question": "second", "equals": "s100"}),
            ],
        )
    )
    result = score_answers(questionnaire, {"first": "s0", "second": "s100", "third": "s100"})
    assert result.visible == frozenset({"first"})
    assert triggered_actions(result) == ()


@pytest.mark.parametrize(
    "when",
    [
        {"question": "qa", "equals": "s20"},
        {"question": "qa", "in": ["s0", "s20"]},
        {"question": "qn", "at_least": 2.5},
        {"question": "qn", "at_most": 3},
        {"question": "qm", "includes": "x"},
        {"theme": "a", "below": 50},
        {"dimension": "green", "at_least": 75},
        {"all": [{"question": "qa", "equals": "s20"}, {"any": [{"theme": "b", "below": 5}]}]},
        {"not": {"question": "qa", "equals": "s0"}},
    ],
)
def test_a_condition_is_given_back_as_it_was_written(when: dict[str, Any]) -> None:
    """What the browser receives to evaluate the same condition (to_mapping)."""
    questions = [
        *QUESTIONS,
        {"id": "qn", "type": "number", "text": "n"},
        {
            "id": "qm",
            "type": "multi",
            "text": "m",
            "options": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}],
        },
    ]
    questionnaire = load(document([{"id": "act", "when": when}], questions))
    assert to_mapping(questionnaire.actions[0].when) == when
    assert to_mapping(None) is None


# Deadlines (docs/questionnaire-format.md, "Action priority"): an applying deadline adds
# 40 when it is already in force or at most 12 months after the plan's month, 20 within
# 36 months, 10 later; the plan is dated December 2026 here.
PLAN_DATE = date(2026, 12, 6)
DEADLINE_ACTIONS = [
    {"id": "no-deadline", "when": {"question": "qa", "equals": "s20"}},
    {"id": "later", "when": {"question": "qa", "equals": "s20"}, "deadline": {"month": "2030-12"}},
    {
        "id": "within-36",
        "when": {"question": "qa", "equals": "s20"},
        "deadline": {"month": "2029-12"},
    },
    {
        "id": "within-12",
        "when": {"question": "qa", "equals": "s20"},
        "deadline": {"month": "2027-12"},
    },
    {
        "id": "in-force",
        "when": {"question": "qa", "equals": "s20"},
        "deadline": {"month": "2025-02"},
    },
    {
        "id": "not-for-you",
        "when": {"question": "qa", "equals": "s20"},
        # may name a later question, as `when` may
        "deadline": {"month": "2027-07", "applies_if": {"question": "qc", "equals": "s100"}},
    },
    {
        "id": "for-you",
        "when": {"theme": "a", "below": 30},  # (30 − 20) × 3 × 2 = 60
        "deadline": {"month": "2027-07", "applies_if": {"question": "qc", "equals": "s10"}},
    },
]


@pytest.fixture(scope="module")
def deadline_result() -> Result:
    return score_answers(load(document(DEADLINE_ACTIONS, QUESTIONS)), ANSWERS)


def test_an_applying_deadline_raises_priority_the_nearer_the_more(
    deadline_result: Result,
) -> None:
    triggered = triggered_actions(deadline_result, PLAN_DATE)
    assert [(t.action.id, t.urgency) for t in triggered] == [
        ("for-you", 160.0),  # 60 + 100
        ("in-force", 150.0),
        ("within-12", 100.0),
        ("within-36", 50.0),
        ("later", 20.0),
        ("no-deadline", 0.0),
        ("not-for-you", 0.0),  # applies_if does not hold: no bonus, not shown
    ]
    deadlines = {t.action.id: t.deadline for t in triggered}
    assert deadlines["for-you"] == Month(2027, 7)
    assert deadlines["not-for-you"] is None
    assert deadlines["no-deadline"] is None


@pytest.mark.parametrize(
    ("deadline", "bonus"),
    [
        (Month(2027, 12), 100.0),  # 12 months ahead: the last of the first band
        (Month(2028, 1), 50.0),
        (Month(2029, 12), 50.0),  # 36 months
        (Month(2030, 1), 20.0),
        (Month(2026, 12), 100.0),  # this month
        (Month(2026, 11), 150.0),  # in force since last month
        (Month(2020, 1), 150.0),  # long in force
    ],
)
def test_deadline_bands_at_their_bounds(deadline: Month, bonus: float) -> None:
    assert deadline_bonus(deadline, Month(2026, 12)) == bonus


def test_the_plan_date_comes_from_the_caller(deadline_result: Result) -> None:
    """No clock in the domain: without a date, deadlines are known but add nothing; a later
    plan date brings the same deadline into a nearer band."""
    undated = {t.action.id: t.urgency for t in triggered_actions(deadline_result)}
    assert undated["for-you"] == 60.0
    assert undated["later"] == 0.0
    assert triggered_actions(deadline_result)[0].deadline == Month(2027, 7)
    later = {t.action.id: t.urgency for t in triggered_actions(deadline_result, date(2030, 1, 1))}
    assert later["later"] == 100.0
    assert later["within-36"] == 150.0  # in force by then
    plan = build_plan(deadline_result, as_of=PLAN_DATE)
    assert [a.action_id for a in plan.actions] == [
        t.action.id for t in triggered_actions(deadline_result, PLAN_DATE)
    ]


def test_the_summary_gives_the_deadline_of_focus_actions(deadline_result: Result) -> None:
    plan = build_plan(deadline_result, as_of=PLAN_DATE)
    summary = result_summary(deadline_result, triggered_actions(deadline_result, PLAN_DATE), plan)
    assert {item["id"]: item.get("deadline") for item in summary["plan"]["focus"]} == {
        "for-you": "2027-07",
        "within-12": "2027-12",
        "in-force": "2025-02",
        "within-36": "2029-12",
        "later": "2030-12",
    }
    more = [a.action_id for a in plan.more]
    assert more == ["no-deadline", "not-for-you"]  # ids only, as before
    assert summary["actions"] == [a.action_id for a in plan.actions]


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ({"month": "2027-13"}, "'month' must be a month written YYYY-MM"),
        ({"month": "October 2027"}, "'month' must be a month written YYYY-MM"),
        ({"month": 202710}, "'month' must be a month written YYYY-MM"),
        ({"applies_if": {"question": "qa", "equals": "s20"}}, "missing required key 'month'"),
        ({"month": "2027-10", "by": "x"}, "unknown key 'by'"),
        (
            {"month": "2027-10", "applies_if": {"theme": "a", "below": 50}},
            "theme and dimension conditions are only allowed in an action's 'when'",
        ),
        (
            {"month": "2027-10", "applies_if": {"question": "nope", "equals": "x"}},
            "nope",
        ),
        ("2027-10", "expected a mapping"),
    ],
)
def test_a_wrong_deadline_is_an_error(deadline: Any, message: str) -> None:
    action = {"id": "x", "when": {"question": "qa", "equals": "s20"}, "deadline": deadline}
    loaded = parse_questionnaire(json.dumps(document([action], QUESTIONS)), "test.yaml")
    assert loaded.questionnaire is None
    errors = [e.message for e in loaded.errors]
    assert any(message in e and "action x, deadline" in e for e in errors), errors


def test_a_deadline_is_read_with_its_condition() -> None:
    questionnaire = load(document(DEADLINE_ACTIONS, QUESTIONS))
    deadline = questionnaire.actions_by_id["for-you"].deadline
    assert deadline == Deadline(
        Month(2027, 7), QuestionCondition("qc", QuestionOperator.EQUALS, "s10")
    )
    assert questionnaire.actions_by_id["no-deadline"].deadline is None
