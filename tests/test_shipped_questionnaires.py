"""The shipped questionnaires: valid, and as rich as the project promises."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from assessor.domain.actions import triggered_actions
from assessor.domain.catalogue import load_catalogue, questionnaire_files
from assessor.domain.conditions import AllOf, AnyOf, Condition, Not, ScoreCondition
from assessor.domain.loading import load_questionnaire
from assessor.domain.model import Questionnaire, QuestionType, ReadinessState
from assessor.domain.readiness import readiness_of
from assessor.domain.reference_dates import reference_warnings
from assessor.domain.scoring import score_answers
from assessor.domain.visibility import visibility
from tests.conftest import SHIPPED

DIMENSIONS = ["decarbonisation", "digitalisation", "skills"]
# Dates the domain brief marks as verified [V], or that the December 2026 re-check confirmed;
# a questionnaire may state no other full date.
VERIFIED_DATES = {
    "9 July 2027",  # eFTI: authorities must accept electronic freight information
    "21 August 2024",  # eFTI Regulation applicable
    "12 September 2025",  # Data Act applicable
    "12 September 2026",  # Data Act access-by-design for new connected products
    "2 February 2025",  # AI Act Art. 4 AI literacy
    "26 June 2024",  # HDV CO2 standards in force
    "1 December 2023",  # Germany's CO2-differentiated truck toll
    "1 January 2024",  # Austria's CO2-differentiated truck toll
    # Re-checked 2026-12-06 (content review §4, domain brief §3.4):
    "1 June 2026",  # CountEmissionsEU, Regulation (EU) 2026/1030, in force (F2)
    "1 January 2025",  # Denmark's CO2-based truck km toll (F7)
    "1 July 2026",  # the Netherlands' truck km charge with CO2 classes (F7)
    # Version 3, from the domain brief's December 2026 table (§3.4):
    "1 January 2026",  # Belgium's B2B e-invoicing mandate
    "1 September 2026",  # France: companies must be able to receive e-invoices
    "1 July 2030",  # ViDA: intra-EU B2B e-invoicing (Directive (EU) 2025/516)
    "11 October 2027",  # EED: energy management system above 85 TJ
    "27 September 2026",  # ECGT: offset-based climate claims to consumers banned
    "7 June 2026",  # Pay Transparency Directive: transposition
    "2 December 2027",  # AI Act, as amended in 2026: Annex III high-risk AI (re-checked)
}
DATE = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}\b"
)
UNKNOWN_ANSWER = re.compile(r"don.t know|not applicable|not sure|no own", re.IGNORECASE)


def shipped(questionnaire_id: str) -> Questionnaire:
    """A shipped questionnaire (its file's errors fail the test below, one per file)."""
    questionnaire = load_catalogue(SHIPPED).get(questionnaire_id)
    assert questionnaire is not None, questionnaire_id
    return questionnaire


@pytest.fixture(scope="module")
def flagship() -> Questionnaire:
    return shipped("logistics-maturity")


@pytest.fixture(scope="module")
def quick_check() -> Questionnaire:
    return shipped("quick-check")


@pytest.mark.parametrize("path", questionnaire_files(SHIPPED), ids=lambda p: p.name)
def test_every_shipped_questionnaire_validates(path) -> None:
    result = load_questionnaire(path)
    assert [str(e) for e in result.errors] == []


@pytest.mark.parametrize("path", questionnaire_files(SHIPPED), ids=lambda p: p.name)
def test_every_shipped_reference_has_its_source_and_month(path) -> None:
    # The format lets other authors leave them out (validate warns); ours always say
    # where the facts come from and when they were last checked.
    questionnaire = load_questionnaire(path).questionnaire
    assert questionnaire is not None
    for reference in questionnaire.references:
        assert reference.source, reference.id
        assert reference.checked is not None, reference.id
        assert reference_warnings(questionnaire, reference.checked.first_day()) == ()


def test_the_catalogue_has_both_questionnaires() -> None:
    catalogue = load_catalogue(SHIPPED)
    assert catalogue.errors == ()
    assert {"logistics-maturity", "quick-check"} <= set(catalogue.questionnaires)


def score_targets(condition: Condition) -> set[str]:
    """Themes and dimensions whose score an action's condition looks at."""
    if isinstance(condition, ScoreCondition):
        return {f"{condition.target.value}:{condition.target_id}"}
    if isinstance(condition, (AllOf, AnyOf)):
        return set().union(*(score_targets(c) for c in condition.conditions))
    if isinstance(condition, Not):
        return score_targets(condition.condition)
    return set()


def catching_up(condition: Condition) -> set[str]:
    """The targets of the "below" score conditions in a condition."""
    if isinstance(condition, ScoreCondition):
        below = condition.operator.value == "below"
        return {f"{condition.target.value}:{condition.target_id}"} if below else set()
    if isinstance(condition, (AllOf, AnyOf)):
        return set().union(*(catching_up(c) for c in condition.conditions))
    return set()


def test_flagship_size(flagship: Questionnaire) -> None:
    assert [d.id for d in flagship.dimensions] == DIMENSIONS
    for dimension in flagship.dimensions:
        assert len(dimension.themes) >= 5, dimension.id
    scored = Counter(
        flagship.themes_by_id[q.theme].dimension_id
        for q in flagship.questions
        if q.is_scored and q.theme
    )
    assert sum(scored.values()) >= 40
    assert all(scored[d] >= 12 for d in DIMENSIONS), scored
    assert len(flagship.actions) >= 25
    assert {"activity", "size", "fleet", "country"} <= {q.profile for q in flagship.questions}


def addressed_themes(questionnaire: Questionnaire) -> set[str]:
    """Themes of the questions the actions address."""
    return {
        f"theme:{questionnaire.questions_by_id[item.question].theme}"
        for action in questionnaire.actions
        for item in action.addresses
        if questionnaire.questions_by_id[item.question].theme is not None
    }


def test_every_theme_has_questions_and_an_action(
    flagship: Questionnaire, quick_check: Questionnaire
) -> None:
    for questionnaire in (flagship, quick_check):
        targeted = set().union(*(score_targets(a.when) for a in questionnaire.actions))
        targeted |= addressed_themes(questionnaire)
        for theme in questionnaire.themes:
            assert questionnaire.questions_by_theme[theme.id], f"{questionnaire.id}: {theme.id}"
            assert f"theme:{theme.id}" in targeted, f"{questionnaire.id}: no action for {theme.id}"


def test_actions_are_complete(flagship: Questionnaire) -> None:
    for action in flagship.actions:
        assert action.text, action.id
        assert action.text.count(". ") >= 1, action.id  # at least two sentences
        assert action.topics, action.id
    horizons = Counter(a.horizon.value for a in flagship.actions)
    assert set(horizons) == {"short", "medium", "long"}


def test_unknown_answers_score_null_never_zero(
    flagship: Questionnaire, quick_check: Questionnaire
) -> None:
    for questionnaire in (flagship, quick_check):
        for question in questionnaire.questions:
            for option in question.options:
                if UNKNOWN_ANSWER.search(option.label):
                    assert option.score is None, f"{question.id}/{option.id}: {option.label}"


def test_only_verified_dates_are_stated(
    flagship: Questionnaire, quick_check: Questionnaire
) -> None:
    for questionnaire in (flagship, quick_check):
        texts = [questionnaire.intro or ""]
        for question in questionnaire.questions:
            texts += [question.text, question.help or ""] + [o.label for o in question.options]
        texts += [f"{a.title} {a.text}" for a in questionnaire.actions]
        texts += [r.text for r in questionnaire.references]
        for date in DATE.findall(" ".join(texts)):
            assert date in VERIFIED_DATES, f"{questionnaire.id} states an unverified date: {date}"


def test_regulations_are_covered(flagship: Questionnaire) -> None:
    everything = " ".join(
        [q.text + " " + (q.help or "") for q in flagship.questions]
        + [f"{a.title} {a.text}" for a in flagship.actions]
    )
    for rule in ("eFTI", "CountEmissionsEU", "ISO 14083", "ETS2", "Data Act", "AI Act"):
        assert rule in everything, rule


def test_fleet_questions_are_hidden_without_a_fleet(flagship: Questionnaire) -> None:
    activities = next(q for q in flagship.questions if q.profile == "activity")
    fleet_option = next(o.id for o in activities.options if "fleet" in o.id)
    others = [o.id for o in activities.options if o.id != fleet_option and not o.exclusive]
    with_fleet = score_answers(flagship, {activities.id: [fleet_option]}).visible
    without_fleet = score_answers(flagship, {activities.id: others[:1]}).visible
    fleet_size = next(q.id for q in flagship.questions if q.profile == "fleet")
    assert fleet_size in with_fleet
    assert fleet_size not in without_fleet
    assert len(with_fleet - without_fleet) >= 3  # several vehicle questions disappear


def extreme_answers(questionnaire: Questionnaire, best: bool) -> dict[str, object]:
    """The top (or bottom) rung of every question, with every activity; options are chosen
    among those offered for the answers given so far (conditions only look back)."""
    answers: dict[str, object] = {}
    for question in questionnaire.questions:
        hidden = visibility(questionnaire, answers).hidden_options_of(question.id)  # type: ignore[arg-type]  # answers are option ids, lists and numbers
        offered = [o for o in question.options if o.id not in hidden]
        scored = [o for o in offered if o.score is not None and not o.exclusive]
        if question.profile == "activity" or (
            not question.is_scored and question.type is QuestionType.MULTI
        ):
            answers[question.id] = [o.id for o in offered if not o.exclusive]
        elif question.type is QuestionType.CHOICE:
            pick = (max if best else min)(scored or offered, key=lambda o: o.score or 0)
            answers[question.id] = pick.id
        elif question.type is QuestionType.MULTI and scored:
            answers[question.id] = (
                [o.id for o in scored]
                if best
                else [next((o.id for o in offered if o.exclusive), scored[0].id)]
            )
        elif question.type is QuestionType.SCALE:
            answers[question.id] = question.max if best else question.min
        elif question.type is QuestionType.NUMBER:
            top = question.max if question.max is not None else 1000
            answers[question.id] = top if best else (question.min or 0)
    return answers


@pytest.mark.parametrize("questionnaire_id", ["logistics-maturity", "quick-check"])
def test_ladders_span_the_levels(questionnaire_id: str) -> None:
    questionnaire = shipped(questionnaire_id)
    best = score_answers(questionnaire, extreme_answers(questionnaire, best=True))
    worst = score_answers(questionnaire, extreme_answers(questionnaire, best=False))
    assert best.score is not None
    assert best.score >= 90
    assert best.level == questionnaire.levels[-1]
    assert worst.score is not None
    assert worst.score < 25
    assert worst.level == questionnaire.levels[0]
    worst_actions = triggered_actions(worst)
    assert len(worst_actions) >= len(questionnaire.themes)
    below = [
        t.action.id
        for t in triggered_actions(best)
        if any(target.startswith("theme:") for target in catching_up(t.action.when))
    ]
    assert below == []  # a company at the top of every ladder is not told to catch up


def test_quick_check_is_short(quick_check: Questionnaire) -> None:
    assert len(quick_check.questions) <= 14  # two profile questions decide what fits
    assert len([q for q in quick_check.questions if q.is_scored]) <= 12
    assert [d.id for d in quick_check.dimensions] == DIMENSIONS
    assert quick_check.minutes is not None
    assert quick_check.minutes <= 5


@pytest.mark.parametrize("questionnaire_id", ["logistics-maturity", "quick-check"])
def test_every_action_says_what_it_addresses(questionnaire_id: str) -> None:
    # So that no action is recommended at the top of what it improves, or when nothing it
    # improves is asked (docs/questionnaire-format.md, "addresses").
    questionnaire = shipped(questionnaire_id)
    assert [a.id for a in questionnaire.actions if not a.addresses] == []


@pytest.mark.parametrize("questionnaire_id", ["logistics-maturity", "quick-check"])
def test_every_digital_question_names_its_eu_dma_dimension(questionnaire_id: str) -> None:
    questionnaire = shipped(questionnaire_id)
    digital = [
        q
        for q in questionnaire.questions
        if q.theme and questionnaire.themes_by_id[q.theme].dimension_id == "digitalisation"
    ]
    assert digital
    assert [q.id for q in digital if q.dma is None] == []


# Questions an owner or office manager may not know the answer to (content review §1.3,
# §2.3): each offers "I don't know", scored as no answer.
MAY_NOT_KNOW = [
    "d-fleet-fuel-data",
    "d-site-energy-data",
    "d-activity-data",
    "d-footprint",
    "d-method",
    "d-zev-km",
    "d-renewable-fuel",
    "d-carriers",
    "d-carrier-data",
    "g-efti",
    "g-cyber",
    "g-ai",
    "s-training-hours",
    "s-ecodriving-trained",
    "s-ecodriving-feedback",
    "s-cyber-awareness",
]


def test_questions_an_owner_may_not_know_offer_i_dont_know(flagship: Questionnaire) -> None:
    for question_id in MAY_NOT_KNOW:
        question = flagship.questions_by_id[question_id]
        unknown = [o for o in question.options if UNKNOWN_ANSWER.search(o.label)]
        assert unknown, question_id
        assert all(o.score is None for o in unknown), question_id


def test_quantities_are_asked_as_bands_with_i_dont_know(flagship: Questionnaire) -> None:
    # An owner rarely knows an exact share or number of hours; bands with "I don't know"
    # replace the scored number questions of version 2.
    assert [q.id for q in flagship.questions if q.is_scored and q.type is QuestionType.NUMBER] == []


def test_every_activity_decides_what_is_asked(flagship: Questionnaire) -> None:
    activities = next(q for q in flagship.questions if q.profile == "activity")
    everything = [o.id for o in activities.options]
    for option in everything:
        others = [o for o in everything if o != option]
        # Each activity brings questions that no other single activity is asked.
        alone = score_answers(flagship, {activities.id: [option]}).visible - set().union(
            *(score_answers(flagship, {activities.id: [o]}).visible for o in others)
        )
        assert alone, f"no question is asked for {option} alone"


# The flagship's questions on where a company stands with an EU rule of its references, for
# the readiness figures of cluster insights.
RULE_QUESTIONS = {
    "d-method": "iso-14083",
    "d-green-claims": "ecgt",
    "d-reg-countemissions": "countemissions",
    "d-reg-ets2": "ets2",
    "d-reg-tolls": "eurovignette",
    "d-reg-eed": "eed",
    "d-vsme": "vsme",
    "g-ecmr": "ecmr",
    "g-efti": "efti",
    "g-einvoicing": "vida",
    "g-nis2": "nis2",
    "s-ai-literacy": "ai-act",
    "s-pay-transparency": "pay-transparency",
}


def test_questions_about_eu_rules_tell_readiness(flagship: Questionnaire) -> None:
    assert {q.id: q.rule for q in flagship.questions if q.rule} == RULE_QUESTIONS
    for question_id in RULE_QUESTIONS:
        question = flagship.questions_by_id[question_id]
        states = {o.id: readiness_of(question, o.id) for o in question.options}
        for option in question.options:
            if re.search(r"don.t know", option.label):
                assert states[option.id] is ReadinessState.UNKNOWN, (question_id, option.id)
            elif option.label.startswith("Not applicable"):
                assert states[option.id] is None, (question_id, option.id)  # not counted
        # Each tells the unaware from the ready.
        assert {ReadinessState.UNAWARE, ReadinessState.READY} <= set(states.values()), question_id
