"""Options that depend on earlier answers, and actions aimed at what they address, scored
by hand on tests/data/options/options.yaml."""

from __future__ import annotations

import pytest

from assessor.domain.actions import triggered_actions
from assessor.domain.addresses import open_addressed
from assessor.domain.answers import InvalidAnswers, check_answers
from assessor.domain.loading import load_questionnaire
from assessor.domain.model import Questionnaire
from assessor.domain.scoring import evaluate, question_score, score_answers, top_score
from assessor.domain.visibility import visibility
from tests.conftest import DATA


@pytest.fixture(scope="module")
def v3() -> Questionnaire:
    result = load_questionnaire(DATA / "options" / "options.yaml")
    assert result.errors == ()
    assert result.questionnaire is not None
    return result.questionnaire


def triggered(questionnaire: Questionnaire, answers: dict[str, object]) -> list[str]:
    return [t.action.id for t in triggered_actions(score_answers(questionnaire, answers))]


def test_an_option_is_offered_only_when_its_condition_holds(v3: Questionnaire) -> None:
    vans = visibility(v3, {"vehicle-types": ("vans",)})
    assert vans.hidden_options == {"measures": {"aero"}, "ev-plan": {"e-trucks"}}
    both = visibility(v3, {"vehicle-types": ("heavy", "vans")})
    assert both.hidden_options == {}
    # An option's condition on an unanswered question is false, as a question's is.
    assert visibility(v3, {}).hidden_options_of("measures") == {"aero"}
    # A hidden question has no hidden options to speak of.
    assert "measures" not in visibility(v3, {"vehicle-types": ("no-vehicles",)}).hidden_options


def test_share_counts_only_the_options_offered(v3: Questionnaire) -> None:
    vans = score_answers(v3, {"vehicle-types": ["vans"], "measures": ["tyres", "telematics"]})
    assert vans.question_scores["measures"] == 100  # 2 of the 2 offered: aero does not apply
    heavy = score_answers(v3, {"vehicle-types": ["heavy"], "measures": ["tyres", "telematics"]})
    assert heavy.question_scores["measures"] == pytest.approx(200 / 3)
    measures = v3.questions_by_id["measures"]
    assert question_score(measures, ("tyres",), frozenset({"aero"})) == 50
    assert question_score(measures, ("tyres",)) == pytest.approx(100 / 3)


def test_a_stored_answer_on_a_hidden_option_is_ignored(v3: Questionnaire) -> None:
    # Answered with heavy trucks, then the company changed its first answer to vans only:
    # the stored answers are read as they apply, not refused.
    stored = {
        "vehicle-types": ["vans"],
        "measures": ["aero", "tyres"],
        "ev-plan": "e-trucks",
    }
    answers, problems = check_answers(v3, stored, allow_hidden_options=True)
    assert problems == []
    result = evaluate(v3, answers)
    assert result.answers["measures"] == ("tyres",)  # the hidden option is dropped
    assert result.question_scores["measures"] == 50  # 1 of tyres, telematics
    assert "ev-plan" not in result.answers  # a choice on a hidden option: unanswered
    assert "ev-plan" not in result.question_scores
    assert "ev-plan" in result.missing
    assert result.visible_answer("ev-plan") is None


def test_a_multi_answer_of_hidden_options_only_counts_as_unanswered(v3: Questionnaire) -> None:
    answers, _ = check_answers(
        v3, {"vehicle-types": ["vans"], "measures": ["aero"]}, allow_hidden_options=True
    )
    result = evaluate(v3, answers)
    assert "measures" not in result.answers
    assert "measures" in result.missing


def test_the_checker_refuses_an_option_hidden_for_these_answers(v3: Questionnaire) -> None:
    answers = {"vehicle-types": ["vans"], "measures": ["aero", "tyres"], "ev-plan": "e-trucks"}
    _, problems = check_answers(v3, answers)
    assert [str(p) for p in problems] == [
        "question measures: option 'aero' does not apply to these answers",
        "question ev-plan: option 'e-trucks' does not apply to these answers",
    ]
    with pytest.raises(InvalidAnswers):
        score_answers(v3, answers)
    # The same options are fine for a company with heavy trucks.
    assert check_answers(v3, {**answers, "vehicle-types": ["heavy"]})[1] == []


def test_an_answer_to_a_hidden_question_is_only_checked(v3: Questionnaire) -> None:
    # No vehicles: the measures question is not asked, so its answer is ignored whatever
    # options it names, as long as they exist.
    answers = {"vehicle-types": ["no-vehicles"], "measures": ["aero"]}
    assert check_answers(v3, answers)[1] == []
    assert "measures" not in score_answers(v3, answers).question_scores
    _, problems = check_answers(v3, {**answers, "measures": ["spoiler"]})
    assert [p.question_id for p in problems] == ["measures"]


def test_top_score_is_the_best_this_company_can_reach(v3: Questionnaire) -> None:
    questions = v3.questions_by_id
    assert top_score(questions["ev-plan"]) == 100
    assert top_score(questions["ev-plan"], frozenset({"e-trucks"})) == 50
    assert top_score(questions["measures"], frozenset({"aero"})) == 100  # share
    assert top_score(questions["cyber"]) == 100  # sum of 40 + 30 + 30
    assert top_score(questions["data-owner"]) == 100  # scale
    assert top_score(questions["vehicle-types"]) is None  # not scored


def test_an_action_is_never_recommended_at_the_top_of_what_it_addresses(
    v3: Questionnaire,
) -> None:
    vans_at_top = {
        "vehicle-types": ["vans"],
        "measures": ["tyres", "telematics"],  # every measure offered to a van fleet
        "ev-plan": "trial",  # the best a van fleet is offered
        "cyber": ["mfa", "backup", "updates"],
        "strategy": "yes",
        "data-owner": 5,
    }
    assert triggered(v3, vans_at_top) == []
    # The same answers from a company with heavy trucks leave aero kits and e-trucks open.
    heavy = {**vans_at_top, "vehicle-types": ["heavy", "vans"]}
    assert sorted(triggered(v3, heavy)) == ["aero-kits", "save-fuel"]


def test_an_action_is_open_on_an_unanswered_or_unknown_item(v3: Questionnaire) -> None:
    answers = {
        "vehicle-types": ["heavy"],
        "measures": ["tyres"],
        "ev-plan": "dk",  # "I don't know": no score, so open
        "cyber": ["mfa", "backup"],
        "strategy": "yes",
        "data-owner": 5,
    }
    result = score_answers(v3, answers)
    assert open_addressed(v3.actions_by_id["save-fuel"], result)
    assert open_addressed(v3.actions_by_id["cyber-basics"], result)  # updates not ticked
    assert not open_addressed(v3.actions_by_id["digital-plan"], result)


def test_an_action_is_never_recommended_when_nothing_it_addresses_is_asked(
    v3: Questionnaire,
) -> None:
    no_fleet = {
        "vehicle-types": ["no-vehicles"],
        "cyber": ["no-security"],
        "strategy": "no",
        "data-owner": 1,
    }
    result = score_answers(v3, no_fleet)
    assert not open_addressed(v3.actions_by_id["aero-kits"], result)
    assert sorted(triggered(v3, no_fleet)) == ["cyber-basics", "digital-plan", "security-review"]


def test_options_addressed_are_open_only_while_one_offered_is_not_ticked(
    v3: Questionnaire,
) -> None:
    aero = v3.actions_by_id["aero-kits"]
    vans = score_answers(v3, {"vehicle-types": ["vans"], "measures": ["tyres"]})
    assert not open_addressed(aero, vans)  # not offered to a van fleet
    heavy = score_answers(v3, {"vehicle-types": ["heavy"], "measures": ["tyres"]})
    assert open_addressed(aero, heavy)
    ticked = score_answers(v3, {"vehicle-types": ["heavy"], "measures": ["aero"]})
    assert not open_addressed(aero, ticked)
    # Unanswered: nothing is ticked yet.
    assert open_addressed(aero, score_answers(v3, {"vehicle-types": ["heavy"]}))


def test_an_action_without_addresses_follows_its_when_alone(v3: Questionnaire) -> None:
    action = v3.actions_by_id["security-review"]
    assert action.addresses == ()
    result = score_answers(v3, {"cyber": ["mfa"]})
    assert open_addressed(action, result)
    assert "security-review" in triggered(v3, {"cyber": ["mfa"]})
    assert "security-review" not in triggered(v3, {"cyber": ["mfa", "backup"]})


RADAR = """
format: 1
id: radar
version: 1
language: en
title: Radar
levels: [{id: low, label: Low, min: 0}]
dimensions:
  - {id: green, label: Green, themes: [{id: energy, label: Energy}]}
sections:
  - id: company
    title: Company
    questions:
      - id: fleet
        type: choice
        profile: activity
        text: Do you run trucks?
        options: [{id: "yes", label: "Yes"}, {id: "no", label: "No"}]
      - id: tolls
        type: choice
        text: Before today, had you worked out what CO2-based tolls cost you?
        visible_if: {question: fleet, equals: "yes"}
        options:
          - {id: "no", label: "No"}
          - {id: done, label: "Yes, we priced them in"}
      - id: energy
        type: choice
        theme: energy
        text: Energy data?
        options: [{id: "no", label: "No", score: 0}, {id: all, label: All, score: 100}]
actions:
  - id: price-tolls
    title: Price CO2-based tolls in
    when: {question: tolls, equals: "no"}
    addresses: [tolls]
"""


def test_an_unscored_addressed_question_is_open_while_it_is_asked(load_text) -> None:
    questionnaire = load_text(RADAR).questionnaire
    assert questionnaire is not None
    action = questionnaire.actions_by_id["price-tolls"]
    asked = score_answers(questionnaire, {"fleet": "yes", "tolls": "no"})
    assert open_addressed(action, asked)
    assert [t.action.id for t in triggered_actions(asked)] == ["price-tolls"]
    done = score_answers(questionnaire, {"fleet": "yes", "tolls": "done"})
    assert triggered_actions(done) == ()  # its `when` names the answers it acts on
    not_asked = score_answers(questionnaire, {"fleet": "no", "tolls": "no"})
    assert not open_addressed(action, not_asked)
    assert triggered_actions(not_asked) == ()
