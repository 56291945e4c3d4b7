"""The JSON shape of a result, shared by the command line and the web app."""

from __future__ import annotations

from typing import Any

from assessor.domain.actions import TriggeredAction
from assessor.domain.model import Level
from assessor.domain.scoring import Result


def result_summary(result: Result, actions: tuple[TriggeredAction, ...]) -> dict[str, Any]:
    """The contract's result object: scores with one decimal, ids of levels and actions."""
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
    return summary


def _scored(score: float | None, level: Level | None) -> dict[str, Any]:
    return {
        "score": None if score is None else round(score, 1),
        "level": None if level is None else level.id,
    }
