"""Answer checks: one clear message per bad answer, naming the question."""

from __future__ import annotations

import pytest

from assessor.domain.answers import check_answers
from assessor.domain.model import Questionnaire


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"nope": "a"}, "question nope: no such question in this questionnaire"),
        (
            {"fuel": "maybe"},
            "question fuel: 'maybe' is not an option (expected one of: no, yes, dk)",
        ),
        ({"fuel": ["no", "yes"]}, "question fuel: only one option may be chosen, got 2"),
        ({"fuel": ["no"]}, "question fuel: expects one option id, not a list"),
        (
            {"fuel": 1},
            "question fuel: expects an option id (one of: no, yes, dk), got the number 1",
        ),
        (
            {"fuel": True},
            "question fuel: expects an option id (one of: no, yes, dk), got true/false",
        ),
        ({"tools": "tms"}, "question tools: expects a list of option ids, got text 'tms'"),
        (
            {"tools": ["tms", "x"]},
            "question tools: 'x' is not an option (expected some of: tms, wms, erp, fax, nothing)",
        ),
        (
            {"tools": ["tms", "nothing"]},
            "question tools: option 'nothing' excludes every other option",
        ),
        ({"tools": ["tms", "tms"]}, "question tools: option 'tms' is chosen twice"),
        ({"tools": [1]}, "question tools: expects option ids, got the number 1 in the list"),
        ({"eco": 6}, "question eco: 6 is outside the scale 1 to 5"),
        ({"eco": 2.5}, "question eco: expects a whole number from 1 to 5, got the number 2.5"),
        ({"eco": "3"}, "question eco: expects a whole number from 1 to 5, got text '3'"),
        ({"euro6": 101}, "question euro6: 101 is above the maximum 100"),
        ({"euro6": -1}, "question euro6: -1 is below the minimum 0"),
        ({"euro6": "50"}, "question euro6: expects a number, got text '50'"),
        ({"euro6": float("nan")}, "question euro6: expects a number, got the number nan"),
        ({"euro6": False}, "question euro6: expects a number, got true/false"),
        (
            {"company": "x" * 301},
            "question company: text is 301 characters long; at most 300 allowed",
        ),
        ({"company": 7}, "question company: expects text, got the number 7"),
        ({"company": {"a": 1}}, "question company: expects text, got an object"),
    ],
)
def test_each_bad_answer_has_a_message(
    every_type: Questionnaire, answers: dict[str, object], message: str
) -> None:
    normalised, problems = check_answers(every_type, answers)
    assert [str(p) for p in problems] == [message]
    assert normalised == {}


def test_answers_to_hidden_questions_are_still_checked(every_type: Questionnaire) -> None:
    # the fleet section is hidden without haulage, but a bad value is still an error
    _, problems = check_answers(every_type, {"activities": ["warehouse"], "euro6": 500})
    assert [p.question_id for p in problems] == ["euro6"]


def test_normalisation(every_type: Questionnaire) -> None:
    normalised, problems = check_answers(
        every_type,
        {
            "tools": ["erp", "tms"],
            "eco": 3.0,
            "euro6": 12,
            "company": "  ",
            "fuel": None,
            "budget": [],
        },
    )
    assert problems == []
    # multi answers follow the questionnaire's option order; a whole float is a scale value
    assert normalised == {"tools": ("tms", "erp"), "eco": 3, "euro6": 12}
    assert isinstance(normalised["eco"], int)
