"""The facets of a result: the derived rows peer figures, workshop dashboards and cluster
insights are computed from in the database (stored as ``ResultFacet`` at submission).

Every facet is recomputable from the answers, and holds codes only (ids, scores), no text:

=============  =====================================  ==================  =====================
kind           key                                    value               score
=============  =====================================  ==================  =====================
``score``      ``overall``, ``dimension:<id>``,       its level id        the score (0-100)
               ``theme:<id>``
``profile``    the profile key (activity, size...)    one answer's id     -
``action``     a triggered action's id                the level id it is  its priority rank,
                                                      about, or None      from 1
``focus``      an action of the plan's focus          -                   its rank in the
                                                                          focus, from 1
``dma``        an EU DMA dimension                    -                   the mean score of
                                                                          its tagged questions
``readiness``  a question with a ``rule``             a ReadinessState    -
=============  =====================================  ==================  =====================

A score without a value (a theme nobody answered) is still a row, with no score; the other
kinds have a row only when there is something to say.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from assessor.domain.model import DmaDimension, Level, QuestionType, ReadinessState
from assessor.domain.planning import build_plan
from assessor.domain.readiness import readiness_of
from assessor.domain.scoring import Result


@dataclass(frozen=True)
class Facet:
    kind: str
    key: str
    value: str | None = None
    score: float | None = None


def facets_of(result: Result, as_of: date) -> tuple[Facet, ...]:
    """Every facet of ``result``, whose plan is that of the date ``as_of`` (the submission's:
    deadlines weigh in the priority order)."""
    return (
        *score_facets(result),
        *profile_facets(result),
        *plan_facets(result, as_of),
        *(Facet("dma", d.value, score=mean) for d, mean in dma_scores(result).items()),
        *(Facet("readiness", q, value=s.value) for q, s in rule_readiness(result).items()),
    )


def score_facets(result: Result) -> tuple[Facet, ...]:
    def score(key: str, value: float | None, level: Level | None) -> Facet:
        return Facet("score", key, level.id if level is not None else None, value)

    facets = [score("overall", result.score, result.level)]
    for dimension in result.dimensions:
        facets.append(
            score(f"dimension:{dimension.dimension.id}", dimension.score, dimension.level)
        )
        for theme in dimension.themes:
            facets.append(score(f"theme:{theme.theme.id}", theme.score, theme.level))
    return tuple(facets)


def profile_facets(result: Result) -> tuple[Facet, ...]:
    """One row per answer of a visible profile question (per ticked option of a multi)."""
    facets: list[Facet] = []
    for question in result.questionnaire.questions:
        value = result.visible_answer(question.id)
        if question.profile is None or value is None:
            continue
        values = value if isinstance(value, tuple) else (value,)  # a multi answer is a tuple
        facets.extend(Facet("profile", question.profile, str(item)) for item in values)
    return tuple(facets)


def plan_facets(result: Result, as_of: date) -> tuple[Facet, ...]:
    """The plan's actions with the level each is about, then its focus; services do not
    matter here (they change with the catalogues, and insights match them when read)."""
    plan = build_plan(result, as_of=as_of)
    actions = (
        Facet(
            "action",
            planned.action_id,
            planned.level.id if planned.level is not None else None,
            rank,
        )
        for rank, planned in enumerate(plan.actions, start=1)
    )
    focus = (
        Facet("focus", planned.action_id, score=rank)
        for rank, planned in enumerate(plan.focus, start=1)
    )
    return (*actions, *focus)


def dma_scores(result: Result) -> Mapping[DmaDimension, float]:
    """For each dimension of the EU Digital Maturity Assessment with a scored answer: the
    plain mean of the scores of the visible, answered questions tagged with it (a
    correspondence, not a DMA score; question weights belong to their themes, not here)."""
    scores: dict[DmaDimension, list[float]] = {}
    for question in result.questionnaire.questions:
        score = result.question_scores.get(question.id)
        if question.dma is not None and score is not None:
            scores.setdefault(question.dma, []).append(score)
    return {
        dimension: math.fsum(scores[dimension]) / len(scores[dimension])
        for dimension in DmaDimension
        if dimension in scores
    }


def rule_readiness(result: Result) -> Mapping[str, ReadinessState]:
    """For each visible, answered question with a ``rule``, the state its answer tells
    (answers that are not counted, such as "not applicable", are left out)."""
    states: dict[str, ReadinessState] = {}
    for question in result.questionnaire.questions:
        answer = result.visible_answer(question.id)
        if question.rule is None or question.type is not QuestionType.CHOICE:
            continue
        if not isinstance(answer, str):
            continue
        state = readiness_of(question, answer)
        if state is not None:
            states[question.id] = state
    return states
