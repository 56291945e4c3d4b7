"""Every scoring rule of the contract, on tests/data/every-type.yaml, by hand."""

from __future__ import annotations

import pytest

from assessor.domain.actions import triggered_actions
from assessor.domain.answers import InvalidAnswers
from assessor.domain.model import Questionnaire
from assessor.domain.scoring import score_answers, visible_questions, visible_sections
from assessor.domain.summary import result_summary


def test_full_answers_by_hand(every_type: Questionnaire) -> None:
    result = score_answers(
        every_type,
        {
            "activities": ["haulage"],
            "vehicles": 12,
            "euro6": 50,  # exactly at up_to 50: band score 40
            "eco": 4,  # 100 * (4 - 1) / (5 - 1) = 75, question weight 2
            "fuel": "yes",  # 100
            "method": "primary",  # 90
            "tools": ["tms", "wms"],  # share: 2 of tms/wms/erp (fax has no score) = 66.67
            "certs": ["iso14001", "iso50001"],  # max = 80
            "budget": ["a", "b"],  # sum 120, capped at 100
        },
    )
    assert result.question_scores["euro6"] == 40
    assert result.question_scores["eco"] == 75
    assert result.question_scores["tools"] == pytest.approx(200 / 3)
    assert result.question_scores["certs"] == 80
    assert result.question_scores["budget"] == 100
    fleet = (40 * 1 + 75 * 2) / 3
    assert result.theme("fleet").score == pytest.approx(fleet)
    assert result.theme("data").score == pytest.approx(95)
    green = (95 * 1 + fleet * 3) / 4
    assert result.dimension("green").score == pytest.approx(green)
    assert result.dimension("green").level.id == "established"
    systems = (200 / 3 + 80 + 100) / 3
    assert result.dimension("digital").score == pytest.approx(systems)
    assert result.theme("empty").score is None
    assert result.theme("empty").level is None
    overall = (green * 2 + systems * 1) / 3  # 74.907: just below "advanced"
    assert result.score == pytest.approx(overall)
    assert result.level.id == "established"
    assert result.missing == ()
    assert [t.action.id for t in triggered_actions(result)] == ["renew-fleet"]


def test_hidden_sections_and_questions_ignore_their_answers(every_type: Questionnaire) -> None:
    result = score_answers(
        every_type,
        {
            "activities": ["warehouse"],  # hides the fleet section
            "euro6": 100,  # hidden: ignored
            "eco": 5,  # hidden: ignored
            "fuel": "no",  # 0; hides "method"
            "method": "primary",  # hidden: ignored
            "tools": ["nothing"],  # exclusive alone under share: 0
            "certs": ["iso50001"],  # hidden (no tms, and fuel equals no): ignored
            "budget": ["none"],  # exclusive alone under sum: its own score 0
        },
    )
    assert result.visible.isdisjoint({"vehicles", "euro6", "eco", "method", "certs"})
    assert result.theme("fleet").score is None
    assert result.theme("data").score == 0
    assert result.dimension("green").score == 0
    assert result.theme("systems").score == 0
    assert result.score == 0
    assert result.level.id == "beginner"
    ordered = [(t.action.id, t.urgency) for t in triggered_actions(result)]
    # urgency: (50 - 0) x theme weight 1 x dimension weight 2 = 100, then (50 - 0) x 1 = 50
    assert ordered == [("measure-fuel", 100.0), ("go-digital", 50.0)]


def test_level_boundaries_are_inclusive(every_type: Questionnaire) -> None:
    base = {"activities": ["haulage"], "vehicles": 3}
    at_25 = score_answers(every_type, {**base, "eco": 2})  # 100 * 1 / 4 = 25
    assert at_25.theme("fleet").score == 25
    assert at_25.theme("fleet").level.id == "developing"
    at_75 = score_answers(every_type, {**base, "eco": 4})
    assert at_75.theme("fleet").level.id == "advanced"
    # exactly 75 is not below 75: the fleet action stays out
    assert "renew-fleet" not in [t.action.id for t in triggered_actions(at_75)]
    just_below = score_answers(every_type, {**base, "eco": 4, "euro6": 100})  # (75*2+100)/3
    assert just_below.theme("fleet").score == pytest.approx(250 / 3)
    assert score_answers(every_type, {**base, "eco": 1}).theme("fleet").level.id == "beginner"


@pytest.mark.parametrize(
    ("value", "score"),
    [(0, 0), (0.0001, 40), (49.9, 40), (50, 40), (50.01, 100), (100, 100)],
)
def test_number_bands(every_type: Questionnaire, value: float, score: float) -> None:
    result = score_answers(every_type, {"activities": ["haulage"], "euro6": value})
    assert result.question_scores["euro6"] == score


def test_number_without_bands_and_text_are_never_scored(every_type: Questionnaire) -> None:
    result = score_answers(
        every_type, {"activities": ["haulage"], "vehicles": 5, "company": "Acme"}
    )
    assert "vehicles" not in result.question_scores
    assert "company" not in result.question_scores
    assert result.score is None
    assert result.level is None


def test_null_scores_give_no_score(every_type: Questionnaire) -> None:
    result = score_answers(
        every_type,
        {"activities": ["haulage"], "fuel": "dk", "tools": ["fax"], "certs": ["dk"]},
    )
    assert "fuel" not in result.question_scores  # "don't know": no score, not 0
    assert result.theme("data").score is None  # method is hidden (fuel is not yes)
    # share counts only options with a score: fax is selected but has none
    assert result.question_scores["tools"] == 0
    # max over options that all have score null: no score
    assert "certs" not in result.question_scores
    assert result.theme("systems").score == 0


def test_empty_multi_is_no_answer_and_counts_as_missing(every_type: Questionnaire) -> None:
    result = score_answers(every_type, {"activities": [], "tools": [], "fuel": "no"})
    assert "tools" not in result.question_scores
    assert result.missing == ("activities", "tools", "budget")
    # activities unanswered: the fleet section's condition is false, so it is hidden
    assert "vehicles" not in result.visible


def test_missing_lists_required_visible_questions_only(every_type: Questionnaire) -> None:
    result = score_answers(every_type, {"activities": ["haulage"]})
    # text is optional; certs is required: false; method is hidden until fuel is yes;
    # eco is hidden while vehicles is unanswered
    assert result.missing == ("vehicles", "euro6", "fuel", "tools", "budget")


def test_conditions_on_hidden_questions_are_false(every_type: Questionnaire) -> None:
    # vehicles is answered but hidden (no haulage): eco's at_least on it is false
    visible = visible_questions(every_type, {"activities": ("warehouse",), "vehicles": 4})
    assert "eco" not in visible
    visible = visible_questions(every_type, {"activities": ("haulage",), "vehicles": 4})
    assert "eco" in visible
    visible = visible_questions(every_type, {"activities": ("haulage",), "vehicles": 0})
    assert "eco" not in visible


def test_not_of_an_unanswered_question_holds(every_type: Questionnaire) -> None:
    # certs: any(tools includes tms, not(fuel equals no)); fuel unanswered: the
    # inner condition is false, so "not" makes certs visible
    assert "certs" in visible_questions(every_type, {})
    assert "certs" not in visible_questions(every_type, {"fuel": "no"})
    assert "certs" in visible_questions(every_type, {"fuel": "no", "tools": ("tms",)})


def test_at_least_score_condition_and_question_condition(every_type: Questionnaire) -> None:
    result = score_answers(
        every_type,
        {
            "activities": ["haulage"],
            "euro6": 100,
            "eco": 5,
            "fuel": "yes",
            "method": "primary",
            "tools": ["fax", "tms", "wms", "erp"],
            "budget": ["a"],
        },
    )
    # eco is hidden (vehicles unanswered): fleet = 100; green = (95 + 100 * 3) / 4
    assert result.dimension("green").score == pytest.approx(98.75)
    ids = [t.action.id for t in triggered_actions(result)]
    # both have urgency 0 (question / at_least conditions): short before long
    assert ids == ["ask-fax", "showcase"]


def test_summary_has_the_contract_shape(every_type: Questionnaire) -> None:
    result = score_answers(
        every_type,
        {
            "activities": ["warehouse"],
            "fuel": "yes",
            "method": "spend",
            "tools": ["tms"],
            "budget": ["b"],
        },
    )
    summary = result_summary(result, triggered_actions(result))
    systems = (100 / 3 + 50) / 2  # tools 1 of 3 under share; certs unanswered (optional)
    assert summary == {
        "questionnaire": "every-type",
        "version": 2,
        "overall": {"score": round((65 * 2 + systems) / 3, 1), "level": "established"},
        "dimensions": [
            {
                "id": "green",
                "score": 65.0,
                "level": "established",
                "themes": [
                    {"id": "data", "score": 65.0, "level": "established"},  # (100 + 30) / 2
                    {"id": "fleet", "score": None, "level": None},
                ],
            },
            {
                "id": "digital",
                "score": 41.7,
                "level": "developing",
                "themes": [
                    {"id": "systems", "score": 41.7, "level": "developing"},
                    {"id": "empty", "score": None, "level": None},
                ],
            },
        ],
        "actions": ["go-digital"],
    }


def test_summary_lists_missing_answers(every_type: Questionnaire) -> None:
    result = score_answers(every_type, {"activities": ["warehouse"]})
    summary = result_summary(result, triggered_actions(result))
    assert summary["missing"] == ["fuel", "tools", "budget"]
    assert summary["overall"] == {"score": None, "level": None}


def test_invalid_answers_raise_with_every_problem(every_type: Questionnaire) -> None:
    with pytest.raises(InvalidAnswers) as caught:
        score_answers(every_type, {"fuel": "maybe", "eco": 9, "nope": 1})
    assert [p.question_id for p in caught.value.problems] == ["fuel", "eco", "nope"]


def test_a_weighted_mean_never_leaves_the_range_of_its_scores() -> None:
    """Found by hypothesis: 100 with weights such as 0.1 came out as 100.00000000000001."""
    from assessor.domain.scoring import weighted_mean

    weights = [0.3, 0.7, 0.3, 0.01, 0.3]  # the plain formula gives 100.00000000000001
    assert weighted_mean([(100.0, w) for w in weights]) == 100.0
    assert weighted_mean([(0.0, 0.3), (0.0, 0.3)]) == 0.0
    assert weighted_mean([(20.0, 1.0), (80.0, 3.0)]) == 65.0
    assert weighted_mean([(None, 1.0)]) is None


def test_the_pages_shown_are_those_with_a_visible_question(every_type: Questionnaire) -> None:
    every_page = [s.id for s in every_type.sections]
    assert "fleet-section" in every_page
    warehouse = visible_sections(every_type, {"activities": ["warehouse"]})
    assert [s.id for s in warehouse] == [p for p in every_page if p != "fleet-section"]
    haulier = visible_sections(every_type, {"activities": ["haulage"]})
    assert [s.id for s in haulier] == every_page
