"""Size figures of a questionnaire, for authors and release notes."""

from __future__ import annotations

from assessor.domain.model import Questionnaire


def describe_questionnaire(questionnaire: Questionnaire) -> str:
    """One paragraph: scored questions per dimension, themes, profile questions, actions."""
    scored_by_dimension = {
        d.id: sum(len(questionnaire.questions_by_theme[t.id]) for t in d.themes)
        for d in questionnaire.dimensions
    }
    scored = sum(scored_by_dimension.values())
    per_dimension = ", ".join(f"{d} {n}" for d, n in scored_by_dimension.items())
    themes = ", ".join(f"{d.id} {len(d.themes)}" for d in questionnaire.dimensions)
    profile = sum(1 for q in questionnaire.questions if q.profile is not None)
    conditional = sum(1 for q in questionnaire.questions if q.visible_if is not None)
    return (
        f"{questionnaire.id} v{questionnaire.version} ({questionnaire.source_path}): "
        f"{len(questionnaire.questions)} questions in {len(questionnaire.sections)} sections; "
        f"{scored} scored ({per_dimension}); "
        f"{len(questionnaire.themes)} themes ({themes}); "
        f"{profile} profile questions; {conditional} conditional questions; "
        f"{len(questionnaire.actions)} actions; {len(questionnaire.references)} references"
    )
