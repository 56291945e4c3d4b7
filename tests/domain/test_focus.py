"""The plan's focus (docs/action-plans.md, "The focus, and more recommendations"): at most
five actions, dimensions taking turns weakest first, foundations before financing, actions
about no dimension last; every figure below follows from the file and the answers by hand."""

from __future__ import annotations

from assessor.domain.actions import triggered_actions
from assessor.domain.loading import parse_questionnaire
from assessor.domain.model import Questionnaire
from assessor.domain.planning import FOCUS_SIZE, build_plan, dimension_of, focus_of
from assessor.domain.scoring import score_answers
from assessor.domain.summary import result_summary

THREE_DIMENSIONS = """
format: 1
id: focus
version: 1
language: en
title: Focus
levels:
  - {id: beginner, label: Beginner, min: 0}
  - {id: established, label: Established, min: 50}
dimensions:
  - {id: a, label: A, themes: [{id: ta, label: TA}]}
  - {id: b, label: B, themes: [{id: tb, label: TB}]}
  - {id: c, label: C, themes: [{id: tc, label: TC}]}
sections:
  - id: only
    title: Only
    questions:
      - {id: size, type: choice, profile: size, text: Size?, options: [{id: small, label: Small}, {id: big, label: Big}]}
      - {id: qa, type: choice, theme: ta, text: A?, options: [{id: none, label: None, score: 0}, {id: half, label: Half, score: 50}, {id: most, label: Most, score: 70}, {id: all, label: All, score: 100}]}
      - {id: qb, type: choice, theme: tb, text: B?, options: [{id: none, label: None, score: 0}, {id: half, label: Half, score: 50}, {id: all, label: All, score: 100}]}
      - {id: qc, type: choice, theme: tc, text: C?, options: [{id: none, label: None, score: 0}, {id: half, label: Half, score: 50}, {id: all, label: All, score: 100}]}
actions:
  - {id: a-finance, title: Finance A, when: {theme: ta, below: 80}, horizon: short, topics: [finance]}
  - {id: a1, title: A1, when: {theme: ta, below: 60}, horizon: short, topics: [energy]}
  - {id: a2, title: A2, when: {theme: ta, below: 50}, horizon: medium, topics: [energy]}
  - {id: b1, title: B1, when: {theme: tb, below: 80}, horizon: medium, topics: [energy]}
  - {id: b2, title: B2, when: {dimension: b, below: 70}, horizon: long, topics: [energy]}
  - {id: c1, title: C1, when: {question: qc, equals: all}, horizon: short, topics: [energy]}
  - {id: profile-only, title: P, when: {question: size, equals: small}, horizon: short, topics: [energy]}
"""

# Scores: A 0, B 50, C 100. Urgency = gap x weights (all 1): a-finance 80, a1 60, a2 50,
# b1 30, b2 20; c1 and profile-only look at answers only: 0. Priority order is therefore
# a-finance, a1, a2, b1, b2, then c1 and profile-only (both short: file order).
ANSWERS = {"size": "small", "qa": "none", "qb": "half", "qc": "all"}


def _questionnaire() -> Questionnaire:
    loaded = parse_questionnaire(THREE_DIMENSIONS, "focus.yaml")
    assert loaded.questionnaire is not None, loaded.errors
    return loaded.questionnaire


def test_every_action_belongs_to_the_dimension_its_condition_looks_at_first() -> None:
    result = score_answers(_questionnaire(), ANSWERS)
    owners = {a.id: dimension_of(a, result) for a in result.questionnaire.actions}
    assert owners == {
        "a-finance": "a",
        "a1": "a",
        "a2": "a",
        "b1": "b",
        "b2": "b",
        "c1": "c",  # through the theme of question qc
        "profile-only": None,  # a profile question scores nothing
    }


def test_dimensions_take_turns_weakest_first_and_financing_waits() -> None:
    result = score_answers(_questionnaire(), ANSWERS)
    plan = build_plan(result)
    assert [a.action_id for a in plan.actions] == [
        "a-finance",
        "a1",
        "a2",
        "b1",
        "b2",
        "c1",
        "profile-only",
    ]
    # Turn 1: A (0) a1, the financing action waiting; B (50) b1; C (100) c1.
    # Turn 2: A a2; B b2. Five: the focus is full, shown in priority order.
    assert FOCUS_SIZE == 5
    assert [a.action_id for a in plan.focus] == ["a1", "a2", "b1", "b2", "c1"]
    assert [a.action_id for a in plan.more] == ["a-finance", "profile-only"]


def test_a_smaller_focus_still_gives_each_dimension_its_turn() -> None:
    result = score_answers(_questionnaire(), ANSWERS)
    planned = build_plan(result).actions
    assert [a.action_id for a in focus_of(planned, result, size=3)] == ["a1", "b1", "c1"]
    # A fourth place goes to the weakest dimension's next action: A (0) before B (50).
    assert [a.action_id for a in focus_of(planned, result, size=4)] == ["a1", "a2", "b1", "c1"]
    # With room for all: financing after A's other actions, the profile action last.
    everything = focus_of(planned, result, size=7)
    assert [a.action_id for a in everything] == [a.action_id for a in planned]


def test_financing_comes_in_when_it_is_the_dimensions_only_action() -> None:
    # A 70: only a-finance (below 80, gap 10) holds for A. B 50: b1 (gap 30) and b2 (gap
    # 20). C 50 and a big company: nothing else holds.
    answers = {"size": "big", "qa": "most", "qb": "half", "qc": "half"}
    plan = build_plan(score_answers(_questionnaire(), answers))
    assert [a.action_id for a in plan.actions] == ["b1", "b2", "a-finance"]
    # Turn 1: B (50) b1, A (70) a-finance, its only action; turn 2: B b2.
    assert [a.action_id for a in plan.focus] == ["b1", "b2", "a-finance"]
    assert plan.more == ()


def test_the_summary_carries_the_focus_and_the_rest() -> None:
    result = score_answers(_questionnaire(), ANSWERS)
    summary = result_summary(result, triggered_actions(result), build_plan(result))
    assert summary["plan"] == {
        "focus": [
            {"id": "a1", "horizon": "short"},
            {"id": "a2", "horizon": "medium"},
            {"id": "b1", "horizon": "medium"},
            {"id": "b2", "horizon": "long"},
            {"id": "c1", "horizon": "short"},
        ],
        "more": ["a-finance", "profile-only"],
    }
    assert summary["actions"] == [a.action_id for a in build_plan(result).actions]


ADDRESSING = """
format: 1
id: addressing
version: 1
language: en
title: Addressing
levels:
  - {id: beginner, label: Beginner, min: 0}
  - {id: established, label: Established, min: 50}
dimensions:
  - {id: green, label: Green, themes: [{id: energy, label: Energy, weight: 1.5}]}
  - {id: digital, label: Digital, themes: [{id: systems, label: Systems}]}
sections:
  - id: company
    title: Company
    questions:
      - {id: fleet, type: choice, profile: activity, text: Fleet?, options: [{id: "yes", label: "Yes"}, {id: "no", label: "No"}]}
  - id: green-page
    title: Green
    questions:
      - {id: energy-data, type: choice, theme: energy, text: Energy data?, options: [{id: none, label: None, score: 0}, {id: some, label: Some, score: 60}, {id: all, label: All, score: 100}, {id: dk, label: "I don't know", score: null}]}
      - {id: tolls-radar, type: choice, text: "Before today, had you priced CO2 tolls?", options: [{id: "no", label: "No"}, {id: "yes", label: "Yes"}]}
  - id: digital-page
    title: Digital
    questions:
      - {id: tms, type: choice, theme: systems, text: TMS?, options: [{id: none, label: None, score: 0}, {id: all, label: All, score: 100}]}
actions:
  # `when` names the profile first: the action still belongs to what it addresses.
  - {id: measure, title: Measure, when: {all: [{question: fleet, equals: "yes"}, {question: energy-data, in: [none, some, dk]}]}, addresses: [energy-data], topics: [energy]}
  - {id: tolls, title: Price tolls, when: {question: tolls-radar, equals: "no"}, addresses: [tolls-radar], topics: [regulation]}
  - {id: get-tms, title: Get a TMS, when: {question: tms, equals: none}, addresses: [tms], topics: [systems]}
"""


def test_an_action_belongs_to_the_dimension_of_what_it_addresses() -> None:
    questionnaire = parse_questionnaire(ADDRESSING).questionnaire
    assert questionnaire is not None
    result = score_answers(
        questionnaire, {"fleet": "yes", "energy-data": "none", "tolls-radar": "no", "tms": "none"}
    )
    owners = {a.id: dimension_of(a, result) for a in questionnaire.actions}
    # measure's `when` starts with a profile question; tolls addresses an unscored radar
    # question, which belongs to the dimension of its page's scored questions.
    assert owners == {"measure": "green", "tolls": "green", "get-tms": "digital"}


def test_answer_triggered_actions_rank_by_the_gap_of_what_they_address() -> None:
    questionnaire = parse_questionnaire(ADDRESSING).questionnaire
    assert questionnaire is not None

    def urgencies(energy: str) -> dict[str, float]:
        answers = {"fleet": "yes", "energy-data": energy, "tolls-radar": "no", "tms": "none"}
        return {
            t.action.id: t.urgency for t in triggered_actions(score_answers(questionnaire, answers))
        }

    # (100 − 0) × 1.5; the unscored radar question counts 0; (100 − 0) × 1
    assert urgencies("none") == {"measure": 150.0, "tolls": 0.0, "get-tms": 100.0}
    assert urgencies("some")["measure"] == 60.0  # (100 − 60) × 1.5
    assert urgencies("dk")["measure"] == 150.0  # not knowing counts like the bottom rung
    assert "measure" not in urgencies("all")  # at the top of what it addresses
    plan = build_plan(
        score_answers(questionnaire, {"fleet": "yes", "energy-data": "some", "tms": "none"})
    )
    # The service level of an answer-triggered action is its addressed question's theme's.
    assert {a.action_id: a.level.id if a.level else None for a in plan.actions} == {
        "get-tms": "beginner",
        "measure": "established",
    }
