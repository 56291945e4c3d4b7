"""The action plan: triggered actions in priority order, grouped by horizon, each with
the services that help with it.

Matching rule (docs/action-plans.md): a service matches an action when they share at
least one topic and the service suits the maturity level of what the action is about
(the level of the theme or dimension its ``when`` looks at; the overall level for
actions triggered by answers alone). Services of the respondent's cluster come first;
when the cluster has none for an action, the network-wide catalogue is used; when that
has none either, the plan says to ask the cluster. Among matches, more shared topics
first, then catalogue order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from assessor.domain.actions import TriggeredAction, triggered_actions
from assessor.domain.conditions import AllOf, AnyOf, Condition, Not, ScoreCondition, ScoreTarget
from assessor.domain.model import Horizon, Level
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


@dataclass(frozen=True)
class ActionPlan:
    actions: tuple[PlannedAction, ...]  # priority order

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
) -> ActionPlan:
    planned = []
    for triggered in triggered_actions(result):
        level = _level_of(triggered.action.when, result)
        services = match_services(triggered.action.topics, level, cluster_services)
        source = ServiceSource.CLUSTER
        if not services:
            services = match_services(triggered.action.topics, level, network_services)
            source = ServiceSource.NETWORK if services else ServiceSource.NONE
        planned.append(PlannedAction(triggered, level, services[:max_services], source))
    return ActionPlan(tuple(planned))


def match_services(
    topics: Sequence[str], level: Level | None, services: Sequence[Service]
) -> tuple[Service, ...]:
    wanted = set(topics)
    ranked = [
        (-len(wanted & set(s.topics)), index, s)
        for index, s in enumerate(services)
        if wanted & set(s.topics) and s.suits(level.id if level else None)
    ]
    return tuple(s for _, _, s in sorted(ranked, key=lambda item: item[:2]))


def _level_of(condition: Condition, result: Result) -> Level | None:
    """The level of the first theme or dimension the condition looks at, else overall."""
    target = _first_score_target(condition)
    if target is None:
        return result.level
    kind, target_id = target
    if kind is ScoreTarget.THEME:
        return result.theme(target_id).level
    return result.dimension(target_id).level


def _first_score_target(condition: Condition) -> tuple[ScoreTarget, str] | None:
    if isinstance(condition, ScoreCondition):
        return condition.target, condition.target_id
    if isinstance(condition, (AllOf, AnyOf)):
        for child in condition.conditions:
            found = _first_score_target(child)
            if found is not None:
                return found
    if isinstance(condition, Not):
        return _first_score_target(condition.condition)
    return None


__all__ = [
    "ActionPlan",
    "PlannedAction",
    "ServiceSource",
    "build_plan",
    "match_services",
    "triggered_actions",
]
