"""Size figures of a questionnaire, for authors and release notes."""

from __future__ import annotations

from assessor.domain.model import DmaDimension, Questionnaire


def describe_questionnaire(questionnaire: Questionnaire) -> str:
    """One paragraph: scored questions per dimension, themes, profile questions, actions;
    then, when questions are tagged with ``dma``, a line with the count per EU DMA dimension."""
    scored_by_dimension = {
        d.id: sum(len(questionnaire.questions_by_theme[t.id]) for t in d.themes)
        for d in questionnaire.dimensions
    }
    scored = sum(scored_by_dimension.values())
    per_dimension = ", ".join(f"{d} {n}" for d, n in scored_by_dimension.items())
    themes = ", ".join(f"{d.id} {len(d.themes)}" for d in questionnaire.dimensions)
    profile = sum(1 for q in questionnaire.questions if q.profile is not None)
    conditional = sum(1 for q in questionnaire.questions if q.visible_if is not None)
    size = (
        f"{questionnaire.id} v{questionnaire.version} ({questionnaire.source_path}): "
        f"{len(questionnaire.questions)} questions in {len(questionnaire.sections)} sections; "
        f"{scored} scored ({per_dimension}); "
        f"{len(questionnaire.themes)} themes ({themes}); "
        f"{profile} profile questions; {conditional} conditional questions; "
        f"{len(questionnaire.actions)} actions; {len(questionnaire.references)} references"
    )
    dma = dma_correspondence(questionnaire)
    if not any(dma.values()):
        return size
    counts = ", ".join(f"{dimension.value} {count}" for dimension, count in dma.items())
    return (
        f"{size}\n  EU Digital Maturity Assessment correspondence, not a DMA score"
        f" (questions per DMA dimension): {counts}"
    )


def dma_correspondence(questionnaire: Questionnaire) -> dict[DmaDimension, int]:
    """How many questions inform each EU DMA dimension (all six, in the DMA's order)."""
    counts = dict.fromkeys(DmaDimension, 0)
    for question in questionnaire.questions:
        if question.dma is not None:
            counts[question.dma] += 1
    return counts
