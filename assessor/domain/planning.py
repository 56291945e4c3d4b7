"""The action plan: triggered actions in priority order, grouped by horizon, each with
the services that help with it.

Matching rule (docs/action-plans.md, section 6): an action's **main topic** is the first
of its ``topics``. A service matches an action when it covers that main topic and suits
the maturity level of what the action is about (the level of the theme or dimension its
``when`` looks at, else of the theme of the first scored question it addresses, else the
overall level); a service
sharing only another topic is never shown. A match scores ``MAIN_TOPIC_SCORE`` plus
``OTHER_TOPIC_SCORE`` per other topic it shares with the action; higher score first,
then catalogue order. Services of the respondent's cluster come first; when the cluster
has none for an action, the network-wide catalogue is used; when that has none either,
the plan says to ask the cluster.

Focus rule (docs/action-plans.md, "The focus"): the plan opens with at most
``FOCUS_SIZE`` actions. Each action belongs to a dimension (``dimension_of``): that of
the first question it addresses, else of the first theme, dimension or non-profile
question its ``when`` looks at. Dimensions take turns, weakest score first
(dimensions without a score last), and each turn takes that dimension's most urgent
action not yet taken, so that no dimension with a triggered action goes without one
while another gets two. Actions that look only at the profile come after every
dimension's. Within a dimension, actions about financing (topic
``finance``) wait until the dimension has no other action left: foundations before
financing. The focus is shown in priority order; every other triggered action
follows as "more recommendations", in priority order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from assessor.domain.actions import TriggeredAction, triggered_actions
from assessor.domain.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Not,
    QuestionCondition,
    ScoreCondition,
    ScoreTarget,
)
from assessor.domain.model import Action, Horizon, Level, Questionnaire
from assessor.domain.offerings import Service
from assessor.domain.scoring import Result


class ServiceSource(StrEnum):
    CLUSTER = "cluster"
    NETWORK = "network"
    NONE = "none"  # "ask your cluster"


@dataclass(frozen=True)
class PlannedAction:
    triggered: TriggeredAction
    level: Level | None  # the maturity level the action is about
    services: tuple[Service, ...]
    source: ServiceSource

    @property
    def action_id(self) -> str:
        return self.triggered.action.id


FOCUS_SIZE = 5
FINANCING_TOPIC = "finance"
MAIN_TOPIC_SCORE = 2
OTHER_TOPIC_SCORE = 1


@dataclass(frozen=True)
class ActionPlan:
    actions: tuple[PlannedAction, ...]  # priority order
    focus: tuple[PlannedAction, ...] = ()  # at most FOCUS_SIZE, priority order

    @property
    def more(self) -> tuple[PlannedAction, ...]:
        """The triggered actions outside the focus, in priority order."""
        chosen = {a.action_id for a in self.focus}
        return tuple(a for a in self.actions if a.action_id not in chosen)

    def by_horizon(self, horizon: Horizon) -> tuple[PlannedAction, ...]:
        return tuple(a for a in self.actions if a.triggered.action.horizon is horizon)

    @property
    def quick_wins(self) -> tuple[PlannedAction, ...]:
        return self.by_horizon(Horizon.SHORT)

    @property
    def next_steps(self) -> tuple[PlannedAction, ...]:
        return self.by_horizon(Horizon.MEDIUM)

    @property
    def strategic_moves(self) -> tuple[PlannedAction, ...]:
        return self.by_horizon(Horizon.LONG)

    @property
    def references(self) -> tuple[str, ...]:
        """Ids of the EU rules and standards the plan's actions mention, first mention first."""
        seen: dict[str, None] = {}
        for planned in self.actions:
            for reference in planned.triggered.action.references:
                seen.setdefault(reference)
        return tuple(seen)


def build_plan(
    result: Result,
    cluster_services: Sequence[Service] = (),
    network_services: Sequence[Service] = (),
    max_services: int = 3,
    *,
    as_of: date | None = None,
) -> ActionPlan:
    """The plan of ``result`` on the date ``as_of``, which applying deadlines are measured
    from (see actions.triggered_actions)."""
    planned = []
    for triggered in triggered_actions(result, as_of):
        level = _level_of(triggered.action, result)
        services, source = services_for(
            triggered.action, level, cluster_services, network_services, max_services
        )
        planned.append(PlannedAction(triggered, level, services, source))
    return ActionPlan(tuple(planned), focus_of(planned, result))


def services_for(
    action: Action,
    level: Level | None,
    cluster_services: Sequence[Service],
    network_services: Sequence[Service],
    max_services: int = 3,
) -> tuple[tuple[Service, ...], ServiceSource]:
    """The services a plan lists for ``action`` about ``level``, and where they come from:
    the cluster's when it has any that match, else the network's, else none ("ask your
    cluster"). ``level`` None: services of every level."""
    services = match_services(action.topics, level, cluster_services)
    source = ServiceSource.CLUSTER
    if not services:
        services = match_services(action.topics, level, network_services)
        source = ServiceSource.NETWORK if services else ServiceSource.NONE
    return services[:max_services], source


def focus_of(
    planned: Sequence[PlannedAction], result: Result, size: int = FOCUS_SIZE
) -> tuple[PlannedAction, ...]:
    """The plan's opening actions: see the focus rule in this module's docstring."""
    queues: dict[str | None, list[PlannedAction]] = {}
    for action in planned:  # priority order is kept inside each queue
        queues.setdefault(dimension_of(action.triggered.action, result), []).append(action)
    for queue in queues.values():
        queue.sort(key=lambda a: FINANCING_TOPIC in a.triggered.action.topics)  # stable
    scores = {d.dimension.id: d.score for d in result.dimensions}
    turns = sorted(
        (d for d in queues if d is not None),
        key=lambda d: (scores.get(d) is None, scores.get(d) or 0.0),
    )
    chosen: list[PlannedAction] = []
    while len(chosen) < size and any(queues[d] for d in turns):
        for dimension in turns:
            if queues[dimension] and len(chosen) < size:
                chosen.append(queues[dimension].pop(0))
    # Actions that look at no scored question (a profile answer alone) come last.
    chosen.extend(queues.get(None, [])[: size - len(chosen)])
    rank = {a.action_id: index for index, a in enumerate(planned)}
    return tuple(sorted(chosen, key=lambda a: rank[a.action_id]))


def dimension_of(action: Action, result: Result) -> str | None:
    """The dimension an action belongs to: that of the first question it ``addresses`` that
    belongs to one, else that of the first theme, dimension or scored question its
    ``when`` looks at; None when it looks only at the profile."""
    questionnaire = result.questionnaire
    for item in action.addresses:
        dimension = question_dimension(questionnaire, item.question)
        if dimension is not None:
            return dimension
    looked_at = _first_target(action.when, questions=True, questionnaire=questionnaire)
    if looked_at is None:
        return None
    kind, target_id = looked_at
    if kind == "dimension":
        return target_id
    if kind == "question":
        return question_dimension(questionnaire, target_id)
    return questionnaire.themes_by_id[target_id].dimension_id


def question_dimension(questionnaire: Questionnaire, question_id: str) -> str | None:
    """A scored question's dimension is its theme's. An unscored question that is not about
    the company's profile (a "before today, had you heard of…" item) belongs to the
    dimension of most scored questions on its page; a profile question to none."""
    question = questionnaire.questions_by_id[question_id]
    if question.theme is not None:
        return questionnaire.themes_by_id[question.theme].dimension_id
    if question.profile is not None:
        return None
    section = questionnaire.sections_by_id[question.section_id]
    counts = Counter(
        questionnaire.themes_by_id[q.theme].dimension_id
        for q in section.questions
        if q.theme is not None
    )
    return counts.most_common(1)[0][0] if counts else None


def _first_target(
    condition: Condition, *, questions: bool, questionnaire: Questionnaire | None = None
) -> tuple[str, str] | None:
    """The first theme, dimension (or, with ``questions``, question that belongs to a
    dimension) the condition names, reading from top to bottom, inside ``all``, ``any`` and
    ``not`` too."""
    if isinstance(condition, ScoreCondition):
        kind = "theme" if condition.target is ScoreTarget.THEME else "dimension"
        return kind, condition.target_id
    if isinstance(condition, QuestionCondition):
        if not questions:
            return None
        if (
            questionnaire is not None
            and question_dimension(questionnaire, condition.question) is None
        ):
            return None  # a profile question: read on
        return "question", condition.question
    if isinstance(condition, (AllOf, AnyOf)):
        for child in condition.conditions:
            found = _first_target(child, questions=questions, questionnaire=questionnaire)
            if found is not None:
                return found
    if isinstance(condition, Not):
        return _first_target(condition.condition, questions=questions, questionnaire=questionnaire)
    return None


def match_services(
    topics: Sequence[str], level: Level | None, services: Sequence[Service]
) -> tuple[Service, ...]:
    """The services for an action with ``topics`` about ``level``, best first: each covers
    the main topic (the first); see the matching rule in this module's docstring."""
    ranked = [
        (-score, index, s)
        for index, s in enumerate(services)
        if (score := match_score(topics, s)) > 0 and s.suits(level.id if level else None)
    ]
    return tuple(s for _, _, s in sorted(ranked, key=lambda item: item[:2]))


def match_score(topics: Sequence[str], service: Service) -> int:
    """How well a service fits an action's topics: ``MAIN_TOPIC_SCORE`` when it covers the
    main topic, plus ``OTHER_TOPIC_SCORE`` for each other topic it shares; 0 without the
    main topic (never shown)."""
    if not topics or topics[0] not in service.topics:
        return 0
    others = set(topics[1:]) - {topics[0]}
    return MAIN_TOPIC_SCORE + OTHER_TOPIC_SCORE * len(others & set(service.topics))


def _level_of(action: Action, result: Result) -> Level | None:
    """The level of the first theme or dimension ``when`` looks at, else of the theme of
    the first scored question the action addresses, else the overall level."""
    target = _first_target(action.when, questions=False)
    if target is None:
        questionnaire = result.questionnaire
        for item in action.addresses:
            theme = questionnaire.questions_by_id[item.question].theme
            if theme is not None:
                return result.theme(theme).level
        return result.level
    kind, target_id = target
    if kind == "theme":
        return result.theme(target_id).level
    return result.dimension(target_id).level


__all__ = [
    "ActionPlan",
    "PlannedAction",
    "ServiceSource",
    "build_plan",
    "dimension_of",
    "focus_of",
    "match_score",
    "match_services",
    "services_for",
    "triggered_actions",
]
