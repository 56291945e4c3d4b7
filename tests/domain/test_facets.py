"""The facets of a result, computed by hand on tests/data/facets/rules-check.yaml; the plan's
facets of a flagship beginner, against the plan itself."""

from __future__ import annotations

from datetime import date

import pytest

from assessor.domain.answers import check_answers
from assessor.domain.facets import Facet, facets_of
from assessor.domain.loading import load_questionnaire
from assessor.domain.model import Questionnaire
from assessor.domain.planning import build_plan
from assessor.domain.scoring import evaluate, score_answers
from tests.conftest import DATA, SHIPPED

AS_OF = date(2026, 12, 1)
HAULIER = {
    "activity": "haulage",
    "country": "fi",
    "footprint": "estimate",  # 50
    "efti": "asked",  # 50: between 0 and 100, preparing
    "ecmr": "scanned",  # 25, but tagged unaware
    "systems": ["tms"],  # share 1 of 2: 50
    "ets2": "acted",  # ready
}
WAREHOUSE = {
    "activity": "warehouse",  # eFTI is not asked
    "country": "ee",
    "footprint": "dk",  # no score: no green facet of the DMA
    "ecmr": "partners",  # 65: preparing
    "systems": ["tms", "wms"],  # 100
    "ets2": "dk",  # unknown
}


@pytest.fixture(scope="module")
def rules_check() -> Questionnaire:
    questionnaire = load_questionnaire(DATA / "facets" / "rules-check.yaml").questionnaire
    assert questionnaire is not None
    return questionnaire


def by_kind(
    facets: tuple[Facet, ...], *kinds: str
) -> list[tuple[str, str, str | None, float | None]]:
    return [(f.kind, f.key, f.value, f.score) for f in facets if f.kind in kinds]


def test_a_hauliers_facets(rules_check: Questionnaire) -> None:
    facets = facets_of(score_answers(rules_check, HAULIER), AS_OF)
    # green 50 (established); digital: documents (50 + 25) / 2 = 37.5, systems 50, so 43.75
    # (developing); overall (50 + 43.75) / 2 = 46.875 (developing).
    assert by_kind(facets, "score") == [
        ("score", "overall", "developing", 46.875),
        ("score", "dimension:green", "established", 50.0),
        ("score", "theme:emissions", "established", 50.0),
        ("score", "dimension:digital", "developing", 43.75),
        ("score", "theme:documents", "developing", 37.5),
        ("score", "theme:systems", "established", 50.0),
    ]
    assert by_kind(facets, "profile") == [
        ("profile", "activity", "haulage", None),
        ("profile", "country", "fi", None),
    ]
    # e-documents: gap 75 - 43.75 = 31.25 comes before measure-emissions: 75 - 50 = 25. Each
    # with the level of what its `when` looks at; both in the focus, weakest dimension first
    # but shown in priority order.
    assert by_kind(facets, "action", "focus") == [
        ("action", "e-documents", "developing", 1),
        ("action", "measure-emissions", "established", 2),
        ("focus", "e-documents", None, 1),
        ("focus", "measure-emissions", None, 2),
    ]
    # The plain mean of the tagged questions' scores, in the DMA's order of dimensions.
    assert by_kind(facets, "dma") == [
        ("dma", "digital-readiness", None, pytest.approx((50 + 25 + 50) / 3)),
        ("dma", "green-digitalisation", None, 50.0),
    ]
    assert by_kind(facets, "readiness") == [
        ("readiness", "efti", "preparing", None),
        ("readiness", "ecmr", "unaware", None),
        ("readiness", "ets2", "ready", None),
    ]


def test_hidden_unscored_and_uncounted_answers_leave_no_row(rules_check: Questionnaire) -> None:
    facets = facets_of(score_answers(rules_check, WAREHOUSE), AS_OF)
    # documents 65, systems 100: digital 82.5, overall 82.5 (green has no score).
    assert ("score", "dimension:green", None, None) in by_kind(facets, "score")
    # ets2-check looks at a question only: its level is the overall one.
    assert by_kind(facets, "action", "focus") == [
        ("action", "ets2-check", "advanced", 1),
        ("focus", "ets2-check", None, 1),
    ]
    assert by_kind(facets, "dma") == [("dma", "digital-readiness", None, 82.5)]
    assert by_kind(facets, "readiness") == [
        ("readiness", "ecmr", "preparing", None),
        ("readiness", "ets2", "unknown", None),
    ]
    not_applicable = facets_of(
        score_answers(rules_check, {**HAULIER, "efti": "not-applicable"}), AS_OF
    )
    assert [f.key for f in not_applicable if f.kind == "readiness"] == ["ecmr", "ets2"]
    unsure = facets_of(score_answers(rules_check, {**HAULIER, "efti": "dk"}), AS_OF)
    assert ("readiness", "efti", "unknown", None) in by_kind(unsure, "readiness")


def test_the_plan_facets_are_the_plans_actions_and_focus() -> None:
    """A flagship beginner has more triggered actions than the focus holds."""
    questionnaire = load_questionnaire(SHIPPED / "logistics-maturity.yaml").questionnaire
    assert questionnaire is not None
    raw: dict[str, object] = {}
    for question in questionnaire.questions:
        if question.options:
            first = question.options[0].id
            raw[question.id] = [first] if question.type.value == "multi" else first
        elif question.type.value in ("scale", "number"):
            raw[question.id] = question.min if question.min is not None else 0
    answers, problems = check_answers(questionnaire, raw)
    assert not problems
    result = evaluate(questionnaire, answers)
    plan = build_plan(result, as_of=AS_OF)
    assert len(plan.actions) > len(plan.focus) == 5
    facets = facets_of(result, AS_OF)
    assert by_kind(facets, "action") == [
        ("action", a.action_id, a.level.id if a.level else None, rank)
        for rank, a in enumerate(plan.actions, start=1)
    ]
    assert any(f.value is not None for f in facets if f.kind == "action")
    assert by_kind(facets, "focus") == [
        ("focus", a.action_id, None, rank) for rank, a in enumerate(plan.focus, start=1)
    ]
    # Every first option of a rule question is its least ready one.
    assert {(f.key, f.value) for f in facets if f.kind == "readiness"} >= {
        ("d-reg-countemissions", "unaware"),
        ("g-efti", "unaware"),
        ("g-einvoicing", "unaware"),
    }
