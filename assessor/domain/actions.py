"""Which actions a result triggers, and in which order.

Priority rule (documented in docs/questionnaire-format.md, "Action priority"):

1. **Urgency**, highest first: for each ``{theme: T, below: N}`` in the
   action's ``when`` that holds, the gap ``N - score`` times the theme's
   weight times its dimension's weight; for ``{dimension: D, below: N}``, the
   gap times the dimension's weight. ``all`` adds up its parts, ``any`` takes
   its largest holding part; question conditions, ``at_least`` and ``not``
   add nothing (they say *whether* an action applies, not how far behind the
   company is).
2. **Horizon**: short before medium before long (quick wins first).
3. **File order** of the actions.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessor.domain.addresses import open_addressed
from assessor.domain.conditions import (
    AllOf,
    AnyOf,
    Condition,
    ScoreCondition,
    ScoreOperator,
    ScoreTarget,
)
from assessor.domain.model import Action, Questionnaire
from assessor.domain.scoring import Result


@dataclass(frozen=True)
class TriggeredAction:
    action: Action
    urgency: float


def triggered_actions(result: Result) -> tuple[TriggeredAction, ...]:
    """The actions whose ``when`` holds and that still address something open (see
    :func:`assessor.domain.addresses.open_addressed`), in priority order."""
    questionnaire = result.questionnaire
    triggered = [
        (TriggeredAction(action, _urgency(action.when, result, questionnaire)), index)
        for index, action in enumerate(questionnaire.actions)
        if action.when.holds(result) and open_addressed(action, result)
    ]
    triggered.sort(key=lambda item: (-item[0].urgency, item[0].action.horizon.rank, item[1]))
    return tuple(item for item, _ in triggered)


def _urgency(condition: Condition, result: Result, questionnaire: Questionnaire) -> float:
    if isinstance(condition, ScoreCondition):
        if condition.operator is not ScoreOperator.BELOW or not condition.holds(result):
            return 0.0
        score = result.score_of(condition.target, condition.target_id)
        assert score is not None  # holds() is false without a score
        gap = condition.threshold - score
        if condition.target is ScoreTarget.THEME:
            theme = questionnaire.themes_by_id[condition.target_id]
            dimension = questionnaire.dimensions_by_id[theme.dimension_id]
            return gap * theme.weight * dimension.weight
        return gap * questionnaire.dimensions_by_id[condition.target_id].weight
    if isinstance(condition, AllOf):
        return sum(_urgency(c, result, questionnaire) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return max(
            (_urgency(c, result, questionnaire) for c in condition.conditions if c.holds(result)),
            default=0.0,
        )
    return 0.0
