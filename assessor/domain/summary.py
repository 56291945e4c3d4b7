"""The JSON shape of a result, shared by the command line and the web app."""

from __future__ import annotations

from typing import Any

from assessor.domain.actions import TriggeredAction
from assessor.domain.model import Level
from assessor.domain.planning import ActionPlan, PlannedAction
from assessor.domain.rounding import rounded
from assessor.domain.scoring import Result


def result_summary(
    result: Result,
    actions: tuple[TriggeredAction, ...],
    plan: ActionPlan | None = None,
    *,
    with_services: bool = False,
) -> dict[str, Any]:
    """The contract's result object: scores with one decimal, ids of levels and actions;
    with a plan, its focus and the other recommendations (and, ``with_services``, the ids
    of the services matched to each focus action and which catalogue they came from); a
    focus action whose deadline applies to the company has its month, ``YYYY-MM``."""
    summary: dict[str, Any] = {
        "questionnaire": result.questionnaire.id,
        "version": result.questionnaire.version,
        "overall": _scored(result.score, result.level),
        "dimensions": [
            {
                "id": d.dimension.id,
                **_scored(d.score, d.level),
                "themes": [{"id": t.theme.id, **_scored(t.score, t.level)} for t in d.themes],
            }
            for d in result.dimensions
        ],
        "actions": [t.action.id for t in actions],
    }
    if result.missing:
        summary["missing"] = list(result.missing)
    if plan is not None:
        summary["plan"] = {
            "focus": [_focus_item(a, with_services) for a in plan.focus],
            "more": [a.action_id for a in plan.more],
        }
    return summary


def _focus_item(planned: PlannedAction, with_services: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": planned.action_id,
        "horizon": planned.triggered.action.horizon.value,
    }
    if planned.triggered.deadline is not None:
        item["deadline"] = str(planned.triggered.deadline)
    if with_services:
        item["services"] = [s.id for s in planned.services]
        item["services_from"] = planned.source.value
    return item


def _scored(score: float | None, level: Level | None) -> dict[str, Any]:
    return {
        "score": None if score is None else rounded(score, 1),
        "level": None if level is None else level.id,
    }
