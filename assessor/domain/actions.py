"""Which actions a result triggers, and in which order.

Priority rule (documented in docs/questionnaire-format.md, "Action priority"):

1. **Urgency**, highest first: the larger of the urgency of the action's ``when`` and the
   gap of what it ``addresses`` (``assessor.domain.addresses.addressed_urgency``), plus
   the bonus of its deadline.
   - ``when``: for each ``{theme: T, below: N}`` that holds, the gap ``N - score``
     times the theme's weight times its dimension's weight; for ``{dimension: D, below:
     N}``, the gap times the dimension's weight. ``all`` and ``any`` take the largest
     urgency of their holding parts (``all`` does not add them up: two conditions on
     the same gap would otherwise count it twice and put the same action first for
     every company); question conditions, ``at_least`` and ``not`` add nothing (they
     say *whether* an action applies, not how far behind the company is).
   - ``deadline``: when it applies to the company (its ``applies_if`` holds, or it has
     none), a bonus by how far the deadline lies after the plan's month:
     ``DEADLINE_BONUS`` (already in force: 150; this month or within 12 months: 100;
     within 36 months: 50; later: 20), on the scale of a large gap, because a duty that
     binds the company now or soon matters as much as its weakest practice. Without a plan date, deadlines add
     nothing.
2. **Horizon**: short before medium before long (quick wins first).
3. **File order** of the actions.

The plan's date comes from the caller (the web: the submission date, or today while the
assessment is open; ``questionnaires score``: today): the domain reads no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assessor.domain.addresses import addressed_urgency, open_addressed
from assessor.domain.conditions import (
    AllOf,
    AnyOf,
    Condition,
    ScoreCondition,
    ScoreOperator,
    ScoreTarget,
)
from assessor.domain.model import Action, Deadline, Month, Questionnaire
from assessor.domain.scoring import Result

# (months from the plan's month to the deadline, at most; urgency added), nearest first
# (a negative count: the duty already applies);
# a deadline further away than the last band gets DEADLINE_BONUS_LATER.
DEADLINE_BONUS: tuple[tuple[int, float], ...] = ((-1, 150.0), (12, 100.0), (36, 50.0))
DEADLINE_BONUS_LATER = 20.0


@dataclass(frozen=True)
class TriggeredAction:
    action: Action
    urgency: float
    # The action's deadline month when the deadline applies to this company, else None.
    deadline: Month | None = None


def triggered_actions(result: Result, as_of: date | None = None) -> tuple[TriggeredAction, ...]:
    """The actions whose ``when`` holds and that still address something open (see
    :func:`assessor.domain.addresses.open_addressed`), in priority order; ``as_of`` is the
    plan's date, which deadlines are measured from (None: deadlines are shown but add no
    urgency)."""
    questionnaire = result.questionnaire
    triggered = [
        (_triggered(action, result, questionnaire, as_of), index)
        for index, action in enumerate(questionnaire.actions)
        if action.when.holds(result) and open_addressed(action, result)
    ]
    triggered.sort(key=lambda item: (-item[0].urgency, item[0].action.horizon.rank, item[1]))
    return tuple(item for item, _ in triggered)


def _triggered(
    action: Action, result: Result, questionnaire: Questionnaire, as_of: date | None
) -> TriggeredAction:
    urgency = max(_urgency(action.when, result, questionnaire), addressed_urgency(action, result))
    deadline = applying_deadline(action.deadline, result)
    if deadline is not None and as_of is not None:
        urgency += deadline_bonus(deadline, Month.of(as_of))
    return TriggeredAction(action, urgency, deadline)


def applying_deadline(deadline: Deadline | None, result: Result) -> Month | None:
    """The deadline's month when it applies to the company of ``result``."""
    if deadline is None:
        return None
    if deadline.applies_if is not None and not deadline.applies_if.holds(result):
        return None
    return deadline.month


def deadline_bonus(deadline: Month, plan_month: Month) -> float:
    """The urgency an applying deadline adds: the nearer, the more (a past one: the most)."""
    months_ahead = deadline.index - plan_month.index
    for within, bonus in DEADLINE_BONUS:
        if months_ahead <= within:
            return bonus
    return DEADLINE_BONUS_LATER


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
    if isinstance(condition, (AllOf, AnyOf)):
        # The largest gap, for ``all`` too: see the module docstring.
        return max(
            (_urgency(c, result, questionnaire) for c in condition.conditions if c.holds(result)),
            default=0.0,
        )
    return 0.0
