"""The validator's rules for the v3 keys (option ``visible_if``, ``addresses``, ``dma``), each
with its exact PATH:LINE: message, on tests/data/options/options.yaml changed one line."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assessor.domain.conditions import QuestionCondition, QuestionOperator
from assessor.domain.loading import LoadResult
from assessor.domain.model import Addressed, DmaDimension
from tests.conftest import DATA

V3 = (DATA / "options" / "options.yaml").read_text(encoding="utf-8")
Load = Callable[[str], LoadResult]


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line holding ``fragment``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_v3_file_loads_with_every_new_key(load_text: Load) -> None:
    result = load_text(V3)
    assert result.errors == ()
    questionnaire = result.questionnaire
    assert questionnaire is not None
    aero = questionnaire.questions_by_id["measures"].options_by_id["aero"]
    assert aero.visible_if == QuestionCondition("vehicle-types", QuestionOperator.INCLUDES, "heavy")
    assert questionnaire.questions_by_id["measures"].options_by_id["tyres"].visible_if is None
    assert questionnaire.questions_by_id["cyber"].dma is DmaDimension.DIGITAL_READINESS
    assert questionnaire.questions_by_id["measures"].dma is None
    assert questionnaire.actions_by_id["save-fuel"].addresses == (
        Addressed("measures"),
        Addressed("ev-plan"),
    )
    assert questionnaire.actions_by_id["cyber-basics"].addresses == (
        Addressed("cyber", ("mfa", "backup", "updates")),
    )
    assert questionnaire.actions_by_id["security-review"].addresses == ()


AERO = "Aerodynamic kits, score: 100, visible_if: {question: vehicle-types, includes: heavy}}"
SAVE_FUEL = "addresses: [measures, ev-plan]"
CYBER = "addresses: [{question: cyber, options: [mfa, backup, updates]}]"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            AERO,
            "Aerodynamic kits, score: 100, visible_if: {question: measures, includes: tyres}}",
            "question measures, option aero, visible_if: an option's condition may not look at"
            " its own question 'measures' (only at earlier questions)",
        ),
        (
            AERO,
            "Aerodynamic kits, score: 100, visible_if: {question: cyber, includes: mfa}}",
            "question measures, option aero, visible_if: question 'cyber' comes later in the file"
            " (conditions may only refer to earlier questions)",
        ),
        (
            AERO,
            "Aerodynamic kits, score: 100, visible_if: {question: vehicle-types, equals: heavy}}",
            "question measures, option aero, visible_if: 'equals' needs a choice question;"
            " 'vehicle-types' is multi",
        ),
        (
            AERO,
            "Aerodynamic kits, score: 100, visible_if: {theme: cyber, below: 50}}",
            "question measures, option aero, visible_if: theme and dimension conditions are only"
            " allowed in an action's 'when'",
        ),
        (
            "dma: digital-readiness",
            "dma: digital-readines",
            "question cyber: 'dma' 'digital-readines' is not a dimension of the EU Digital"
            " Maturity Assessment; did you mean 'digital-readiness'?",
        ),
        (
            "dma: digital-readiness",
            "dma: 3",
            "question cyber: 'dma' 3 is not a dimension of the EU Digital Maturity Assessment"
            " (expected one of digital-business-strategy, digital-readiness,"
            " human-centric-digitalisation, data-management, automation-ai,"
            " green-digitalisation)",
        ),
        (
            SAVE_FUEL,
            "addresses: []",
            "action save-fuel: 'addresses' must not be empty",
        ),
        (
            SAVE_FUEL,
            "addresses: [measures, fuel]",
            "action save-fuel, addresses item 2: unknown question 'fuel'",
        ),
        (
            SAVE_FUEL,
            "addresses: [measures, vehicle-types]",
            "action save-fuel, addresses item 2: question 'vehicle-types' describes the company"
            " (profile 'vehicles'); an action addresses practices",
        ),
        (
            SAVE_FUEL,
            "addresses: [measures, measures]",
            "action save-fuel, addresses item 2: 'measures' is already addressed (on line {line})",
        ),
        (
            SAVE_FUEL,
            "addresses: [measures, 7]",
            "action save-fuel, addresses item 2: expected a question id or {question: Q,"
            " options: [...]}, found 7",
        ),
        (
            SAVE_FUEL,
            "addresses: measures",
            "action save-fuel: 'addresses' must be a list, found 'measures'",
        ),
        (
            CYBER,
            "addresses: [{question: strategy, options: [yes]}]",
            "action cyber-basics, addresses item 1: 'options' needs a multi question; 'strategy'"
            " is choice",
        ),
        (
            CYBER,
            "addresses: [{question: cyber, options: [mfa, vpn]}]",
            "action cyber-basics, addresses item 1: question 'cyber' has no option 'vpn'",
        ),
        (
            CYBER,
            "addresses: [{question: cyber, options: [mfa, mfa]}]",
            "action cyber-basics, addresses item 1: option 'mfa' is listed twice",
        ),
        (
            CYBER,
            "addresses: [{question: cyber, options: []}]",
            "action cyber-basics, addresses item 1: 'options' must not be empty",
        ),
        (
            CYBER,
            "addresses: [{question: cyber}]",
            "action cyber-basics, addresses item 1: missing required key 'options'",
        ),
        (
            CYBER,
            "addresses: [{question: cyber, options: [mfa]}, {question: cyber, options: [backup, mfa]}]",
            "action cyber-basics, addresses item 2: option 'mfa' of 'cyber' is already addressed"
            " (on line {line})",
        ),
        (
            CYBER,
            "addresses: [{question: cyber, options: [mfa], colour: red}]",
            "action cyber-basics, addresses item 1: unknown key 'colour' (expected: options,"
            " question)",
        ),
    ],
)
def test_each_rule_has_its_located_message(
    load_text: Load, old: str, new: str, expected: str
) -> None:
    assert V3.count(old) == 1
    text = V3.replace(old, new)
    line = line_of(text, new)
    assert [str(e) for e in load_text(text).errors] == [
        f"q.yaml:{line}: " + expected.replace("{line}", str(line))
    ]


def test_options_of_scale_questions_do_not_exist(load_text: Load) -> None:
    # visible_if is a key of options, and only choice and multi questions have options.
    text = V3.replace(
        "        min: 1\n        max: 5\n", "        min: 1\n        max: 5\n        options: []\n"
    )
    messages = [str(e) for e in load_text(text).errors]
    assert len(messages) == 1
    assert "question data-owner: unknown key 'options'" in messages[0]
